"""Downloads: the plan as PDF, calendar, watch workouts, text, CSV, JSON; one session too.

The bytes come from the `retrorun.formats` registry. Rendering (a PDF takes a second or
two) runs in a small pool of its own, so downloads never hold up the page handlers.

An athlete's own calendar download follows their calendar settings, like their feed.
A stored plan's files carry its `plan_key` in calendar UIDs and FIT serials; the free
plan's carry the browser's calendar key (`web.free_plan`), which the plan keeps when the
runner signs up, so both name each session's event and workout alike.
"""

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from retrorun.domain.model import Plan
from retrorun.formats import (
    EXPORTERS,
    SESSION_EXPORTERS,
    Export,
    ExportOptions,
    SessionLog,
    export_session,
)
from retrorun.formats import LogStatus as FormatLogStatus
from retrorun.formats import export as export_plan
from retrorun.services import calendar_feed, plans, progress
from retrorun.services.errors import NotFound
from retrorun.services.views import LogView, PlanView
from retrorun.web import free_plan
from retrorun.web.deps import Ctx, User, optional_user
from retrorun.web.errors import ERROR_RESPONSES
from retrorun.web.routes.api import ProfileBody

router = APIRouter(dependencies=[Depends(optional_user)], include_in_schema=False)
# The same handlers under /api/v1, documented in the OpenAPI with the files they return.
api_router = APIRouter(prefix="/api/v1", tags=["exports"], responses=ERROR_RESPONSES,
                       dependencies=[Depends(optional_user)])

PlanFormat = Annotated[str, Path(description=f"one of: {', '.join(EXPORTERS)}",
                                 json_schema_extra={"enum": list(EXPORTERS)})]
SessionFormat = Annotated[str, Path(description=f"one of: {', '.join(SESSION_EXPORTERS)}",
                                    json_schema_extra={"enum": list(SESSION_EXPORTERS)})]
# What the exporters return (formats.Export.media_type), for the API's documentation.
_BINARY = {"schema": {"type": "string", "format": "binary"}}
FILES: dict[int | str, dict[str, Any]] = {200: {"description": "The file, as an attachment",
    "content": {
        **dict.fromkeys(("application/pdf", "text/calendar", "application/zip",
                         "application/vnd.ant.fit", "text/plain", "text/csv"), _BINARY),
        "application/json": {"schema": {"type": "object",
                                        "description": "the plan document, retrorun.plan/1"}},
    }}}


def _session_log(log: LogView) -> SessionLog:
    return SessionLog(session_id=log.session_id, date=log.session_date,
                      status=FormatLogStatus(log.status.value),
                      forward_seconds=round(log.forward_minutes * 60),
                      backward_seconds=round(log.backward_minutes * 60), rpe=log.rpe,
                      pain_during=log.pain_during, pain_next_morning=log.pain_next_morning,
                      events=tuple(e.value.replace("_", " ") for e in log.events),
                      notes=log.notes)


def _options(request: Request, view: PlanView) -> ExportOptions:
    return ExportOptions(made_at=view.updated_at, plan_key=view.plan_key,
                         url=_feed_url(request),
                         logs=tuple(_session_log(log) for log in view.logs.values()))


def _with_report_inputs(ctx: Ctx, options: ExportOptions, user_id: str,
                        athlete_id: str | None = None) -> ExportOptions:
    """The progress report's extras: the athlete's today, the plan's changes, field tests."""
    extra = progress.report_inputs(ctx.uow(), user_id=user_id, clock=ctx.clock,
                                   athlete_id=athlete_id)
    return replace(options, today=extra.today, changes=extra.changes,
                   field_tests=extra.field_tests)


def _feed_url(request: Request) -> str:
    return str(request.app.state.settings.plan_url)


async def _own_calendar(request: Request, ctx: Ctx, user: User,
                        session_id: str | None = None) -> Response:
    """The athlete's own calendar download: their feed's events (same times, reminders
    and SEQUENCE), and it records what it served, as the feed does."""
    result = await run_in_threadpool(calendar_feed.own_calendar, ctx.uow(), user_id=user.id,
                                     url=_feed_url(request), session_id=session_id)
    return _download(result)


def _download(result: Export) -> Response:
    return Response(result.data, media_type=result.media_type, headers={
        "Content-Disposition": f'attachment; filename="{result.filename}"',
        "Cache-Control": "private, no-store"})


async def _render(request: Request, plan: Plan, options: ExportOptions, fmt: str,
                  session_id: str | None = None) -> Response:
    limiter = request.app.state.export_limiter
    if session_id is None:
        result = await anyio.to_thread.run_sync(export_plan, plan, fmt, options,
                                                limiter=limiter)
    else:
        result = await anyio.to_thread.run_sync(export_session, plan, session_id, fmt, options,
                                                limiter=limiter)
    return _download(result)


@router.get("/plan/export/{fmt}")
@api_router.get("/plan/export/{fmt}", response_class=Response, responses=FILES,
                summary="Download the signed-in athlete's plan")
async def my_plan(request: Request, ctx: Ctx, user: User, fmt: PlanFormat) -> Response:
    if fmt == "ics":
        return await _own_calendar(request, ctx, user)
    view = await run_in_threadpool(plans.get_plan, ctx.uow(), user_id=user.id)
    options = _options(request, view)
    if fmt == "report.pdf":
        options = await run_in_threadpool(_with_report_inputs, ctx, options, user.id)
    return await _render(request, view.plan, options, fmt)


@router.get("/plan/sessions/{session_id}/export/{fmt}")
@api_router.get("/plan/sessions/{session_id}/export/{fmt}", response_class=Response,
                responses=FILES,
                summary="Download one session (watch workout, calendar event, text)")
async def my_session(request: Request, ctx: Ctx, user: User, session_id: str,
                     fmt: SessionFormat) -> Response:
    if fmt == "ics":
        return await _own_calendar(request, ctx, user, session_id)
    view = await run_in_threadpool(plans.get_plan, ctx.uow(), user_id=user.id)
    if view.plan.session(session_id) is None:
        raise NotFound("session")
    return await _render(request, view.plan, _options(request, view), fmt, session_id)


@router.get("/athletes/{athlete_id}/export/{fmt}")
@api_router.get("/athletes/{athlete_id}/export/{fmt}", response_class=Response,
                responses=FILES,
                summary="Download an athlete's plan or progress report (their coach)")
async def athlete_plan(request: Request, ctx: Ctx, user: User, athlete_id: str,
                       fmt: PlanFormat) -> Response:
    view = await run_in_threadpool(plans.get_plan, ctx.uow(), user_id=user.id,
                                   athlete_id=athlete_id)
    options = _options(request, view)
    if fmt == "report.pdf":
        options = await run_in_threadpool(_with_report_inputs, ctx, options, user.id,
                                          athlete_id)
    return await _render(request, view.plan, options, fmt)


def _start_of_today(ctx: Ctx) -> dt.datetime:
    return dt.datetime.combine(ctx.clock.now().date(), dt.time(0), tzinfo=dt.UTC)


def _previewed(request: Request, ctx: Ctx) -> tuple[dict[str, Any], ExportOptions]:
    """The answers this browser gave and the options of its free plan's files: its
    calendar key, and DTSTAMP (and PDF date) when the answers last changed, so the same
    answers download to the same bytes and changed ones to a later DTSTAMP (see
    `web.free_plan` for why SEQUENCE stays 0, and what that leaves to the client)."""
    data = free_plan.answers(request.session, ctx)
    if data is None:
        raise NotFound("plan preview")
    calendar = free_plan.free_calendar(request.session, ctx.clock.now())
    return data, ExportOptions(made_at=calendar.made_at, plan_key=calendar.key)


@router.get("/plan/preview/export/{fmt}")
@api_router.get("/plans/preview/export/{fmt}", response_class=Response, responses=FILES,
                summary="Download the free plan this browser previewed (no account)")
async def preview(request: Request, ctx: Ctx, fmt: PlanFormat) -> Response:
    data, options = _previewed(request, ctx)
    result = await run_in_threadpool(plans.preview_plan, profile_data=data, planner=ctx.planner)
    return await _render(request, result.plan, options, fmt)


@router.get("/plan/preview/sessions/{session_id}/export/{fmt}")
@api_router.get("/plans/preview/sessions/{session_id}/export/{fmt}", response_class=Response,
                responses=FILES,
                summary="Download one session of the free plan this browser previewed")
async def preview_session(request: Request, ctx: Ctx, session_id: str,
                          fmt: SessionFormat) -> Response:
    """The free plan's session buttons (watch workout, calendar event, text): the same
    UID and FIT serial as the whole free plan's files, and as the stored plan's after
    sign-up."""
    data, options = _previewed(request, ctx)
    result = await run_in_threadpool(plans.preview_plan, profile_data=data, planner=ctx.planner)
    if result.plan.session(session_id) is None:
        raise NotFound("session")
    return await _render(request, result.plan, options, fmt, session_id)


@api_router.post("/plans/preview/export/{fmt}", response_class=Response, responses=FILES,
                 summary="The free plan for a profile, as a file (no account, nothing stored)")
async def profile_export(request: Request, body: ProfileBody, ctx: Ctx,
                         fmt: PlanFormat) -> Response:
    """Stateless: nothing identifies the caller between requests, so calendar UIDs and
    FIT serials carry the default plan key, a hash of the plan's inputs (the same
    profile gives the same UIDs; changed answers give new ones). DTSTAMP is the start
    of today, so the same profile downloads to the same bytes all day."""
    result = await run_in_threadpool(plans.preview_plan, profile_data=body.as_profile(),
                                     planner=ctx.planner)
    return await _render(request, result.plan, ExportOptions(made_at=_start_of_today(ctx)), fmt)
