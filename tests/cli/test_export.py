"""`retrorun export` through the installed command, with real files in temporary folders."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from retrorun.formats.fit_reader import read_workout

RETRORUN = str(Path(sys.executable).with_name("retrorun"))
PROFILE = {
    "experience": "recreational", "weekly_minutes": 150, "available_days": ["tue", "thu", "sun"],
    "goal": "general", "age": 34, "surfaces": ["track", "grass", "road"],
    "start_date": "2026-01-05", "screen": {}, "hr_max": 185, "hr_rest": 55,
}


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RETRORUN, "export", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(PROFILE))
    return path


def test_every_format_at_once(tmp_path: Path, profile: Path) -> None:
    result = run("--profile", profile, "--pdf", "plan.pdf", "--ics", "plan.ics",
                 "--fit-dir", "watch", "--intervals", "plan.txt", "--csv", "plan.csv",
                 "--json", "plan.json", "--report", "report.pdf",
                 "--timezone", "Europe/Berlin", "--start-time", "7:30", "--reminder", "60",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads((tmp_path / "plan.json").read_text())
    sessions = [s for week in document["weeks"] for s in week["sessions"]]
    assert document["program"] == "starter-8"

    assert len(PdfReader(tmp_path / "plan.pdf").pages) >= 8
    assert len(PdfReader(tmp_path / "report.pdf").pages) >= 1

    calendar = Calendar.from_ical((tmp_path / "plan.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(sessions)
    assert "DTSTART;TZID=Europe/Berlin:20260106T073000" in (tmp_path / "plan.ics").read_text()
    assert events[0].walk("VALARM")

    fits = sorted((tmp_path / "watch").glob("*.fit"))
    running = [s for s in sessions if s["running_seconds"] > 0 and s["kind"] != "core"]
    assert len(fits) == len(running)
    for path in fits:
        assert read_workout(path.read_bytes()).sport == "running"

    rows = list(csv.DictReader(io.StringIO((tmp_path / "plan.csv").read_text())))
    assert [r["session_id"] for r in rows] == [s["id"] for s in sessions]
    assert "BACKWARD" in (tmp_path / "plan.txt").read_text()

    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "plan.pdf").stat().st_mode & 0o777 == 0o666 & ~mask


def test_the_same_profile_exports_the_same_watch_files(tmp_path: Path, profile: Path) -> None:
    assert run("--profile", profile, "--fit-dir", "a", cwd=tmp_path).returncode == 0
    assert run("--profile", profile, "--fit-dir", "b", cwd=tmp_path).returncode == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert first == second


@pytest.mark.parametrize(("args", "message"), [
    (["--pdf", "missing-folder/plan.pdf"], "folder missing-folder does not exist"),
    (["--ics", "."], "is a directory"),
    (["--fit-dir", "me.json"], "is a file, not a folder"),
    (["--fit-dir", "no/such/dir"], "does not exist"),
    ([], "nothing to export"),
    (["--ics", "x.ics", "--start-time", "7:30"], "--timezone: is required for timed events"),
    (["--ics", "x.ics", "--timezone", "Mars/Olympus"], "unknown time zone"),
    (["--ics", "x.ics", "--timezone", "UTC", "--start-time", "25:00"], "HH:MM"),
    (["--csv", "x.csv", "--units", "furlongs"], "metric, imperial"),
])
def test_bad_arguments_give_one_clear_line(
    tmp_path: Path, profile: Path, args: list[str], message: str,
) -> None:
    result = run("--profile", profile, *args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert not (tmp_path / "x.ics").exists()
    assert not (tmp_path / "x.csv").exists()


def test_an_unwritable_folder_is_refused_before_anything_is_written(
    tmp_path: Path, profile: Path,
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        # root ignores permissions; a path under /proc is unwritable for anyone.
        root = os.access(locked, os.W_OK)
        target = Path("/proc/version") if root else locked / "plan.pdf"
        result = run("--profile", profile, "--csv", "ok.csv", "--pdf", target, cwd=tmp_path)
    finally:
        locked.chmod(0o700)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "ok.csv").exists()


def test_a_missing_or_bad_profile_is_one_line(tmp_path: Path) -> None:
    missing = run("--profile", "nope.json", "--csv", "x.csv", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "error: cannot read profile nope.json: No such file or directory")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PROFILE, "age": 3}))
    invalid = run("--profile", bad, "--csv", "x.csv", cwd=tmp_path)
    assert invalid.returncode == 2
    assert invalid.stderr.startswith("error: age:")
    assert not (tmp_path / "x.csv").exists()


def test_a_stored_plan_exports_with_its_logs(tmp_path: Path) -> None:
    from retrorun.bootstrap import DEMO_EMAIL, start
    from retrorun.config import load_settings
    from retrorun.services import plans

    data = tmp_path / "data"
    services = start(load_settings(data_dir=data, seed_demo=True, environment="development"))
    try:
        with services.uow() as uow:
            user = uow.users.by_email(DEMO_EMAIL)
        assert user is not None
        plan_id = plans.get_plan(services.uow(), user_id=user.id).id
    finally:
        services.close()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
    clean["RETRORUN_ENVIRONMENT"] = "development"  # the app defaults to production
    result = subprocess.run(
        [RETRORUN, "export", "--athlete", user.id, "--report", "r.pdf", "--csv", "p.csv",
         "--ics", "p.ics"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        check=False, env={**clean, "RETRORUN_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    text = " ".join(page.extract_text() or "" for page in PdfReader(tmp_path / "r.pdf").pages)
    assert "logged" in text
    assert "stumble" in text  # the demo athlete's partial session with a stumble
    rows = list(csv.DictReader(io.StringIO((tmp_path / "p.csv").read_text())))
    assert any(r["done_status"] == "done" for r in rows)
    calendar = Calendar.from_ical((tmp_path / "p.ics").read_bytes())
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    # The stored plan's id is the plan key: UIDs survive new plan versions.
    assert uids
    assert all(uid.endswith(f".{plan_id}@retrorun") for uid in uids)

    by_plan = subprocess.run([RETRORUN, "export", "--plan", plan_id, "--ics", "q.ics"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120,
                             check=False, env={**clean, "RETRORUN_DATA_DIR": str(data)})
    assert by_plan.returncode == 0, by_plan.stderr
    assert (tmp_path / "q.ics").read_bytes() == (tmp_path / "p.ics").read_bytes()
    no_plan = subprocess.run([RETRORUN, "export", "--plan", "nope", "--ics", "n.ics"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120,
                             check=False, env={**clean, "RETRORUN_DATA_DIR": str(data)})
    assert no_plan.returncode == 2
    assert no_plan.stderr.startswith("error: --plan nope: plan 'nope' not found")
    assert not (tmp_path / "n.ics").exists()

    missing = subprocess.run([RETRORUN, "export", "--athlete", "nobody", "--csv", "x.csv"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120,
                             check=False, env={**clean, "RETRORUN_DATA_DIR": str(data)})
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: --athlete nobody:")
    assert len(missing.stderr.strip().splitlines()) == 1


def test_a_stored_plan_follows_the_athletes_calendar_settings(tmp_path: Path) -> None:
    from retrorun.bootstrap import DEMO_EMAIL, start
    from retrorun.config import load_settings
    from retrorun.services import calendar_feed

    data = tmp_path / "data"
    services = start(load_settings(data_dir=data, seed_demo=True, environment="development"))
    try:
        with services.uow() as uow:
            user = uow.users.by_email(DEMO_EMAIL)
        assert user is not None
        calendar_feed.set_calendar_settings(
            services.uow(), user_id=user.id, timezone="Europe/Berlin", start_time="06:45",
            reminder_minutes=30, clock=services.clock)
    finally:
        services.close()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
    clean["RETRORUN_ENVIRONMENT"] = "development"  # the app defaults to production

    def export(*flags: str) -> Calendar:
        result = subprocess.run(
            [RETRORUN, "export", "--athlete", user.id, "--ics", "s.ics", *flags], cwd=tmp_path,
            capture_output=True, text=True, timeout=120, check=False,
            env={**clean, "RETRORUN_DATA_DIR": str(data)})
        assert result.returncode == 0, result.stderr
        return Calendar.from_ical((tmp_path / "s.ics").read_bytes())

    def first_of_each_day(calendar: Calendar) -> list[dt.datetime]:
        starts = [event["DTSTART"].dt for event in calendar.walk("VEVENT")]
        return [start for n, start in enumerate(starts)
                if n == 0 or starts[n - 1].date() != start.date()]

    events = export().walk("VEVENT")
    assert events
    for event in events:
        assert str(event["DTSTART"].dt.tzinfo) == "Europe/Berlin"
        assert event.walk("VALARM")
    # A day's first session starts at the set time; a second one follows it.
    assert {(s.hour, s.minute) for s in first_of_each_day(export())} == {(6, 45)}
    # A flag overrides the stored setting for this export only.
    later = first_of_each_day(export("--start-time", "18:00"))
    assert {(s.hour, s.minute) for s in later} == {(18, 0)}
    assert export().walk("VEVENT")[0]["DTSTART"].dt.hour == 6


def test_a_link_is_followed_and_a_fifo_is_written_into(tmp_path: Path, profile: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    (tmp_path / "link.json").symlink_to(real)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run("--profile", profile, "--json", "link.json", "--csv", "pipe", cwd=tmp_path)
    piped, _ = reader.communicate(timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads(real.read_text())["schema"] == "retrorun.plan/1"
    assert fifo.is_fifo()
    rows = list(csv.DictReader(io.StringIO(piped.decode())))
    assert rows
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_a_profile_exports_the_same_calendar_bytes_all_day(tmp_path: Path,
                                                          profile: Path) -> None:
    assert run("--profile", profile, "--ics", "a.ics", cwd=tmp_path).returncode == 0
    assert run("--profile", profile, "--ics", "b.ics", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()


def test_a_stored_plans_calendar_is_the_feeds_byte_for_byte(tmp_path: Path) -> None:
    from retrorun.bootstrap import DEMO_EMAIL, start
    from retrorun.config import load_settings
    from retrorun.services import calendar_feed, plans

    data = tmp_path / "data"
    settings = load_settings(data_dir=data, seed_demo=True, environment="development")
    services = start(settings)
    try:
        with services.uow() as uow:
            user = uow.users.by_email(DEMO_EMAIL)
        assert user is not None
        plan_id = plans.get_plan(services.uow(), user_id=user.id).id
        clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
        clean["RETRORUN_ENVIRONMENT"] = "development"  # the app defaults to production
        result = subprocess.run(
            [RETRORUN, "export", "--plan", plan_id, "--ics", "p.ics"], cwd=tmp_path,
            capture_output=True, text=True, timeout=120, check=False,
            env={**clean, "RETRORUN_DATA_DIR": str(data)})
        assert result.returncode == 0, result.stderr
        served = calendar_feed.own_calendar(services.uow(), user_id=user.id,
                                            url=settings.plan_url)
    finally:
        services.close()
    assert (tmp_path / "p.ics").read_bytes() == served.data


def test_a_plan_kept_from_a_free_preview_exports_with_the_previews_uids(tmp_path: Path) -> None:
    from retrorun.bootstrap import start
    from retrorun.config import load_settings
    from retrorun.services import accounts, plans

    data = tmp_path / "data"
    services = start(load_settings(data_dir=data, seed_demo=False, environment="development"))
    key = "0123456789abcdef"  # what the browser's free downloads carried
    try:
        user = accounts.sign_up(services.uow(), email="ann@example.com",
                                password="correct horse battery", hasher=services.hasher,
                                clock=services.clock, policy=services.policy)
        view = plans.create_plan(services.uow(), user_id=user.id, profile_data=PROFILE,
                                 planner=services.planner, clock=services.clock,
                                 calendar_key=key)
    finally:
        services.close()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
    clean["RETRORUN_ENVIRONMENT"] = "development"  # the app defaults to production
    result = subprocess.run(
        [RETRORUN, "export", "--plan", view.id, "--ics", "p.ics"], cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=False,
        env={**clean, "RETRORUN_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical((tmp_path / "p.ics").read_bytes())
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert uids
    assert all(uid.endswith(f".{key}@retrorun") for uid in uids)
