"""The free plan's state in the browser's session cookie (signed): the wizard's answers,
and the calendar identity of the plan built from them.

A browser without an account keeps two entries:

- `PENDING`: the answers; every preview page and download rebuilds the plan from them.
- `FREE_CALENDAR`: ``{"key": ..., "made_at": ...}``. The key goes into every calendar
  UID and watch-workout serial of the free plan's downloads (`ExportOptions.plan_key`).
  It is random, made on the first preview, and kept while the answers change, through
  signing up or in, and when the preview is kept: the stored plan takes it
  (`plans.create_plan(calendar_key=...)`), so its calendar, feed and downloads update the
  events the free download added instead of adding a second copy of each. `made_at` is
  when the answers last changed; it is the free downloads' DTSTAMP (and the PDF's date).

SEQUENCE: the free plan keeps no server-side state, so its events always carry SEQUENCE 0
(a count kept in the cookie would put it above the stored plan's feed, which starts at 0
after sign-up, and calendars would then ignore the feed). RFC 5545/5546 clients take an
event with the same UID and SEQUENCE and a later DTSTAMP as an update: a changed free plan
downloaded again has a later `made_at`, and the stored plan after sign-up has a later
`updated_at`. The limit: a client that compares SEQUENCE only, or ignores a re-imported
UID, keeps its first copy (no duplicate, but not updated); the subscription feed, whose
SEQUENCE rises with each change, has no such limit.

The API's stateless free export (POST /api/v1/plans/preview/export/FMT) has no session:
it keeps the default key, a hash of the plan's inputs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrorun.services import plans

if TYPE_CHECKING:
    from retrorun.web.deps import Services

Session = MutableMapping[str, Any]

PENDING = "pending_profile"
FREE_CALENDAR = "free_calendar"
KEY_BYTES = 8  # 16 hex digits: 64 random bits, the length of the default content key
_KEY = re.compile(r"[0-9a-f]{16,32}")  # services accept the same (a kept plan's id: 32)


@dataclass(frozen=True, slots=True)
class FreeCalendar:
    key: str
    made_at: dt.datetime  # timezone-aware


def answers(session: Session) -> dict[str, Any] | None:
    """The answers this browser gave in the wizard, if any."""
    data = session.get(PENDING)
    return data if isinstance(data, dict) else None


def remember_answers(session: Session, data: dict[str, Any], now: dt.datetime) -> None:
    """Keep the wizard's answers. Changed answers are a new version of the free plan (made
    now) under the same calendar key; the same answers again change nothing."""
    unchanged = session.get(PENDING) == json.loads(json.dumps(data))
    session[PENDING] = data
    state = _state(session)
    if not unchanged or "made_at" not in state:
        state["made_at"] = now.isoformat()
    session[FREE_CALENDAR] = state


def free_calendar(session: Session, now: dt.datetime) -> FreeCalendar:
    """The free plan's calendar key and version time. A browser that previewed before
    keys existed gets them now (and keeps them)."""
    state = _state(session)
    made_at = _made_at(state.get("made_at"))
    if made_at is None:
        made_at = now
        state["made_at"] = now.isoformat()
    session[FREE_CALENDAR] = state
    return FreeCalendar(key=state["key"], made_at=made_at)


def carried_into_sign_in(session: Session) -> dict[str, Any]:
    """What a fresh sign-in session keeps from the old one: a pending plan and its
    calendar, so signing up or in can keep the plan with its UIDs. Without a pending plan
    nothing is kept: the next preview is another person's, maybe, with a key of its own."""
    if answers(session) is None:
        return {}
    return {name: session[name] for name in (PENDING, FREE_CALENDAR) if name in session}


def keep(session: Session, ctx: Services, *, user_id: str, replace: bool = False) -> bool:
    """Store the pending free plan as the user's plan, with its calendar key; False when
    this browser has no pending plan. Over a kept plan only with `replace` (the old one
    stays in the history); else Conflict("plan"), and the answers stay pending.

    A new plan takes the browser's key; a replaced plan keeps its own (its calendar must
    not change UIDs), and the browser takes that one instead, so its next preview's
    downloads match the stored calendar too.
    """
    data = answers(session)
    if data is None:
        return False
    calendar = free_calendar(session, ctx.clock.now())
    view = plans.create_plan(ctx.uow(), user_id=user_id, profile_data=data,
                             planner=ctx.planner, clock=ctx.clock, calendar_key=calendar.key,
                             replace=replace)
    session.pop(PENDING, None)
    session[FREE_CALENDAR] = {**_state(session), "key": view.plan_key}
    return True


def new_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def _state(session: Session) -> dict[str, Any]:
    """The calendar entry, with a key (made if missing or not one of ours)."""
    stored = session.get(FREE_CALENDAR)
    state = dict(stored) if isinstance(stored, dict) else {}
    key = state.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        state["key"] = new_key()
    return state


def _made_at(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        made = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return made if made.tzinfo is not None else None
