"""The plan history: every version of the athlete's plans, read only, with their logs.

Pages for the athlete (/plan/history) and an invited coach (/athletes/ID/history), and
their JSON twins under /api/v1, built from `services.history`. A version's page looks like
the plan page (the same weeks and "what changed" parts) but offers no logging, undo or
lift: it is the plan as it was. Path values are taken as text and checked by the service,
so "abc", 0 or a 30-digit version is a 404, never a 422 or a 500.
"""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from retrorun.services import history
from retrorun.services.errors import NotFound
from retrorun.services.history import HistoryView, VersionSummary, VersionView
from retrorun.services.records import VersionKind
from retrorun.web.deps import Ctx, User, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES
from retrorun.web.loaders import LimitsModel, limits_model, log_model, today
from retrorun.web.views import CalendarView, LogModel, LogSummary, calendar_view

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", tags=["history"], responses=ERROR_RESPONSES)

# What each kind of version says in the list when it has no change of its own to show.
_KIND_TEXT = {
    VersionKind.KEPT: "Plan kept",
    VersionKind.REPLACED: "A new plan started; the plan before it stays in this history",
    VersionKind.ADAPTED: "Adapted to your logs",
    VersionKind.LIMITS: "Rebuilt under your coach's limits",
}


class VersionModel(BaseModel):
    """One version in the history. `version` is the plan's save number (the URL's);
    `plan_version` the plan document's version (1 when kept, +1 per applied change)."""

    plan_id: str
    version: int
    plan_version: int
    kind: VersionKind
    created_at: dt.datetime
    current: bool
    program: str
    start_date: dt.date | None
    end_date: dt.date | None
    what: list[str]
    changes: list[dict[str, Any]]
    undone: list[dict[str, Any]]
    sessions_logged: int
    url: str


class HistoryModel(BaseModel):
    """The athlete's plan versions, newest first."""

    athlete_id: str
    owned: bool
    versions: list[VersionModel]


class VersionPage(BaseModel):
    """One version as it was: its weeks with the logs of its sessions, its limits, its
    plan document (with `version` and `changes`), and its plan's logs on no session of
    this version (`other_logs`)."""

    athlete_id: str
    owned: bool
    summary: VersionModel
    limits: LimitsModel
    calendar: CalendarView
    document: dict[str, Any]
    logs: list[LogModel]
    other_logs: list[LogModel]


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(api_router)


def _base(owned: bool, athlete_id: str) -> str:
    return "/plan" if owned else f"/athletes/{athlete_id}"


def _version_model(v: VersionSummary, base: str) -> VersionModel:
    what = [str(c.get("reason", "")) for c in v.changes if c.get("reason")]
    what += [f"Lifted or undone: {c.get('reason', '')}" for c in v.undone]
    if v.kind in (VersionKind.KEPT, VersionKind.REPLACED):
        span = f" from {v.start_date:%a %d %b %Y}" if v.start_date else ""
        what = [f"{_KIND_TEXT[v.kind]}: {v.program}{span}"]
    return VersionModel(
        plan_id=v.plan_id, version=v.version, plan_version=v.plan_version,
        kind=v.kind, created_at=v.created_at, current=v.current, program=v.program,
        start_date=v.start_date, end_date=v.end_date, what=what or [_KIND_TEXT[v.kind]],
        changes=[dict(c) for c in v.changes], undone=[dict(c) for c in v.undone],
        sessions_logged=v.sessions_logged,
        url=f"{base}/history/{v.plan_id}/{v.version}")


def history_model(view: HistoryView) -> HistoryModel:
    base = _base(view.owned, view.athlete_id)
    return HistoryModel(athlete_id=view.athlete_id, owned=view.owned,
                        versions=[_version_model(v, base) for v in view.versions])


def version_page(ctx: Ctx, view: VersionView) -> VersionPage:
    base = _base(view.owned, view.athlete_id)
    summaries = {sid: LogSummary(status=log.status, forward_minutes=log.forward_minutes,
                                 backward_minutes=log.backward_minutes, rpe=log.rpe)
                 for sid, log in view.logs.items()}
    summary = view.summary
    title = f"Your plan as it was on {summary.created_at:%a %d %b %Y}" if view.owned \
        else f"The plan as it was on {summary.created_at:%a %d %b %Y}"
    calendar = calendar_view(view.plan, today=today(ctx), plan_id=summary.plan_id,
                             version=summary.version, title=title, logs=summaries)
    logs = sorted(view.logs.values(), key=lambda log: (log.session_date, log.session_id))
    return VersionPage(
        athlete_id=view.athlete_id, owned=view.owned,
        summary=_version_model(summary, base), limits=limits_model(view.limits),
        calendar=calendar, document=dict(view.document),
        logs=[log_model(log) for log in logs],
        other_logs=[log_model(log) for log in view.other_logs])


def _number(version: str) -> int:
    """The version of a URL: digits only (no sign, no spaces), else there is none."""
    if not version.isascii() or not version.isdigit() or len(version) > len(str(
            history.MAX_VERSION)):
        raise NotFound(history.WHAT)
    return int(version)


def _list(ctx: Ctx, user: User, athlete_id: str | None) -> HistoryModel:
    return history_model(history.list_versions(ctx.uow(), user.id, athlete_id=athlete_id))


def _version(ctx: Ctx, user: User, plan_id: str, version: str,
             athlete_id: str | None) -> VersionPage:
    view = history.get_version(ctx.uow(), user.id, plan_id, _number(version),
                               athlete_id=athlete_id)
    return version_page(ctx, view)


def _history_page(request: Request, model: HistoryModel) -> Response:
    base = _base(model.owned, model.athlete_id)
    return render(request, "history.html", {"view": model, "plan_url": base},
                  json_twin=f"/api/v1{base}/history")


def _version_screen(request: Request, page: VersionPage) -> Response:
    base = _base(page.owned, page.athlete_id)
    return render(request, "plan_version.html", {
        "page": page, "view": page.calendar, "session_base": "#log",
        "plan_url": base, "history_url": f"{base}/history",
        # A past version is read only: no undo or lift forms on its changes.
        "change_actions": _no_actions},
        json_twin=f"/api/v1{page.summary.url}")


def _no_actions(change: Any) -> dict[str, Any]:  # noqa: ARG001  (the helper's signature)
    return {"undo": False, "lift": False, "why": ""}


@router.get("/plan/history", response_class=HTMLResponse)
def my_history(request: Request, ctx: Ctx, user: User) -> Response:
    return _history_page(request, _list(ctx, user, None))


@router.get("/plan/history/{plan_id}/{version}", response_class=HTMLResponse)
def my_version(request: Request, ctx: Ctx, user: User, plan_id: str, version: str
               ) -> Response:
    return _version_screen(request, _version(ctx, user, plan_id, version, None))


@router.get("/athletes/{athlete_id}/history", response_class=HTMLResponse)
def athlete_history(request: Request, ctx: Ctx, user: User, athlete_id: str) -> Response:
    return _history_page(request, _list(ctx, user, athlete_id))


@router.get("/athletes/{athlete_id}/history/{plan_id}/{version}",
            response_class=HTMLResponse)
def athlete_version(request: Request, ctx: Ctx, user: User, athlete_id: str, plan_id: str,
                    version: str) -> Response:
    return _version_screen(request, _version(ctx, user, plan_id, version, athlete_id))


@api_router.get("/plan/history")
def api_history(ctx: Ctx, user: User) -> HistoryModel:
    """Every version of the athlete's plans, newest first (twin of /plan/history)."""
    return _list(ctx, user, None)


@api_router.get("/plan/history/{plan_id}/{version}")
def api_version(ctx: Ctx, user: User, plan_id: str, version: str) -> VersionPage:
    """One version as it was, with the logs of its sessions (read only)."""
    return _version(ctx, user, plan_id, version, None)


@api_router.get("/athletes/{athlete_id}/history")
def api_athlete_history(ctx: Ctx, user: User, athlete_id: str) -> HistoryModel:
    """An invited coach's view of the athlete's plan history."""
    return _list(ctx, user, athlete_id)


@api_router.get("/athletes/{athlete_id}/history/{plan_id}/{version}")
def api_athlete_version(ctx: Ctx, user: User, athlete_id: str, plan_id: str,
                        version: str) -> VersionPage:
    """An invited coach's view of one version of the athlete's plan."""
    return _version(ctx, user, plan_id, version, athlete_id)
