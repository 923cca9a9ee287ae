"""The plan document (schema `retrorun.plan/1`, shared/contracts/plan.schema.json).

Pure: a Plan in, plain JSON-ready dicts out, keys in a fixed order so the same plan
always prints byte-identical JSON; and back (`plan_from_document`), for plans stored as
the document the athlete was shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from retrorun.domain.evidence import SOURCES
from retrorun.domain.model import (
    OPEN_TARGET,
    Direction,
    Gait,
    Intensity,
    Plan,
    Repeat,
    Session,
    SessionKind,
    Step,
    StepKind,
    StepOrRepeat,
    Surface,
    Target,
    TargetType,
    TargetUnit,
    Week,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

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
    if step.optional:
        doc["optional"] = True
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
        "cues": list(session.cues),
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


# The document prints full citations; the domain's sessions carry source ids.
_SOURCE_BY_CITATION = {source.citation: source.id for source in SOURCES.values()}


def plan_from_document(doc: Mapping[str, Any]) -> Plan:
    """The Plan a document describes: the inverse of `plan_document`."""
    return Plan(
        program=str(doc["program"]),
        program_version=str(doc.get("program_version", "")),
        start_date=dt.date.fromisoformat(doc["start_date"]),
        weeks=tuple(_week_from(w) for w in doc["weeks"]),
        athlete=dict(doc.get("athlete", {})),
        notices=tuple(doc.get("notices", ())),
    )


def _week_from(w: Mapping[str, Any]) -> Week:
    return Week(
        index=int(w["index"]),
        stage=Gait(w["stage"]),
        lighter=bool(w.get("lighter", False)),
        sessions=tuple(_session_from(s) for s in w["sessions"]),
        advance_when=str(w.get("advance_when", "")),
    )


def _session_from(s: Mapping[str, Any]) -> Session:
    return Session(
        id=str(s["id"]),
        date=dt.date.fromisoformat(s["date"]),
        kind=SessionKind(s["kind"]),
        title=str(s.get("title", "")),
        surface=Surface(s["surface"]),
        steps=tuple(_step_from(x) for x in s.get("steps", ())),
        why=str(s.get("why", "")),
        # A citation no longer in the registry is kept as text rather than dropped.
        evidence=tuple(_SOURCE_BY_CITATION.get(c, c) for c in s.get("evidence", ())),
        cues=tuple(s.get("cues", ())),
    )


def _step_from(x: Mapping[str, Any]) -> StepOrRepeat:
    if x["kind"] == "repeat":
        inner: list[Step] = []
        for child in x.get("steps", ()):
            step = _step_from(child)
            if isinstance(step, Repeat):  # the schema allows it; the domain does not
                raise ValueError("nested repeats are not supported")
            inner.append(step)
        return Repeat(count=int(x["count"]), steps=tuple(inner))
    return Step(
        kind=StepKind(x["kind"]),
        seconds=int(x.get("seconds") or 0),
        direction=Direction(x.get("direction", "forward")),
        gait=Gait(x.get("gait", "run")),
        intensity=Intensity(x.get("intensity", "easy")),
        meters=x.get("meters"),
        target=_target_from(x.get("target")),
        name=str(x.get("name", "")),
        cue=str(x.get("cue", "")),
        optional=bool(x.get("optional", False)),
    )


def _target_from(t: Mapping[str, Any] | None) -> Target:
    if not t:
        return OPEN_TARGET
    unit = t.get("unit")
    return Target(
        type=TargetType(t.get("type", "open")),
        low=t.get("low"),
        high=t.get("high"),
        unit=TargetUnit(unit) if unit else None,
    )
