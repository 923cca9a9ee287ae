"""No input gives a 500 (issue 11, finding 5 and the OPTIONS/body points of 10), over
HTTP on SQLite and PostgreSQL: far dates, control characters in any text, huge or
undecodable bodies, OPTIONS, and the same session logged by many requests at once."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from retrorun.bootstrap import build_services
from retrorun.config import Settings
from retrorun.web.app import create_app
from tests.web._client import TestClient
from tests.web._server import serving
from tests.web.helpers import (
    api_headers,
    csrf,
    make_client,
    post_form,
    profile,
    sign_up,
    wizard_form,
)

FAR_DATES = ["9999-12-31", "0001-01-01", "9999-12-01", "1969-12-31", "2101-01-01"]
CONCURRENT = 50


def _signed_in(client: TestClient) -> dict[str, str]:
    sign_up(client, "ann@example.com")
    return api_headers(client)


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_start_date_is_a_422_naming_it_everywhere_a_profile_comes_in(
        client: TestClient, day: str) -> None:
    preview = client.post("/api/v1/plans/preview", json=profile(start_date=day))
    assert preview.status_code == 422, preview.text
    assert preview.json()["error"]["field"] == "start_date"
    assert "1970-01-01 to 2100-12-31" in preview.json()["error"]["message"]
    wizard = post_form(client, "/plan/new", wizard_form(start_date=day), page="/plan/new")
    assert wizard.status_code == 422, wizard.text
    assert "1970-01-01 to 2100-12-31" in wizard.text
    check = post_form(client, "/plan/new/check/start_date", wizard_form(start_date=day),
                      page="/plan/new")
    assert check.status_code == 200
    assert "1970-01-01 to 2100-12-31" in check.text
    headers = _signed_in(client)
    kept = client.put("/api/v1/plan", json=profile(start_date=day), headers=headers)
    assert kept.status_code == 422, kept.text
    assert kept.json()["error"]["field"] == "start_date"


def test_the_edges_of_the_date_window_make_plans(client: TestClient) -> None:
    for day in ("1970-01-01", "2100-12-31"):
        response = client.post("/api/v1/plans/preview",
                               json=profile(start_date=day, weeks=52))
        assert response.status_code == 200, (day, response.text)


def test_control_characters_in_a_path_are_a_404_not_a_database_error(
        client: TestClient) -> None:
    for path in ("/calendar/%00.ics", "/api/v1/logs/%00", "/plan/sessions/a%01b",
                 "/api/v1/athletes/%00/limits"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.text)


def test_a_nul_in_an_email_at_sign_in_sign_up_and_reset_is_a_422(client: TestClient) -> None:
    for url, data in (("/signin", {"email": "ann\x00@example.com", "password": "x" * 10}),
                      ("/signup", {"email": "ann@exa\x00mple.com", "password": "x" * 10}),
                      ("/reset", {"email": "\x00ann@example.com"})):
        response = post_form(client, url, data, page=url)
        assert response.status_code == 422, (url, response.text)
        assert "Email: must not contain control characters" in response.text


def test_control_characters_in_query_strings_and_json_keys_are_refused(
        client: TestClient) -> None:
    query = client.get("/reset/confirm?token=a%00b")
    assert query.status_code == 422
    nested = client.post("/api/v1/plans/preview",
                         json=profile(screen={"vertigo\x00": False}))
    assert nested.status_code == 422
    assert nested.json()["error"]["field"] == "screen"
    program = client.post("/api/v1/plans/preview", json=profile(program="starter\x07"))
    assert program.status_code == 422
    assert program.json()["error"]["field"] == "program"


def _plan_with_past_session(client: TestClient, headers: dict[str, str]) -> str:
    """A kept plan that started two weeks ago (real clock); a session already past."""
    today = dt.datetime.now(dt.UTC).date()
    start = today - dt.timedelta(days=today.weekday() + 14)
    plan = client.put("/api/v1/plan", json=profile(start_date=start.isoformat()),
                      headers=headers)
    assert plan.status_code == 200, plan.text
    sessions = plan.json()["document"]["weeks"][0]["sessions"]
    return str(sessions[0]["id"])


def test_a_nul_in_log_notes_or_a_coach_email_is_a_422_and_lines_stay(
        client: TestClient) -> None:
    headers = _signed_in(client)
    session_id = _plan_with_past_session(client, headers)
    url = f"/api/v1/plan/sessions/{session_id}/log"
    nul = client.put(url, json={"status": "done", "notes": "ok\x00"}, headers=headers)
    assert nul.status_code == 422, nul.text
    assert nul.json()["error"]["field"] == "notes"
    lines = client.put(url, json={"status": "done", "notes": "line 1\r\n\tline 2"},
                       headers=headers)
    assert lines.status_code == 200, lines.text
    assert lines.json()["notes"] == "line 1\r\n\tline 2"
    coach = client.post("/api/v1/coaches", json={"coach_email": "physio\x00@clinic.test"},
                        headers=headers)
    assert coach.status_code == 422, coach.text
    assert coach.json()["error"]["field"] == "coach_email"
    form = post_form(client, f"/plan/sessions/{session_id}/log",
                     {"status": "done", "notes": "a\x1bb"}, page="/account")
    assert form.status_code == 422
    assert "Notes: must not contain control characters" in form.text  # its label


def test_a_body_over_the_cap_is_a_413_before_it_is_parsed(client: TestClient) -> None:
    big = json.dumps(profile(program="x" * (1024 * 1024)))
    response = client.post("/api/v1/plans/preview", content=big,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["status"] == 413

    def chunks() -> Any:  # no Content-Length: sent chunked
        for _ in range(40):
            yield b" " * 65536

    chunked = client.post("/api/v1/plans/preview", content=chunks(),
                          headers={"content-type": "application/json"})
    assert chunked.status_code == 413


def test_the_cap_is_a_setting(settings: Settings) -> None:
    small = settings.model_copy(update={"max_body_bytes": 2048})
    services = build_services(small)
    try:
        with make_client(create_app(small, services)) as client:
            body = {**profile(), "program": "p" * 3000}
            assert client.post("/api/v1/plans/preview", json=body).status_code == 413
            assert client.post("/api/v1/plans/preview", json=profile()).status_code == 200
    finally:
        services.close()


def test_a_chunked_body_over_the_cap_is_a_413_from_a_real_server(app: Any) -> None:
    def chunks() -> Any:
        for _ in range(64):
            yield b"[" * 32768

    with serving(app) as base, httpx.Client(base_url=base) as http:
        response = http.post("/api/v1/plans/preview", content=chunks(),
                             headers={"content-type": "application/json"})
        assert response.status_code == 413


@pytest.mark.parametrize("body", [b"\xff\xfe{}", b"{\"experience\": ", b"[" * 100000])
def test_an_undecodable_body_is_a_documented_422(client: TestClient, body: bytes) -> None:
    response = client.post("/api/v1/plans/preview", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    documented = client.get("/api/v1/openapi.json").json()
    assert "422" in documented["paths"]["/api/v1/plans/preview"]["post"]["responses"]
    assert "413" in documented["paths"]["/api/v1/plans/preview"]["post"]["responses"]


def test_options_answers_with_the_allowed_methods(client: TestClient) -> None:
    plan = client.options("/api/v1/plan")
    assert plan.status_code == 204
    assert set(plan.headers["allow"].split(", ")) == {"GET", "PUT", "OPTIONS"}
    page = client.options("/signin")
    assert page.status_code == 204
    assert {"GET", "POST"} <= set(page.headers["allow"].split(", "))
    assert client.options("/no/such/page").status_code == 404
    wrong = client.delete("/api/v1/plan", headers={"X-CSRF-Token": csrf(client)})
    assert wrong.status_code == 405
    assert "PUT" in wrong.headers["allow"]


def test_the_schema_declares_what_it_refuses(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    parts = schema["components"]["schemas"]
    assert parts["InviteBody"]["properties"]["coach_email"]["pattern"].startswith("^[^\\x00")
    assert parts["ProfileBody"]["properties"]["surfaces"]["uniqueItems"] is True
    assert parts["ProfileBody"]["properties"]["available_days"]["uniqueItems"] is True
    assert "1970-01-01 to 2100-12-31" in parts["ProfileBody"]["properties"]["start_date"][
        "description"]


def _log_many(base: str, cookies: dict[str, str], headers: dict[str, str], url: str,
              bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    def put(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as http:
            return http.put(url, json=body, headers={
                **headers, "cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})

    with ThreadPoolExecutor(CONCURRENT) as pool:
        return list(pool.map(put, bodies))


def test_the_same_first_log_sent_50_times_at_once_succeeds_for_all(app: Any) -> None:
    client = make_client(app)
    headers = _signed_in(client)
    session_id = _plan_with_past_session(client, headers)
    url = f"/api/v1/plan/sessions/{session_id}/log"
    body = {"status": "done", "rpe": 5, "notes": "felt fine"}
    with serving(app) as base:
        responses = _log_many(base, dict(client.cookies), headers, url, [body] * CONCURRENT)
    assert [r.status_code for r in responses] == [200] * CONCURRENT, {
        r.status_code: r.text for r in responses}
    assert len({r.json()["id"] for r in responses}) == 1
    history = client.get(f"/api/v1/logs/{responses[0].json()['id']}/history")
    assert len(history.json()) == 1  # one log, one revision: the repeats added nothing


def test_other_content_racing_a_first_log_is_a_clear_conflict(app: Any) -> None:
    client = make_client(app)
    headers = _signed_in(client)
    session_id = _plan_with_past_session(client, headers)
    url = f"/api/v1/plan/sessions/{session_id}/log"
    bodies = [{"status": "done", "rpe": 1 + i % 2} for i in range(CONCURRENT)]
    with serving(app) as base:
        responses = _log_many(base, dict(client.cookies), headers, url, bodies)
    assert {r.status_code for r in responses} <= {200, 409}, {
        r.status_code: r.text for r in responses}
    for conflict in (r for r in responses if r.status_code == 409):
        assert conflict.json()["error"]["field"] == "session_id"
        assert "other content" in conflict.json()["error"]["message"]
    logs = client.get("/api/v1/logs").json()
    assert len(logs) == 1


def test_a_lone_surrogate_in_a_log_note_is_refused_not_a_500(client: Any) -> None:
    """Found by the outside audit: a JSON \\ud800 escape reached psycopg (500 on both)."""
    sign_up(client, "surrogate@example.com")
    plan = client.put("/api/v1/plan", json=profile(), headers=api_headers(client)).json()
    session = plan["document"]["weeks"][0]["sessions"][0]["id"]
    response = client.put(f"/api/v1/plan/sessions/{session}/log",
                          content=b'{"status": "done", "notes": "\\ud800"}',
                          headers={**api_headers(client), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert "notes" in response.text
    assert client.get("/api/v1/logs").json() == []
