"""Plans: preview without an account, create or replace, read the plan and a session.

A plan is stored as the profile JSON, the limits it honours and the generated document;
the engine is deterministic, so a plan can always be regenerated from its inputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retrorun.domain.errors import (
    InvalidProfile,
    InvariantViolated,
    UnknownProgram,
    UnsafeSurface,
)
from retrorun.domain.logbook import By
from retrorun.domain.profile import parse_profile
from retrorun.formats.plan_view import plan_units
from retrorun.services import _access, _document, _validate, adapting
from retrorun.services._today import athlete_today
from retrorun.services.errors import Conflict, InvalidInput, NotFound
from retrorun.services.records import (
    NO_LIMITS,
    CoachLimits,
    PlanRecord,
    PlanState,
    VersionKind,
)
from retrorun.services.views import LogView, PlanPreview, PlanView, SessionView, WeekSummary

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from retrorun.domain.model import Plan
    from retrorun.services.ports import Clock, Planner, UnitOfWork


def preview_plan(
    *, profile_data: Mapping[str, Any], planner: Planner, limits: CoachLimits = NO_LIMITS
) -> PlanPreview:
    """The free plan: generated from the profile, nothing stored, no account needed."""
    plan = _build(profile_data, limits, planner)
    return PlanPreview(plan=plan, document=planner.document(plan))


def create_plan(
    uow: UnitOfWork,
    *,
    user_id: str,
    profile_data: Mapping[str, Any],
    planner: Planner,
    clock: Clock,
    calendar_key: str | None = None,
    replace: bool = False,
) -> PlanView:
    """Create the athlete's plan, or (with `replace`) start a new one over the kept one.

    A new plan over a kept one gets a new id; the old plan is kept, read only, with its
    versions and the logs that point at it, in the athlete's history
    (`services.history`). Without `replace` that raises Conflict("plan"): the shells ask
    the athlete first.

    `calendar_key` is the key the free preview's downloads carried (the web keeps it in
    the browser session): a new plan takes it, so its calendar, feed and watch workouts
    update what the free downloads added instead of adding a second copy. A replaced
    plan keeps its own key, or its id when it has none: a calendar that holds its events
    never sees new UIDs. The view's `plan_key` is the key the plan's exports use.

    InvalidInput names the profile field (or `calendar_key`) at fault; the old plan stays
    untouched then (the profile is checked before the Conflict, so the athlete confirms
    a plan that can be made).
    """
    key = _validate.calendar_key(calendar_key, "calendar_key")
    with uow:
        athlete = _access.acting_user(uow, user_id)
        kept = uow.plans.for_athlete(athlete.id, with_document=False) is not None
        limits = _access.effective_limits(uow, athlete.id)
        document = planner.document(_build(profile_data, limits, planner))
        if kept and not replace:
            raise Conflict("plan", REPLACE_FIRST)
        uow.plans.save(athlete_id=athlete.id, profile=dict(profile_data), limits=limits,
                       document=document, at=clock.now(), calendar_key=key, new_plan=kept)
        uow.commit()
        current = _document.current_plan(uow, athlete.id)
        assert current is not None  # noqa: S101  (saved above)
        return _view(uow, *current, owned=True)


REPLACE_FIRST = ("you already have a plan; starting a new one keeps the old one in your "
                 "history — confirm to replace it")


def get_plan(uow: UnitOfWork, *, user_id: str, athlete_id: str | None = None) -> PlanView:
    """The user's own plan, or (for a coach) the plan of an athlete who invited them."""
    with uow.read_only():
        athlete, owned = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what="plan")
        current = _document.current_plan(uow, athlete)
        if current is None:
            raise NotFound("plan")
        return _view(uow, *current, owned=owned)


def plan_state(uow: UnitOfWork, *, user_id: str) -> PlanState | None:
    """What the user's own plan page depends on, in one small read: a cache key.

    Any write the page shows changes it (see `PlanState`); None when there is no plan
    (or no such user). Only the user's own plan: a coach's view is not keyed here.
    """
    with uow.read_only():
        return uow.plans.state(user_id)


def today_of(uow: UnitOfWork, *, athlete_id: str, clock: Clock) -> dt.date:
    """The athlete's today, in the time zone their plan's days are in (their calendar's
    zone; UTC when they chose none): the day a plan page opens at and marks."""
    with uow.read_only():
        return athlete_today(uow, athlete_id, clock)


def athlete_of_plan(uow: UnitOfWork, *, plan_id: str) -> str:
    """The athlete a stored plan belongs to. For local operator tools (the CLI), which
    already hold the database; the web never calls it."""
    with uow:
        record = uow.plans.get(plan_id)
    if record is None:
        raise NotFound(f"plan {plan_id!r}")
    return record.athlete_id


def get_session(
    uow: UnitOfWork, *, user_id: str, session_id: str, athlete_id: str | None = None
) -> SessionView:
    """One session of the user's (or an invited coach's athlete's) current plan."""
    with uow.read_only():
        athlete, owned = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what="session")
        current = _document.current_plan(uow, athlete)
        if current is None:
            raise NotFound("session")
        record, plan = current
        for week in plan.weeks:
            for session in week.sessions:
                if session.id == session_id:
                    log = uow.logs.find(athlete, session.id, session.date)
                    return SessionView(
                        plan_id=record.id, athlete_id=athlete,
                        week=WeekSummary(week.index, week.stage, week.lighter),
                        session=session, log=LogView.of(log) if log else None, can_log=owned,
                        units=plan_units(plan))
        raise NotFound("session")


def regenerate(uow: UnitOfWork, *, athlete_id: str, planner: Planner, clock: Clock,
               reason: str) -> None:
    """Rebuild the athlete's plan under the current limits from the first day not yet
    begun: a new version that says why; days already begun keep their sessions.

    Called inside another use case's transaction (coach limits changed or revoked). When
    no version that keeps every rule can start today (rare), the whole plan is rebuilt,
    as before versions existed.
    """
    record = uow.plans.for_athlete(athlete_id, with_document=False)
    if record is None:
        return
    limits = _access.effective_limits(uow, athlete_id)
    if not adapting.rebuild_for(uow, athlete_id=athlete_id, limits=limits, clock=clock,
                                rule="limits-changed", reason=reason, by=By.COACH):
        plan = _build(record.profile, limits, planner)
        uow.plans.save(athlete_id=athlete_id, profile=dict(record.profile), limits=limits,
                       document=planner.document(plan), at=clock.now(),
                       kind=VersionKind.LIMITS)


def _build(profile_data: Mapping[str, Any], limits: CoachLimits, planner: Planner) -> Plan:
    try:
        profile = parse_profile(profile_data)
        plan = planner.build(profile, limits)
    except InvalidProfile as error:
        raise InvalidInput(error.field, error.problem) from error
    except UnknownProgram as error:
        raise InvalidInput("program", str(error)) from error
    except UnsafeSurface as error:
        raise InvalidInput("surfaces", str(error)) from error
    _check_limits(plan, limits)
    return plan


def _check_limits(plan: Plan, limits: CoachLimits) -> None:
    """A coach's cap is a promise to the athlete: never store a plan that breaks it."""
    cap = limits.max_backward_minutes_per_week
    if cap is None:
        return
    for week in plan.weeks:
        if week.backward_seconds > cap * 60:
            raise InvariantViolated(
                f"the plan engine ignored a coach limit: week {week.index} has "
                f"{week.backward_seconds / 60:g} backward minutes, the limit is {cap}")


def _view(uow: UnitOfWork, record: PlanRecord, plan: Plan, *, owned: bool) -> PlanView:
    sessions = plan.sessions
    dated = {(s.id, s.date) for s in sessions}
    # Only the plan's date range: an athlete's older logs do not slow down their calendar.
    span = (min(s.date for s in sessions), max(s.date for s in sessions)) if sessions else None
    logs = {log.session_id: LogView.of(log)
            for log in uow.logs.for_athlete(record.athlete_id, between=span)
            if (log.session_id, log.session_date) in dated} if span else {}
    # The contract's version and changes (1 and none for a plan never adapted).
    document = {**record.document, "version": adapting.current_version(record),
                "changes": list(record.document.get("changes", ()))}
    return PlanView(
        id=record.id, athlete_id=record.athlete_id, version=record.version, plan=plan,
        document=document, profile=record.profile, limits=record.limits,
        created_at=record.created_at, updated_at=record.updated_at, plan_key=record.plan_key,
        owned=owned, logs=logs)
