"""The plan as an iCalendar (RFC 5545) file or subscription feed.

One VEVENT per session (rest days have none). What makes re-subscribing and re-importing
update events instead of duplicating them:

- UID = session id + plan key, both stable for the same inputs (DESIGN §3 invariant 10).
- SEQUENCE comes from `sequence_for`: the caller passes what it stored last time for each
  session (`EventVersion`: content hash, sequence, when it changed) and gets back the
  versions to store now. The sequence goes up only when that session's content changed.
- DTSTAMP is `CalendarOptions.stamp`, which the caller sets to when this plan version was
  made, not "now", so polling an unchanged feed gives the same bytes and the same ETag.

`etag(data)` and `etag_matches(if_none_match, etag)` let the feed answer 304 cheaply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone

from retrorun.domain.model import Plan, Session, SessionKind
from retrorun.formats._identity import digest, slug
from retrorun.formats._identity import plan_key as default_plan_key
from retrorun.formats._story import plan_story
from retrorun.formats._text import plan_units, session_description
from retrorun.formats.errors import CalendarError

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from retrorun.domain.profile import Units

PRODID = "-//retrorun//retrorun plan//EN"
NOT_ADVICE = "This plan is general training information, not medical advice."
# VTIMEZONE rules are written for the plan's dates with this much margin on each side.
TIMEZONE_MARGIN = dt.timedelta(days=31)


@dataclass(frozen=True, slots=True)
class EventVersion:
    """What storage keeps per session between exports."""

    content_hash: str
    sequence: int
    modified: dt.datetime


@dataclass(frozen=True, slots=True)
class CalendarOptions:
    stamp: dt.datetime  # DTSTAMP: when this plan version was made; timezone-aware
    plan_key: str | None = None  # the plan's key; default: a hash of the plan inputs
    calendar_name: str | None = None
    timezone: str | None = None  # IANA name; required for timed events
    start_time: dt.time | None = None  # None: all-day events
    reminder_minutes: int | None = None  # a display alarm this long before the start
    units: Units | None = None
    url: str | None = None  # a link back to the session pages


@dataclass(frozen=True, slots=True)
class CalendarExport:
    data: bytes
    versions: Mapping[str, EventVersion]  # session id -> version to store for next time


def sequence_for(
    previous: EventVersion | None, content_hash: str, now: dt.datetime
) -> EventVersion:
    """The version of an event: unchanged content keeps its sequence, a change bumps it."""
    if previous is None:
        return EventVersion(content_hash, 0, now)
    if previous.content_hash == content_hash:
        return previous
    return EventVersion(content_hash, previous.sequence + 1, now)


def etag(data: bytes) -> str:
    """A strong ETag for feed bytes (RFC 9110: quoted, byte-for-byte identity)."""
    return f'"{hashlib.sha256(data).hexdigest()[:32]}"'


def etag_matches(if_none_match: str | None, current: str) -> bool:
    """True when an If-None-Match header says the client already has `current` (answer 304).

    If-None-Match uses weak comparison, so W/ prefixes are ignored; "*" matches anything.
    """
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or current in tags


def event_uid(session: Session, plan_key: str) -> str:
    # The digest keeps two ids that slug alike (e.g. "w1 tue" and "w1-tue") apart.
    return f"{slug(session.id, 60)}-{digest(session.id)[:8]}.{plan_key}@retrorun"


def _tz(options: CalendarOptions) -> ZoneInfo | None:
    if options.start_time is None:
        return None
    if not options.timezone:
        raise CalendarError("timed events need a time zone (an IANA name such as Europe/Berlin)")
    try:
        return ZoneInfo(options.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CalendarError(f"unknown time zone {options.timezone!r}") from error


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a timed event sits: minutes after the athlete's start time, and how long."""

    after_start: int
    minutes: int


def _minutes(session: Session) -> int:
    return max(1, -(-(session.running_seconds + session.exercise_seconds) // 60))


def time_slots(plan: Plan) -> dict[str, Slot]:
    """Each event's slot: two sessions on one day follow each other (the core routine
    after the run, in plan order) instead of sharing the start time, and each lasts as
    long as its title says."""
    slots: dict[str, Slot] = {}
    taken: dict[dt.date, int] = {}
    for session in calendar_sessions(plan):
        after = taken.get(session.date, 0)
        slots[session.id] = Slot(after, _minutes(session))
        taken[session.date] = after + _minutes(session)
    return slots


def _when(
    session: Session, options: CalendarOptions, tz: ZoneInfo | None, slot: Slot
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    if tz is None or options.start_time is None:
        return session.date, session.date + dt.timedelta(days=1)
    start = dt.datetime.combine(session.date, options.start_time, tzinfo=tz)
    start += dt.timedelta(minutes=slot.after_start)
    return start, start + dt.timedelta(minutes=slot.minutes)


def _content(
    session: Session, options: CalendarOptions, units: Units, tz: ZoneInfo | None, slot: Slot
) -> dict[str, str]:
    """The event's fields that a calendar shows: what the content hash covers."""
    start, end = _when(session, options, tz, slot)
    description = session_description(session, units)
    if options.url:
        description += f"\n\n{options.url}"
    content = {
        "summary": session.title,
        "description": f"{description}\n\n{NOT_ADVICE}",
        "start": start.isoformat(),
        "end": end.isoformat(),
        # All-day events float: their zone is not shown, so changing it is no change.
        "tz": options.timezone if tz is not None and options.timezone else "",
        "categories": ",".join(_categories(session)),
    }
    if options.reminder_minutes is not None:
        content["reminder"] = str(options.reminder_minutes)
    return content


def _categories(session: Session) -> list[str]:
    categories = ["retrorun", session.kind.value]
    if session.backward_seconds:
        categories.append("backward")
    return list(dict.fromkeys(categories))


def content_hash(content: Mapping[str, str]) -> str:
    return digest(json.dumps(content, sort_keys=True))[:32]


def session_event(
    session: Session,
    *,
    uid: str,
    version: EventVersion,
    options: CalendarOptions,
    units: Units,
    tz: ZoneInfo | None,
    slot: Slot,
) -> Event:
    start, end = _when(session, options, tz, slot)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", options.stamp)
    event.add("last-modified", version.modified)
    event.add("sequence", version.sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    content = _content(session, options, units, tz, slot)
    event.add("summary", content["summary"])
    event.add("description", content["description"])
    event.add("categories", _categories(session))
    event.add("transp", "TRANSPARENT" if tz is None else "OPAQUE")
    if options.url:
        event.add("url", options.url)
    if options.reminder_minutes is not None:
        event.add_component(_alarm(session, options.reminder_minutes))
    return event


def _alarm(session: Session, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -dt.timedelta(minutes=minutes))
    alarm.add("description", f"retrorun: {session.title}")
    return alarm


def _calendar(plan: Plan, options: CalendarOptions) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = options.calendar_name or f"retrorun – {plan_story(plan).title}"
    calendar.add("x-wr-calname", name)
    if options.timezone and options.start_time is not None:
        calendar.add("x-wr-timezone", options.timezone)
    return calendar


def _timezone(plan: Plan, tzid: str) -> Timezone:
    sessions = plan.sessions
    first = (sessions[0].date if sessions else plan.start_date) - TIMEZONE_MARGIN
    last = (sessions[-1].date if sessions else plan.start_date) + TIMEZONE_MARGIN
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def calendar_sessions(plan: Plan) -> tuple[Session, ...]:
    """The sessions that become events: all but rest days."""
    return tuple(s for s in plan.sessions if s.kind is not SessionKind.REST)


def plan_calendar(
    plan: Plan,
    options: CalendarOptions,
    previous: Mapping[str, EventVersion] | None = None,
    *,
    session_ids: Collection[str] | None = None,
) -> CalendarExport:
    """The plan as an iCalendar file, and the event versions to store.

    `session_ids` limits the events (one session's "add to calendar" download); its UID is
    the same as in the full feed.
    """
    if options.stamp.tzinfo is None:
        raise CalendarError("the calendar stamp must be timezone-aware")
    previous = previous or {}
    tz = _tz(options)
    units = plan_units(plan, options.units)
    key = options.plan_key or default_plan_key(plan)
    calendar = _calendar(plan, options)
    if tz is not None and options.timezone:
        calendar.add_component(_timezone(plan, options.timezone))
    versions: dict[str, EventVersion] = {}
    # Slots come from the whole plan, so one session's download matches its feed event.
    slots = time_slots(plan)
    for session in calendar_sessions(plan):
        if session_ids is not None and session.id not in session_ids:
            continue
        slot = slots[session.id]
        new_hash = content_hash(_content(session, options, units, tz, slot))
        version = sequence_for(previous.get(session.id), new_hash, options.stamp)
        versions[session.id] = version
        calendar.add_component(
            session_event(
                session,
                uid=event_uid(session, key),
                version=version,
                options=options,
                units=units,
                tz=tz,
                slot=slot,
            )
        )
    return CalendarExport(calendar.to_ical(), versions)
