"""Read a stored retrorun.plan/1 document back into the domain's Plan.

Plans are stored as the document the athlete was shown (not regenerated on read), so the
calendar shows exactly what was generated even after the engine changes. Parsed plans
are cached with their documents by (plan id, version): a version never changes once
written, and a replaced plan gets a new version.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import replace
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

    from retrorun.services.ports import UnitOfWork
    from retrorun.services.records import PlanRecord

_CACHE_SIZE = 256
# The document prints full citations; the domain's sessions carry source ids.
_SOURCE_BY_CITATION = {source.citation: source.id for source in SOURCES.values()}
_cache: OrderedDict[tuple[str, int], tuple[Plan, Mapping[str, Any]]] = OrderedDict()
_lock = threading.Lock()


def current_plan(uow: UnitOfWork, athlete_id: str) -> tuple[PlanRecord, Plan] | None:
    """The athlete's plan record and typed plan; the document is read only on a miss.

    The stored document is ~80 kB of JSON; decoding it was a third of a plan read.
    """
    header = uow.plans.for_athlete(athlete_id, with_document=False)
    if header is None:
        return None
    key = (header.id, header.version)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is not None:
        plan, document = hit
        return replace(header, document=document), plan
    # Read the whole row again rather than only the document: its version is then the
    # version of the document even if the plan was replaced in between.
    record = uow.plans.for_athlete(athlete_id)
    if record is None:
        return None
    plan = plan_from_document(record.document)
    with _lock:
        _cache[(record.id, record.version)] = (plan, record.document)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return record, plan


def plan_from_document(doc: Mapping[str, Any]) -> Plan:
    return Plan(
        program=str(doc["program"]),
        program_version=str(doc.get("program_version", "")),
        start_date=dt.date.fromisoformat(doc["start_date"]),
        weeks=tuple(_week(w) for w in doc["weeks"]),
        athlete=dict(doc.get("athlete", {})),
        notices=tuple(doc.get("notices", ())),
    )


def _week(w: Mapping[str, Any]) -> Week:
    return Week(
        index=int(w["index"]),
        stage=Gait(w["stage"]),
        lighter=bool(w.get("lighter", False)),
        sessions=tuple(_session(s) for s in w["sessions"]),
        advance_when=str(w.get("advance_when", "")),
    )


def _session(s: Mapping[str, Any]) -> Session:
    return Session(
        id=str(s["id"]),
        date=dt.date.fromisoformat(s["date"]),
        kind=SessionKind(s["kind"]),
        title=str(s.get("title", "")),
        surface=Surface(s["surface"]),
        steps=tuple(_step(x) for x in s.get("steps", ())),
        why=str(s.get("why", "")),
        # A citation no longer in the registry is kept as text rather than dropped.
        evidence=tuple(_SOURCE_BY_CITATION.get(c, c) for c in s.get("evidence", ())),
        cues=tuple(s.get("cues", ())),
    )


def _step(x: Mapping[str, Any]) -> StepOrRepeat:
    if x["kind"] == "repeat":
        inner: list[Step] = []
        for child in x.get("steps", ()):
            step = _step(child)
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
        target=_target(x.get("target")),
        name=str(x.get("name", "")),
        cue=str(x.get("cue", "")),
    )


def _target(t: Mapping[str, Any] | None) -> Target:
    if not t:
        return OPEN_TARGET
    unit = t.get("unit")
    return Target(
        type=TargetType(t.get("type", "open")),
        low=t.get("low"),
        high=t.get("high"),
        unit=TargetUnit(unit) if unit else None,
    )
