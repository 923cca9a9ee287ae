"""`retrorun log SESSION_ID --athlete WHO --status ...` through the installed command."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli._stored import Cli, one_error_line, sessions, today

EMAIL = "runner@example.com"


def athlete_two_weeks_in(cli: Cli) -> dict[str, Any]:
    """An athlete whose plan started 14 days ago; its document (version 1)."""
    cli.add_user(EMAIL)
    cli.ok("plan", "--profile", cli.profile(today() - dt.timedelta(days=14)), "--athlete",
           EMAIL, "--keep")
    return cli.document(EMAIL)


def backward_sessions(document: dict[str, Any], *, past: bool) -> list[dict[str, Any]]:
    return [s for s in sessions(document) if s["backward_seconds"] > 0
            and (dt.date.fromisoformat(s["date"]) < today()) is past]


def done_count(cli: Cli) -> int:
    weeks = json.loads(cli.ok("progress", "--athlete", EMAIL, "--json").stdout)["weeks"]
    return sum(int(w["sessions_done"]) for w in weeks)


def test_a_log_is_stored_and_a_second_one_edits_it(cli: Cli) -> None:
    document = athlete_two_weeks_in(cli)
    session = backward_sessions(document, past=True)[0]
    date = dt.date.fromisoformat(session["date"])
    logged = cli.ok("log", session["id"], "--athlete", EMAIL, "--status", "done", "--rpe", "4",
                    "--pain-during", "1", "--notes", "windy")
    first = logged.stdout.splitlines()[0]
    assert first.startswith(f"Logged {session['id']} ({date:%a %d %b %Y}): done; forward ")
    backward = session["backward_seconds"] / 60
    assert f"backward {backward:g} min" in first  # done: the planned minutes
    assert "RPE 4; pain during 1/10; notes: windy" in first
    assert "The plan changed" not in logged.stdout  # a fine session changes nothing
    assert done_count(cli) == 1

    edited = cli.ok("log", session["id"], "--athlete", EMAIL, "--status", "done",
                    "--pain-next-morning", "0")
    line = edited.stdout.splitlines()[0]
    assert line.startswith(f"Edited the log (revision 2) of {session['id']}")
    # The questions not asked again keep their answers, as the web form comes filled in.
    assert "RPE 4; pain during 1/10; pain next morning 0/10; notes: windy" in line
    assert done_count(cli) == 1
    assert cli.document(EMAIL)["version"] == 1

    partial = cli.ok("log", session["id"], "--athlete", EMAIL, "--status", "partial",
                     "--forward-minutes", "10", "--backward-minutes", "2", "--events", "",
                     "--notes", "")
    assert "partial; forward 10 min, backward 2 min; RPE 4;" in partial.stdout
    assert "notes" not in partial.stdout.splitlines()[0]


def test_bad_input_is_one_line_and_stores_nothing(cli: Cli) -> None:
    document = athlete_two_weeks_in(cli)
    past = backward_sessions(document, past=True)[0]["id"]
    future = backward_sessions(document, past=False)[-1]["id"]
    cases = [
        ([past, "--status", "done", "--pain-during", "11"],
         "--pain-during: must be from 0 to 10"),
        ([past, "--status", "done", "--rpe", "abc"], "--rpe: must be a whole number"),
        ([past, "--status", "done", "--rpe", "7.5"], "--rpe: must be a whole number"),
        ([past, "--status", "done", "--forward-minutes", "ten"],
         "--forward-minutes: must be a number of minutes"),
        ([past, "--status", "done", "--forward-minutes", "1e309"],
         "--forward-minutes: must be a number of minutes"),
        ([past, "--status", "finished"], "--status: "),
        ([past, "--status", "done", "--events", "stumble,hiccup"], "--events: "),
        ([past, "--status", "skipped", "--forward-minutes", "10"], "--forward-minutes: "),
        ([past, "--status", "partial", "--backward-minutes", "500"], "--backward-minutes: "),
        (["nope", "--status", "done"],
         "SESSION_ID nope: no such session in the athlete's current plan"),
        ([future, "--status", "done"], "SESSION_ID: "),  # a session before its day
        ([past], "--status: give done, partial or skipped"),
    ]
    for args, says in cases:
        line = one_error_line(cli.run("log", *args, "--athlete", EMAIL))
        assert line.startswith(says), (args, line)
    # Every wrong field at once, each named as its option.
    line = one_error_line(cli.run("log", past, "--athlete", EMAIL, "--status", "done",
                                  "--rpe", "12", "--pain-next-morning", "-1",
                                  "--backward-minutes", "lots"))
    for option in ("--rpe: ", "--pain-next-morning: ", "--backward-minutes: "):
        assert option in line, line
    assert one_error_line(cli.run("log", past, "--athlete", "nobody@example.com",
                                  "--status", "done")).startswith(
        "--athlete nobody@example.com: no such athlete")
    assert one_error_line(cli.run("log", past, "--status", "done")) == \
        "--athlete: give the athlete's email or user id"
    assert done_count(cli) == 0
    assert cli.document(EMAIL)["version"] == 1


def test_an_athlete_without_a_plan(cli: Cli) -> None:
    user_id = cli.add_user(EMAIL)
    assert one_error_line(cli.run("log", "starter-8-w01-backward-1", "--athlete", user_id,
                                  "--status", "done")) == \
        f"--athlete {user_id}: has no plan yet"


TYPED = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                max_size=12)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(["done", "partial", "skipped", "DONE", "later"]),
       values=st.fixed_dictionaries({option: st.one_of(TYPED, st.integers().map(str),
                                                       st.floats().map(str))
                                     for option in ("--rpe", "--pain-during",
                                                    "--forward-minutes")}),
       events=TYPED)
def test_whatever_is_typed_is_stored_or_one_line(cli_with_plan: tuple[Cli, str], status: str,
                                                 values: dict[str, str],
                                                 events: str) -> None:
    """No traceback, whatever the options hold: a log (exit 0), or one line (exit 2)."""
    cli, session_id = cli_with_plan
    result = cli.run("log", session_id, "--athlete", EMAIL, f"--status={status}",
                     *(f"{option}={value}" for option, value in values.items()),
                     f"--events={events}")
    if result.returncode == 0:
        assert result.stdout.startswith(("Logged ", "Edited the log")), result.stdout
    else:
        one_error_line(result)


@pytest.fixture
def cli_with_plan(cli: Cli) -> tuple[Cli, str]:
    document = athlete_two_weeks_in(cli)
    return cli, backward_sessions(document, past=True)[0]["id"]
