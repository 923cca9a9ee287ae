"""Helpers for the web tests: CSRF tokens, sign-up, valid profiles and wizard forms."""

from __future__ import annotations

import re
from typing import Any

from tests.web._client import TestClient

PASSWORD = "correct horse battery"


def make_client(app: Any) -> TestClient:
    # https: outside development the session cookie is Secure.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, page: str = "/signin") -> str:
    """The session's CSRF token, as a form on `page` carries it."""
    response = client.get(page)
    match = _CSRF.search(response.text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_form(client: TestClient, url: str, data: dict[str, Any],
              page: str = "/signin") -> Any:
    return client.post(url, data={"csrf_token": csrf(client, page), **data})


def sign_up(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign up and follow the mailed confirmation link, which signs the browser in."""
    response = post_form(client, "/signup", {"email": email, "password": password})
    assert response.status_code == 200, response.text
    verify(client, email)


_VERIFY_LINK = re.compile(r"/verify\?token=(\S+)")


def mailed_link(client: TestClient, to: str, pattern: re.Pattern[str]) -> str | None:
    """The token of the newest mail to `to` whose body matches `pattern`, if any."""
    sent = client.app.state.services.mailer.sent  # type: ignore[attr-defined]
    for message in reversed(sent):
        found = pattern.search(message.body)
        if message.to == to.strip().lower() and found:
            return found.group(1)
    return None


def verify(client: TestClient, email: str) -> Any:
    """Confirm the address with the newest link mailed to it (the browser is signed in)."""
    token = mailed_link(client, email, _VERIFY_LINK)
    assert token, f"no confirmation mail to {email}"
    response = post_form(client, "/verify", {"token": token})
    assert response.status_code == 303, response.text
    return response


def api_headers(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf(client)}


def profile(**changes: Any) -> dict[str, Any]:
    """A valid retrorun.profile/1 document."""
    data: dict[str, Any] = {
        "experience": "recreational", "weekly_minutes": 120, "runs_per_week": 3,
        "available_days": ["tue", "thu", "sat", "sun"], "goal": "general", "age": 34,
        "surfaces": ["track", "grass", "road"], "start_date": "2026-11-02", "screen": {},
    }
    data.update(changes)
    return data


def wizard_form(**changes: Any) -> dict[str, Any]:
    """The wizard's fields as a browser sends them (lists become repeated keys)."""
    fields: dict[str, Any] = {
        "units": "metric", "experience": "recreational", "weekly_minutes": "120",
        "runs_per_week": "3",
        "longest_run_minutes": "", "easy_pace": "", "age": "34",
        "backward_walk_3m_seconds": "", "hr_max": "", "hr_rest": "", "goal": "general",
        "available_days": ["tue", "thu", "sat", "sun"], "long_run_day": "",
        "surfaces": ["track", "grass"], "start_date": "2026-11-02",
        **{f"screen.{k}": "no" for k in ("vertigo", "fall_last_year", "balance_condition",
                                         "leg_pain", "concussion", "late_pregnancy",
                                         "uncorrected_vision")},
    }
    fields.update(changes)
    return fields


def accept_invitations(client: TestClient) -> None:
    """Accept, as the signed-in (verified) coach, every invitation to their address."""
    page = client.get("/api/v1/invitations")
    assert page.status_code == 200, page.text
    for invitation in page.json()["invitations"]:
        if invitation["status"] != "active":
            done = client.post(f"/api/v1/invitations/{invitation['id']}/accept",
                               headers=api_headers(client))
            assert done.status_code == 200, done.text
