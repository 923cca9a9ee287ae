"""Server-side sessions over HTTP (issue 11 finding 2), on SQLite and PostgreSQL.

A copy of the session cookie taken before sign-out, a password change (for the other
browsers), a reset or "end this session" is refused afterwards: 401 on the API, and no
write goes through. The account page lists the active sessions.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import create_engine, text

from retrorun.bootstrap import ConsoleMailer, Services, build_services
from retrorun.config import Settings
from retrorun.web.app import SESSION_COOKIE
from tests.services.fakes import FakeClock
from tests.web._client import TestClient
from tests.web.helpers import PASSWORD, csrf, make_client, post_form, profile, sign_up

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1")
SETTINGS = "/api/v1/calendar-feed/settings"
BERLIN = {"timezone": "Europe/Berlin", "start_time": "07:00", "reminder_minutes": 30}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def services(settings: Settings, mailer: ConsoleMailer, clock: FakeClock) -> Iterator[Services]:
    """The app's services on the test's clock, so "last seen" can be moved on."""
    built = build_services(settings, clock=clock, mailer=mailer)
    yield built
    built.close()


def _copy(client: TestClient, app: Any, user_agent: str = FIREFOX) -> TestClient:
    """Another client holding a copy of this client's session cookie, as a thief would."""
    thief = make_client(app)
    thief.headers["User-Agent"] = user_agent
    thief.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    return thief


def _write_settings(client: TestClient, token: str) -> int:
    status: int = client.put(SETTINGS, json=BERLIN,
                             headers={"X-CSRF-Token": token}).status_code
    return status


def _athlete(client: TestClient, email: str = "ann@example.com") -> None:
    sign_up(client, email)
    response = client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    assert response.status_code == 200, response.text


def test_a_cookie_copied_before_sign_out_is_refused_after_it(
        client: TestClient, app: Any) -> None:
    _athlete(client)
    token = csrf(client)
    thief = _copy(client, app)
    assert thief.get("/api/v1/plan").status_code == 200  # the copy works while signed in
    assert post_form(client, "/signout", {}, page="/account").status_code == 303
    assert thief.get("/api/v1/plan").status_code == 401
    assert _write_settings(thief, token) in {401, 403}
    # Nothing was written: sign in again and the settings are still all-day.
    post_form(client, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    assert client.get(SETTINGS).json()["all_day"] is True
    assert thief.get("/api/v1/plan").status_code == 401  # a new sign-in revives no copy


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
        client: TestClient, app: Any) -> None:
    _athlete(client)
    other = make_client(app)
    post_form(other, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    other_token = csrf(other)
    thief = _copy(client, app)
    assert other.get("/api/v1/plan").status_code == 200
    changed = post_form(client, "/account/password",
                        {"current_password": PASSWORD, "new_password": "a new long password"},
                        page="/account")
    assert changed.status_code == 303, changed.text
    assert client.get("/api/v1/plan").status_code == 200  # this browser stays
    assert other.get("/api/v1/plan").status_code == 401
    assert _write_settings(other, other_token) in {401, 403}
    # The copy of *this* browser's cookie is this session: it still works (it is the
    # same session; ending it is what sign-out and "end this session" are for).
    assert thief.get("/api/v1/plan").status_code == 200


def test_a_password_reset_ends_every_session(client: TestClient, app: Any) -> None:
    _athlete(client)
    thief = _copy(client, app)
    stranger = make_client(app)
    post_form(stranger, "/reset", {"email": "ann@example.com"}, page="/reset")
    mail = app.state.services.mailer.sent[-1]
    token = re.search(r"token=(\S+)", mail.body)
    assert token
    done = post_form(stranger, "/reset/confirm",
                     {"token": token.group(1), "new_password": "a new long password"},
                     page="/reset")
    assert done.status_code == 303, done.text
    assert client.get("/api/v1/plan").status_code == 401
    assert thief.get("/api/v1/plan").status_code == 401
    assert stranger.get("/api/v1/plan").status_code == 200  # the one who reset it


def test_deleting_the_account_ends_its_sessions(client: TestClient, app: Any) -> None:
    _athlete(client)
    thief = _copy(client, app)
    deleted = post_form(client, "/account/delete", {"password": PASSWORD}, page="/account")
    assert deleted.status_code == 303
    assert thief.get("/api/v1/plan").status_code == 401


def test_the_account_page_lists_sessions_and_ends_one_or_all_others(
        client: TestClient, app: Any, clock: FakeClock) -> None:
    client.headers["User-Agent"] = FIREFOX
    _athlete(client)
    phone = make_client(app)
    phone.headers["User-Agent"] = IPHONE
    post_form(phone, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    third = make_client(app)
    post_form(third, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    page = client.get("/account").text
    assert "Firefox on Linux <strong>(this device)</strong>" in page
    assert "Safari on iPhone" in page
    assert page.count('action="/account/sessions/') == 4  # three ends, one "all others"
    # End the phone's session: without the CSRF token nothing happens.
    phone_id = re.search(r'Safari on iPhone</td>.*?action="/account/sessions/(\w+)/end"',
                         page, re.S)
    assert phone_id
    end = f"/account/sessions/{phone_id.group(1)}/end"
    assert client.post(end, data={}).status_code == 403
    assert phone.get("/api/v1/plan").status_code == 200
    assert post_form(client, end, {}, page="/account").status_code == 303
    assert phone.get("/api/v1/plan").status_code == 401
    assert "Safari on iPhone" not in client.get("/account").text
    # Another user cannot end Ann's sessions by id.
    bob = make_client(app)
    sign_up(bob, "bob@example.com")
    third_id = re.findall(r'action="/account/sessions/(\w+)/end"',
                          client.get("/account").text)
    for session_id in third_id:
        refused = post_form(bob, f"/account/sessions/{session_id}/end", {}, page="/account")
        assert refused.status_code == 404
    assert third.get("/api/v1/plan").status_code == 200  # still signed in
    # All others: the third browser goes, this one stays.
    clock.advance(minutes=5)
    done = post_form(client, "/account/sessions/end-others", {}, page="/account")
    assert done.status_code == 303
    assert third.get("/api/v1/plan").status_code == 401
    assert client.get("/api/v1/plan").status_code == 200
    page = client.get("/account").text
    assert page.count('action="/account/sessions/') == 1  # only "sign out" here
    assert "2026-11-02 09:05 UTC" in page  # last seen, moved on by the request


def test_last_seen_is_written_at_most_once_a_minute(
        client: TestClient, app: Any, clock: FakeClock, settings: Settings) -> None:
    _athlete(client)
    engine = create_engine(settings.database_url)

    def last_seen() -> list[Any]:
        with engine.connect() as connection:
            return [r[0] for r in connection.execute(text(
                "SELECT last_seen_at FROM user_sessions WHERE ended_at IS NULL"))]

    try:
        first = last_seen()
        assert len(first) == 1
        clock.advance(seconds=30)
        client.get("/api/v1/plan")
        assert last_seen() == first
        clock.advance(seconds=31)
        client.get("/api/v1/plan")
        assert last_seen() != first
        # Only the hash of the cookie's token is in the database.
        with engine.connect() as connection:
            hashes = [r[0] for r in connection.execute(text(
                "SELECT token_hash FROM user_sessions"))]
        assert all(len(h) == 64 for h in hashes)
        cookie = client.cookies[SESSION_COOKIE]
        assert not any(h in cookie for h in hashes)
    finally:
        engine.dispose()


def test_a_session_cookie_from_before_server_sessions_is_signed_out(
        client: TestClient, app: Any, settings: Settings) -> None:
    """A cookie with a user id but no session token (as every cookie before the
    migration) signs nobody in, even correctly signed."""
    _athlete(client)
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            user_id = connection.execute(text("SELECT id FROM users")).scalar_one()
    finally:
        engine.dispose()
    secret = settings.secret_key.get_secret_value()
    payload = base64.b64encode(json.dumps({"uid": user_id, "csrf": "x"}).encode())
    old = make_client(app)
    old.cookies.set(SESSION_COOKIE, TimestampSigner(secret).sign(payload).decode())
    assert old.get("/api/v1/plan").status_code == 401
    assert _write_settings(old, "x") in {401, 403}
