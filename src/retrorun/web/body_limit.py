"""The request guard: a body cap (413) and control characters in text (422/404).

A pure ASGI middleware, inside the session middleware and outside the routes. It reads
the whole body first, up to `max_body_bytes` (the setting RETRORUN_MAX_BODY_BYTES):
a larger Content-Length is refused before a byte is read, and a chunked body (no
Content-Length) is refused as soon as it passes the cap, so nothing big is ever parsed.
The body is then checked for control characters (`text_guard`) and handed on unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from retrorun.web import calendar_form, log_form, profile_form, text_guard
from retrorun.web.errors import labelled

# A page's message names the field by the words of its form (label), not its key.
_LABELS = {**profile_form.LABELS, **log_form.LABELS, **calendar_form.LABELS}

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

_FORM = b"application/x-www-form-urlencoded"


class _TooLarge(Exception):
    pass


class RequestGuard:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int,
                 templates: Jinja2Templates) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = (text_guard.check_path(scope["path"])
                   or text_guard.check_query(scope.get("query_string", b"")))
        if refusal is not None:
            await self._refuse(scope, refusal, send)
            return
        if _declared_length(scope) > self.max_body_bytes:
            await self._refuse(scope, self._too_large(), send)
            return
        try:
            body, closing = await self._read(receive)
        except _TooLarge:
            await self._refuse(scope, self._too_large(), send)
            return
        refusal = _check_body(scope, body)
        if refusal is not None:
            await self._refuse(scope, refusal, send)
            return
        await self.app(scope, _replay(body, closing, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes, Message | None]:
        """The whole body, or _TooLarge; and a disconnect that came instead of it."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), message  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None

    def _too_large(self) -> text_guard.Refusal:
        return text_guard.Refusal(
            413, None, f"The request body is larger than {self.max_body_bytes} bytes.")

    async def _refuse(self, scope: Scope, refusal: text_guard.Refusal, send: Send) -> None:
        request = Request(scope)
        response: Response
        if _wants_json(scope):
            body: dict[str, object] = {"status": refusal.status, "message": refusal.message,
                                       "field": refusal.field}
            response = JSONResponse({"error": body}, status_code=refusal.status)
        else:
            message = (labelled(refusal.field, refusal.problem, _LABELS)
                       if refusal.field and refusal.problem else refusal.message)
            response = self.templates.TemplateResponse(
                request, "error.html", {"status": refusal.status, "message": message,
                                        "field": refusal.field},
                status_code=refusal.status)
        if refusal.status == 413:
            response.headers["Connection"] = "close"  # the rest of the body is not read
        await response(scope, _no_receive, send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # the server refuses a malformed length itself
    return 0


def _header(scope: Scope, wanted: bytes) -> bytes:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return bytes(value)
    return b""


def _wants_json(scope: Scope) -> bool:
    # The same rule as web.errors.wants_json, on the raw scope.
    path: str = scope["path"]
    if path.startswith("/api/") or path.endswith(".json"):
        return True
    accept = _header(scope, b"accept").decode("latin-1")
    return "application/json" in accept and "text/html" not in accept


def _check_body(scope: Scope, body: bytes) -> text_guard.Refusal | None:
    if not body:
        return None
    kind = _header(scope, b"content-type").split(b";")[0].strip().lower()
    if kind == _FORM:
        return text_guard.check_form(body)
    if kind == b"application/json" or kind.endswith(b"+json"):
        return text_guard.check_json(body)
    return None


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def _replay(body: bytes, closing: Message | None, receive: Receive) -> Receive:
    """A receive that gives the read body once, then what the client sends next."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if closing is not None:
            return closing
        return await receive()

    return replayed
