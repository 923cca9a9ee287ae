"""Calendar settings over HTTP: the form on the feed page, its JSON twin, and what the
feed and the ICS downloads then serve."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from icalendar import Calendar

from tests.web._client import TestClient
from tests.web.helpers import csrf, make_client, post_form, profile, sign_up

PAGE = "/plan/calendar-feed"
FORM = "/plan/calendar-feed/settings"
API = "/api/v1/calendar-feed/settings"
BERLIN = {"timezone": "Europe/Berlin", "start_time": "07:30", "reminder_minutes": 30}
ALL_DAY = {"timezone": None, "start_time": None, "reminder_minutes": None, "all_day": True}


def _athlete(client: TestClient, email: str = "ann@example.com") -> str:
    """Sign up with a plan; the path of the feed."""
    sign_up(client, email)
    response = client.put("/api/v1/plan", json=profile(), headers=_headers(client))
    assert response.status_code == 200, response.text
    url: str = client.get("/api/v1/calendar-feed").json()["url"]
    return url.split("retrorun.test", 1)[1]


def _headers(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf(client)}


def _calendar(client: TestClient, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return Calendar.from_ical(response.content)


def _sequences(calendar: Calendar) -> dict[str, int]:
    return {str(e["uid"]): int(e["sequence"]) for e in calendar.walk("VEVENT")}


def _assert_timed(calendar: Calendar, reminder: int = 30) -> None:
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = calendar.walk("VEVENT")
    assert events
    days = set()
    for event in events:
        assert event["dtstart"].params["TZID"] == "Europe/Berlin"
        start = event.decoded("dtstart")
        if start.date() not in days:  # later sessions that day follow the first
            days.add(start.date())
            assert start.time() == dt.time(7, 30)
        [alarm] = event.walk("VALARM")
        assert alarm.decoded("trigger") == -dt.timedelta(minutes=reminder)


def test_the_form_saves_the_settings_and_the_feed_follows(client: TestClient) -> None:
    path = _athlete(client)
    before = _calendar(client, path)
    assert not before.walk("VTIMEZONE")
    page = client.get(PAGE)
    assert f'action="{FORM}"' in page.text
    assert "all-day events" in page.text
    assert '<option value="Europe/Berlin">' in page.text
    done = post_form(client, FORM, {**BERLIN, "timezone": "europe/berlin"}, page=PAGE)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == PAGE
    page = client.get(PAGE)
    assert "Calendar settings saved" in page.text
    assert "each session at 07:30 (Europe/Berlin)" in page.text
    assert 'value="Europe/Berlin"' in page.text
    after = _calendar(client, path)
    _assert_timed(after)
    assert _sequences(after).keys() == _sequences(before).keys()
    assert set(_sequences(after).values()) == {1}  # every event changed: clients update
    assert client.get(API).json() == {**BERLIN, "all_day": False}


def test_the_form_needs_the_csrf_token(client: TestClient) -> None:
    _athlete(client)
    refused = client.post(FORM, data=BERLIN)
    assert refused.status_code == 403
    assert client.get(API).json() == ALL_DAY
    wrong = client.post(FORM, data={**BERLIN, "csrf_token": "forged"})
    assert wrong.status_code == 403
    assert client.get(API).json() == ALL_DAY


def test_the_form_names_each_bad_field_and_keeps_what_was_typed(client: TestClient) -> None:
    _athlete(client)
    response = post_form(client, FORM, {"timezone": "Mars/Olympus_Mons",
                                        "start_time": "25:61", "reminder_minutes": "soon"},
                         page=PAGE)
    assert response.status_code == 422
    text = response.text
    assert "Please fix 3 things" in text
    assert "Time zone: unknown time zone &#39;Mars/Olympus_Mons&#39;" in text
    assert "Start time: got &#39;25:61&#39;" in text
    assert "Reminder (minutes before): enter a whole number" in text
    for name in ("timezone", "start_time", "reminder_minutes"):
        assert re.search(rf'id="{name}" name="{name}"[^>]*\n?[^>]*aria-invalid="true"', text), name
    assert 'value="Mars/Olympus_Mons"' in text
    assert client.get(API).json() == ALL_DAY


def test_a_start_time_without_a_zone_is_refused_on_the_zone(client: TestClient) -> None:
    _athlete(client)
    response = post_form(client, FORM, {"timezone": "", "start_time": "07:30",
                                        "reminder_minutes": ""}, page=PAGE)
    assert response.status_code == 422
    assert "Time zone: is required for timed events" in response.text
    assert "Please fix 1 thing" in response.text


def test_the_json_twin_reads_and_replaces_the_settings(client: TestClient) -> None:
    _athlete(client)
    assert client.get(API).json() == ALL_DAY
    assert client.put(API, json=BERLIN).status_code == 403  # no X-CSRF-Token
    saved = client.put(API, json=BERLIN, headers=_headers(client))
    assert saved.status_code == 200, saved.text
    assert saved.json() == {**BERLIN, "all_day": False}
    assert client.get(API).json() == saved.json()
    cleared = client.put(API, json={"timezone": "Europe/Berlin"}, headers=_headers(client))
    assert cleared.json() == {**ALL_DAY, "timezone": "Europe/Berlin"}


def test_json_errors_name_the_field_in_the_one_shape(client: TestClient) -> None:
    _athlete(client)
    for body, field in (({"timezone": "Nowhere/Town"}, "timezone"),
                        ({"start_time": "07:30"}, "timezone"),
                        ({"timezone": "UTC", "start_time": "7 am"}, "start_time"),
                        ({"reminder_minutes": 5000}, "reminder_minutes"),
                        ({"colour": "red"}, "colour")):
        response = client.put(API, json=body, headers=_headers(client))
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error["status"] == 422
        assert error["field"] == field, (body, error)
        assert error["message"]
    assert client.get(API).json() == ALL_DAY


def test_the_settings_need_a_signed_in_user(app: Any) -> None:
    anonymous = make_client(app)
    assert anonymous.get(API).status_code == 401
    assert anonymous.put(API, json=BERLIN).status_code == 401


def test_the_etag_changes_with_the_settings_and_only_then(client: TestClient) -> None:
    path = _athlete(client)
    old_tag = client.get(path).headers["etag"]
    assert client.get(path, headers={"If-None-Match": old_tag}).status_code == 304
    client.put(API, json=BERLIN, headers=_headers(client))
    changed = client.get(path, headers={"If-None-Match": old_tag})
    assert changed.status_code == 200
    tag = changed.headers["etag"]
    assert tag != old_tag
    again = client.put(API, json=BERLIN, headers=_headers(client))  # the same choices
    assert again.status_code == 200
    same = client.get(path, headers={"If-None-Match": tag})
    assert same.status_code == 304
    assert same.headers["etag"] == tag
    assert client.get(path).content == changed.content


def test_downloads_follow_the_settings_with_the_feeds_sequence(client: TestClient) -> None:
    path = _athlete(client)
    all_day = Calendar.from_ical(client.get("/plan/export/ics").content)
    assert not all_day.walk("VTIMEZONE")
    _calendar(client, path)  # subscribed: the feed has served sequence 0
    client.put(API, json=BERLIN, headers=_headers(client))
    download = Calendar.from_ical(client.get("/plan/export/ics").content)
    _assert_timed(download)
    assert set(_sequences(download).values()) == {1}
    assert _calendar(client, path).to_ical() == download.to_ical()
    session = str(client.get("/api/v1/plan").json()["document"]["weeks"][0]["sessions"][0]["id"])
    one = Calendar.from_ical(client.get(f"/plan/sessions/{session}/export/ics").content)
    _assert_timed(one)
    assert len(one.walk("VEVENT")) == 1
    assert set(_sequences(one).items()) <= set(_sequences(download).items())


def test_another_user_changes_only_their_own_calendar(client: TestClient, app: Any) -> None:
    ann_path = _athlete(client)
    client.put(API, json=BERLIN, headers=_headers(client))
    ann_feed = client.get(ann_path).content
    bob = make_client(app)
    bob_path = _athlete(bob, "bob@example.com")
    mine = bob.put(API, json={"timezone": "America/New_York", "start_time": "18:00"},
                   headers=_headers(bob))
    assert mine.status_code == 200
    assert client.get(API).json() == {**BERLIN, "all_day": False}
    assert client.get(ann_path).content == ann_feed
    bob_events = _calendar(bob, bob_path).walk("VEVENT")
    assert {e["dtstart"].params["TZID"] for e in bob_events} == {"America/New_York"}


def test_a_reminder_of_false_is_not_zero_minutes(client: TestClient) -> None:
    """Found by schemathesis: JSON false was read as a reminder 0 minutes before."""
    sign_up(client, "false@example.com")
    response = client.put(API, json={"reminder_minutes": False}, headers=_headers(client))
    assert response.status_code == 422
    assert "reminder_minutes" in response.text
