"""The free plan's calendar identity: its downloads and the plan kept from it name each
session's event alike (no second copy after sign-up), and its session pages download."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from icalendar import Calendar

from retrorun.bootstrap import Services
from retrorun.config import Settings
from retrorun.formats import SESSION_EXPORTERS
from retrorun.web.app import create_app
from tests.services.fakes import FakeClock
from tests.web._client import TestClient
from tests.web.helpers import PASSWORD, csrf, make_client, post_form, profile, sign_up, wizard_form


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(settings: Settings, services: Services, clock: FakeClock) -> Any:
    """The app on a clock the test moves (answers changed an hour later, and so on)."""
    return create_app(settings, dataclasses.replace(services, clock=clock))


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with make_client(app) as c:
        yield c


def _events(data: bytes) -> dict[str, str]:
    """UID -> DTSTAMP of every event."""
    return {str(e["uid"]): e["dtstamp"].to_ical().decode()
            for e in Calendar.from_ical(data).walk("VEVENT")}


def _days(data: bytes) -> dict[str, str]:
    """UID -> DTSTART of every event."""
    return {str(e["uid"]): e["dtstart"].to_ical().decode()
            for e in Calendar.from_ical(data).walk("VEVENT")}


def _uids(client: TestClient, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return set(_events(response.content))


def _key(uids: set[str]) -> str:
    """The plan key all the UIDs carry (`<session>-<hash>.<key>@retrorun`)."""
    keys = {uid.rsplit("@", 1)[0].split(".", 1)[1] for uid in uids}
    assert len(keys) == 1, keys
    return keys.pop()


def _preview(client: TestClient, **answers: Any) -> None:
    response = post_form(client, "/plan/new", wizard_form(**answers), page="/plan/new")
    assert response.status_code == 303, response.text


def _first_session(client: TestClient, twin: str) -> str:
    return str(client.get(twin).json()["document"]["weeks"][0]["sessions"][0]["id"])


def _feed(client: TestClient) -> str:
    url = client.get("/api/v1/calendar-feed").json()["url"]
    return str(url.split("retrorun.test", 1)[1])


def test_the_preview_calendar_and_the_plan_after_sign_up_share_every_uid(
        client: TestClient) -> None:
    _preview(client)
    free = _uids(client, "/plan/preview/export/ics")
    assert client.get("/api/v1/plans/preview/export/ics").content == client.get(
        "/plan/preview/export/ics").content
    session_id = _first_session(client, "/api/v1/plans/preview")
    free_one = _uids(client, f"/plan/preview/sessions/{session_id}/export/ics")
    free_fit = client.get(f"/plan/preview/sessions/{session_id}/export/fit").content
    free_zip = client.get("/plan/preview/export/fit.zip").content

    sign_up(client, "ann@example.com")  # from the same browser: the preview is kept
    assert client.get("/plan").status_code == 200
    assert _uids(client, "/plan/export/ics") == free
    assert _uids(client, "/api/v1/plan/export/ics") == free
    assert _uids(client, _feed(client)) == free
    assert _uids(client, f"/plan/sessions/{session_id}/export/ics") == free_one
    # The watch's copies too: same FIT serial numbers, so the same files.
    assert client.get(f"/plan/sessions/{session_id}/export/fit").content == free_fit
    assert client.get("/plan/export/fit.zip").content == free_zip


def test_changed_answers_keep_the_uids_and_date_the_events_later(
        client: TestClient, clock: FakeClock) -> None:
    _preview(client)
    first = _events(client.get("/plan/preview/export/ics").content)
    clock.advance(hours=1)
    _preview(client)  # the same answers again: the same file
    assert _events(client.get("/plan/preview/export/ics").content) == first
    before = _days(client.get("/plan/preview/export/ics").content)
    _preview(client, runs_per_week="4", available_days=["mon", "wed", "fri", "sat", "sun"])
    data = client.get("/plan/preview/export/ics").content
    second, after = _events(data), _days(data)
    assert _key(set(second)) == _key(set(first))
    common = set(first) & set(second)  # sessions that still exist keep their UID...
    assert common
    assert any(before[uid] != after[uid] for uid in common)  # ...though they moved
    # ...and a later DTSTAMP: with SEQUENCE 0 on both, clients take the new event.
    assert min(second.values()) > max(first.values())
    # The stateless API export has nothing to keep a key in: a hash of the inputs.
    hashed = [set(_events(client.post("/api/v1/plans/preview/export/ics",
                                      json=profile(**changes)).content))
              for changes in ({}, {"weekly_minutes": 150})]
    assert not hashed[0] & hashed[1]


def test_keeping_another_preview_replaces_the_plan_but_not_its_uids(
        client: TestClient, clock: FakeClock) -> None:
    _preview(client)
    sign_up(client, "ann@example.com")
    stored = _uids(client, "/plan/export/ics")
    feed = _feed(client)
    clock.advance(days=1)
    _preview(client, weekly_minutes="150")
    assert _key(_uids(client, "/plan/preview/export/ics")) == _key(stored)
    asked = post_form(client, "/plan", {}, page="/plan/preview")
    assert asked.status_code == 409  # a kept plan: asks first, changes nothing
    assert "Replace my current plan (it stays in your history)" in asked.text
    kept = post_form(client, "/plan", {"replace": "1"}, page="/plan/preview")
    assert kept.status_code == 303
    assert client.get("/api/v1/plan").json()["version"] == 1  # a new plan
    assert _uids(client, "/plan/export/ics") == stored  # the same sessions, new content
    assert _uids(client, feed) == stored


def test_a_plan_made_without_a_preview_keeps_uids_by_its_id(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    plan = client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    plan_id = plan.json()["calendar"]["plan_id"]
    assert _key(_uids(client, "/plan/export/ics")) == plan_id
    # A preview kept later replaces the plan, not its calendar: the UIDs stay, and this
    # browser's next previews use the stored plan's key too.
    _preview(client)
    assert post_form(client, "/plan", {"replace": "1"},
                     page="/plan/preview").status_code == 303
    assert _key(_uids(client, "/plan/export/ics")) == plan_id
    _preview(client, weekly_minutes="150")
    assert _key(_uids(client, "/plan/preview/export/ics")) == plan_id


def test_signing_in_with_the_preview_keeps_an_existing_plans_uids(
        client: TestClient, app: Any) -> None:
    sign_up(client, "ann@example.com")
    client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    stored = _uids(client, "/plan/export/ics")
    with make_client(app) as browser:  # another browser: a preview, then sign in to keep it
        _preview(browser)
        assert _key(_uids(browser, "/plan/preview/export/ics")) != _key(stored)
        signed_in = post_form(browser, "/signin", {"email": "ann@example.com",
                                                   "password": PASSWORD, "keep": "1"})
        assert signed_in.headers["location"] == "/plan/replace"  # asks first
        assert "it stays in your history" in browser.get("/plan/replace").text
        kept = post_form(browser, "/plan", {"replace": "1"}, page="/plan/replace")
        assert kept.headers["location"] == "/plan"
        assert _uids(browser, "/plan/export/ics") == stored
        _preview(browser)
        assert _key(_uids(browser, "/plan/preview/export/ics")) == _key(stored)


def test_each_browser_gets_a_key_of_its_own(client: TestClient, app: Any) -> None:
    _preview(client)
    mine = _uids(client, "/plan/preview/export/ics")
    with make_client(app) as other:
        _preview(other)  # the very same answers
        assert not mine & _uids(other, "/plan/preview/export/ics")
    # Signing out ends the browser's session, its key with it.
    sign_up(client, "ann@example.com")
    assert post_form(client, "/signout", {}, page="/plan").status_code == 303
    _preview(client)
    assert not mine & _uids(client, "/plan/preview/export/ics")


@pytest.mark.parametrize("fmt", list(SESSION_EXPORTERS))
def test_the_free_plans_session_pages_download(client: TestClient, fmt: str) -> None:
    _preview(client)
    session_id = _first_session(client, "/api/v1/plans/preview")
    page = client.get(f"/plan/preview/sessions/{session_id}").text
    export = f"/plan/preview/sessions/{session_id}/export"
    assert f'href="{export}/{fmt}"' in page
    response = client.get(f"{export}/{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.content
    api = client.get(f"/api/v1/plans/preview/sessions/{session_id}/export/{fmt}")
    assert (api.headers["content-type"], api.content) == (
        response.headers["content-type"], response.content)


def test_the_free_session_downloads_refuse_what_does_not_exist(
        client: TestClient, app: Any) -> None:
    assert client.get("/plan/preview/sessions/x/export/fit").status_code == 404
    api = client.get("/api/v1/plans/preview/sessions/x/export/fit")
    assert api.status_code == 404
    assert api.json()["error"]["status"] == 404
    _preview(client)
    session_id = _first_session(client, "/api/v1/plans/preview")
    for url in ("/plan/preview/sessions/no-such-session/export/fit",
                f"/plan/preview/sessions/{session_id}/export/docx",
                f"/plan/preview/sessions/{session_id}/export/pdf",
                "/api/v1/plans/preview/sessions/no-such-session/export/ics"):
        assert client.get(url).status_code == 404, url
    assert make_client(app).get(
        f"/plan/preview/sessions/{session_id}/export/ics").status_code == 404


def test_the_free_files_are_dated_when_the_answers_changed(
        client: TestClient, clock: FakeClock) -> None:
    _preview(client)
    # Tuesday 05:00: another day, but within the day a draft of answers is kept
    # (services.drafts.DRAFT_TTL).
    clock.advance(hours=20)
    made_on = re.compile(r"Made on ([^<.]+)\.")
    # Made on the Monday the answers were given, not "today" a day later.
    assert made_on.findall(client.get("/plan/preview/print").text) == ["Mon 2 Nov 2026"]
    stamps = set(_events(client.get("/plan/preview/export/ics").content).values())
    assert stamps == {"20261102T090000Z"}
