"""The JSON API under /api/v1: the twins of the pages, from the same view models."""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema, field_validator

from retrorun.services import coaching, logs, plans
from retrorun.services.errors import NotFound
from retrorun.services.views import LogInput
from retrorun.web import loaders
from retrorun.web.deps import Ctx, User, signed_in_user
from retrorun.web.errors import ERROR_RESPONSES, ErrorResponse
from retrorun.web.loaders import (
    AthleteModel,
    AthletePage,
    AthletesPage,
    CoachesPage,
    CoachModel,
    PlanPage,
    PreviewModel,
    SessionPage,
)
from retrorun.web.plan_cache import PlanResponses
from retrorun.web.routes.pages import pending_profile
from retrorun.web.views import (
    LandingView,
    LogModel,
    RevisionModel,
    SessionView,
    landing_view,
)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
health_router = APIRouter()

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


@health_router.get("/health", tags=["health"])
async def health() -> Health:
    """Liveness: answers without touching the database."""
    return Health()


class RaceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    distance_m: float = Field(gt=0)
    time_s: float = Field(gt=0)


class ScreenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vertigo: bool = False
    fall_last_year: bool = False
    balance_condition: bool = False
    leg_pain: bool = False
    concussion: bool = False
    late_pregnancy: bool = False
    uncorrected_vision: bool = False


class ProfileBody(BaseModel):
    """The athlete profile, contract retrorun.profile/1."""

    model_config = ConfigDict(extra="forbid")
    experience: Literal["new_to_running", "recreational", "trained", "highly_trained"]
    weekly_minutes: float = Field(ge=0, le=1500)
    available_days: list[Day] = Field(min_length=1)
    goal: Literal["general", "economy", "speed_power", "knee_friendly", "maintenance"]
    age: int = Field(ge=8, le=100)
    surfaces: list[Literal["track", "treadmill", "grass", "turf", "road", "trail"]]
    start_date: dt.date
    screen: ScreenBody
    runs_per_week: int | None = Field(None, ge=0, le=14)
    longest_run_minutes: float | None = Field(None, ge=0, le=400)
    long_run_day: Day | None = None
    easy_pace_s_per_km: float | None = Field(None, ge=150, le=1200)
    race: RaceBody | None = None
    hr_max: int | None = Field(None, ge=100, le=230)
    hr_rest: int | None = Field(None, ge=25, le=120)
    program: str | None = None
    weeks: int | None = Field(None, ge=1, le=52)
    backward_walk_3m_seconds: float | None = Field(None, gt=0)
    units: Literal["metric", "imperial"] | None = None
    intensity_model: Literal["polarized", "pyramidal"] | None = None
    backward_stage: Literal["never", "walk", "jog", "run", "sprint"] | None = Field(
        None, description="The backward running already done; never when absent")
    poor_balance: StrictBool | None = Field(
        None, description="Self-reported poor balance: asks for the 3 m backward walk test")

    @field_validator("weekly_minutes", "age", "runs_per_week", "longest_run_minutes",
                     "easy_pace_s_per_km", "hr_max", "hr_rest", "weeks",
                     "backward_walk_3m_seconds", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        # pydantic's lax mode reads false as 0; the schema (and the domain) say number.
        if isinstance(value, bool):
            raise ValueError("must be a number, not true or false")
        return value

    def as_profile(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


# The log's fields as documented, but checked by the log service rather than here: it
# then reports every wrong field at once, each against the session (its day, its planned
# minutes), in one 422 that lists them under `errors`.
_LogStatus = Annotated[Any, WithJsonSchema({"enum": ["done", "partial", "skipped"],
                                            "type": "string"})]
_Minutes = Annotated[Any, WithJsonSchema({"type": ["number", "null"], "minimum": 0,
                                          "maximum": logs.MAX_SESSION_MINUTES})]
_Score = Annotated[Any, WithJsonSchema({"type": ["integer", "null"], "minimum": 0,
                                        "maximum": 10})]
_Events = Annotated[Any, WithJsonSchema({"type": "array", "uniqueItems": True, "items": {
    "enum": ["stumble", "dizziness", "neck_pain"], "type": "string"}})]
_Notes = Annotated[Any, WithJsonSchema({"type": "string", "maxLength": logs.MAX_NOTES})]


class LogBody(BaseModel):
    """A session log. Minutes left out of a "done" log are the planned minutes; each part
    may be at most twice its planned minutes plus ten."""

    # Required as documented, yet checked with the others: a missing status is then one
    # of the listed errors, not a refusal that hides the rest.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["status"]})
    status: _LogStatus = None
    forward_minutes: _Minutes = None
    backward_minutes: _Minutes = None
    rpe: _Score = None
    pain_during: _Score = None
    pain_next_morning: _Score = None
    events: _Events = ()
    notes: _Notes = ""

    def as_input(self) -> LogInput:
        return LogInput(**self.model_dump())


class InviteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    coach_email: str = Field(max_length=254)


class LimitsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_backward_minutes_per_week: int | None = Field(None, ge=1, le=600)
    pain_threshold: int | None = Field(None, ge=0, le=10)


@router.get("/claims", tags=["evidence"])
def claims() -> LandingView:
    """What backward running does and does not do, each claim with its sources (landing)."""
    return landing_view()


@router.post("/plans/preview", tags=["plans"], response_model=PreviewModel)
def preview(body: ProfileBody, ctx: Ctx) -> Response:
    """The free plan: built from a profile, nothing stored, no account needed."""
    return _json(loaders.preview_page(ctx, body.as_profile()))


@router.get("/plans/preview", tags=["plans"], response_model=PreviewModel)
def get_preview(request: Request, ctx: Ctx) -> Response:
    """The free plan this browser previewed in the wizard (twin of /plan/preview)."""
    return _json(loaders.preview_page(ctx, pending_profile(request)))


@router.get("/plans/preview/sessions/{session_id}", tags=["plans"])
def get_preview_session(session_id: str, request: Request, ctx: Ctx) -> SessionView:
    """One session of the previewed free plan (twin of its page)."""
    return loaders.preview_session(ctx, pending_profile(request), session_id)


def _json(model: BaseModel) -> Response:
    """A view model serialised once (FastAPI would validate and convert it again)."""
    return Response(model.model_dump_json(), media_type="application/json")


@router.get("/plan", tags=["plans"], response_model=PlanPage)
def get_plan(request: Request, ctx: Ctx) -> Response:
    """The signed-in athlete's plan (twin of /plan)."""
    user = signed_in_user(request, ctx)  # in this thread: one hand-off fewer
    cache: PlanResponses = request.app.state.plan_responses
    key = cache.key(ctx, user, "json")
    if key is None:
        raise NotFound("plan")
    body = cache.get_or_make(key, lambda: loaders.plan_page(
        ctx, user_id=user.id).model_dump_json().encode())
    return Response(body, media_type="application/json")


class PlanBody(ProfileBody):
    """A profile to make the plan from, and whether it may replace a kept plan."""

    replace: StrictBool = Field(
        False, description="Start a new plan over the kept one (which stays in the plan "
        "history); without it, a kept plan answers 409")

    def as_profile(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True, exclude={"replace"})


@router.put("/plan", tags=["plans"], response_model=PlanPage, responses={
    409: {"model": ErrorResponse, "description": "A plan is kept: send \"replace\": true"}})
def put_plan(body: PlanBody, ctx: Ctx, user: User) -> Response:
    """Create the athlete's plan from a profile; over a kept plan only with `replace`: a
    new plan (new id), the old one stays in the history (/api/v1/plan/history)."""
    plans.create_plan(ctx.uow(), user_id=user.id, profile_data=body.as_profile(),
                      planner=ctx.planner, clock=ctx.clock, replace=body.replace)
    return _json(loaders.plan_page(ctx, user_id=user.id))


@router.get("/plan/sessions/{session_id}", tags=["sessions"])
def get_session(session_id: str, ctx: Ctx, user: User) -> SessionPage:
    """One session with its steps, cues, sources, log and log history (twin of the page)."""
    return loaders.session_page(ctx, user_id=user.id, session_id=session_id)


@router.put("/plan/sessions/{session_id}/log", tags=["logs"])
def put_log(session_id: str, body: LogBody, ctx: Ctx, user: User) -> LogModel:
    """Log the session, or edit its log (the earlier content stays in the history)."""
    return loaders.save_log(ctx, user_id=user.id, session_id=session_id, entry=body.as_input())


@router.get("/logs", tags=["logs"])
def list_logs(ctx: Ctx, user: User) -> list[LogModel]:
    return [loaders.log_model(x) for x in logs.list_logs(ctx.uow(), user_id=user.id)]


@router.get("/logs/{log_id}", tags=["logs"])
def get_log(log_id: str, ctx: Ctx, user: User) -> LogModel:
    return loaders.log_model(logs.get_log(ctx.uow(), user_id=user.id, log_id=log_id))


@router.get("/logs/{log_id}/history", tags=["logs"])
def log_history(log_id: str, ctx: Ctx, user: User) -> list[RevisionModel]:
    return [RevisionModel.model_validate(r)
            for r in logs.log_history(ctx.uow(), user_id=user.id, log_id=log_id)]


@router.get("/coaches", tags=["coaching"])
def list_coaches(ctx: Ctx, user: User) -> CoachesPage:
    return loaders.coaches_page(ctx, user_id=user.id)


@router.post("/coaches", status_code=201, tags=["coaching"])
def invite(body: InviteBody, request: Request, ctx: Ctx, user: User) -> CoachModel:
    return loaders.invite(ctx, request, user_id=user.id, coach_email=body.coach_email)


@router.delete("/coaches/{grant_id}", status_code=204, tags=["coaching"])
def revoke(grant_id: str, ctx: Ctx, user: User) -> Response:
    coaching.revoke_coach(ctx.uow(), user_id=user.id, grant_id=grant_id, planner=ctx.planner,
                          clock=ctx.clock)
    return Response(status_code=204)


@router.get("/athletes", tags=["coaching"])
def list_athletes(ctx: Ctx, user: User) -> AthletesPage:
    return loaders.athletes_page(ctx, user_id=user.id)


@router.get("/athletes/{athlete_id}", tags=["coaching"], response_model=AthletePage)
def get_athlete(athlete_id: str, ctx: Ctx, user: User) -> Response:
    return _json(loaders.athlete_page(ctx, user_id=user.id, athlete_id=athlete_id))


@router.get("/athletes/{athlete_id}/sessions/{session_id}", tags=["coaching"])
def get_athlete_session(athlete_id: str, session_id: str, ctx: Ctx,
                        user: User) -> SessionPage:
    return loaders.session_page(ctx, user_id=user.id, session_id=session_id,
                                athlete_id=athlete_id)


@router.put("/athletes/{athlete_id}/limits", tags=["coaching"])
def put_limits(athlete_id: str, body: LimitsBody, ctx: Ctx, user: User) -> AthleteModel:
    view = coaching.set_limits(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                               max_backward_minutes_per_week=body.max_backward_minutes_per_week,
                               pain_threshold=body.pain_threshold, planner=ctx.planner,
                               clock=ctx.clock)
    return loaders.athlete_model(view)
