"""Accounts (password change and reset) and session logs (edits keep their history)."""

from __future__ import annotations

import re
from typing import Any

from retrorun.bootstrap import ConsoleMailer
from tests.web._client import TestClient
from tests.web.helpers import PASSWORD, csrf, make_client, post_form, profile, sign_up


def test_changing_the_password_signs_out_other_browsers_but_not_this_one(app: Any) -> None:
    here, there = make_client(app), make_client(app)
    sign_up(here, "ann@example.com")
    post_form(there, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    assert there.get("/account").status_code == 200
    short = post_form(here, "/account/password",
                      {"current_password": PASSWORD, "new_password": "short"}, page="/account")
    assert short.status_code == 422
    assert "at least 8 characters" in short.text
    wrong = post_form(here, "/account/password",
                      {"current_password": "nope", "new_password": "a new long one"},
                      page="/account")
    assert wrong.status_code == 422
    assert "current password is wrong" in wrong.text
    ok = post_form(here, "/account/password",
                   {"current_password": PASSWORD, "new_password": "a new long one"},
                   page="/account")
    assert ok.status_code == 303
    assert here.get("/account").status_code == 200
    assert there.get("/account").headers["location"].startswith("/signin")


def test_a_reset_link_from_the_console_mailer_sets_a_new_password(
        client: TestClient, mailer: ConsoleMailer) -> None:
    sign_up(client, "ann@example.com")
    mailer.sent.clear()  # the sign-up's confirmation mail
    client.post("/signout", data={"csrf_token": csrf(client, "/account")})
    sent = post_form(client, "/reset", {"email": "ann@example.com"}, page="/reset")
    assert sent.status_code == 200
    assert "on its way" in sent.text
    unknown = post_form(client, "/reset", {"email": "nobody@example.com"}, page="/reset")
    assert unknown.status_code == 200
    assert "on its way" in unknown.text
    assert len(mailer.sent) == 1
    link = re.search(r"https://retrorun\.test/reset/confirm\?token=(\S+)", mailer.sent[0].body)
    assert link, mailer.sent[0].body
    token = link.group(1)
    assert f'value="{token}"' in client.get(f"/reset/confirm?token={token}").text
    done = post_form(client, "/reset/confirm", {"token": token, "new_password": "brand new pw"},
                     page="/reset")
    assert done.status_code == 303
    assert client.get("/account").status_code == 200
    reused = post_form(client, "/reset/confirm", {"token": token, "new_password": "other pw 2"},
                       page="/reset")
    assert reused.status_code == 400
    assert "no longer valid" in reused.text


def _signed_in_with_plan(client: TestClient) -> str:
    sign_up(client, "ann@example.com")
    plan = client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    sessions = plan.json()["document"]["weeks"][0]["sessions"]
    return str(next(s["id"] for s in sessions if s["backward_seconds"] > 0))


def test_a_log_is_edited_and_its_history_kept(client: TestClient) -> None:
    session_id = _signed_in_with_plan(client)
    url = f"/plan/sessions/{session_id}"
    first = post_form(client, f"{url}/log", {"status": "partial", "forward_minutes": "10",
                                             "backward_minutes": "2", "pain_during": "2",
                                             "notes": "windy"}, page=url)
    assert first.status_code == 303
    page = client.get(url).text
    assert "Edit your log" in page
    assert 'value="10"' in page
    second = post_form(client, f"{url}/log", {"status": "done", "forward_minutes": "20",
                                              "backward_minutes": "4", "rpe": "5",
                                              "events": ["stumble", "dizziness"]}, page=url)
    assert second.status_code == 303
    twin = client.get(f"/api/v1{url}").json()
    assert twin["session"]["log"]["status"] == "done"
    assert twin["session"]["log"]["events"] == ["stumble", "dizziness"]
    assert [r["status"] for r in twin["session"]["history"]] == ["partial", "done"]
    assert "Log history" in client.get(url).text


def test_bad_log_input_names_the_field_and_stores_nothing(client: TestClient) -> None:
    session_id = _signed_in_with_plan(client)
    url = f"/plan/sessions/{session_id}"
    cases = [
        ({"status": "done", "rpe": "11"}, "rpe", "from 0 to 10"),
        ({"status": "done", "pain_during": "a lot"}, "pain_during", "whole number"),
        ({"status": "skipped", "forward_minutes": "5"}, "forward_minutes", "choose partial"),
        ({"forward_minutes": "5"}, "status", "choose done"),
        ({"status": "done", "events": ["fell asleep"]}, "events", "allowed"),
    ]
    for data, field, text in cases:
        response = post_form(client, f"{url}/log", data, page=url)
        assert response.status_code == 422, data
        error = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', response.text)
        assert error, (field, response.text[-2000:])
        assert text in error.group(1), (field, error.group(1))
    assert client.get("/api/v1/logs").json() == []
    api = client.put(f"/api/v1{url}/log", json={"status": "done", "rpe": 12},
                     headers={"X-CSRF-Token": csrf(client)})
    assert api.status_code == 422
    assert api.json()["error"]["field"] == "rpe"


def test_a_coach_invite_with_a_bad_email_names_the_field(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    response = post_form(client, "/coaches", {"coach_email": "not an email"}, page="/coaches")
    assert response.status_code == 422
    assert re.search(r'id="coach_email-error"[^>]*>Coach email: ', response.text)
    self_invite = post_form(client, "/coaches", {"coach_email": "ann@example.com"},
                            page="/coaches")
    assert self_invite.status_code == 422
    assert "cannot invite yourself" in self_invite.text
