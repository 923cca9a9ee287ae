"""The calendar subscription feed: a secret URL per athlete that calendar apps poll.

The token is the only credential a calendar app can carry, so it is unguessable (the
TokenFactory port) and rotatable: rotating replaces it, and the old URL answers NotFound
at once. The feed keeps what it served per session (`EventVersion`) so that SEQUENCE
goes up only for sessions whose content changed; clients then update those events in
place instead of re-adding or ignoring them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrorun.formats.ics import CalendarOptions, etag, plan_calendar
from retrorun.services import _access, _document
from retrorun.services.errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Mapping

    from retrorun.formats.ics import EventVersion
    from retrorun.services.ports import Clock, TokenFactory, UnitOfWork


def get_or_create_feed_token(
    uow: UnitOfWork, *, user_id: str, tokens: TokenFactory, clock: Clock
) -> str:
    """The user's feed token; the first call makes one, later calls return the same."""
    with uow:
        user = _access.acting_user(uow, user_id)
        token = uow.feeds.token_for(user.id)
        if token is None:
            token = tokens.new_token()
            uow.feeds.set_token(user.id, token, clock.now())
            uow.commit()
        return token


def rotate_feed_token(
    uow: UnitOfWork, *, user_id: str, tokens: TokenFactory, clock: Clock
) -> str:
    """A new feed token for the user; the old one stops working in the same transaction."""
    with uow:
        user = _access.acting_user(uow, user_id)
        token = tokens.new_token()
        uow.feeds.set_token(user.id, token, clock.now())
        uow.commit()
        return token


def feed_calendar(uow: UnitOfWork, *, token: str, url: str | None = None) -> tuple[bytes, str]:
    """The token's athlete's plan as ICS bytes, and their ETag.

    NotFound for an unknown or rotated token, and for an athlete without a plan (the same
    answer, so a token cannot be probed for whether its owner has a plan). DTSTAMP and a
    changed event's LAST-MODIFIED are the plan's `updated_at`, not "now": polling an
    unchanged plan gives the same bytes, so the client's If-None-Match keeps matching.
    """
    with uow:
        athlete_id = uow.feeds.user_for(token)
        current = _document.current_plan(uow, athlete_id) if athlete_id else None
        if athlete_id is None or current is None:
            raise NotFound("calendar feed")
        record, plan = current
        previous = uow.feeds.event_versions(athlete_id)
        options = CalendarOptions(stamp=record.updated_at, plan_key=record.id, url=url)
        result = plan_calendar(plan, options, previous)
        changed = _changed(previous, result.versions)
        if changed:
            # Only writes when the plan changed since the last poll: polls stay reads.
            uow.feeds.save_event_versions(athlete_id, changed)
            uow.commit()
        return result.data, etag(result.data)


def _changed(
    previous: Mapping[str, EventVersion], current: Mapping[str, EventVersion]
) -> dict[str, EventVersion]:
    return {sid: v for sid, v in current.items() if previous.get(sid) != v}
