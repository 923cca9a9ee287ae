"""The one place where exceptions become HTTP responses.

Every error, on every path, has the same JSON shape::

    {"error": {"status": 422, "message": "age: must be at least 8", "field": "age"}}

`field` names the input at fault (dotted for nested values, e.g. ``screen.vertigo``) or is
null. When a use case reports several wrong fields at once (a log with pain 11 and 500
backward minutes), `field` and the start of `message` are the first one's and `errors`
lists each, so a client can show every message next to its own input::

    {"error": {"status": 422, "message": "backward_minutes: ...; pain_during: ...",
               "field": "backward_minutes",
               "errors": [{"field": "backward_minutes", "message": "500 is far more ..."},
                          {"field": "pain_during", "message": "must be from 0 to 10"}]}}
 HTML pages get the same status and message rendered in ``error.html``; only
``/api/`` paths and requests that ask for JSON get the JSON body.

Web-level errors raised by the handlers themselves::

    WebError
    ├── Unauthenticated   401: nobody is signed in (HTML: redirect to sign-in)
    └── CsrfRefused       403: a form or write without a valid CSRF token

Service errors (`retrorun.services.errors`) map to 404, 403, 409, 422 and 429; a busy
password-hashing pool (`services.passwords.HashingBusy`) to 503; both with Retry-After.
Domain errors map to 422.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from retrorun.domain.errors import DomainError, InvalidProfile
from retrorun.formats import errors as format_errors
from retrorun.services import errors as service_errors
from retrorun.services.passwords import HashingBusy

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from fastapi.templating import Jinja2Templates

log = logging.getLogger("retrorun.web")


class WebError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Unauthenticated(WebError):
    status = 401


class CsrfRefused(WebError):
    status = 403


class FieldErrorBody(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    status: int
    message: str
    field: str | None = None
    errors: list[FieldErrorBody] | None = Field(
        None, description="Every wrong field, when a use case reports several at once")


class ErrorResponse(BaseModel):
    """The documented shape of every error response."""

    error: ErrorBody


# Service errors by status; their `field` attribute is used when present.
_SERVICE_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (service_errors.NotFound, 404),
    (service_errors.PermissionDenied, 403),
    (service_errors.InvalidInput, 422),
    (service_errors.Conflict, 409),
    (service_errors.InvalidCredentials, 422),
    (service_errors.RateLimited, 429),
    (HashingBusy, 503),  # every password-hashing slot taken: overload, not the caller's fault
    (service_errors.ServiceError, 400),
)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in (
        (401, "Not signed in"),
        (403, "Not allowed, or no valid CSRF token"),
        (404, "Not found"),
        (422, "Invalid input; `field` names it"),
    )
}


def status_and_field(error: Exception) -> tuple[int, str | None]:
    """The HTTP status and the field at fault for any exception we know."""
    if isinstance(error, WebError):
        return error.status, error.field
    if isinstance(error, InvalidProfile):
        return 422, error.field
    if isinstance(error, DomainError):
        return 422, None
    if isinstance(error, format_errors.UnknownFormat):
        return 404, "fmt"
    if isinstance(error, format_errors.FormatError):
        return 422, None
    for kind, status in _SERVICE_STATUS:
        if isinstance(error, kind):
            return status, getattr(error, "field", None)
    return 500, None


def retry_after(error: Exception) -> dict[str, str] | None:
    """The Retry-After header every 429 and 503 carries, HTML or JSON (RFC 9110 §10.2.3)."""
    if isinstance(error, service_errors.RateLimited | HashingBusy):
        return {"Retry-After": str(error.retry_after_seconds)}
    return None


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_json(status: int, message: str, field: str | None = None,
               headers: dict[str, str] | None = None,
               errors: list[FieldErrorBody] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(status=status, message=message, field=field,
                                         errors=errors)).model_dump()
    if errors is None:
        del body["error"]["errors"]  # the one shape every older client knows
    return JSONResponse(body, status_code=status, headers=headers)


def field_errors(error: Exception) -> list[FieldErrorBody] | None:
    """Each wrong field of a use case that reported several at once; None otherwise."""
    if isinstance(error, service_errors.InvalidFields):
        return [FieldErrorBody(field=e.field, message=e.message) for e in error.errors]
    return None


# The words of the forms' labels, for the fields whose messages a form shows under them.
# A form module with many fields keeps its own table (web.log_form.LABELS).
FORM_LABELS = {
    "max_backward_minutes_per_week": "Most backward minutes a week",
    "pain_threshold": "Pain threshold (0–10)",
    "coach_email": "Coach email",
}


def labelled(field: str, message: str, labels: dict[str, str] | None = None) -> str:
    """A message as a form shows it: the field named by its label, never by its key."""
    label = (labels or {}).get(field) or FORM_LABELS.get(field)
    return f"{label or field.replace('_', ' ').capitalize()}: {message}"


def _message(error: Exception) -> str:
    if isinstance(error, WebError):
        return error.message
    if isinstance(error, service_errors.NotFound):
        return f"{error.what.capitalize()} not found."
    return str(error) or error.__class__.__name__


# A list of ten thousand wrong items is ten thousand problems: name the first few.
_MOST_LISTED = 10


def _validation_message(error: RequestValidationError) -> tuple[str, str | None]:
    """Every problem in the message (the first one's field as `field`), so one round
    trip shows them all."""
    parts: list[str] = []
    first_field: str | None = None
    for index, problem in enumerate(error.errors()[:_MOST_LISTED]):
        loc = [str(p) for p in problem.get("loc", ())
               if p not in ("body", "query", "path", "form")]
        field = ".".join(loc) or None
        text = str(problem.get("msg", "invalid input"))
        parts.append(f"{field}: {text}" if field else text)
        if index == 0:
            first_field = field
    return "; ".join(dict.fromkeys(parts)) or "invalid input", first_field


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    """Register the exception handlers: one mapping for the whole app."""

    def render(request: Request, status: int, message: str, field: str | None,
               headers: dict[str, str] | None = None,
               errors: list[FieldErrorBody] | None = None) -> Response:
        if wants_json(request):
            return error_json(status, message, field, headers, errors)
        if status == 401:
            return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message, "field": field},
            status_code=status, headers=headers,
        )

    async def on_known(request: Request, error: Exception) -> Response:
        status, field = status_and_field(error)
        if status >= 500 and not isinstance(error, HashingBusy):
            log.exception("unexpected error", exc_info=error)
            return render(request, 500, "Something went wrong on our side.", None)
        headers = retry_after(error)
        return render(request, status, _message(error), field, headers, field_errors(error))

    async def on_http(request: Request, error: Exception) -> Response:
        if not isinstance(error, StarletteHTTPException):  # pragma: no cover
            return await on_known(request, error)
        message = error.detail if isinstance(error.detail, str) else "error"
        headers = dict(error.headers) if error.headers else None
        return render(request, error.status_code, message, None, headers)

    async def on_validation(request: Request, error: Exception) -> Response:
        if not isinstance(error, RequestValidationError):  # pragma: no cover
            return await on_known(request, error)
        message, field = _validation_message(error)
        return render(request, 422, message, field)

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    for kind in (WebError, DomainError, service_errors.ServiceError, format_errors.FormatError,
                 Exception):
        app.add_exception_handler(kind, on_known)
