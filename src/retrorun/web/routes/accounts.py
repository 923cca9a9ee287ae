"""Accounts: sign up, sign in and out, change and reset the password, delete the account."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from retrorun.services import accounts, sessions, verification
from retrorun.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    RateLimited,
    Unconfirmed,
)
from retrorun.services.passwords import HashingBusy
from retrorun.services.views import UserView
from retrorun.web import device, free_plan
from retrorun.web.deps import (
    Ctx,
    Form,
    User,
    client_key,
    current_session_id,
    flash,
    optional_user,
    render,
    sign_in_session,
    sign_out_session,
)
from retrorun.web.hashing import run_hashing

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])


def _safe_next(target: object) -> str:
    """Only local paths: never redirect a signed-in user to another site."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/plan"


def _form(request: Request, template: str, *, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None, status: int = 200,
          **extra: Any) -> Response:
    return render(request, template, {"errors": errors or {}, "values": values or {}, **extra},
                  status=status)


def _field_message(error: InvalidInput | Conflict | InvalidCredentials,
                   default_field: str) -> tuple[str, str]:
    if isinstance(error, InvalidInput | Conflict):
        return error.field, f"{error.field.replace('_', ' ').capitalize()}: {error.message}"
    field, _, message = str(error).partition(": ")
    if message:
        return field, f"{field.replace('_', ' ').capitalize()}: {message}"
    return default_field, str(error).capitalize()


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, keep: bool = False) -> Response:
    return _form(request, "signup.html", keep=keep)


def verify_link(request: Request) -> str:
    return str(request.app.state.settings.public_url) + "/verify?token={token}"


@router.post("/signup", response_class=HTMLResponse)
async def signup(request: Request, ctx: Ctx, body: Form) -> Response:
    """One answer for a new and a taken address (issue 11): "check your mail". Async:
    the password is hashed in the hashing pool (`web.hashing`), as at sign-in."""
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    try:
        await run_in_threadpool(accounts.limit_sign_ups, ctx.uow(), client=client_key(request),
                                clock=ctx.clock, policy=ctx.policy)
        await run_hashing(
            request, verification.register, ctx.uow(), email=email, password=password,
            hasher=ctx.hasher, clock=ctx.clock, mailer=ctx.mailer, tokens=ctx.tokens,
            verify_link=verify_link(request),
            signin_link=request.app.state.settings.public_url + "/signin", policy=ctx.policy)
    except InvalidInput as error:
        field, message = _field_message(error, "email")
        return _form(request, "signup.html", errors={field: message},
                     values={"email": email}, status=422)
    return _form(request, "signup.html", sent=True, values={"email": email.strip()})


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, ctx: Ctx, token: str = "") -> Response:
    if not verification.check_token(ctx.uow(), token=token, clock=ctx.clock):
        return _form(request, "verify.html", invalid=True, status=400)
    return _form(request, "verify.html", token=token)


@router.post("/verify", response_class=HTMLResponse)
def verify(request: Request, ctx: Ctx, body: Form) -> Response:
    try:
        user = verification.verify(ctx.uow(), token=body.get("token"), clock=ctx.clock)
    except InvalidInput:
        return _form(request, "verify.html", invalid=True, status=400)
    sign_in_session(request, user)  # the mailed link proves the address: signed in
    if free_plan.keep(request.session, ctx, user_id=user.id):
        flash(request, "Email confirmed. Your plan is saved. Log each session from its page.")
        return RedirectResponse("/plan", status_code=303)
    flash(request, "Email confirmed. Welcome! Now get your plan.")
    return RedirectResponse("/plan/new", status_code=303)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, keep: bool = False,
                next: str = "/plan") -> Response:
    return _form(request, "signin.html", keep=keep, next=_safe_next(next))


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request, ctx: Ctx, body: Form) -> Response:
    """Async: the password check runs in the hashing pool (`web.hashing`), not in the
    worker threads the other pages share; the rest in those threads, as before."""
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    target = _safe_next(body.get("next"))
    keep = body.get("keep") == "1"
    try:
        user = await run_hashing(request, accounts.authenticate, ctx.uow(), email=email,
                                 password=password, hasher=ctx.hasher, clock=ctx.clock,
                                 client=client_key(request), policy=ctx.policy,
                                 known_device=device.known(request, email))
    except InvalidCredentials:
        return _form(request, "signin.html", errors={"email": "Email or password is wrong."},
                     values={"email": email}, keep=keep, next=target, status=422)
    except Unconfirmed as unconfirmed:
        # Only someone who knows the password hears this, so it tells a stranger nothing.
        sent = await run_in_threadpool(
            verification.resend, ctx.uow(), user_id=unconfirmed.user_id, clock=ctx.clock,
            mailer=ctx.mailer, tokens=ctx.tokens, verify_link=verify_link(request),
            policy=ctx.policy)
        note = ("We mailed you a new link." if sent
                else "We mailed you a link a short while ago; it is in your inbox or spam.")
        return _form(request, "signin.html", values={"email": email}, keep=keep, next=target,
                     errors={"email": "Confirm your email address first: open the link we "
                                      f"mailed to {unconfirmed.email}. {note}"},
                     status=403)
    except (RateLimited, HashingBusy) as error:
        refused = _form(request, "signin.html",
                        errors={"email": str(error).capitalize() + "."},
                        values={"email": email}, keep=keep, next=target,
                        status=429 if isinstance(error, RateLimited) else 503)
        refused.headers["Retry-After"] = str(error.retry_after_seconds)
        return refused
    response = await run_in_threadpool(_signed_in, request, ctx, user, keep, target)
    device.remember(request, response, user.email)  # goes first next time (web.hashing)
    return response


def _signed_in(request: Request, ctx: Ctx, user: UserView, keep: bool,
               target: str) -> Response:
    sign_in_session(request, user)
    try:
        kept = keep and free_plan.keep(request.session, ctx, user_id=user.id)
    except Conflict:  # a plan is kept already: ask before the preview replaces it
        return RedirectResponse("/plan/replace", status_code=303)
    if kept:
        flash(request, "Your new plan is saved.")
        return RedirectResponse("/plan", status_code=303)
    return RedirectResponse(target, status_code=303)


@router.post("/signout")
def signout(request: Request) -> Response:
    sign_out_session(request)
    return RedirectResponse("/", status_code=303)


def _account(request: Request, ctx: Ctx, user: User, *,
             errors: dict[str, str] | None = None, status: int = 200) -> Response:
    listed = sessions.active(ctx.uow(), user_id=user.id,
                             current_id=current_session_id(request), clock=ctx.clock)
    return _form(request, "account.html", errors=errors, status=status, sessions=listed)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, ctx: Ctx, user: User) -> Response:
    return _account(request, ctx, user)


@router.post("/account/sessions/{session_id}/end", response_class=HTMLResponse)
def end_session(request: Request, ctx: Ctx, user: User, session_id: str) -> Response:
    """Sign out one browser (ending this one is signing out). Another user's session, or
    one ended already, is a 404 like any id that is not the user's."""
    sessions.end_one(ctx.uow(), user_id=user.id, session_id=session_id, clock=ctx.clock)
    if session_id == current_session_id(request):
        sign_out_session(request)
        return RedirectResponse("/", status_code=303)
    flash(request, "That session is ended: the browser must sign in again.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sessions/end-others", response_class=HTMLResponse)
def end_other_sessions(request: Request, ctx: Ctx, user: User) -> Response:
    current = current_session_id(request)
    ended = sessions.end_others(ctx.uow(), user_id=user.id, keep=current or "",
                                clock=ctx.clock) if current else 0
    flash(request, f"Signed out everywhere else ({ended} other "
                   f"session{'' if ended == 1 else 's'} ended).")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    """Async, like every handler that hashes: the hashing runs in its own pool."""
    try:
        updated = await run_hashing(
            request, accounts.change_password, ctx.uow(), user_id=user.id,
            current_password=str(body.get("current_password", "")),
            new_password=str(body.get("new_password", "")), hasher=ctx.hasher, clock=ctx.clock,
            policy=ctx.policy, client=client_key(request),
            keep_session=current_session_id(request))
    except (InvalidInput, InvalidCredentials) as error:
        field, message = _field_message(error, "current_password")
        return await run_in_threadpool(_account, request, ctx, user, errors={field: message},
                                       status=422)
    request.state.user = updated  # other sessions ended; this one stays
    flash(request, "Password changed. Other browsers signed in to your account are signed out.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/delete", response_class=HTMLResponse)
async def delete_account(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    try:
        await run_hashing(request, accounts.delete_account, ctx.uow(), user_id=user.id,
                          password=str(body.get("password", "")), hasher=ctx.hasher)
    except InvalidCredentials as error:
        field, message = _field_message(error, "password")
        return await run_in_threadpool(_account, request, ctx, user, errors={field: message},
                                       status=422)
    await run_in_threadpool(sign_out_session, request)
    flash(request, "Your account and all its data are deleted.")
    return RedirectResponse("/", status_code=303)


@router.get("/reset", response_class=HTMLResponse)
def reset_request_page(request: Request) -> Response:
    return _form(request, "reset_request.html")


@router.post("/reset", response_class=HTMLResponse)
def reset_request(request: Request, ctx: Ctx, body: Form) -> Response:
    email = str(body.get("email", ""))
    link = request.app.state.settings.public_url + "/reset/confirm?token={token}"
    try:
        accounts.request_password_reset(ctx.uow(), email=email, tokens=ctx.tokens,
                                        mailer=ctx.mailer, clock=ctx.clock, reset_link=link,
                                        policy=ctx.policy, client=client_key(request))
    except InvalidInput as error:
        field, message = _field_message(error, "email")
        return _form(request, "reset_request.html", errors={field: message},
                     values={"email": email}, status=422)
    return _form(request, "reset_request.html", sent=True)


@router.get("/reset/confirm", response_class=HTMLResponse)
def reset_confirm_page(request: Request, ctx: Ctx, token: str = "") -> Response:
    """A used, expired or garbage link says so at once, with no form to fill in vain."""
    if not accounts.reset_token_valid(ctx.uow(), token=token, clock=ctx.clock):
        return _form(request, "reset_confirm.html", invalid=True, status=400)
    return _form(request, "reset_confirm.html", token=token)


@router.post("/reset/confirm", response_class=HTMLResponse)
async def reset_confirm(request: Request, ctx: Ctx, body: Form) -> Response:
    token = str(body.get("token", ""))
    try:
        user = await run_hashing(request, accounts.reset_password, ctx.uow(), token=token,
                                 new_password=str(body.get("new_password", "")),
                                 hasher=ctx.hasher, clock=ctx.clock, policy=ctx.policy)
    except InvalidInput as error:
        if error.field == "token":
            return _form(request, "reset_confirm.html", invalid=True, status=400)
        field, message = _field_message(error, "new_password")
        return _form(request, "reset_confirm.html", errors={field: message}, token=token,
                     status=422)
    await run_in_threadpool(sign_in_session, request, user)
    flash(request, "Your new password is set and you are signed in.")
    return RedirectResponse("/plan", status_code=303)
