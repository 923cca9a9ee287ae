"""The plan history: every version of every plan an athlete kept, read only, with its logs.

Each save of a plan is a version (`PlanRepo.save` records it); a new plan started over a
kept one is a new plan (a new id), and the old one stays here. A log belongs to the plan
it was logged on (its `plan_id`), so a version shows the logs of its plan whose session
and date are sessions of that version: the logs of a replaced plan stay with the plan
they logged instead of being lost under dates the new plan does not have.

Access is the plan's: the athlete, or a coach the athlete invited. Anything else, and
ids that cannot exist (a version below 1 or beyond the database's integers, an id of
the wrong shape), is NotFound: no input becomes a server error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrorun.domain.document import plan_from_document
from retrorun.services import _access
from retrorun.services.errors import NotFound
from retrorun.services.records import VersionKind
from retrorun.services.views import LogView

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from retrorun.domain.model import Plan
    from retrorun.services.ports import UnitOfWork
    from retrorun.services.records import CoachLimits, JSONObject, LogRecord, PlanVersionRecord

# The largest version a plan can have: the column is a 32-bit integer on PostgreSQL, so
# a larger number is refused here rather than overflowing in the database.
MAX_VERSION = 2**31 - 1
# Ids are uuid4 hex (32 characters); older or test data may use shorter ones. Anything
# else (longer, or with characters a URL should not carry) cannot be an id.
_ID = re.compile(r"[0-9A-Za-z_-]{1,32}")
WHAT = "plan version"


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """One version as the history lists it.

    `version` is the plan's save counter (what the URLs carry); `plan_version` the
    document's contract version (1 when kept, +1 per applied change). `changes` are the
    changes this version made (document "changes" of this version), `undone` those
    of earlier versions it lifted or undid. `current`: the athlete's plan as it is now.
    """

    plan_id: str
    version: int
    plan_version: int
    kind: VersionKind
    created_at: dt.datetime
    current: bool
    program: str
    start_date: dt.date | None
    end_date: dt.date | None
    changes: tuple[Mapping[str, Any], ...]
    undone: tuple[Mapping[str, Any], ...]
    sessions_logged: int


@dataclass(frozen=True, slots=True)
class HistoryView:
    """An athlete's plan versions, newest first."""

    athlete_id: str
    owned: bool
    versions: tuple[VersionSummary, ...]


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version, read only: its plan and document as saved, and its logs.

    `logs` maps session id -> the log of this plan on that session and date;
    `other_logs` are the logs of the same plan on no session of this version (a log
    kept from before versions were saved, whose session only an overwritten version
    had): shown, never lost.
    """

    summary: VersionSummary
    athlete_id: str
    owned: bool
    plan: Plan
    document: JSONObject
    profile: JSONObject
    limits: CoachLimits
    logs: Mapping[str, LogView] = field(default_factory=dict)
    other_logs: tuple[LogView, ...] = ()


def list_versions(uow: UnitOfWork, user_id: str, athlete_id: str | None = None
                  ) -> HistoryView:
    """Every version of the athlete's plans, newest first (the user's own, or a coach's
    invited athlete's)."""
    _check_id(athlete_id)
    with uow.read_only():
        athlete, owned = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what="plan history")
        records = uow.plans.versions(athlete)
        logs = uow.logs.for_athlete(athlete)
    # Saves are in time order: the newest version is the current plan as it is now.
    latest = records[-1].id if records else None
    by_plan = _by_plan(logs)
    summaries = tuple(_summary(r, r.id == latest, by_plan.get(r.plan_id, ()))
                      for r in reversed(records))
    return HistoryView(athlete_id=athlete, owned=owned, versions=summaries)


def get_version(uow: UnitOfWork, user_id: str, plan_id: str, version: int,
                athlete_id: str | None = None) -> VersionView:
    """One version of one of the athlete's plans, with the logs of its sessions."""
    _check_id(athlete_id)
    if not _ID.fullmatch(plan_id) or not 1 <= version <= MAX_VERSION:
        raise NotFound(WHAT)
    with uow.read_only():
        athlete, owned = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what=WHAT)
        record = uow.plans.version(plan_id, version)
        if record is None or record.athlete_id != athlete:
            raise NotFound(WHAT)
        current = uow.plans.for_athlete(athlete, with_document=False)
        logs = [log for log in uow.logs.for_athlete(athlete) if log.plan_id == plan_id]
    is_current = current is not None and (current.id, current.version) == (
        record.plan_id, record.version)
    summary = _summary(record, is_current, logs)
    dated = _sessions(record.document)
    return VersionView(
        summary=summary, athlete_id=athlete, owned=owned,
        plan=plan_from_document(record.document), document=_contract(record),
        profile=record.profile, limits=record.limits,
        logs={log.session_id: LogView.of(log) for log in logs
              if (log.session_id, log.session_date) in dated},
        other_logs=tuple(LogView.of(log) for log in logs
                         if (log.session_id, log.session_date) not in dated))


def _check_id(athlete_id: str | None) -> None:
    if athlete_id is not None and not _ID.fullmatch(athlete_id):
        raise NotFound(WHAT)


def _by_plan(logs: Iterable[LogRecord]) -> dict[str, list[LogRecord]]:
    grouped: dict[str, list[LogRecord]] = {}
    for log in logs:
        if log.plan_id is not None:
            grouped.setdefault(log.plan_id, []).append(log)
    return grouped


def _sessions(document: Mapping[str, Any]) -> set[tuple[str, dt.date]]:
    """(session id, date) of every session the document plans, read from the JSON."""
    return {(str(s["id"]), dt.date.fromisoformat(s["date"]))
            for week in document.get("weeks", ()) for s in week.get("sessions", ())}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _contract(record: PlanVersionRecord) -> dict[str, Any]:
    """The document with the contract's version and changes (as the plan JSON has)."""
    return {**record.document, "version": _plan_version(record),
            "changes": list(record.document.get("changes", ()))}


def _plan_version(record: PlanVersionRecord) -> int:
    return int(record.document.get("version", 1)) if record.document else 1


def _summary(record: PlanVersionRecord, current: bool,
             logs: Iterable[LogRecord]) -> VersionSummary:
    document = record.document
    number = _plan_version(record)
    made = record.kind in (VersionKind.ADAPTED, VersionKind.LIMITS)
    changes = [c for c in document.get("changes", ()) if isinstance(c, dict)]
    dated = _sessions(document)
    dates = sorted(d for _, d in dated)
    start = _date(document.get("start_date")) or (dates[0] if dates else None)
    return VersionSummary(
        plan_id=record.plan_id, version=record.version, plan_version=number,
        kind=record.kind, created_at=record.created_at, current=current,
        program=str(document.get("program", "")),
        start_date=start, end_date=dates[-1] if dates else start,
        changes=tuple(c for c in changes if made and c["version"] == number),
        undone=tuple(c for c in changes if made and c.get("undone_by") == number),
        sessions_logged=sum(1 for log in logs
                            if (log.session_id, log.session_date) in dated))
