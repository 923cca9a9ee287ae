"""CSRF tokens. (Sign-in rate limiting is in `services.accounts.authenticate`.)

The session itself is Starlette's signed cookie (``SessionMiddleware``: HttpOnly,
SameSite=Lax, Secure outside development), holding the signed-in user's id and a CSRF
token. Every unsafe request that a browser could forge must carry that token, either in the
``csrf_token`` form field or the ``X-CSRF-Token`` header; anonymous JSON calls to the API
carry no cookie credentials and need none.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request  # FastAPI reads the annotation at runtime

from retrorun.web.errors import CsrfRefused

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe request without the session's CSRF token (a FastAPI dependency)."""
    if request.method in SAFE_METHODS:
        return
    signed_in = "uid" in request.session
    if request.url.path.startswith("/api/") and not signed_in:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfRefused("This form has expired or did not come from retrorun: "
                          "reload the page and try again.", field=CSRF_FIELD)
