"""Progress: the page and its JSON twin, for the athlete and for an invited coach; and the
field-test results entered on a test session's page.

The page's charts are `formats.progress_charts`, the very ones the progress report PDF
prints; the JSON is `formats.progress_json`, the very document `retrorun progress --json`
prints.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from retrorun.domain.efficiency import EfficiencyTrend
from retrorun.formats.progress_charts import minutes, percent, progress_charts
from retrorun.formats.progress_json import progress_document
from retrorun.services import efficiency, field_tests, progress
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.progress import ProgressView
from retrorun.web.deps import Ctx, Form, User, flash, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES
from retrorun.web.field_test_form import form_errors, labelled, panel, read_values, urls
from retrorun.web.progress_models import FieldTestBody, FieldTestModel, ProgressModel

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", tags=["progress"], responses=ERROR_RESPONSES)


def _page(request: Request, ctx: Ctx, user: User, athlete_id: str | None = None) -> Response:
    view = progress.get_progress(ctx.uow(), user_id=user.id, clock=ctx.clock,
                                 athlete_id=athlete_id)
    trend = efficiency.get_efficiency(ctx.uow(), user_id=user.id, clock=ctx.clock,
                                      athlete_id=athlete_id)
    base = "" if view.owned else f"/athletes/{view.athlete_id}"
    return render(request, "progress.html", {"efficiency": trend,
        "view": view, "charts": {c.key: c for c in progress_charts(view.progress)},
        "heading": "Your progress" if view.owned else f"Progress: {view.athlete_email}",
        "adherence": percent(view.progress.adherence), "minutes": minutes,
        "plan_url": base or "/plan",
        "session_base": f"{base}/sessions" if base else "/plan/sessions",
        "report_url": f"{base}/export/report.pdf" if base else "/plan/export/report.pdf"},
        json_twin=f"/api/v1{base}/progress")


@router.get("/progress", response_class=HTMLResponse)
def my_progress(request: Request, ctx: Ctx, user: User) -> Response:
    try:
        return _page(request, ctx, user)
    except NotFound:
        return RedirectResponse("/plan/new", status_code=303)


@router.get("/athletes/{athlete_id}/progress", response_class=HTMLResponse)
def athlete_progress(request: Request, ctx: Ctx, user: User, athlete_id: str) -> Response:
    return _page(request, ctx, user, athlete_id)


def _save(request: Request, ctx: Ctx, user: User, session_id: str,
          body: Mapping[str, Any], athlete_id: str | None = None) -> Response:
    tests = field_tests.session_tests(ctx.uow(), user_id=user.id, session_id=session_id,
                                      clock=ctx.clock, athlete_id=athlete_id)
    if tests is None:
        raise NotFound("field tests")
    session_url, action, progress_url = urls(session_id, athlete_id)
    values = read_values(tests, body)
    errors = form_errors(tests, values)
    saved = None
    if not errors:
        try:
            saved = field_tests.record_field_test(
                ctx.uow(), user_id=user.id, session_id=session_id, values=values,
                clock=ctx.clock, athlete_id=athlete_id)
        except InvalidInput as error:
            field = error.field if error.field in values else tests.measures[0].value
            errors = {field: labelled(error.field, error.message)}
    if errors:
        return render(request, "field_tests.html", {
            "title": tests.title, "back_url": session_url,
            "field_tests": panel(tests, action, progress_url, values, errors)},
            status=422)
    flash(request, "Field test results saved." if saved else "Field test results removed.")
    return RedirectResponse(f"{session_url}#field-tests", status_code=303)


@router.post("/plan/sessions/{session_id}/field-tests", response_class=HTMLResponse)
def save_my_field_tests(request: Request, ctx: Ctx, user: User, session_id: str,
                        body: Form) -> Response:
    return _save(request, ctx, user, session_id, body)


@router.post("/athletes/{athlete_id}/sessions/{session_id}/field-tests",
             response_class=HTMLResponse)
def save_athlete_field_tests(request: Request, ctx: Ctx, user: User, athlete_id: str,
                             session_id: str, body: Form) -> Response:
    return _save(request, ctx, user, session_id, body, athlete_id)


def _json(view: ProgressView) -> Response:
    model = ProgressModel.model_validate(progress_document(view.progress))
    return Response(model.model_dump_json(), media_type="application/json")


@api_router.get("/progress", response_model=ProgressModel)
def get_my_progress(ctx: Ctx, user: User) -> Response:
    """The signed-in athlete's progress (twin of /progress). Descriptive only: the load
    averages are a trend, never a limit."""
    return _json(progress.get_progress(ctx.uow(), user_id=user.id, clock=ctx.clock))


class EfficiencyPointModel(BaseModel):
    date: dt.date
    efficiency_factor: float


class EfficiencyModel(BaseModel):
    """Metres a minute per heartbeat a minute on steady forward runs (domain.efficiency:
    the first 5 minutes left out, at least 20 steady minutes, speed varying at most 10 %).
    An observation: no study here measured it after backward running."""

    points: list[EfficiencyPointModel]
    before: float | None
    after: float | None
    runs_before: int
    runs_after: int
    change: float | None


def _efficiency(trend: EfficiencyTrend) -> EfficiencyModel:
    return EfficiencyModel(
        points=[EfficiencyPointModel(date=p.day, efficiency_factor=p.value)
                for p in trend.points], before=trend.before, after=trend.after,
        runs_before=trend.runs_before, runs_after=trend.runs_after, change=trend.change)


@api_router.get("/progress/efficiency", response_model=EfficiencyModel)
def get_my_efficiency(ctx: Ctx, user: User) -> EfficiencyModel:
    """The efficiency factor of the athlete's imported steady runs, before and after the
    plan's block (a section of /progress)."""
    return _efficiency(efficiency.get_efficiency(ctx.uow(), user_id=user.id,
                                                 clock=ctx.clock))


@api_router.get("/athletes/{athlete_id}/progress/efficiency", response_model=EfficiencyModel)
def get_athlete_efficiency(athlete_id: str, ctx: Ctx, user: User) -> EfficiencyModel:
    """An athlete's efficiency factor, for a coach they invited."""
    return _efficiency(efficiency.get_efficiency(ctx.uow(), user_id=user.id,
                                                 clock=ctx.clock, athlete_id=athlete_id))


@api_router.get("/athletes/{athlete_id}/progress", response_model=ProgressModel)
def get_athlete_progress(athlete_id: str, ctx: Ctx, user: User) -> Response:
    """An athlete's progress, for a coach they invited (twin of its page)."""
    return _json(progress.get_progress(ctx.uow(), user_id=user.id, clock=ctx.clock,
                                       athlete_id=athlete_id))


def _put(ctx: Ctx, user: User, session_id: str, body: FieldTestBody,
         athlete_id: str | None = None) -> Response:
    saved = field_tests.record_field_test(
        ctx.uow(), user_id=user.id, session_id=session_id, values=body.model_dump(),
        clock=ctx.clock, athlete_id=athlete_id)
    if saved is None:
        return Response(status_code=204)
    model = FieldTestModel(session_id=saved.session_id, session_date=saved.session_date,
                           values=dict(saved.values), recorded_by=saved.recorded_by,
                           updated_at=saved.updated_at)
    return Response(model.model_dump_json(), media_type="application/json")


@api_router.put("/plan/sessions/{session_id}/field-tests", response_model=FieldTestModel,
                responses={204: {"description": "No result given: earlier ones removed"}})
def put_my_field_tests(session_id: str, body: FieldTestBody, ctx: Ctx,
                       user: User) -> Response:
    """Enter a test session's results (replacing earlier ones), from the session's day."""
    return _put(ctx, user, session_id, body)


@api_router.put("/athletes/{athlete_id}/sessions/{session_id}/field-tests",
                response_model=FieldTestModel,
                responses={204: {"description": "No result given: earlier ones removed"}})
def put_athlete_field_tests(athlete_id: str, session_id: str, body: FieldTestBody,
                            ctx: Ctx, user: User) -> Response:
    """A coach enters an athlete's test results (the athlete invited them)."""
    return _put(ctx, user, session_id, body, athlete_id)
