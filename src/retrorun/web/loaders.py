"""One service call each, turned into the view model its page and JSON twin share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from retrorun.domain.model import Plan, Session
from retrorun.domain.profile import Units
from retrorun.formats.plan_view import (
    Exercise,
    SessionCard,
    core_exercises,
    plan_units,
    session_card,
)
from retrorun.services import coaching, logs, plans
from retrorun.services.errors import NotFound
from retrorun.services.records import CoachLimits, GrantStatus
from retrorun.services.views import LogInput
from retrorun.web.views import (
    CalendarView,
    LogModel,
    LogSummary,
    RevisionModel,
    SessionView,
    calendar_view,
    preview_session_view,
    session_view,
)

if TYPE_CHECKING:
    from fastapi import Request

    from retrorun.services.views import AthleteView, GrantView, LogView
    from retrorun.services.views import SessionView as StoredSession
    from retrorun.web.deps import Services


class LimitsModel(BaseModel):
    max_backward_minutes_per_week: int | None = None
    pain_threshold: int | None = None


class PlanPage(BaseModel):
    """The plan calendar page: the calendar, the limits it honours, the plan document."""

    athlete_id: str
    version: int
    owned: bool
    limits: LimitsModel
    calendar: CalendarView
    document: dict[str, Any]


def limits_model(limits: CoachLimits) -> LimitsModel:
    return LimitsModel(**limits.as_json())


def log_model(log: LogView) -> LogModel:
    return LogModel.model_validate(log)


def today(ctx: Services) -> dt.date:
    return ctx.clock.now().date()


def plan_page(ctx: Services, *, user_id: str, athlete_id: str | None = None,
              title: str = "") -> PlanPage:
    view = plans.get_plan(ctx.uow(), user_id=user_id, athlete_id=athlete_id)
    summaries = {sid: LogSummary(status=log.status, forward_minutes=log.forward_minutes,
                                 backward_minutes=log.backward_minutes, rpe=log.rpe)
                 for sid, log in view.logs.items()}
    # The athlete's day, not the server's: the Today card and the opened week follow the
    # time zone their calendar uses.
    day = plans.today_of(ctx.uow(), athlete_id=view.athlete_id, clock=ctx.clock)
    calendar = calendar_view(view.plan, today=day, plan_id=view.id,
                             version=view.version, title=title or "Your plan", logs=summaries)
    return PlanPage(athlete_id=view.athlete_id, version=view.version, owned=view.owned,
                    limits=limits_model(view.limits), calendar=calendar,
                    document=dict(view.document))


class PreviewModel(BaseModel):
    """A plan built from a profile, not stored: the calendar and the plan document."""

    calendar: CalendarView
    document: dict[str, Any]


PREVIEW_TITLE = "Your free plan (preview)"


def preview_page(ctx: Services, profile: Mapping[str, Any]) -> PreviewModel:
    result = plans.preview_plan(profile_data=profile, planner=ctx.planner)
    return PreviewModel(calendar=calendar_view(result.plan, today=today(ctx),
                                               title=PREVIEW_TITLE),
                        document=dict(result.document))


def _preview_session(ctx: Services, profile: Mapping[str, Any],
                     session_id: str) -> tuple[Plan, Session]:
    plan = plans.preview_plan(profile_data=profile, planner=ctx.planner).plan
    session = plan.session(session_id)
    if session is None:
        raise NotFound("session")
    return plan, session


def preview_session(ctx: Services, profile: Mapping[str, Any], session_id: str) -> SessionView:
    return preview_session_view(*_preview_session(ctx, profile, session_id))


class SessionPage(BaseModel):
    athlete_id: str
    can_log: bool
    session: SessionView


def session_page(ctx: Services, *, user_id: str, session_id: str,
                 athlete_id: str | None = None) -> SessionPage:
    view = plans.get_session(ctx.uow(), user_id=user_id, session_id=session_id,
                             athlete_id=athlete_id)
    return _session_page(ctx, view, user_id=user_id)


def _session_page(ctx: Services, view: StoredSession, *, user_id: str) -> SessionPage:
    log = log_model(view.log) if view.log else None
    history = []
    if view.log is not None:
        history = [RevisionModel.model_validate(r) for r in
                   logs.log_history(ctx.uow(), user_id=user_id, log_id=view.log.id)]
    session = session_view(view.session, week=view.week.index, stage=view.week.stage.value,
                           units=view.units, plan_id=view.plan_id, log=log, history=history)
    return SessionPage(athlete_id=view.athlete_id, can_log=view.can_log, session=session)


@dataclass(frozen=True, slots=True)
class SessionScreen:
    """The session page's HTML: its JSON twin's page, plus the card the PDF prints for the
    same session (`formats/templates/plan/card.html` shows both) and, for a core or
    strength session, how to do each exercise (the PDF's core routine, for this session).
    """

    page: SessionPage
    card: SessionCard
    exercises: tuple[Exercise, ...]


def _screen(page: SessionPage, session: Session, units: Units) -> SessionScreen:
    return SessionScreen(page, session_card(session, page.session.week, units),
                         core_exercises((session,), units))


def session_screen(ctx: Services, *, user_id: str, session_id: str,
                   athlete_id: str | None = None) -> SessionScreen:
    view = plans.get_session(ctx.uow(), user_id=user_id, session_id=session_id,
                             athlete_id=athlete_id)
    return _screen(_session_page(ctx, view, user_id=user_id), view.session, view.units)


def preview_session_screen(ctx: Services, profile: Mapping[str, Any],
                           session_id: str) -> SessionScreen:
    plan, session = _preview_session(ctx, profile, session_id)
    page = SessionPage(athlete_id="", can_log=False, session=preview_session_view(plan, session))
    return _screen(page, session, plan_units(plan))


@dataclass(frozen=True, slots=True)
class PlanToPrint:
    """A plan for the printable page and the safety page, and the date its cover shows
    (when the plan was last made: the PDF download prints the same)."""

    plan: Plan
    made_on: dt.date


def stored_plan(ctx: Services, *, user_id: str, athlete_id: str | None = None) -> PlanToPrint:
    view = plans.get_plan(ctx.uow(), user_id=user_id, athlete_id=athlete_id)
    return PlanToPrint(view.plan, view.updated_at.date())


def previewed_plan(ctx: Services, profile: Mapping[str, Any],
                   made_on: dt.date | None = None) -> PlanToPrint:
    """The free plan; `made_on` is the date its downloads print (default: today)."""
    return PlanToPrint(plans.preview_plan(profile_data=profile, planner=ctx.planner).plan,
                       made_on or today(ctx))


def save_log(ctx: Services, *, user_id: str, session_id: str, entry: LogInput) -> LogModel:
    """Log the session, or revise its log when it already has one (history is kept)."""
    current = plans.get_session(ctx.uow(), user_id=user_id, session_id=session_id)
    if current.log is None:
        saved = logs.log_session(ctx.uow(), user_id=user_id, session_id=session_id,
                                 entry=entry, clock=ctx.clock)
    else:
        saved = logs.edit_log(ctx.uow(), user_id=user_id, log_id=current.log.id, entry=entry,
                              clock=ctx.clock)
    return log_model(saved)


class CoachModel(BaseModel):
    """A coach the athlete invited."""

    id: str
    coach_email: str
    # Never whether the address has an account (issue 11): only what the coach answered.
    status: GrantStatus
    created_at: dt.datetime
    limits: LimitsModel


class CoachesPage(BaseModel):
    coaches: list[CoachModel]


def _coach(grant: GrantView) -> CoachModel:
    return CoachModel(id=grant.id, coach_email=grant.coach_email,
                      status=grant.status,
                      created_at=grant.created_at, limits=limits_model(grant.limits))


def coaches_page(ctx: Services, *, user_id: str) -> CoachesPage:
    return CoachesPage(coaches=[_coach(g) for g in
                                coaching.list_coaches(ctx.uow(), user_id=user_id)])


def invite(ctx: Services, request: Request, *, user_id: str, coach_email: str) -> CoachModel:
    link = request.app.state.settings.public_url + "/invitations"
    return _coach(coaching.invite_coach(ctx.uow(), user_id=user_id, coach_email=coach_email,
                                        clock=ctx.clock, mailer=ctx.mailer, link=link))


class AthleteModel(BaseModel):
    """An athlete who invited this coach."""

    athlete_id: str
    email: str
    granted_at: dt.datetime
    limits: LimitsModel
    has_plan: bool


class AthletesPage(BaseModel):
    athletes: list[AthleteModel]


def athlete_model(view: AthleteView) -> AthleteModel:
    return AthleteModel(athlete_id=view.athlete_id, email=view.email,
                        granted_at=view.granted_at, limits=limits_model(view.limits),
                        has_plan=view.has_plan)


def athletes_page(ctx: Services, *, user_id: str) -> AthletesPage:
    return AthletesPage(athletes=[athlete_model(a) for a in
                                  coaching.list_athletes(ctx.uow(), user_id=user_id)])


class AthletePage(BaseModel):
    """What a coach sees of one athlete: their plan (if any), limits and logs."""

    athlete: AthleteModel
    plan: PlanPage | None
    logs: list[LogModel]


def athlete_page(ctx: Services, *, user_id: str, athlete_id: str) -> AthletePage:
    found = [a for a in coaching.list_athletes(ctx.uow(), user_id=user_id)
             if a.athlete_id == athlete_id]
    if not found:
        raise NotFound("athlete")
    athlete = athlete_model(found[0])
    plan = None
    if athlete.has_plan:
        plan = plan_page(ctx, user_id=user_id, athlete_id=athlete_id,
                         title=f"{athlete.email}'s plan")
    history = logs.list_logs(ctx.uow(), user_id=user_id, athlete_id=athlete_id)
    return AthletePage(athlete=athlete, plan=plan, logs=[log_model(x) for x in history])
