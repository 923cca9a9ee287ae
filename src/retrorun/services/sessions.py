"""Server-side sign-in sessions (issue 11 finding 2): a session ends when it is ended.

The browser's cookie carries a random token; the database keeps its sha256 only
(`user_sessions`). Every signed-in request looks the session up, so signing out, a
password change or reset, or "end this session" on the account page takes effect at the
next request, even for a copy of the cookie taken before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrorun.services.errors import NotFound
from retrorun.services.views import UserView

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrorun.services.ports import Clock, TokenFactory, UnitOfWork
    from retrorun.services.records import SessionRecord

# last_seen_at is written at most this often per session [A]: a minute is precise enough
# for "last seen" on the account page and keeps a busy browser to one write a minute.
TOUCH_EVERY = dt.timedelta(minutes=1)
# As the session cookie's max age (web.app.SESSION_MAX_AGE, renewed by every answer): a
# session not seen for that long has no live cookie, so it is neither valid nor listed.
IDLE_LIMIT = dt.timedelta(days=14)
# Ended sessions are kept this long (for support questions), then purged at a sign-in [A].
ENDED_KEPT = dt.timedelta(days=30)


def token_hash(token: str) -> str:
    """What the database keeps of a session token: a copy of the table signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The user a session token belongs to, and that session's id."""

    user: UserView
    session_id: str


@dataclass(frozen=True, slots=True)
class BrowserSessionView:
    """One active session, as the account page lists it."""

    id: str
    device: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool


def start(uow: UnitOfWork, *, user_id: str, user_agent: str, tokens: TokenFactory,
          clock: Clock, replacing: str | None = None) -> str:
    """A new session for the user; its token (for the cookie only). `replacing`, the
    token this browser carried before, is ended: a fresh token at each sign-in, so a
    token planted before it (fixation) is worth nothing after."""
    token = tokens.new_token()
    with uow:
        now = clock.now()
        if replacing:
            _end_by_token(uow, replacing, now)
        uow.sessions.purge_ended(now - ENDED_KEPT)
        uow.sessions.add(user_id=user_id, token_hash=token_hash(token),
                         user_agent=user_agent, at=now)
        uow.commit()
    return token


def current(uow: UnitOfWork, *, token: str, clock: Clock) -> SignedIn | None:
    """The signed-in user of this token, or None if the session ended, went idle past
    IDLE_LIMIT, or its account is gone. Touches `last_seen_at` at most every TOUCH_EVERY."""
    now = clock.now()
    with uow.read_only():
        session = uow.sessions.by_token_hash(token_hash(token))
        if session is None or not _alive(session, now):
            return None
        user = uow.users.get(session.user_id)
        if user is None:
            return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        with uow:
            uow.sessions.touch(session.id, now)
            uow.commit()
    return SignedIn(UserView.of(user), session.id)


def end_current(uow: UnitOfWork, *, token: str, clock: Clock) -> None:
    """Sign out: the session of this token ends (nothing happens for an unknown one)."""
    with uow:
        _end_by_token(uow, token, clock.now())
        uow.commit()


def end_one(uow: UnitOfWork, *, user_id: str, session_id: str, clock: Clock) -> None:
    """End one of the user's own active sessions; NotFound for any other id."""
    with uow:
        if not uow.sessions.end(user_id, session_id, clock.now()):
            raise NotFound("session")
        uow.commit()


def end_others(uow: UnitOfWork, *, user_id: str, keep: str, clock: Clock) -> int:
    """End every active session of the user but `keep`; how many ended."""
    with uow:
        ended = uow.sessions.end_all(user_id, clock.now(), keep=keep)
        uow.commit()
        return ended


def active(uow: UnitOfWork, *, user_id: str, current_id: str | None,
           clock: Clock) -> Sequence[BrowserSessionView]:
    """The user's active sessions, most recently seen first."""
    now = clock.now()
    with uow.read_only():
        found = uow.sessions.active_for(user_id)
    return [BrowserSessionView(s.id, device(s.user_agent), s.created_at, s.last_seen_at,
                               s.id == current_id)
            for s in found if _alive(s, now)]


def _alive(session: SessionRecord, now: dt.datetime) -> bool:
    return session.ended_at is None and now - session.last_seen_at < IDLE_LIMIT


def _end_by_token(uow: UnitOfWork, token: str, at: dt.datetime) -> None:
    session = uow.sessions.by_token_hash(token_hash(token))
    if session is not None:
        uow.sessions.end(session.user_id, session.id, at)


# Most specific first: Edge and Opera say "Chrome", Chrome says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("CriOS/", "Chrome"), ("Safari/", "Safari"),
             ("curl/", "curl"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def device(user_agent: str) -> str:
    """A short name for the browser and system of a User-Agent, e.g. "Firefox on Linux";
    "Unknown device" when it names neither."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return str(browser or system)
    words = re.findall(r"[A-Za-z][\w.-]{1,30}", user_agent)
    return words[0] if words else "Unknown device"
