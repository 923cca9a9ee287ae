"""ICS: RFC 5545 structure, stable UIDs, SEQUENCE that moves only when a session changes."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from icalendar import Calendar

from retrorun.domain.model import Plan, SessionKind
from retrorun.formats.errors import CalendarError
from retrorun.formats.ics import (
    CalendarOptions,
    EventVersion,
    etag,
    etag_matches,
    plan_calendar,
    sequence_for,
)

from .builders import demo_plan, with_session
from .plans import generated_plans, plan_for

STAMP = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_has_the_rfc_5545_header_and_one_event_per_session() -> None:
    plan = plan_for("starter-8")
    calendar = Calendar.from_ical(plan_calendar(plan, CalendarOptions(stamp=STAMP)).data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//retrorun//retrorun plan//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]).startswith("retrorun – Starter: 8 weeks")
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == len([s for s in plan.sessions if s.kind is not SessionKind.REST])
    for event, session in zip(vevents, plan.sessions, strict=True):
        assert event.decoded("DTSTAMP") == STAMP
        assert event.decoded("DTSTART") == session.date
        assert event.decoded("DTEND") == session.date + dt.timedelta(days=1)
        assert str(event["SUMMARY"]) == session.title
        assert int(event["SEQUENCE"]) == 0
        description = str(event["DESCRIPTION"])
        assert "not medical advice" in description
        for step in session.flat_steps:
            if step.cue:
                assert step.cue in description


def test_uids_are_stable_across_regeneration_and_unique() -> None:
    first = plan_calendar(plan_for("starter-8"), CalendarOptions(stamp=STAMP)).data
    again = plan_calendar(plan_for("starter-8"), CalendarOptions(stamp=LATER)).data
    assert list(events(first)) == list(events(again))
    assert len(set(events(first))) == len(events(first))
    other_athlete = plan_calendar(plan_for("starter-8", age=50), CalendarOptions(stamp=STAMP)).data
    assert not set(events(first)) & set(events(other_athlete))


def test_a_stored_plan_key_keeps_uids_when_the_inputs_change() -> None:
    options = CalendarOptions(stamp=STAMP, plan_key="plan-42")
    before = plan_calendar(plan_for("starter-8"), options).data
    after = plan_calendar(plan_for("starter-8", age=50), options).data
    assert list(events(before)) == list(events(after))


def test_changing_one_session_bumps_only_its_sequence() -> None:
    plan = demo_plan()
    first = plan_calendar(plan, CalendarOptions(stamp=STAMP))
    target = plan.weeks[3].sessions[0]
    changed = with_session(plan, replace(target, title="Easy run + backward jog (moved)"))
    second = plan_calendar(changed, CalendarOptions(stamp=LATER), previous=first.versions)
    bumped = {sid for sid, v in second.versions.items() if v.sequence == 1}
    assert bumped == {target.id}
    assert second.versions[target.id].modified == LATER
    unchanged = next(s for s in plan.sessions if s.id != target.id)
    assert second.versions[unchanged.id] == first.versions[unchanged.id]
    by_summary = {str(e["SUMMARY"]): e for e in events(second.data).values()}
    assert int(by_summary["Easy run + backward jog (moved)"]["SEQUENCE"]) == 1
    third = plan_calendar(changed, CalendarOptions(stamp=LATER), previous=second.versions)
    assert third.versions == second.versions
    assert third.data == second.data


def test_sequence_for_keeps_unchanged_content_and_bumps_changes() -> None:
    assert sequence_for(None, "a", STAMP) == EventVersion("a", 0, STAMP)
    kept = EventVersion("a", 3, STAMP)
    assert sequence_for(kept, "a", LATER) is kept
    assert sequence_for(kept, "b", LATER) == EventVersion("b", 4, LATER)


def test_the_time_zone_of_all_day_events_is_no_change_but_timing_them_is() -> None:
    plan = demo_plan(2)
    all_day = plan_calendar(plan, CalendarOptions(stamp=STAMP, timezone="Europe/Berlin"))
    assert all_day.data == plan_calendar(plan, CalendarOptions(stamp=STAMP)).data
    moved = plan_calendar(plan, CalendarOptions(stamp=LATER, timezone="Asia/Tokyo"),
                          previous=all_day.versions)
    assert moved.versions == all_day.versions
    timed = plan_calendar(plan, CalendarOptions(stamp=LATER, timezone="Asia/Tokyo",
                                                start_time=dt.time(6)),
                          previous=all_day.versions)
    assert {v.sequence for v in timed.versions.values()} == {1}


def test_timed_events_carry_tzid_and_a_vtimezone_and_alarms() -> None:
    options = CalendarOptions(
        stamp=STAMP, timezone="Europe/Berlin", start_time=dt.time(7, 30), reminder_minutes=60
    )
    plan = demo_plan(2)
    data = plan_calendar(plan, options).data
    calendar = Calendar.from_ical(data)
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    first = calendar.walk("VEVENT")[0]
    start = first.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.replace(tzinfo=None) == dt.datetime.combine(plan.sessions[0].date, dt.time(7, 30))
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert "DTSTART;TZID=Europe/Berlin:20260106T073000" in data.decode()
    minutes = (first.decoded("DTEND") - start).total_seconds() / 60
    session = plan.sessions[0]
    assert minutes >= (session.running_seconds + session.exercise_seconds) / 60
    alarm = first.walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=1)


def test_bad_calendar_options_are_refused() -> None:
    with pytest.raises(CalendarError, match="time zone"):
        plan_calendar(demo_plan(1), CalendarOptions(stamp=STAMP, start_time=dt.time(7)))
    with pytest.raises(CalendarError, match="unknown time zone"):
        plan_calendar(
            demo_plan(1),
            CalendarOptions(stamp=STAMP, start_time=dt.time(7), timezone="Mars/Olympus"),
        )
    with pytest.raises(CalendarError, match="timezone-aware"):
        plan_calendar(demo_plan(1), CalendarOptions(stamp=STAMP.replace(tzinfo=None)))


def test_etag_is_strong_and_matches_if_none_match() -> None:
    data = plan_calendar(demo_plan(1), CalendarOptions(stamp=STAMP)).data
    tag = etag(data)
    assert tag.startswith('"')
    assert tag.endswith('"')
    assert not tag.startswith("W/")
    assert etag(data) == tag
    assert etag(data + b" ") != tag
    assert etag_matches(tag, tag)
    assert etag_matches(f'"other", W/{tag}', tag)
    assert etag_matches("*", tag)
    assert not etag_matches('"other"', tag)
    assert not etag_matches(None, tag)


def test_an_unchanged_plan_exports_the_same_bytes() -> None:
    options = CalendarOptions(stamp=STAMP)
    assert (
        plan_calendar(plan_for("starter-8"), options).data
        == plan_calendar(plan_for("starter-8"), options).data
    )


def test_one_session_calendar_uses_the_feed_uid() -> None:
    plan = demo_plan(1)
    session = plan.sessions[2]
    full = events(plan_calendar(plan, CalendarOptions(stamp=STAMP)).data)
    single = events(
        plan_calendar(plan, CalendarOptions(stamp=STAMP), session_ids={session.id}).data
    )
    assert len(single) == 1
    assert set(single) <= set(full)


@settings(max_examples=15, deadline=None)
@given(generated_plans())
def test_any_generated_plan_parses_back_with_unique_uids(plan: Plan) -> None:
    result = plan_calendar(plan, CalendarOptions(stamp=STAMP))
    parsed = events(result.data)
    sessions = [s for s in plan.sessions if s.kind is not SessionKind.REST]
    assert len(parsed) == len(sessions) == len(result.versions)
    assert [str(e["SUMMARY"]) for e in parsed.values()] == [s.title for s in sessions]  # type: ignore[index]
    again = plan_calendar(plan, CalendarOptions(stamp=LATER), previous=result.versions)
    assert list(events(again.data)) == list(parsed)
    assert all(v.sequence == 0 for v in again.versions.values())


@settings(max_examples=15, deadline=None)
@given(generated_plans())
def test_timed_events_of_one_day_follow_each_other_and_last_their_minutes(plan: Plan) -> None:
    options = CalendarOptions(stamp=STAMP, timezone="America/New_York",
                              start_time=dt.time(6, 15))
    calendar = Calendar.from_ical(plan_calendar(plan, options).data)
    sessions = [s for s in plan.sessions if s.kind is not SessionKind.REST]
    by_day: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    for session, event in zip(sessions, calendar.walk("VEVENT"), strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        seconds = session.running_seconds + session.exercise_seconds
        assert (end - start).total_seconds() == 60 * max(1, -(-seconds // 60)), session.id
        by_day.setdefault(session.date, []).append((start, end))
    for day, spans in by_day.items():
        assert spans[0][0].time() == dt.time(6, 15), day
        for (_, end), (next_start, _) in itertools.pairwise(spans):
            assert next_start == end, day
    # One session's download has the same times as its event in the whole calendar.
    last = sessions[-1]
    single = Calendar.from_ical(plan_calendar(plan, options, session_ids={last.id}).data)
    assert single.walk("VEVENT")[0].decoded("DTSTART") == by_day[last.date][-1][0]
