"""Landing, health, the plan wizard and the free preview (no account needed)."""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from retrorun.domain.history_profile import HistoryProposal
from retrorun.services import plans, profile_proposal
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.web import loaders
from retrorun.web.deps import Ctx, Form, optional_user, render
from retrorun.web.free_plan import answers, remember_answers
from retrorun.web.profile_form import (
    CHOICES,
    ProfileForm,
    empty_values,
    form_values_from_profile,
    read_profile_form,
)
from retrorun.web.views import landing_view

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    return render(request, "landing.html", {"view": landing_view()}, json_twin="/api/v1/claims")


@router.get("/plan/new", response_class=HTMLResponse)
def wizard(request: Request, ctx: Ctx, edit: bool = False,
           from_history: bool = False) -> Response:
    """The wizard; `from_history` fills in the running answers from the signed-in user's
    imported runs (issue 12), for them to check."""
    pending = answers(request.session, ctx) if edit else None
    if pending is not None:
        values = form_values_from_profile(pending)
    else:
        values = empty_values(ctx.clock.now().date())
    user = getattr(request.state, "user", None)
    proposal = None
    if from_history and user is not None:
        proposal = profile_proposal.propose_from_history(ctx.uow(), user_id=user.id,
                                                         clock=ctx.clock)
        values |= history_values(proposal) if proposal else {}
    return _wizard(request, ProfileForm(values=values), history=proposal,
                   history_asked=from_history and user is not None)


def history_values(proposal: HistoryProposal) -> dict[str, str]:
    """The wizard's fields the proposal fills in (metric units: the wizard's default)."""
    values = {"weekly_minutes": str(proposal.weekly_minutes),
              "runs_per_week": str(proposal.runs_per_week)}
    if proposal.longest_run_minutes is not None:
        values["longest_run_minutes"] = str(proposal.longest_run_minutes)
    if proposal.easy_pace_s_per_km is not None:
        minutes, seconds = divmod(proposal.easy_pace_s_per_km, 60)
        values["easy_pace"] = f"{minutes}:{seconds:02d}"
    if proposal.max_heart_rate is not None:
        values["hr_max"] = str(proposal.max_heart_rate)
    return values


def _wizard(request: Request, form: ProfileForm, status: int = 200,
            history: HistoryProposal | None = None, history_asked: bool = False) -> Response:
    return render(request, "wizard.html",
                  {"values": form.values, "errors": form.errors, "choices": CHOICES,
                   "history": history, "history_asked": history_asked},
                  status=status)


@router.post("/plan/new", response_class=HTMLResponse)
def wizard_submit(request: Request, ctx: Ctx, body: Form) -> Response:
    form = read_profile_form(body)
    if form.profile is not None:
        try:
            plans.preview_plan(profile_data=form.data, planner=ctx.planner)
        except InvalidInput as error:
            form.errors[error.field] = f"{error.message}"
    if form.errors:
        return _wizard(request, form, status=422)
    remember_answers(request.session, ctx, form.data)
    return RedirectResponse("/plan/preview", status_code=303)


@router.post("/plan/new/check/{field}", response_class=HTMLResponse)
def wizard_check(request: Request, field: str, body: Form) -> Response:
    """One field's message, for htmx to show beside it while the person fills the form."""
    form = read_profile_form(body)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "_field_error.html", {
        "name": field, "message": form.errors.get(field, "")})


def pending_profile(request: Request) -> dict[str, Any]:
    """The profile this browser answered in the wizard (kept on the server, by the draft
    id in its session cookie)."""
    data = answers(request.session, request.app.state.services)
    if data is None:
        raise NotFound("plan preview")
    return data


@router.get("/plan/preview", response_class=HTMLResponse)
def preview(request: Request, ctx: Ctx) -> Response:
    data = answers(request.session, ctx)
    if data is None:
        return RedirectResponse("/plan/new", status_code=303)
    view = loaders.preview_page(ctx, data)
    return render(request, "calendar.html", {
        "view": view.calendar, "preview": True, "session_base": "/plan/preview/sessions"},
        json_twin="/api/v1/plans/preview")


@router.get("/plan/preview/sessions/{session_id}", response_class=HTMLResponse)
def preview_session(request: Request, ctx: Ctx, session_id: str) -> Response:
    screen = loaders.preview_session_screen(ctx, pending_profile(request), session_id)
    return render(request, "session.html", {
        "view": screen.page.session, "card": screen.card, "exercises": screen.exercises,
        "preview": True, "can_log": False, "back_url": "/plan/preview",
        "session_export": f"/plan/preview/sessions/{session_id}/export"},
        json_twin=f"/api/v1/plans/preview/sessions/{session_id}")


def _today(ctx: Ctx) -> dt.date:
    return ctx.clock.now().date()
