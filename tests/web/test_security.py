"""CSRF on every form, the session cookie's flags, one error shape everywhere."""

from __future__ import annotations

import pytest

from tests.web._client import TestClient
from tests.web.helpers import PASSWORD, csrf, post_form, profile, sign_up, wizard_form

FORMS = [
    ("/plan/new", wizard_form()),
    ("/plan/new/check/age", wizard_form()),
    ("/signup", {"email": "x@example.com", "password": PASSWORD}),
    ("/signin", {"email": "x@example.com", "password": PASSWORD}),
    ("/signout", {}),
    ("/reset", {"email": "x@example.com"}),
    ("/reset/confirm", {"token": "t", "new_password": PASSWORD}),
    ("/plan", {}),
    ("/plan/sessions/s1/log", {"status": "done"}),
    ("/account/password", {"current_password": PASSWORD, "new_password": PASSWORD + "!"}),
    ("/account/delete", {"password": PASSWORD}),
    ("/coaches", {"coach_email": "c@example.com"}),
    ("/coaches/g1/revoke", {}),
    ("/athletes/a1/limits", {"pain_threshold": "3"}),
]


@pytest.mark.parametrize(("url", "data"), FORMS, ids=[u for u, _ in FORMS])
@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_a_form_without_a_valid_csrf_token_is_refused(
        client: TestClient, url: str, data: dict[str, object], token: str) -> None:
    sign_up(client, "ann@example.com")
    form = dict(data) if token == "missing" else {**data, "csrf_token": "forged"}
    response = client.post(url, data=form)
    assert response.status_code == 403
    assert "did not come from retrorun" in response.text
    # ...and nothing changed: the account still works with the old password
    assert client.get("/account").status_code == 200


def test_signed_in_api_writes_need_the_csrf_header(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    refused = client.put("/api/v1/plan", json=profile())
    assert refused.status_code == 403
    assert refused.json()["error"]["field"] == "csrf_token"
    assert client.get("/api/v1/plan").status_code == 404
    ok = client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    assert ok.status_code == 200


def test_the_session_cookie_is_httponly_samesite_lax_and_secure_outside_development(
        client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    response = post_form(client, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" in cookie


@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/api/v1/plan", 401),
    ("get", "/api/v1/nothing-here", 404),
    ("post", "/api/v1/plans/preview", 422),
    ("get", "/api/v1/logs/not-a-log", 401),
])
def test_every_api_error_has_one_shape(client: TestClient, method: str, url: str,
                                       status: int) -> None:
    response = client.request(method, url, json={} if method == "post" else None)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message", "field"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]


def test_a_bad_profile_names_the_field(client: TestClient) -> None:
    response = client.post("/api/v1/plans/preview", json=profile(age=5))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "age"
    unknown = client.post("/api/v1/plans/preview", json=profile(program="nope"))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["field"] == "program"


def test_html_errors_are_pages_and_sign_in_is_asked_for(client: TestClient) -> None:
    assert client.get("/plan").headers["location"].startswith("/signin")
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.text


def test_sign_in_is_rate_limited(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    client.post("/signout", data={"csrf_token": csrf(client, "/account")})
    for _ in range(5):
        wrong = post_form(client, "/signin", {"email": "ann@example.com", "password": "nope"})
        assert wrong.status_code == 422
    limited = post_form(client, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    assert limited.status_code == 429
    assert "try again in" in limited.text.lower()


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_sign_in_never_redirects_to_another_site(client: TestClient, target: str) -> None:
    sign_up(client, "ann@example.com")
    client.post("/signout", data={"csrf_token": csrf(client, "/account")})
    response = post_form(client, "/signin", {"email": "ann@example.com", "password": PASSWORD,
                                             "next": target})
    assert response.status_code == 303
    assert response.headers["location"] == "/plan"


def test_a_page_that_needs_an_account_comes_back_after_sign_in(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    client.post("/signout", data={"csrf_token": csrf(client, "/account")})
    assert client.get("/coaches").headers["location"] == "/signin?next=/coaches"
    page = client.get("/signin?next=/coaches").text
    assert 'name="next" value="/coaches"' in page
    response = post_form(client, "/signin", {"email": "ann@example.com", "password": PASSWORD,
                                             "next": "/coaches"})
    assert response.headers["location"] == "/coaches"
