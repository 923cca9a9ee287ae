"""Accounts: sign up, sign in and out, change and reset the password, delete the account."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from retrorun.services import accounts
from retrorun.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    RateLimited,
)
from retrorun.web import free_plan
from retrorun.web.deps import (
    Ctx,
    Form,
    User,
    client_key,
    flash,
    optional_user,
    render,
    sign_in_session,
    sign_out_session,
)

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


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, ctx: Ctx, body: Form) -> Response:
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    try:
        user = accounts.sign_up(ctx.uow(), email=email, password=password,
                                hasher=ctx.hasher, clock=ctx.clock, policy=ctx.policy)
    except (InvalidInput, Conflict) as error:
        field, message = _field_message(error, "email")
        return _form(request, "signup.html", errors={field: message},
                     values={"email": email}, status=422)
    sign_in_session(request, user)
    if free_plan.keep(request.session, ctx, user_id=user.id):
        flash(request, "Welcome! Your plan is saved. Log each session from its page.")
        return RedirectResponse("/plan", status_code=303)
    flash(request, "Welcome! Now get your plan.")
    return RedirectResponse("/plan/new", status_code=303)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, keep: bool = False,
                next: str = "/plan") -> Response:
    return _form(request, "signin.html", keep=keep, next=_safe_next(next))


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, ctx: Ctx, body: Form) -> Response:
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    target = _safe_next(body.get("next"))
    keep = body.get("keep") == "1"
    try:
        user = accounts.authenticate(ctx.uow(), email=email, password=password,
                                     hasher=ctx.hasher, clock=ctx.clock,
                                     client=client_key(request), policy=ctx.policy)
    except InvalidCredentials:
        return _form(request, "signin.html", errors={"email": "Email or password is wrong."},
                     values={"email": email}, keep=keep, next=target, status=422)
    except RateLimited as error:
        return _form(request, "signin.html", errors={"email": str(error).capitalize() + "."},
                     values={"email": email}, keep=keep, next=target, status=429)
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


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, _user: User) -> Response:
    return _form(request, "account.html")


@router.post("/account/password", response_class=HTMLResponse)
def change_password(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    try:
        updated = accounts.change_password(
            ctx.uow(), user_id=user.id, current_password=str(body.get("current_password", "")),
            new_password=str(body.get("new_password", "")), hasher=ctx.hasher, clock=ctx.clock,
            policy=ctx.policy)
    except (InvalidInput, InvalidCredentials) as error:
        field, message = _field_message(error, "current_password")
        return _form(request, "account.html", errors={field: message}, status=422)
    sign_in_session(request, updated)  # other browsers are signed out; this one stays
    flash(request, "Password changed. Other browsers signed in to your account are signed out.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/delete", response_class=HTMLResponse)
def delete_account(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    try:
        accounts.delete_account(ctx.uow(), user_id=user.id,
                                password=str(body.get("password", "")), hasher=ctx.hasher)
    except InvalidCredentials as error:
        field, message = _field_message(error, "password")
        return _form(request, "account.html", errors={field: message}, status=422)
    sign_out_session(request)
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
                                        policy=ctx.policy)
    except InvalidInput as error:
        field, message = _field_message(error, "email")
        return _form(request, "reset_request.html", errors={field: message},
                     values={"email": email}, status=422)
    return _form(request, "reset_request.html", sent=True)


@router.get("/reset/confirm", response_class=HTMLResponse)
def reset_confirm_page(request: Request, token: str = "") -> Response:
    return _form(request, "reset_confirm.html", token=token)


@router.post("/reset/confirm", response_class=HTMLResponse)
def reset_confirm(request: Request, ctx: Ctx, body: Form) -> Response:
    token = str(body.get("token", ""))
    try:
        user = accounts.reset_password(ctx.uow(), token=token,
                                       new_password=str(body.get("new_password", "")),
                                       hasher=ctx.hasher, clock=ctx.clock, policy=ctx.policy)
    except InvalidInput as error:
        field, message = _field_message(error, "new_password")
        return _form(request, "reset_confirm.html", errors={field: message}, token=token,
                     status=422)
    sign_in_session(request, user)
    flash(request, "Your new password is set and you are signed in.")
    return RedirectResponse("/plan", status_code=303)
