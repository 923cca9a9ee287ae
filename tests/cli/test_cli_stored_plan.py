"""`retrorun plan --profile P --athlete WHO --keep [--replace]` and `retrorun plan --athlete
WHO [--json]`: an athlete's stored plan through the installed command."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema

from tests.cli._stored import Cli, one_error_line, sessions, today
from tests.cli.test_cli_plan import CONTRACTS

# What every entry of "changes" holds (shared/contracts/plan.schema.json).
CHANGE_KEYS = {"version", "decided_on", "effective_from", "rule", "reason", "sessions"}


def check_contract(document: dict[str, Any]) -> None:
    jsonschema.validate(document, json.loads((CONTRACTS / "plan.schema.json").read_text()))
    assert isinstance(document["version"], int)
    assert document["version"] >= 1
    assert isinstance(document["changes"], list)
    for change in document["changes"]:
        assert set(change) >= CHANGE_KEYS, change
        assert change["effective_from"] >= change["decided_on"]


def test_a_kept_plan_is_the_athletes_current_plan(cli: Cli) -> None:
    user_id = cli.add_user("runner@example.com")
    # A past start date is allowed; a Monday, one of the profile's days, so the first
    # session falls on the start date whatever weekday the suite runs on.
    start = today() - dt.timedelta(days=14 + today().weekday())
    kept = cli.keep("runner@example.com", start)
    assert kept.returncode == 0, kept.stderr
    first = kept.stdout.splitlines()[0]
    assert first.startswith("plan stored for runner@example.com: id ")
    assert ", version 1, " in first
    assert f"{start:%a %d %b %Y} to " in first
    assert "starter-8-w01-backward-1" in kept.stdout  # then the calendar

    document = cli.document("runner@example.com")
    check_contract(document)
    assert document["version"] == 1
    assert document["changes"] == []
    assert document["start_date"] == start.isoformat()
    plan_id = first.split(" id ")[1].split(",")[0]
    assert cli.document(user_id) == document  # by id as by email

    shown = cli.ok("plan", "--athlete", user_id).stdout
    assert f"Version 1 of plan {plan_id}" in shown
    for week in document["weeks"]:
        assert f"Week {week['index']}" in shown
    assert "What changed and why" in shown
    assert "Nothing yet" in shown

    # export --athlete takes the email too.
    exported = cli.run("export", "--athlete", "runner@example.com", "--json",
                       cli.folder / "plan.json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads((cli.folder / "plan.json").read_text())["start_date"] == \
        start.isoformat()


def test_keep_json_prints_the_stored_document(cli: Cli) -> None:
    cli.add_user("runner@example.com")
    result = cli.keep("runner@example.com", today(), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("plan stored for runner@example.com")
    document = json.loads(result.stdout)
    check_contract(document)
    assert document == cli.document("runner@example.com")


def test_a_new_plan_over_a_kept_one_asks_first(cli: Cli) -> None:
    cli.add_user("runner@example.com")
    first = cli.ok("plan", "--profile", cli.profile(today()), "--athlete",
                   "runner@example.com", "--keep").stdout.splitlines()[0]
    kept_id = first.split(" id ")[1].split(",")[0]
    before = cli.document("runner@example.com")
    later = today() + dt.timedelta(days=7)
    line = one_error_line(cli.keep("runner@example.com", later))
    assert line == ("--athlete runner@example.com already has a plan; add --replace to "
                    "start a new one (the old one stays in the history)")
    assert cli.document("runner@example.com") == before  # nothing stored

    replaced = cli.keep("runner@example.com", later, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    line = replaced.stdout.splitlines()[0]
    assert ", version 1, " in line
    assert kept_id not in line  # a new plan; the old one stays in the history
    after = cli.document("runner@example.com")
    assert after["start_date"] == later.isoformat()
    check_contract(after)


WRONG = [
    (["--keep"], "--keep and --replace need --athlete EMAIL"),
    (["--replace", "--athlete", "runner@example.com"], "--replace goes with --keep"),
    (["--athlete", "runner@example.com", "--keep"], "--keep needs the plan to store"),
    (["--athlete", "runner@example.com", "--profile", "PROFILE"],
     "--athlete with --profile (or flags) stores the plan only with --keep"),
    (["--athlete", "runner@example.com", "--profile", "PROFILE", "--keep", "--age", "40"],
     "give either --profile or flags, not both"),
    (["--athlete", "nobody@example.com", "--profile", "PROFILE", "--keep"],
     "--athlete nobody@example.com: no such athlete"),
    (["--athlete", "nobody@example.com"], "--athlete nobody@example.com: no such athlete"),
    (["--athlete", "0" * 32, "--json"], f"--athlete {'0' * 32}: no such athlete"),
    (["--athlete", "runner@example.com"], "--athlete runner@example.com: has no plan yet"),
    (["--athlete", "runner@example.com", "--profile", "BAD", "--keep"], "age: "),
]


def test_wrong_combinations_are_one_line_and_store_nothing(cli: Cli) -> None:
    # One account for every case (each command costs a start of the program).
    cli.add_user("runner@example.com")
    good, bad = cli.profile(today()), cli.profile(today(), "bad.json", age=3)
    for args, says in WRONG:
        given = [str(good) if a == "PROFILE" else str(bad) if a == "BAD" else a for a in args]
        assert says in one_error_line(cli.run("plan", *given)), args
    assert one_error_line(cli.run("plan", "--athlete", "runner@example.com")).startswith(
        "--athlete runner@example.com: has no plan yet")


def test_the_plan_shown_is_the_one_kept_not_rebuilt(cli: Cli) -> None:
    """The stored document is shown as kept, the dates of a start two weeks ago included."""
    cli.add_user("runner@example.com")
    start = today() - dt.timedelta(days=14)
    cli.ok("plan", "--profile", cli.profile(start), "--athlete", "runner@example.com",
           "--keep")
    fresh = json.loads(cli.ok("plan", "--profile", cli.profile(start), "--json").stdout)
    stored = cli.document("runner@example.com")
    assert [s["id"] for s in sessions(stored)] == [s["id"] for s in sessions(fresh)]
    assert [s["date"] for s in sessions(stored)] == [s["date"] for s in sessions(fresh)]


def test_looking_at_the_plan_catches_up_with_time_off(cli: Cli) -> None:
    """Time off is decided when the athlete looks: kept 12 days ago, nothing logged since,
    `plan --athlete` makes the version that drops a stage, once."""
    from sqlalchemy import create_engine, update

    from retrorun.storage.tables import plans

    cli.add_user("runner@example.com")
    cli.ok("plan", "--profile", cli.profile(today() - dt.timedelta(days=14)), "--athlete",
           "runner@example.com", "--keep")
    engine = create_engine(cli.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(update(plans).values(
                created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=12)))
    finally:
        engine.dispose()
    after = cli.document("runner@example.com")
    assert after["version"] == 2
    assert any(c["rule"].startswith("time-off") for c in after["changes"]), after["changes"]
    assert cli.document("runner@example.com") == after  # decided once, not at every look
