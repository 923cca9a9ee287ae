"""The plan document (schema `retrorun.plan/1`, shared/contracts/plan.schema.json).

Pure: a Plan in, plain JSON-ready dicts out, keys in a fixed order so the same plan
always prints byte-identical JSON.
"""

from __future__ import annotations

from typing import Any

from retrorun.domain.evidence import SOURCES
from retrorun.domain.model import Plan, Repeat, Session, Step, StepOrRepeat, Target

SCHEMA_ID = "retrorun.plan/1"


def target_document(target: Target) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": target.type.value}
    if target.low is not None:
        doc["low"] = target.low
    if target.high is not None:
        doc["high"] = target.high
    if target.unit is not None:
        doc["unit"] = target.unit.value
    return doc


def step_document(item: StepOrRepeat) -> dict[str, Any]:
    if isinstance(item, Repeat):
        return {"kind": "repeat", "count": item.count,
                "steps": [step_document(s) for s in item.steps]}
    return _step(item)


def _step(step: Step) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "kind": step.kind.value,
        "name": step.name,
        "direction": step.direction.value,
        "gait": step.gait.value,
        "seconds": step.seconds,
        "meters": step.meters,
        "target": target_document(step.target),
    }
    if step.on_foot:
        doc["intensity"] = step.intensity.value
    if step.cue:
        doc["cue"] = step.cue
    return doc


def session_document(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "date": session.date.isoformat(),
        "kind": session.kind.value,
        "title": session.title,
        "hard": session.hard,
        "running_seconds": session.running_seconds,
        "backward_seconds": session.backward_seconds,
        "intense_seconds": session.intense_seconds,
        "surface": session.surface.value,
        "why": session.why,
        "evidence": [SOURCES[s].citation for s in session.evidence],
        "steps": [step_document(s) for s in session.steps],
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "program": plan.program,
        "program_version": plan.program_version,
        "start_date": plan.start_date.isoformat(),
        "athlete": plan.athlete,
        "notices": list(plan.notices),
        "weeks": [
            {
                "index": week.index,
                "stage": week.stage.value,
                "lighter": week.lighter,
                "advance_when": week.advance_when,
                "running_seconds": week.running_seconds,
                "backward_seconds": week.backward_seconds,
                "sessions": [session_document(s) for s in week.sessions],
            }
            for week in plan.weeks
        ],
    }
