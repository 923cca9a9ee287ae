"""The invited coach's side: the Invitations page (accept or decline) and its JSON twin.

An invitation gives access only once accepted here by a verified account with the
invited address (issue 11); until then the coach reads nothing of the athlete.
"""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from retrorun.services import coaching
from retrorun.services.errors import Conflict, PermissionDenied
from retrorun.services.records import GrantStatus
from retrorun.services.views import InvitationView
from retrorun.web.deps import Ctx, User, flash, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES, ErrorResponse

page_router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES,
                       dependencies=[Depends(optional_user)])


# Answering twice (accepting an accepted one, declining a declined one) is a conflict.
_ANSWERED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "The invitation is answered already"}}


class InvitationModel(BaseModel):
    """An athlete's invitation to the signed-in user's address."""

    id: str
    athlete_email: str
    status: GrantStatus
    created_at: dt.datetime


class InvitationsPage(BaseModel):
    email_verified: bool
    invitations: list[InvitationModel]


def _model(view: InvitationView) -> InvitationModel:
    return InvitationModel(id=view.id, athlete_email=view.athlete_email,
                           status=view.status,
                           created_at=view.created_at)


def _page(ctx: Ctx, user: User) -> InvitationsPage:
    found = coaching.list_invitations(ctx.uow(), user_id=user.id)
    return InvitationsPage(email_verified=user.email_verified_at is not None,
                           invitations=[_model(v) for v in found])


def _render(request: Request, ctx: Ctx, user: User, error: str | None = None,
            status: int = 200) -> Response:
    return render(request, "invitations.html",
                  {"view": _page(ctx, user), "errors": {"invitation": error} if error else {}},
                  status=status, json_twin="/api/v1/invitations")


@page_router.get("/invitations", response_class=HTMLResponse)
def invitations(request: Request, ctx: Ctx, user: User) -> Response:
    return _render(request, ctx, user)


def _respond(request: Request, ctx: Ctx, user: User, grant_id: str, accept: bool) -> Response:
    try:
        view = coaching.respond(ctx.uow(), user_id=user.id, grant_id=grant_id, accept=accept,
                                clock=ctx.clock)
    except PermissionDenied as error:
        return _render(request, ctx, user, f"Invitation: {error}", status=403)
    except Conflict as error:
        return _render(request, ctx, user, f"Invitation: {error.message}", status=409)
    flash(request, f"You now see {view.athlete_email}'s plan and logs." if accept
          else f"Declined: {view.athlete_email} sees that you declined.")
    return RedirectResponse("/athletes" if accept else "/invitations", status_code=303)


@page_router.post("/invitations/{grant_id}/accept", response_class=HTMLResponse)
def accept(request: Request, ctx: Ctx, user: User, grant_id: str) -> Response:
    return _respond(request, ctx, user, grant_id, accept=True)


@page_router.post("/invitations/{grant_id}/decline", response_class=HTMLResponse)
def decline(request: Request, ctx: Ctx, user: User, grant_id: str) -> Response:
    return _respond(request, ctx, user, grant_id, accept=False)


@api_router.get("/invitations", tags=["coaching"])
def list_invitations(ctx: Ctx, user: User) -> InvitationsPage:
    return _page(ctx, user)


@api_router.post("/invitations/{grant_id}/accept", tags=["coaching"], responses=_ANSWERED)
def accept_api(ctx: Ctx, user: User, grant_id: str) -> InvitationModel:
    """Accept: the athlete's plan and logs become readable (a verified email is needed)."""
    return _model(coaching.respond(ctx.uow(), user_id=user.id, grant_id=grant_id,
                                   accept=True, clock=ctx.clock))


@api_router.post("/invitations/{grant_id}/decline", tags=["coaching"], responses=_ANSWERED)
def decline_api(ctx: Ctx, user: User, grant_id: str) -> InvitationModel:
    return _model(coaching.respond(ctx.uow(), user_id=user.id, grant_id=grant_id,
                                   accept=False, clock=ctx.clock))


def install(app: FastAPI) -> None:
    app.include_router(page_router)
    app.include_router(api_router)
