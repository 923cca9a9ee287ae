"""What the handlers need from the request: the services, the signed-in user, rendering.

Handlers stay thin: they parse, call one use case with `ctx.uow()` and the ports it needs,
and render a view model with `render` (HTML) or return it (JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from fastapi import Depends, Request
from starlette.datastructures import FormData

from retrorun.services import accounts
from retrorun.services.errors import NotFound
from retrorun.services.views import UserView
from retrorun.web import free_plan
from retrorun.web.errors import Unauthenticated
from retrorun.web.security import csrf_token

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates
    from starlette.responses import Response

    from retrorun.services.accounts import AccountPolicy
    from retrorun.services.ports import (
        Clock,
        Mailer,
        PasswordHasher,
        Planner,
        TokenFactory,
        UnitOfWork,
    )


class Services(Protocol):
    """The ports the web shell hands to the use cases (built by bootstrap)."""

    @property
    def planner(self) -> Planner: ...
    @property
    def hasher(self) -> PasswordHasher: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def tokens(self) -> TokenFactory: ...
    @property
    def policy(self) -> AccountPolicy: ...

    def uow(self) -> UnitOfWork: ...


async def services(request: Request) -> Services:
    ctx: Services = request.app.state.services
    return ctx


def _session_user(request: Request, ctx: Services) -> UserView | None:
    uid = request.session.get("uid")
    if not isinstance(uid, str):
        return None
    try:
        user = accounts.get_user(ctx.uow(), user_id=uid)
    except NotFound:
        user = None
    # A password change elsewhere (or a deleted account) ends this browser's session.
    if user is None or request.session.get("cred") != user.credentials_changed_at.isoformat():
        request.session.pop("uid", None)
        request.session.pop("cred", None)
        return None
    return user


def optional_user(request: Request,
                  ctx: Annotated[Services, Depends(services)]) -> UserView | None:
    if not hasattr(request.state, "user"):
        request.state.user = _session_user(request, ctx)
    user: UserView | None = request.state.user
    return user


async def required_user(user: Annotated[UserView | None, Depends(optional_user)]) -> UserView:
    if user is None:
        raise Unauthenticated("Sign in first.")
    return user


def signed_in_user(request: Request, ctx: Services) -> UserView:
    """`required_user` for a sync handler to call itself: the session check then runs in
    the handler's worker thread rather than in a thread hand-off of its own (the plan
    page and its twin, the most visited, save one)."""
    user = optional_user(request, ctx)
    if user is None:
        raise Unauthenticated("Sign in first.")
    return user


def sign_in_session(request: Request, user: UserView) -> None:
    """Start a fresh session for the user (a new CSRF token too: no fixation). A pending
    free plan and its calendar key stay, so the user can keep the plan."""
    keep = free_plan.carried_into_sign_in(request.session)
    request.session.clear()
    request.session["uid"] = user.id
    request.session["cred"] = user.credentials_changed_at.isoformat()
    request.session.update(keep)
    request.state.user = user
    csrf_token(request)


def sign_out_session(request: Request) -> None:
    request.session.clear()
    request.state.user = None


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message


def client_key(request: Request) -> str:
    return request.client.host if request.client else ""


Ctx = Annotated[Services, Depends(services)]
User = Annotated[UserView, Depends(required_user)]
MaybeUser = Annotated[UserView | None, Depends(optional_user)]


async def form_data(request: Request) -> FormData:
    """The parsed form, read in the event loop so the handler itself can be sync."""
    return await request.form()


Form = Annotated[FormData, Depends(form_data)]


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *,
           status: int = 200, json_twin: str | None = None) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    base = {
        "user": getattr(request.state, "user", None),
        "csrf": csrf_token(request),
        "flash": request.session.pop("flash", None),
        "json_twin": json_twin,
    }
    return templates.TemplateResponse(request, template, {**base, **(context or {})},
                                      status_code=status)
