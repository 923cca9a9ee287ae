"""The calendar subscription feed over HTTP: secret URL, rotation, ETag, CSRF."""

from __future__ import annotations

import re
from typing import Any

from icalendar import Calendar

from tests.web._client import TestClient
from tests.web.helpers import PASSWORD, csrf, make_client, post_form, profile, sign_up

API = "/api/v1/calendar-feed"


def _athlete(client: TestClient, email: str = "ann@example.com", **changes: Any) -> str:
    """Sign up with a plan; the feed's path (the URL without the host)."""
    sign_up(client, email)
    response = client.put("/api/v1/plan", json=profile(**changes),
                          headers={"X-CSRF-Token": csrf(client)})
    assert response.status_code == 200, response.text
    return _path(client.get(API).json()["url"])


def _path(url: str) -> str:
    return url.split("retrorun.test", 1)[1]


def _sequences(client: TestClient, path: str) -> dict[str, int]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return {str(e["uid"]): int(e["sequence"])
            for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_url_is_stable_and_serves_the_plan_without_signing_in(
        client: TestClient, app: Any) -> None:
    path = _athlete(client)
    assert path.startswith("/calendar/")
    # Shown once: only the token's hash is kept (the URL itself keeps working).
    assert client.get(API).json() == {"url": None, "webcal_url": None}
    anonymous = make_client(app)
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    plan = client.get("/api/v1/plan").json()
    sessions = [s for w in plan["document"]["weeks"] for s in w["sessions"]
                if s["kind"] != "rest"]
    assert len(calendar.walk("VEVENT")) == len(sessions)
    assert _sequences(anonymous, path) == _sequences(anonymous, path)  # stable UIDs


def test_if_none_match_with_the_current_etag_answers_304_without_a_body(
        client: TestClient) -> None:
    path = _athlete(client)
    first = client.get(path)
    tag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_changing_the_plan_bumps_only_the_changed_sessions(client: TestClient) -> None:
    path = _athlete(client, long_run_day="sun")
    before = _sequences(client, path)
    tag = client.get(path).headers["etag"]
    client.put("/api/v1/plan", json={**profile(long_run_day="sat"), "replace": True},
               headers={"X-CSRF-Token": csrf(client)})
    response = client.get(path, headers={"If-None-Match": tag})
    assert response.status_code == 200  # the plan changed: the old ETag no longer matches
    after = _sequences(client, path)
    assert after.keys() == before.keys()
    bumped = {uid for uid in after if after[uid] == 1}
    assert bumped
    assert len(bumped) < len(after)
    assert all(after[uid] == 0 for uid in after.keys() - bumped)


def test_rotating_kills_the_old_url(client: TestClient) -> None:
    old = _athlete(client)
    response = client.post(f"{API}/rotate", headers={"X-CSRF-Token": csrf(client)})
    assert response.status_code == 200, response.text
    new = _path(response.json()["url"])
    assert response.json()["webcal_url"] == f"webcal://retrorun.test{new}"
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get(API).json()["url"] is None  # shown once, in the rotate answer


def test_rotating_from_the_page_needs_the_csrf_token(client: TestClient) -> None:
    old = _athlete(client)
    page = client.get("/plan/calendar-feed")
    assert page.status_code == 200
    assert old not in page.text  # shown once, by the API call that made it
    assert "Rotate to see a new address" in page.text
    assert 'href="/plan/calendar-feed"' in client.get("/plan").text
    refused = client.post("/plan/calendar-feed/rotate", data={})
    assert refused.status_code == 403
    assert client.post(f"{API}/rotate").status_code == 403
    assert client.get(old).status_code == 200  # nothing rotated
    done = post_form(client, "/plan/calendar-feed/rotate", {}, page="/plan/calendar-feed")
    assert done.status_code == 200  # the new URL is in this answer, and only here
    assert client.get(old).status_code == 404
    new = re.search(r'value="https://retrorun\.test(/calendar/[^"]+)"', done.text)
    assert new
    assert client.get(new.group(1)).status_code == 200
    assert new.group(1) not in client.get("/plan/calendar-feed").text


def test_unknown_tokens_get_404_in_the_one_error_shape(client: TestClient) -> None:
    response = client.get("/calendar/not-a-token.ics", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_another_users_token_never_shows_this_users_plan(client: TestClient, app: Any) -> None:
    ann_path = _athlete(client, long_run_day="sun")
    bob = make_client(app)
    bob_path = _athlete(bob, "bob@example.com", long_run_day="sat")
    assert bob_path != ann_path
    ann_uids = _sequences(client, ann_path).keys()
    bob_uids = _sequences(bob, bob_path).keys()
    # UIDs carry the stored plan's id: none of Ann's events is in Bob's feed.
    assert ann_uids
    assert bob_uids
    assert not ann_uids & bob_uids


def test_the_feed_needs_a_signed_in_user_for_its_url(app: Any) -> None:
    anonymous = make_client(app)
    assert anonymous.get(API).status_code == 401


def test_deleting_the_account_removes_the_feed(client: TestClient) -> None:
    path = _athlete(client)
    response = post_form(client, "/account/delete", {"password": PASSWORD}, page="/account")
    assert response.status_code == 303, response.text
    assert client.get(path).status_code == 404


def test_head_gives_the_feeds_etag_without_a_body(client: TestClient) -> None:
    path = _athlete(client)
    tag = client.get(path).headers["etag"]
    head = client.head(path)
    assert head.status_code == 200
    assert head.headers["etag"] == tag
    assert head.content == b""
    assert client.head(path, headers={"If-None-Match": tag}).status_code == 304
    assert client.head("/calendar/no-such-token.ics").status_code == 404


def test_the_database_keeps_only_the_feed_tokens_hash(client: TestClient, settings: Any) -> None:
    """Issue 11 finding 8: a copy of the database gives no feed URL."""
    import hashlib

    from sqlalchemy import create_engine, text

    path = _athlete(client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            stored = [tuple(r) for r in connection.execute(text("SELECT * FROM calendar_feeds"))]
    finally:
        engine.dispose()
    assert len(stored) == 1
    assert not any(token in str(value) for value in stored[0])
    assert hashlib.sha256(token.encode()).hexdigest() in stored[0]
    assert client.get(path).status_code == 200
