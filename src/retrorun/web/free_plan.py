"""The free plan's state: the wizard's answers, kept on the server, and the calendar
identity of the plan built from them, in the browser's session cookie (signed).

A browser without an account keeps two entries in its cookie:

- `DRAFT`: an opaque id of the answers, which live in `wizard_drafts`
  (`services.drafts`): they include the safety screen, health data a signed cookie would
  show anyone who base64-decodes it (issue 11 finding 7). Every preview page and download
  rebuilds the plan from them. A draft not changed for a day is gone.
- `FREE_CALENDAR`: ``{"key": ..., "made_at": ...}``. The key goes into every calendar
  UID and watch-workout serial of the free plan's downloads (`ExportOptions.plan_key`).
  It is random, made on the first preview, and kept while the answers change, through
  signing up or in, and when the preview is kept: the stored plan takes it
  (`plans.create_plan(calendar_key=...)`), so its calendar, feed and downloads update the
  events the free download added instead of adding a second copy of each. `made_at` is
  when the answers last changed; it is the free downloads' DTSTAMP (and the PDF's date).

SEQUENCE: the free plan keeps no per-event state, so its events always carry SEQUENCE 0
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

from retrorun.services import drafts, plans

if TYPE_CHECKING:
    from retrorun.web.deps import Services

Session = MutableMapping[str, Any]

DRAFT = "wizard_draft"
_DRAFT_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
FREE_CALENDAR = "free_calendar"
KEY_BYTES = 8  # 16 hex digits: 64 random bits, the length of the default content key
_KEY = re.compile(r"[0-9a-f]{16,32}")  # services accept the same (a kept plan's id: 32)


@dataclass(frozen=True, slots=True)
class FreeCalendar:
    key: str
    made_at: dt.datetime  # timezone-aware


def _draft_id(session: Session) -> str | None:
    value = session.get(DRAFT)
    return value if isinstance(value, str) and _DRAFT_ID.fullmatch(value) else None


def answers(session: Session, ctx: Services) -> dict[str, Any] | None:
    """The answers this browser gave in the wizard, if any (and not a day old)."""
    draft_id = _draft_id(session)
    if draft_id is None:
        return None
    return drafts.get_draft(ctx.uow(), draft_id=draft_id, clock=ctx.clock)


def remember_answers(session: Session, ctx: Services, data: dict[str, Any]) -> None:
    """Keep the wizard's answers on the server. Changed answers are a new version of the
    free plan (made now) under the same calendar key; the same answers again change
    nothing but the draft's age."""
    now = ctx.clock.now()
    unchanged = answers(session, ctx) == json.loads(json.dumps(data))
    draft_id = _draft_id(session) or drafts.new_draft_id()
    drafts.save_draft(ctx.uow(), draft_id=draft_id, answers=data, clock=ctx.clock)
    session[DRAFT] = draft_id
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
    if _draft_id(session) is None:
        return {}
    return {name: session[name] for name in (DRAFT, FREE_CALENDAR) if name in session}


def keep(session: Session, ctx: Services, *, user_id: str, replace: bool = False) -> bool:
    """Store the pending free plan as the user's plan, with its calendar key; False when
    this browser has no pending plan. Over a kept plan only with `replace` (the old one
    stays in the history); else Conflict("plan"), and the answers stay pending.

    A new plan takes the browser's key; a replaced plan keeps its own (its calendar must
    not change UIDs), and the browser takes that one instead, so its next preview's
    downloads match the stored calendar too.
    """
    data = answers(session, ctx)
    draft_id = _draft_id(session)
    if data is None or draft_id is None:
        return False
    calendar = free_calendar(session, ctx.clock.now())
    view = plans.create_plan(ctx.uow(), user_id=user_id, profile_data=data,
                             planner=ctx.planner, clock=ctx.clock, calendar_key=calendar.key,
                             replace=replace)
    drafts.delete_draft(ctx.uow(), draft_id=draft_id)
    session.pop(DRAFT, None)
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
