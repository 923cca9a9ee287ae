"""What the handlers need from the request: the services, the signed-in user, rendering.

Handlers stay thin: they parse, call one use case with `ctx.uow()` and the ports it needs,
and render a view model with `render` (HTML) or return it (JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from fastapi import Depends, Request
from starlette.datastructures import FormData

from retrorun.services import sessions, throttle
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
    """The session's user, if its server-side session (`services.sessions`) is active:
    signing out, a password change or reset, ending it from the account page, or
    deleting the account ends it, for every copy of the cookie."""
    uid, token = request.session.get("uid"), request.session.get("sid")
    if not isinstance(uid, str):
        return None
    found = sessions.current(ctx.uow(), token=token, clock=ctx.clock) if isinstance(
        token, str) else None
    # An unconfirmed account has no sign-in (issue 11); a session it held from before
    # that rule ends here.
    if found is None or found.user.id != uid or found.user.email_verified_at is None:
        for key in ("uid", "sid", "cred"):
            request.session.pop(key, None)
        return None
    request.state.session_id = found.session_id
    return found.user


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
    ctx: Services = request.app.state.services
    before = request.session.get("sid")
    token = sessions.start(ctx.uow(), user_id=user.id,
                           user_agent=request.headers.get("user-agent", ""),
                           tokens=ctx.tokens, clock=ctx.clock,
                           replacing=before if isinstance(before, str) else None)
    request.session.clear()
    request.session["uid"] = user.id
    request.session["sid"] = token  # the cookie is signed; the database keeps its hash
    request.session.update(keep)
    request.state.user = user
    csrf_token(request)


def sign_out_session(request: Request) -> None:
    """End this browser's server-side session (a copied cookie dies with it), then
    forget the cookie's contents."""
    token = request.session.get("sid")
    if isinstance(token, str):
        ctx: Services = request.app.state.services
        sessions.end_current(ctx.uow(), token=token, clock=ctx.clock)
    request.session.clear()
    request.state.user = None


def current_session_id(request: Request) -> str | None:
    """The id of the signed-in request's session (set by the session check)."""
    session_id: str | None = getattr(request.state, "session_id", None)
    return session_id


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message


def client_key(request: Request) -> str:
    """The caller's address for throttling: the socket peer, or X-Forwarded-For when the
    peer is one of RETRORUN_TRUSTED_PROXIES (`throttle.client_address`)."""
    peer = request.client.host if request.client else ""
    trusted = request.app.state.settings.trusted_networks
    return throttle.client_address(peer, request.headers.getlist("x-forwarded-for"), trusted)


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
