"""Device cookies: a browser that signed in to an account before is recognised the next
time it signs in to that account, so its sign-in goes ahead of a flood (`web.hashing`).

The cookie holds, for each of the last few accounts signed in from this browser, an
HMAC of the email under a key derived from the app secret: nobody can make one for an
account without the secret, and the cookie does not say which accounts it names. It is
a queueing hint only: the password is checked as always, and the throttle's limits
apply as always.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from fastapi import Request, Response

COOKIE = "retrorun_device"
MAX_AGE_SECONDS = 365 * 24 * 3600  # [A] a year: a runner signs in again after a season off
MAX_ACCOUNTS = 5  # [A] a shared family tablet; more is not a person's browser
_PURPOSE = b"retrorun device cookie v1"
_DIGEST_CHARACTERS = 22  # 132 bits of the HMAC, URL-safe base64


def _key(request: Request) -> bytes:
    secret = request.app.state.settings.secret_key.get_secret_value()
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def _digest(key: bytes, email: str) -> str:
    mac = hmac.new(key, email.strip().lower().encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:_DIGEST_CHARACTERS]


def _remembered(request: Request) -> list[str]:
    value = request.cookies.get(COOKIE, "")
    return [part for part in value.split(".") if len(part) == _DIGEST_CHARACTERS][
        :MAX_ACCOUNTS]


def known(request: Request, email: object) -> bool:
    """Whether this browser signed in to the account with `email` before."""
    if not isinstance(email, str) or not email.strip():
        return False
    mine = _digest(_key(request), email)
    return any(hmac.compare_digest(mine, seen) for seen in _remembered(request))


def remember(request: Request, response: Response, email: str) -> None:
    """After a successful sign-in: this account first, the oldest others dropped."""
    mine = _digest(_key(request), email)
    kept = [mine, *(seen for seen in _remembered(request) if seen != mine)][:MAX_ACCOUNTS]
    response.set_cookie(COOKIE, ".".join(kept), max_age=MAX_AGE_SECONDS, httponly=True,
                        secure=not request.app.state.settings.development, samesite="lax")
