"""The athlete's calendar settings: validation, ownership, and what they do to the feed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from icalendar import Calendar

from retrorun.services import accounts, calendar_feed
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.records import ALL_DAY
from tests.services.conftest import PASSWORD

if TYPE_CHECKING:
    from icalendar import Event

    from retrorun.services.records import CalendarSettings
    from retrorun.services.views import UserView
    from tests.services.conftest import App

BERLIN = {"timezone": "Europe/Berlin", "start_time": "07:30", "reminder_minutes": 30}


def _set(app: App, user: UserView, **values: Any) -> CalendarSettings:
    fields = {"timezone": None, "start_time": None, "reminder_minutes": None, **values}
    return calendar_feed.set_calendar_settings(app.uow(), user_id=user.id, clock=app.clock,
                                               **fields)


def _token(app: App, user: UserView) -> str:
    return calendar_feed.get_or_create_feed_token(app.uow(), user_id=user.id,
                                                  tokens=app.tokens, clock=app.clock)


def _feed(app: App, token: str) -> tuple[Calendar, bytes, str]:
    data, tag = calendar_feed.feed_calendar(app.uow(), token=token)
    return Calendar.from_ical(data), data, tag


def _events(calendar: Calendar) -> list[Event]:
    events: list[Event] = calendar.walk("VEVENT")
    return events


def _sequences(calendar: Calendar) -> dict[str, int]:
    return {str(e["uid"]): int(e["sequence"]) for e in _events(calendar)}


def test_until_set_the_calendar_is_all_day_without_reminders(app: App) -> None:
    ann = app.user()
    assert calendar_feed.get_calendar_settings(app.uow(), user_id=ann.id) == ALL_DAY
    app.plan(ann)
    calendar, _, _ = _feed(app, _token(app, ann))
    for event in _events(calendar):
        assert type(event.decoded("dtstart")) is dt.date
        assert not event.walk("VALARM")
    assert not calendar.walk("VTIMEZONE")


def test_settings_are_stored_and_read_back_as_the_zone_database_spells_them(app: App) -> None:
    ann = app.user()
    app.clock.advance(hours=1)
    saved = _set(app, ann, timezone=" europe/berlin ", start_time="7:05", reminder_minutes=45)
    assert (saved.timezone, saved.start_time, saved.reminder_minutes) == (
        "Europe/Berlin", dt.time(7, 5), 45)
    assert saved.updated_at == app.clock.now()
    assert calendar_feed.get_calendar_settings(app.uow(), user_id=ann.id) == saved
    assert app.count("calendar_settings") == 1
    back = _set(app, ann, timezone="Europe/Berlin")  # all-day again, zone kept
    assert calendar_feed.get_calendar_settings(app.uow(), user_id=ann.id) == back
    assert (back.start_time, back.reminder_minutes) == (None, None)


@pytest.mark.parametrize(("values", "field"), [
    ({"timezone": "Mars/Olympus_Mons", "start_time": "07:30"}, "timezone"),
    ({"timezone": "localtime", "start_time": "07:30"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"timezone": "x" * 65}, "timezone"),
    ({"timezone": 42}, "timezone"),
    ({"start_time": "07:30"}, "timezone"),  # a time of day needs its zone
    ({"timezone": "Europe/Berlin", "start_time": "25:00"}, "start_time"),
    ({"timezone": "Europe/Berlin", "start_time": "7h30"}, "start_time"),
    ({"timezone": "Europe/Berlin", "start_time": 730}, "start_time"),
    ({"reminder_minutes": 1441}, "reminder_minutes"),
    ({"reminder_minutes": -1}, "reminder_minutes"),
    ({"reminder_minutes": "ten"}, "reminder_minutes"),
    ({"reminder_minutes": True}, "reminder_minutes"),
])
def test_bad_values_name_their_field_and_store_nothing(app: App, values: dict[str, Any],
                                                       field: str) -> None:
    ann = app.user()
    with pytest.raises(InvalidInput) as refused:
        _set(app, ann, **values)
    assert refused.value.field == field
    assert app.count("calendar_settings") == 0
    kept = _set(app, ann, **BERLIN)
    with pytest.raises(InvalidInput):
        _set(app, ann, **values)
    assert calendar_feed.get_calendar_settings(app.uow(), user_id=ann.id) == kept


def test_every_problem_is_reported_at_once_in_form_order() -> None:
    _, problems = calendar_feed.calendar_settings_problems("Nowhere/City", "noon", 5000)
    assert list(problems) == ["timezone", "start_time", "reminder_minutes"]
    assert "Nowhere/City" in problems["timezone"]


def test_a_user_sets_only_their_own_settings(app: App) -> None:
    ann, bob = app.user("ann@example.com"), app.user("bob@example.com")
    app.plan(ann)
    token = _token(app, ann)
    _, before, tag = _feed(app, token)
    mine = _set(app, ann, **BERLIN)
    _, with_mine, my_tag = _feed(app, token)
    _set(app, bob, timezone="America/New_York", start_time="18:00")
    assert calendar_feed.get_calendar_settings(app.uow(), user_id=ann.id) == mine
    assert _feed(app, token)[1:] == (with_mine, my_tag)
    assert (with_mine, my_tag) != (before, tag)
    with pytest.raises(NotFound):
        calendar_feed.set_calendar_settings(app.uow(), user_id="nobody", clock=app.clock,
                                            timezone="UTC", start_time=None,
                                            reminder_minutes=None)
    with pytest.raises(NotFound):
        calendar_feed.get_calendar_settings(app.uow(), user_id="nobody")


def test_timed_events_carry_the_zone_the_vtimezone_and_the_reminder(app: App) -> None:
    ann = app.user()
    app.plan(ann, start_date="2026-03-02")  # the plan crosses the spring clock change
    app.clock.advance(days=1)
    saved = _set(app, ann, **BERLIN)
    calendar, _, _ = _feed(app, _token(app, ann))
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(calendar["x-wr-timezone"]) == "Europe/Berlin"
    offsets = set()
    first_of_day = set()
    for event in _events(calendar):
        assert event["dtstart"].params["TZID"] == "Europe/Berlin"
        start = event.decoded("dtstart")
        assert start.tzinfo is not None
        if start.date() not in first_of_day:  # a second session that day follows the first
            first_of_day.add(start.date())
            assert start.time() == dt.time(7, 30)  # local time, on both sides of the change
        assert event.decoded("dtend") > start
        offsets.add(start.utcoffset())
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == -dt.timedelta(minutes=30)
        assert event.decoded("dtstamp") == saved.updated_at
    assert offsets == {dt.timedelta(hours=1), dt.timedelta(hours=2)}


def test_a_settings_change_bumps_every_sequence_and_a_repeat_changes_nothing(
        app: App) -> None:
    ann = app.user()
    app.plan(ann)
    token = _token(app, ann)
    first, _, _ = _feed(app, token)
    assert set(_sequences(first).values()) == {0}

    app.clock.advance(days=1)
    _set(app, ann, **BERLIN)
    timed, data, tag = _feed(app, token)
    assert _sequences(timed).keys() == _sequences(first).keys()  # updated, not duplicated
    assert set(_sequences(timed).values()) == {1}
    assert {e.decoded("last-modified") for e in _events(timed)} == {app.clock.now()}

    app.clock.advance(hours=3)
    again = _set(app, ann, **BERLIN)  # the same choices: nothing is written
    assert again.updated_at == app.clock.now() - dt.timedelta(hours=3)
    assert _feed(app, token)[1:] == (data, tag)

    app.clock.advance(days=1)
    _set(app, ann, timezone="Europe/Berlin")  # back to all-day
    all_day, _, _ = _feed(app, token)
    assert set(_sequences(all_day).values()) == {2}
    assert all(type(e.decoded("dtstart")) is dt.date for e in _events(all_day))


def test_changing_only_the_zone_of_all_day_events_changes_nothing(app: App) -> None:
    ann = app.user()
    app.plan(ann)
    token = _token(app, ann)
    _set(app, ann, timezone="Europe/Berlin")
    before, _, _ = _feed(app, token)
    app.clock.advance(days=1)
    _set(app, ann, timezone="Asia/Tokyo")
    after, _, _ = _feed(app, token)
    assert _sequences(after) == _sequences(before)
    assert not after.walk("VTIMEZONE")


def test_a_download_uses_the_settings_and_the_feeds_versions(app: App) -> None:
    ann = app.user()
    assert calendar_feed.calendar_download(app.uow(), user_id=ann.id).settings == ALL_DAY
    app.plan(ann)
    served, _, _ = _feed(app, _token(app, ann))
    saved = _set(app, ann, **BERLIN)
    download = calendar_feed.calendar_download(app.uow(), user_id=ann.id)
    assert download.settings == saved
    assert len(download.previous) == len(_events(served))
    assert {v.sequence for v in download.previous.values()} == {0}
    with pytest.raises(NotFound):
        calendar_feed.calendar_download(app.uow(), user_id="nobody")


def test_deleting_the_account_deletes_the_settings(app: App) -> None:
    ann = app.user()
    _set(app, ann, **BERLIN)
    accounts.delete_account(app.uow(), user_id=ann.id, password=PASSWORD, hasher=app.hasher)
    assert app.count("calendar_settings") == 0
