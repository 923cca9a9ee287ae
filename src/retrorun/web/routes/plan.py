"""The signed-in athlete's plan: keep the previewed plan, the calendar, sessions, logs."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from retrorun.services import logs
from retrorun.services.errors import Conflict, InvalidInput, NotFound
from retrorun.services.plans import REPLACE_FIRST
from retrorun.web import free_plan, loaders
from retrorun.web.deps import (
    Ctx,
    Form,
    User,
    flash,
    optional_user,
    render,
    signed_in_user,
)
from retrorun.web.field_test_form import session_panel
from retrorun.web.log_form import (
    SAVED,
    LogForm,
    empty_log_values,
    form_errors,
    read_log_form,
    service_error,
)
from retrorun.web.plan_cache import PlanResponses
from retrorun.web.security import csrf_token

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])


@router.post("/plan", response_class=HTMLResponse)
def keep_plan(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    """Save the previewed plan to the account; over a kept plan, only once the athlete
    confirmed (`replace=1`: the old plan stays in their history)."""
    try:
        kept = free_plan.keep(request.session, ctx, user_id=user.id,
                              replace=body.get("replace") == "1")
    except Conflict as error:
        return _confirm_replace(request, error.message, status=409)
    if not kept:
        return RedirectResponse("/plan/new", status_code=303)
    flash(request, "Your plan is saved. Log each session from its page.")
    return RedirectResponse("/plan", status_code=303)


@router.get("/plan/replace", response_class=HTMLResponse)
def confirm_replace(request: Request, ctx: Ctx) -> Response:
    """Asks before a previewed plan replaces the kept one (after signing in to keep it)."""
    if free_plan.answers(request.session, ctx) is None:
        return RedirectResponse("/plan/new", status_code=303)
    return _confirm_replace(request, REPLACE_FIRST)


def _confirm_replace(request: Request, message: str, status: int = 200) -> Response:
    return render(request, "plan_replace.html", {"message": message}, status=status)


# The calendar checks the session itself (`signed_in_user`): one thread hand-off fewer.
calendar_router = APIRouter(include_in_schema=False)


@calendar_router.get("/plan", response_class=HTMLResponse)
def my_plan(request: Request, ctx: Ctx) -> Response:
    user = signed_in_user(request, ctx)
    cache: PlanResponses = request.app.state.plan_responses
    key = cache.key(ctx, user, "html", csrf_token(request))
    try:
        if key is None:
            raise NotFound("plan")
        if "flash" in request.session:  # shown once: never stored
            return _calendar(request, ctx, user)
        body = cache.get_or_make(key, lambda: bytes(_calendar(request, ctx, user).body))
    except NotFound:
        return RedirectResponse("/plan/new", status_code=303)
    return HTMLResponse(body)


def _calendar(request: Request, ctx: Ctx, user: User) -> Response:
    page = loaders.plan_page(ctx, user_id=user.id)
    return render(request, "calendar.html", {
        "view": page.calendar, "page": page, "session_base": "/plan/sessions"},
        json_twin="/api/v1/plan")


def _session(request: Request, ctx: Ctx, user: User, session_id: str,
             form: LogForm | None = None, status: int = 200) -> Response:
    screen = loaders.session_screen(ctx, user_id=user.id, session_id=session_id)
    page = screen.page
    return render(request, "session.html", {
        "view": page.session, "card": screen.card, "exercises": screen.exercises,
        "can_log": page.can_log, "back_url": "/plan",
        "log_url": f"/plan/sessions/{session_id}/log",
        "session_export": f"/plan/sessions/{session_id}/export",
        "log_values": form.values if form else empty_log_values(page.session.log),
        "errors": form.errors if form else {},
        "log_saved": request.session.pop(SAVED, None),
        "log_opens": logs.log_opens(ctx.uow(), user_id=user.id, day=page.session.date,
                                    clock=ctx.clock),
        "field_tests": session_panel(ctx, user_id=user.id, session_id=session_id)},
        status=status, json_twin=f"/api/v1/plan/sessions/{session_id}")


@router.get("/plan/sessions/{session_id}", response_class=HTMLResponse)
def my_session(request: Request, ctx: Ctx, user: User, session_id: str) -> Response:
    return _session(request, ctx, user, session_id)


@router.post("/plan/sessions/{session_id}/log", response_class=HTMLResponse)
def log_session(request: Request, ctx: Ctx, user: User, session_id: str, body: Form) -> Response:
    form = read_log_form(body)
    if form.entry is not None:
        try:
            loaders.save_log(ctx, user_id=user.id, session_id=session_id, entry=form.entry)
        except InvalidInput as error:
            form.errors.update(form_errors(error))
        except Conflict as error:
            form.errors[error.field] = service_error(error.field, error.message)
    if form.errors:
        return _session(request, ctx, user, session_id, form, status=422)
    # Shown at the top of the log section, where the redirect lands (#log).
    request.session[SAVED] = "Log saved."
    return RedirectResponse(f"/plan/sessions/{session_id}#log", status_code=303)
