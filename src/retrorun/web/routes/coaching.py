"""Coaches and physiotherapists: the athlete invites and revokes; the coach reads and limits."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from retrorun.services import coaching
from retrorun.services.errors import Conflict, InvalidInput, NotFound
from retrorun.services.records import GrantStatus
from retrorun.web import loaders
from retrorun.web.deps import Ctx, Form, User, flash, optional_user, render
from retrorun.web.errors import labelled
from retrorun.web.field_test_form import session_panel

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])


def _number(raw: object, field: str, errors: dict[str, str]) -> int | None:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        errors[field] = labelled(field, "enter a whole number")
        return None


def _coaches(request: Request, ctx: Ctx, user: User, errors: dict[str, str] | None = None,
             email: str = "", status: int = 200) -> Response:
    view = loaders.coaches_page(ctx, user_id=user.id)
    return render(request, "coaches.html", {"view": view, "errors": errors or {},
                                            "email": email},
                  status=status, json_twin="/api/v1/coaches")


@router.get("/coaches", response_class=HTMLResponse)
def coaches(request: Request, ctx: Ctx, user: User) -> Response:
    return _coaches(request, ctx, user)


@router.post("/coaches", response_class=HTMLResponse)
def invite(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    email = str(body.get("coach_email", ""))
    try:
        loaders.invite(ctx, request, user_id=user.id, coach_email=email)
    except (InvalidInput, Conflict) as error:
        return _coaches(request, ctx, user, {error.field: f"Coach email: {error.message}"},
                        email, status=422)
    flash(request, f"{email.strip()} is invited. They see your plan and logs once they "
          "accept on their Invitations page.")
    return RedirectResponse("/coaches", status_code=303)


@router.post("/coaches/{grant_id}/revoke", response_class=HTMLResponse)
def revoke(request: Request, ctx: Ctx, user: User, grant_id: str, body: Form) -> Response:
    if body.get("confirm") != "1":  # a revoke rebuilds the plan: ask first (issue 11)
        if not any(c.id == grant_id for c in coaching.list_coaches(ctx.uow(), user_id=user.id)):
            raise NotFound("coach")
        return _coaches(request, ctx, user, {
            "confirm": "Confirm: tick \u201cYes, revoke\u201d to revoke this coach's access"},
            status=422)
    coaching.revoke_coach(ctx.uow(), user_id=user.id, grant_id=grant_id, planner=ctx.planner,
                          clock=ctx.clock)
    flash(request, "Access revoked. Their limits no longer apply to your plan.")
    return RedirectResponse("/coaches", status_code=303)


@router.get("/athletes", response_class=HTMLResponse)
def athletes(request: Request, ctx: Ctx, user: User) -> Response:
    view = loaders.athletes_page(ctx, user_id=user.id)
    flagged = coaching.flagged_athletes(ctx.uow(), user_id=user.id, clock=ctx.clock)
    waiting = [i for i in coaching.list_invitations(ctx.uow(), user_id=user.id)
               if i.status == GrantStatus.INVITED]
    return render(request, "athletes.html", {"view": view, "flagged": flagged,
                                             "waiting": waiting},
                  json_twin="/api/v1/athletes")


def _athlete(request: Request, ctx: Ctx, user: User, athlete_id: str,
             errors: dict[str, str] | None = None, status: int = 200) -> Response:
    view = loaders.athlete_page(ctx, user_id=user.id, athlete_id=athlete_id)
    flagged = coaching.athlete_flags(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                                     clock=ctx.clock)
    return render(request, "athlete.html", {
        "page": view, "view": view.plan.calendar if view.plan else None, "flagged": flagged,
        "session_base": f"/athletes/{athlete_id}/sessions", "errors": errors or {}},
        status=status, json_twin=f"/api/v1/athletes/{athlete_id}")


@router.get("/athletes/{athlete_id}", response_class=HTMLResponse)
def athlete(request: Request, ctx: Ctx, user: User, athlete_id: str) -> Response:
    return _athlete(request, ctx, user, athlete_id)


@router.post("/athletes/{athlete_id}/limits", response_class=HTMLResponse)
def set_limits(request: Request, ctx: Ctx, user: User, athlete_id: str,
               body: Form) -> Response:
    errors: dict[str, str] = {}
    minutes = _number(body.get("max_backward_minutes_per_week"),
                      "max_backward_minutes_per_week", errors)
    pain = _number(body.get("pain_threshold"), "pain_threshold", errors)
    if not errors:
        try:
            coaching.set_limits(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                                max_backward_minutes_per_week=minutes, pain_threshold=pain,
                                planner=ctx.planner, clock=ctx.clock)
        except InvalidInput as error:
            errors[error.field] = labelled(error.field, error.message)
    if errors:
        return _athlete(request, ctx, user, athlete_id, errors, status=422)
    flash(request, "Limits saved; the athlete's plan now honours them.")
    return RedirectResponse(f"/athletes/{athlete_id}", status_code=303)


@router.get("/athletes/{athlete_id}/sessions/{session_id}", response_class=HTMLResponse)
def athlete_session(request: Request, ctx: Ctx, user: User, athlete_id: str,
                    session_id: str) -> Response:
    screen = loaders.session_screen(ctx, user_id=user.id, session_id=session_id,
                                    athlete_id=athlete_id)
    if screen.page.athlete_id != athlete_id:
        raise NotFound("session")
    return render(request, "session.html", {
        "view": screen.page.session, "card": screen.card, "exercises": screen.exercises,
        "can_log": False, "back_url": f"/athletes/{athlete_id}",
        "field_tests": session_panel(ctx, user_id=user.id, session_id=session_id,
                                     athlete_id=athlete_id)},
        json_twin=f"/api/v1/athletes/{athlete_id}/sessions/{session_id}")
