"""CSV of sessions and logs, JSON of the plan document."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from retrorun.domain.model import Step
from retrorun.formats import ExportOptions, export
from retrorun.formats.logs import LogStatus, SessionLog
from retrorun.formats.tabular import LOG_COLUMNS, SESSION_COLUMNS, logs_csv, plan_csv, safe_cell

from .builders import demo_plan
from .plans import every_program_plan

SCHEMA = Path(__file__).parents[1] / "contracts" / "plan.schema.json"
MADE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_session_with_its_totals() -> None:
    plan = demo_plan()
    parsed = rows(plan_csv(plan))
    assert list(parsed[0]) == list(SESSION_COLUMNS)
    assert [r["session_id"] for r in parsed] == [s.id for s in plan.sessions]
    first, session = parsed[0], plan.sessions[0]
    assert first["date"] == session.date.isoformat()
    assert float(first["backward_min"]) == session.backward_seconds / 60
    assert "BACKWARD walk 2:00" in first["steps"]


def test_logs_join_their_sessions_and_stand_alone() -> None:
    plan = demo_plan(1)
    log = SessionLog(
        plan.sessions[0].id,
        plan.sessions[0].date,
        LogStatus.PARTIAL,
        forward_seconds=600,
        backward_seconds=240,
        rpe=4,
        pain_during=2,
        pain_next_morning=1,
        events=("stumble",),
        notes="windy",
    )
    joined = rows(plan_csv(plan, [log]))
    assert joined[0]["done_status"] == "partial"
    assert joined[0]["done_backward_min"] == "4"
    assert joined[0]["done_events"] == "stumble"
    assert joined[1]["done_status"] == ""
    alone = rows(logs_csv([log]))
    assert list(alone[0]) == list(LOG_COLUMNS)
    assert alone[0]["notes"] == "windy"


def test_cells_that_a_spreadsheet_would_run_are_defused() -> None:
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@SUM") == "'@SUM"
    assert safe_cell("plain") == "plain"
    plan = demo_plan(1)
    log = SessionLog(
        plan.sessions[0].id, plan.sessions[0].date, LogStatus.DONE, notes="=cmd|' /C calc'!A0"
    )
    assert rows(logs_csv([log]))[0]["notes"].startswith("'=")


def test_the_cues_column_holds_each_cue_of_the_session_once_in_order() -> None:
    with_cues = 0
    for plan in every_program_plan():
        parsed = {row["session_id"]: row for row in rows(plan_csv(plan))}
        for session in plan.sessions:
            cues: list[str] = []
            for cue in (*session.cues, *(step.cue for step in session.flat_steps)):
                if cue and cue not in cues:
                    cues.append(cue)
            cell = parsed[session.id]["cues"]
            if not cues:
                assert cell == ""
                continue
            with_cues += 1
            assert cell.split(" | ") == cues
    assert with_cues >= 20


def test_a_cue_that_looks_like_a_formula_is_defused() -> None:
    plan = demo_plan(1)
    first = plan.sessions[0]
    steps = tuple(
        replace(item, cue="=1+1") if isinstance(item, Step) and item.on_foot else item
        for item in first.steps
    )
    sessions = (replace(first, steps=steps, cues=()), *plan.weeks[0].sessions[1:])
    tricky = replace(plan, weeks=(replace(plan.weeks[0], sessions=sessions),))
    assert rows(plan_csv(tricky))[0]["cues"].startswith("'=1+1")


def test_logs_refuse_impossible_values() -> None:
    day = dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="CR-10"):
        SessionLog("s", day, LogStatus.DONE, rpe=11)
    with pytest.raises(ValueError, match="pain"):
        SessionLog("s", day, LogStatus.DONE, pain_during=-1)
    with pytest.raises(ValueError, match="negative"):
        SessionLog("s", day, LogStatus.DONE, forward_seconds=-5)


def test_json_is_the_plan_document_of_the_contract_for_every_program() -> None:
    schema = json.loads(SCHEMA.read_text())
    for plan in every_program_plan():
        result = export(plan, "json", ExportOptions(made_at=MADE))
        document = json.loads(result.data)
        jsonschema.validate(document, schema)
        assert document["program"] == plan.program
        sessions = [s for w in document["weeks"] for s in w["sessions"]]
        assert [s["id"] for s in sessions] == [s.id for s in plan.sessions]
