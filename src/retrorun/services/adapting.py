"""Adaptation as a use case: after every log change, the plan reacts (DESIGN §4).

`refresh` runs the domain's pure adaptation (`domain.adaptation.decide`) over the
athlete's current plan version and logs and, when it decides anything, stores the next
plan version (`domain.revision.revise`) from the first day not yet begun. It runs inside
the caller's unit of work, before its commit, so a log and the version it causes are
written together or not at all. `catch_up` is for readers (the plan page, the CLI): time
off is a decision that no log triggers, so it is taken when the athlete next looks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from retrorun.domain import holds
from retrorun.domain.adaptation import Inputs, decide
from retrorun.domain.catalogue import get_program
from retrorun.domain.context import Limits
from retrorun.domain.document import plan_document
from retrorun.domain.logbook import By, Change, Event, SessionLog
from retrorun.domain.profile import WEEKDAYS, parse_profile
from retrorun.domain.revision import Revision, revise
from retrorun.domain.undo import rebuilt, without
from retrorun.services import _document
from retrorun.services._today import athlete_today

if TYPE_CHECKING:
    import datetime as dt

    from retrorun.domain.model import Gait, Plan
    from retrorun.services.ports import Clock, UnitOfWork
    from retrorun.services.records import CoachLimits, LogRecord, PlanRecord


def refresh(uow: UnitOfWork, *, athlete_id: str, clock: Clock,
            judge_time_off: bool = False) -> bool:
    """Apply what the athlete's logs call for to their current plan; True if it changed."""
    current = _document.current_plan(uow, athlete_id)
    if current is None:
        return False
    released = _release_holds(uow, athlete_id, clock)
    if released:
        current = _document.current_plan(uow, athlete_id)
        assert current is not None  # noqa: S101  (a version was just stored)
    record, plan = current
    today = athlete_today(uow, athlete_id, clock)
    logs = domain_logs(uow.logs.for_athlete(athlete_id))
    changes = changes_of(record.document)
    profile = parse_profile(record.profile)
    decisions = decide(Inputs(
        plan, logs, today, changes, record.limits.pain_threshold,
        frozenset(WEEKDAYS.index(d) for d in profile.available_days),
        tracked_since=record.created_at.date(), judge_time_off=judge_time_off,
        stage_tests=stage_tests(plan)))
    if not decisions:
        return released
    revision = revise(profile, domain_limits(record.limits), plan, decisions, changes, logs,
                      today, current_version(record))
    if revision is None:
        return released
    store(uow, record, revision, clock.now())
    return True


def stage_tests(plan: Plan) -> dict[Gait, tuple[int, int]]:
    """(sessions needed, backward seconds each) of the plan's program's stage tests."""
    return {d.stage: (d.test_sessions, d.test_seconds)
            for d in get_program(plan.program).stages}


def _release_holds(uow: UnitOfWork, athlete_id: str, clock: Clock) -> bool:
    """Undo each hold whose stage test the logs now meet (`domain.holds`); True if any."""
    current = _document.current_plan(uow, athlete_id)
    if current is None:
        return False
    record, plan = current
    found = holds.released(plan, domain_logs(uow.logs.for_athlete(athlete_id)),
                           changes_of(record.document), athlete_today(uow, athlete_id, clock),
                           stage_tests(plan))
    made = False
    for release in found:
        made |= without_changes(
            uow, athlete_id=athlete_id, clock=clock, rule=holds.RELEASE_RULE,
            targets=frozenset({(release.hold.version, release.hold.rule)}),
            reason=release.reason, by=By.RULES, evidence=holds.EVIDENCE) is not None
    return made


def catch_up(uow: UnitOfWork, *, athlete_id: str, clock: Clock) -> bool:
    """`refresh` in a transaction of its own (for readers); True if a version was made."""
    with uow:
        changed = refresh(uow, athlete_id=athlete_id, clock=clock, judge_time_off=True)
        if changed:
            uow.commit()
    return changed


def store(uow: UnitOfWork, record: PlanRecord, revision: Revision, at: dt.datetime) -> None:
    document = versioned_document(revision.plan, revision.changes)
    uow.plans.save(athlete_id=record.athlete_id, profile=record.profile,
                   limits=record.limits, document=document, at=at)


def versioned_document(plan: Plan, changes: tuple[Change, ...]) -> dict[str, Any]:
    document = plan_document(plan)
    document["version"] = max((c.version for c in changes), default=1)
    document["changes"] = [c.as_json() for c in changes]
    return document


def current_version(record: PlanRecord) -> int:
    """The plan's version in the contract's sense: 1 when kept, +1 per applied change."""
    return int(record.document.get("version", 1)) if record.document else 1


def changes_of(document: Any) -> tuple[Change, ...]:
    return tuple(Change.from_json(c) for c in (document or {}).get("changes", ()))


def domain_limits(limits: CoachLimits) -> Limits:
    return Limits(limits.max_backward_minutes_per_week, limits.pain_threshold)


def domain_logs(records: Any) -> tuple[SessionLog, ...]:
    return tuple(_domain_log(r) for r in records)


def _domain_log(record: LogRecord) -> SessionLog:
    entry = record.entry
    return SessionLog(
        session_id=record.session_id, date=record.session_date, status=entry.status.value,
        forward_seconds=entry.forward_seconds, backward_seconds=entry.backward_seconds,
        rpe=entry.rpe, pain_during=entry.pain_during,
        pain_next_morning=entry.pain_next_morning,
        events=frozenset(Event(e.value) for e in entry.events))


__all__ = ["By", "catch_up", "changes_of", "refresh", "without_changes"]


def rebuild_for(uow: UnitOfWork, *, athlete_id: str, limits: CoachLimits, clock: Clock,
                rule: str, reason: str, by: By, lift: str = "") -> bool:
    """A person's change from the open day on: new coach limits, or a lifted pause (`lift`:
    the rule of the change it lifts). Days already begun keep their sessions."""
    current = _document.current_plan(uow, athlete_id)
    if current is None:
        return False
    record, plan = current
    today = athlete_today(uow, athlete_id, clock)
    logs = domain_logs(uow.logs.for_athlete(athlete_id))
    version = current_version(record)
    changes = tuple(replace(c, undone_by=version + 1) if lift and c.rule == lift
                    and c.undone_by is None else c for c in changes_of(record.document))
    # `rebuilt`: the changes still in force shape the rebuilt weeks again.
    revision = rebuilt(parse_profile(record.profile), domain_limits(limits), plan, changes,
                       logs, today, version, rule=rule, reason=reason, by=by,
                       trigger=clock.now().isoformat())
    if revision is None:
        return False
    uow.plans.save(athlete_id=athlete_id, profile=record.profile, limits=limits,
                   document=versioned_document(revision.plan, revision.changes),
                   at=clock.now())
    return True


def without_changes(uow: UnitOfWork, *, athlete_id: str, targets: frozenset[tuple[int, str]],
                    clock: Clock, rule: str, reason: str, by: By,
                    evidence: str = "") -> Change | None:
    """Undo or lift the changes `targets` ((version, rule) pairs): a new version from the
    open day where they no longer apply (`domain.undo.without`), recorded as a change of
    `rule` by `by`. None when no plan or no version that keeps every invariant."""
    current = _document.current_plan(uow, athlete_id)
    if current is None:
        return None
    record, plan = current
    revision = without(parse_profile(record.profile), domain_limits(record.limits), plan,
                       changes_of(record.document), targets,
                       domain_logs(uow.logs.for_athlete(athlete_id)),
                       athlete_today(uow, athlete_id, clock), current_version(record),
                       rule=rule, reason=reason, by=by, evidence=evidence)
    if revision is None:
        return None
    store(uow, record, revision, clock.now())
    return revision.changes[-1]
