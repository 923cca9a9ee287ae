"""`retrorun import PATH... --athlete WHO [--json]` (issue 12) through the installed
command: real watch files, a zip of good and bad ones, and an exported workout run on a
watch whose laps say which minutes were backward."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from retrorun.domain.document import plan_from_document
from tests.cli._stored import Cli, one_error_line, today
from tests.services.watch_run import activity_fit

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
KEYS = ["file", "status", "sport", "start", "distance_m", "elapsed_s", "records",
        "session_id", "backward_minutes", "message"]


def _lines(result: Any) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_watch_run_of_an_exported_workout_logs_its_session(cli: Cli) -> None:
    cli.add_user("runner@example.com")
    start = today() - dt.timedelta(days=14 + today().weekday())  # a Monday
    assert cli.keep("runner@example.com", start).returncode == 0
    plan = plan_from_document(json.loads(cli.ok("plan", "--athlete", "runner@example.com",
                                                "--json").stdout))
    session = next(s for s in plan.sessions if s.backward_seconds and s.date < today())
    run = cli.folder / "watch-run.fit"
    run.write_bytes(activity_fit(session, dt.datetime.combine(session.date, dt.time(7),
                                                               tzinfo=dt.UTC)))
    (line,) = _lines(cli.run("import", run, "--athlete", "runner@example.com", "--json"))
    assert list(line) == KEYS
    assert line["status"] == "imported", line
    assert line["session_id"] == session.id
    assert line["backward_minutes"] == round(session.backward_seconds / 60, 1)
    assert dt.datetime.fromisoformat(line["start"]).utcoffset() is not None
    shown = cli.ok("plan", "--athlete", "runner@example.com").stdout
    assert "done" in shown.lower()
    again = _lines(cli.run("import", run, "--athlete", "runner@example.com", "--json"))
    assert [a["status"] for a in again] == ["duplicate"]


def test_a_zip_of_good_and_bad_files_imports_the_good_and_names_the_bad(cli: Cli) -> None:
    cli.add_user("runner@example.com")
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("activities/run.fit", (DATA / "garmin-fenix-5-run.fit").read_bytes())
        archive.writestr("activities/run.gpx", (DATA / "run_gpxtpx.gpx").read_bytes())
        archive.writestr("activities/cut.fit",
                         (DATA / "activity-unexpected-eof.fit").read_bytes()[:40])
        archive.writestr("activities/notes.txt", b"hello")
    upload = cli.folder / "export.zip"
    upload.write_bytes(bundle.getvalue())
    lines = _lines(cli.run("import", upload, cli.folder / "missing.fit", "--athlete",
                           "runner@example.com", "--json"))
    by_file = {line["file"]: line for line in lines}
    assert by_file["export.zip/run.fit"]["status"] == "imported"
    assert by_file["export.zip/run.gpx"]["status"] == "imported"
    assert by_file["export.zip/run.fit"]["sport"] == "running"
    cut = by_file["export.zip/cut.fit"]
    assert cut["status"] == "refused", cut
    assert "cut.fit" in cut["message"]
    missing = [line for line in lines if line["file"].endswith("missing.fit")]
    assert missing
    assert missing[0]["status"] == "refused"
    assert "no such file" in missing[0]["message"]
    table = cli.run("import", upload, "--athlete", "runner@example.com")
    assert table.returncode == 0
    assert "duplicates" in table.stdout


def test_an_unknown_athlete_is_one_line(cli: Cli) -> None:
    message = one_error_line(cli.run("import", DATA / "sample.tcx", "--athlete",
                                     "nobody@example.com"))
    assert "--athlete nobody@example.com" in message
