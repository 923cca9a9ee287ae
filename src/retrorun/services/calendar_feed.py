"""The calendar subscription feed: a secret URL per athlete that calendar apps poll.

The token is the only credential a calendar app can carry, so it is unguessable (the
TokenFactory port) and rotatable: rotating replaces it, and the old URL answers NotFound
at once. The feed keeps what it served per session (`EventVersion`) so that SEQUENCE
goes up only for sessions whose content changed; clients then update those events in
place instead of re-adding or ignoring them.

The athlete's calendar settings (time zone, start time, reminder) shape every event, so
they are part of each event's content hash: changing them changes every event and bumps
every SEQUENCE, and keeping them (with the plan unchanged) keeps the feed's bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from retrorun.formats import Export, plan_file_stem, session_file_stem
from retrorun.formats.ics import CalendarOptions, etag, plan_calendar
from retrorun.services import _access, _document, _validate
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.records import ALL_DAY, CalendarSettings

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping

    from retrorun.domain.model import Plan
    from retrorun.formats.ics import EventVersion
    from retrorun.services.ports import Clock, TokenFactory, UnitOfWork
    from retrorun.services.records import PlanRecord

T = TypeVar("T")

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"
# A reminder further ahead than a day is no longer about that day's session.
MAX_REMINDER_MINUTES = 1440


def feed_token_hash(token: str) -> str:
    """What the database keeps of a feed token: a stolen copy of it gives no feed URL."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_or_create_feed_token(
    uow: UnitOfWork, *, user_id: str, tokens: TokenFactory, clock: Clock
) -> str | None:
    """A new feed token if the user has none yet, else None: only the token's hash is
    kept, so an existing URL cannot be shown again (rotating makes a new one)."""
    with uow:
        user = _access.acting_user(uow, user_id)
        if uow.feeds.has_token(user.id):
            return None
        token = tokens.new_token()
        uow.feeds.set_token(user.id, feed_token_hash(token), clock.now())
        uow.commit()
        return token


def rotate_feed_token(
    uow: UnitOfWork, *, user_id: str, tokens: TokenFactory, clock: Clock
) -> str:
    """A new feed token for the user; the old one stops working in the same transaction."""
    with uow:
        user = _access.acting_user(uow, user_id)
        token = tokens.new_token()
        uow.feeds.set_token(user.id, feed_token_hash(token), clock.now())
        uow.commit()
        return token


def feed_calendar(uow: UnitOfWork, *, token: str, url: str | None = None) -> tuple[bytes, str]:
    """The token's athlete's plan as ICS bytes, and their ETag.

    NotFound for an unknown or rotated token, and for an athlete without a plan (the same
    answer, so a token cannot be probed for whether its owner has a plan). DTSTAMP and a
    changed event's LAST-MODIFIED are the plan's `updated_at`, not "now": polling an
    unchanged plan gives the same bytes, so the client's If-None-Match keeps matching.
    A change of the athlete's calendar settings counts as a change too (see `made_at`).
    """
    with uow:
        athlete_id = uow.feeds.user_for(feed_token_hash(token))
        current = _document.current_plan(uow, athlete_id) if athlete_id else None
        if athlete_id is None or current is None:
            raise NotFound("calendar feed")
        data = _served(uow, athlete_id, current, url)
        return data, etag(data)


def own_calendar(
    uow: UnitOfWork, *, user_id: str, url: str | None = None, session_id: str | None = None
) -> Export:
    """The user's own plan (or one session of it) as an ICS download, event for event
    what their feed serves.

    A download records the event versions as the feed does: someone who only ever
    downloads and re-imports still gets a higher SEQUENCE for each session that changed,
    which is what makes calendar apps update the event instead of ignoring it.
    """
    with uow:
        user = _access.acting_user(uow, user_id)
        current = _document.current_plan(uow, user.id)
        if current is None:
            raise NotFound("plan")
        _record, plan = current
        if session_id is None:
            data = _served(uow, user.id, current, url)
            return Export(ICS_MEDIA_TYPE, f"{plan_file_stem(plan)}.ics", data)
        session = plan.session(session_id)
        if session is None:
            raise NotFound("session")
        data = _served(uow, user.id, current, url, session_ids={session_id})
        return Export(ICS_MEDIA_TYPE, f"{session_file_stem(session)}.ics", data)


def _served(
    uow: UnitOfWork,
    athlete_id: str,
    current: tuple[PlanRecord, Plan],
    url: str | None,
    session_ids: Collection[str] | None = None,
) -> bytes:
    """The athlete's calendar as served now; stores the versions of the events that changed
    (inside the caller's unit of work), so SEQUENCE rises once per change."""
    record, plan = current
    previous = uow.feeds.event_versions(athlete_id)
    settings = uow.feeds.settings_for(athlete_id) or ALL_DAY
    options = calendar_options(record, settings, url)
    result = plan_calendar(plan, options, previous, session_ids=session_ids)
    changed = _changed(previous, result.versions)
    if changed:
        # Only writes when the plan changed since it was last served: polls stay reads.
        uow.feeds.save_event_versions(athlete_id, changed)
        uow.commit()
    return result.data


def _changed(
    previous: Mapping[str, EventVersion], current: Mapping[str, EventVersion]
) -> dict[str, EventVersion]:
    return {sid: v for sid, v in current.items() if previous.get(sid) != v}


def made_at(plan_updated_at: dt.datetime, settings: CalendarSettings) -> dt.datetime:
    """When this version of the athlete's calendar was made: DTSTAMP, and LAST-MODIFIED
    of the events it changed.

    The later of the plan's and the settings' last change, never "now": an unchanged
    plan with unchanged settings keeps its bytes and its ETag.
    """
    if settings.updated_at is None:
        return plan_updated_at
    return max(plan_updated_at, settings.updated_at)


def calendar_options(
    record: PlanRecord, settings: CalendarSettings, url: str | None
) -> CalendarOptions:
    return CalendarOptions(
        stamp=made_at(record.updated_at, settings),
        plan_key=record.plan_key,
        timezone=settings.timezone,
        start_time=settings.start_time,
        reminder_minutes=settings.reminder_minutes,
        url=url,
    )


def calendar_settings_problems(
    timezone: object, start_time: object, reminder_minutes: object
) -> tuple[CalendarSettings, dict[str, str]]:
    """Check every field, without storing anything: the settings (meaningful only when
    there are no problems) and what is wrong, by field, in form order."""
    problems: dict[str, str] = {}
    zone = _checked(problems, "timezone", lambda: _validate.time_zone(timezone, "timezone"))
    start = _checked(problems, "start_time",
                     lambda: _validate.time_of_day(start_time, "start_time"))
    reminder = _checked(problems, "reminder_minutes", lambda: _validate.whole(
        reminder_minutes, "reminder_minutes", 0, MAX_REMINDER_MINUTES, optional=True))
    if start is not None and zone is None and "timezone" not in problems:
        # A time of day means nothing without its zone (a calendar would guess UTC).
        problems["timezone"] = ("is required for timed events: an IANA name such as "
                                "Europe/Berlin")
    return CalendarSettings(zone, start, reminder), dict(
        sorted(problems.items(), key=lambda item: _FIELDS.index(item[0])))


_FIELDS = ("timezone", "start_time", "reminder_minutes")


def _checked(problems: dict[str, str], name: str, check: Callable[[], T]) -> T | None:
    try:
        return check()
    except InvalidInput as error:
        problems[name] = error.message
        return None


def time_zone_names() -> list[str]:
    """Every IANA time zone name the settings accept, sorted (a form's suggestions)."""
    return _validate.time_zone_names()


def get_calendar_settings(uow: UnitOfWork, *, user_id: str) -> CalendarSettings:
    """The user's own calendar settings; all-day events without reminders until set."""
    with uow.read_only():
        user = _access.acting_user(uow, user_id)
        return uow.feeds.settings_for(user.id) or ALL_DAY


def set_calendar_settings(
    uow: UnitOfWork,
    *,
    user_id: str,
    timezone: object,
    start_time: object,
    reminder_minutes: object,
    clock: Clock,
) -> CalendarSettings:
    """Replace the user's own calendar settings (there is no way to name another user's).

    `start_time` is HH:MM or empty (all-day events); `timezone` an IANA name, required
    with a start time; `reminder_minutes` 0-1440 or None. InvalidInput names the first
    field at fault and nothing is stored. Saving the same choices again writes nothing,
    so the feed keeps its bytes and ETag.
    """
    choice, problems = calendar_settings_problems(timezone, start_time, reminder_minutes)
    if problems:
        name, message = next(iter(problems.items()))
        raise InvalidInput(name, message)
    with uow:
        user = _access.acting_user(uow, user_id)
        current = uow.feeds.settings_for(user.id) or ALL_DAY
        if current.same_choice(choice):
            return current
        saved = replace(choice, updated_at=clock.now())
        uow.feeds.save_settings(user.id, saved)
        uow.commit()
        return saved


@dataclass(frozen=True, slots=True)
class CalendarDownload:
    """What an athlete's own ICS download needs besides the plan."""

    settings: CalendarSettings = ALL_DAY
    # What the feed last served per session: a download then carries the SEQUENCE the
    # feed serves (or will serve) for the same content, never a lower one.
    previous: Mapping[str, EventVersion] = field(default_factory=dict)


def calendar_download(uow: UnitOfWork, *, user_id: str) -> CalendarDownload:
    """The user's own calendar settings and the versions last served, for an ICS file made
    elsewhere (the CLI's export of a stored plan, whose flags may override the settings).

    Read only: what the feed and `own_calendar` serve alone moves the versions.
    """
    with uow.read_only():
        user = _access.acting_user(uow, user_id)
        return CalendarDownload(uow.feeds.settings_for(user.id) or ALL_DAY,
                                uow.feeds.event_versions(user.id))
