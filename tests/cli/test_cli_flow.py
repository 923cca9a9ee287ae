"""The issue's terminal flow, on a database the commands set up themselves (SQLite, and
PostgreSQL when scripts/test found it): an account, a plan kept two weeks after it
started, a session logged at pain 7/10 with a stumble, and the plan's next version that
says why."""

from __future__ import annotations

import datetime as dt
import json

from tests.cli._stored import Cli, sessions, today
from tests.cli.test_cli_stored_plan import check_contract

EMAIL = "flow@example.com"
STAGES = ["walk", "jog", "run", "sprint"]


def test_pain_7_and_a_stumble_make_version_2_that_says_why(backend_cli: Cli) -> None:
    cli = backend_cli
    user_id = cli.add_user(EMAIL)
    start = today() - dt.timedelta(days=14)
    cli.ok("plan", "--profile", cli.profile(start), "--athlete", EMAIL, "--keep")
    before = cli.document(EMAIL)
    assert before["version"] == 1
    session = next(s for s in sessions(before) if s["backward_seconds"] > 0)
    assert dt.date.fromisoformat(session["date"]) < today()

    logged = cli.ok("log", session["id"], "--athlete", user_id, "--status", "done",
                    "--rpe", "6", "--pain-during", "7", "--events", "stumble")
    assert logged.stdout.startswith(f"Logged {session['id']} ")
    assert "pain during 7/10; events: stumble" in logged.stdout
    told = [line for line in logged.stdout.splitlines()
            if line.startswith("The plan changed: ")]
    assert told, logged.stdout

    after = cli.document(EMAIL)
    check_contract(after)
    assert after["version"] == 2
    rules = {c["rule"] for c in after["changes"]}
    assert "pain-above-5" in rules, rules
    assert all(c["version"] == 2 and c["reason"] for c in after["changes"])
    assert {f"The plan changed: {c['reason']}" for c in after["changes"]} == set(told)
    # The past is kept: every session before today is as it was.
    kept = [s for s in sessions(before) if dt.date.fromisoformat(s["date"]) < today()]
    assert [s for s in sessions(after) if dt.date.fromisoformat(s["date"]) < today()] == kept
    # Next week: at most half the backward minutes, a stage lower.
    nxt = next(i for i, w in enumerate(before["weeks"])
               if dt.date.fromisoformat(w["sessions"][0]["date"]) > today()
               and w["backward_seconds"] > 0)
    old, new = before["weeks"][nxt], after["weeks"][nxt]
    assert new["backward_seconds"] <= old["backward_seconds"] / 2
    assert STAGES.index(new["stage"]) < STAGES.index(old["stage"]) or old["stage"] == "walk"

    shown = cli.ok("plan", "--athlete", EMAIL).stdout
    assert "Version 2 of plan" in shown
    assert "What changed and why" in shown
    assert "rule pain-above-5" in shown
    # The calendar of a stored plan marks its logged sessions.
    assert any(session["id"] in line and "done" in line for line in shown.splitlines())
    progress = json.loads(cli.ok("progress", "--athlete", EMAIL, "--json").stdout)
    assert max(w["pain_max"] or 0 for w in progress["weeks"]) == 7
