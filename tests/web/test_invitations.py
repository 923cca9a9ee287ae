"""Issue 11 finding 1 over HTTP (SQLite and PostgreSQL): an invitation to an address
nobody has proved gives nothing; access starts when a verified account with that email
accepts it on the Invitations page. And finding 9: the API never says whether an
address has an account."""

from __future__ import annotations

import re
from typing import Any

from retrorun.bootstrap import ConsoleMailer
from tests.web._client import TestClient
from tests.web.helpers import (
    PASSWORD,
    api_headers,
    make_client,
    post_form,
    profile,
    sign_up,
    verify,
)


def _athlete(app: Any) -> tuple[TestClient, str]:
    athlete = make_client(app)
    sign_up(athlete, "ann@example.com")
    plan = athlete.put("/api/v1/plan", json=profile(), headers=api_headers(athlete)).json()
    return athlete, str(plan["athlete_id"])


def _invite(athlete: TestClient, email: str) -> dict[str, Any]:
    invited = athlete.post("/api/v1/coaches", json={"coach_email": email},
                           headers=api_headers(athlete))
    assert invited.status_code == 201, invited.text
    body: dict[str, Any] = invited.json()
    return body


def test_a_taken_over_invitation_reads_nothing_until_verified_and_accepted(
        app: Any, mailer: ConsoleMailer) -> None:
    athlete, athlete_id = _athlete(app)
    grant = _invite(athlete, "physio@clinic.test")
    assert grant["status"] == "invited"
    assert "coach_has_account" not in grant
    assert "/invitations" in mailer.sent[-1].body
    # Someone who is not the physio signs up with the address: no sign-in without the link.
    mallory = make_client(app)
    assert post_form(mallory, "/signup", {"email": "physio@clinic.test",
                                          "password": PASSWORD}).status_code == 200
    refused = post_form(mallory, "/signin", {"email": "physio@clinic.test",
                                             "password": PASSWORD})
    assert refused.status_code == 403
    assert "Confirm your email address first" in refused.text
    url = f"/api/v1/athletes/{athlete_id}"
    assert mallory.get(url).status_code == 401
    assert mallory.get("/api/v1/invitations").status_code == 401
    assert mallory.post(f"/api/v1/invitations/{grant['id']}/accept",
                        headers=api_headers(mallory)).status_code in (401, 403)
    # Whoever reads the physio's mail confirms it: still nothing until they accept.
    verify(mallory, "physio@clinic.test")
    assert mallory.get(url).status_code == 404
    waiting = mallory.get("/athletes").text
    assert 'id="waiting-invitations"' in waiting
    assert "ann@example.com" in waiting
    assert f'href="/athletes/{athlete_id}"' not in waiting
    assert [c["status"] for c in athlete.get("/api/v1/coaches").json()["coaches"]] == [
        "invited"]
    accepted = post_form(mallory, f"/invitations/{grant['id']}/accept", {},
                         page="/invitations")
    assert accepted.status_code == 303
    assert mallory.get(url).status_code == 200
    assert [c["status"] for c in athlete.get("/api/v1/coaches").json()["coaches"]] == [
        "active"]


def test_a_pre_registered_address_is_not_taken_over(app: Any) -> None:
    """Outside audit: the attacker signs up first with the physio's address and waits;
    the physio's own sign-up mailed a link that confirmed the attacker's account with the
    attacker's password, so after the physio accepted, the attacker read the athlete."""
    athlete, athlete_id = _athlete(app)
    grant = _invite(athlete, "physio@clinic.test")
    attacker, physio = make_client(app), make_client(app)
    assert post_form(attacker, "/signup", {"email": "physio@clinic.test",
                                           "password": "attacker's own pw"}).status_code == 200
    sign_up(physio, "physio@clinic.test", "the physio's pw")  # follows the newest link
    assert post_form(physio, f"/invitations/{grant['id']}/accept", {},
                     page="/invitations").status_code == 303
    assert physio.get(f"/api/v1/athletes/{athlete_id}").status_code == 200
    denied = post_form(attacker, "/signin", {"email": "physio@clinic.test",
                                             "password": "attacker's own pw"})
    assert denied.status_code == 422
    assert attacker.get(f"/api/v1/athletes/{athlete_id}").status_code == 401
    again = make_client(app)
    assert post_form(again, "/signin", {"email": "physio@clinic.test",
                                        "password": "the physio's pw"}).status_code == 303


def test_the_coaches_page_shows_invited_active_and_declined(app: Any) -> None:
    athlete, athlete_id = _athlete(app)
    for email in ("a@example.com", "d@example.com", "i@example.com"):
        _invite(athlete, email)
    for email, action in (("a@example.com", "accept"), ("d@example.com", "decline")):
        coach = make_client(app)
        sign_up(coach, email)
        listed = coach.get("/api/v1/invitations").json()
        assert listed["email_verified"] is True
        (invitation,) = listed["invitations"]
        assert invitation["athlete_email"] == "ann@example.com"
        page = coach.get("/invitations").text
        assert f'action="/invitations/{invitation["id"]}/{action}"' in page
        done = post_form(coach, f"/invitations/{invitation['id']}/{action}", {},
                         page="/invitations")
        assert done.status_code == 303
        seen = coach.get(f"/api/v1/athletes/{athlete_id}").status_code
        assert seen == (200 if action == "accept" else 404)
    statuses = {c["coach_email"]: c["status"]
                for c in athlete.get("/api/v1/coaches").json()["coaches"]}
    assert statuses == {"a@example.com": "active", "d@example.com": "declined",
                        "i@example.com": "invited"}
    cells = re.findall(r'<td class="grant-status">(\w+)', athlete.get("/coaches").text)
    assert cells == ["Active", "Declined", "Invited"]


def test_nobody_else_can_answer_an_invitation(app: Any) -> None:
    athlete, athlete_id = _athlete(app)
    grant = _invite(athlete, "coach@example.com")
    eve = make_client(app)
    sign_up(eve, "eve@example.com")
    assert eve.get("/api/v1/invitations").json()["invitations"] == []
    for action in ("accept", "decline"):
        assert post_form(eve, f"/invitations/{grant['id']}/{action}", {},
                         page="/invitations").status_code == 404
        assert eve.post(f"/api/v1/invitations/{grant['id']}/{action}",
                        headers=api_headers(eve)).status_code == 404
    assert eve.get(f"/api/v1/athletes/{athlete_id}").status_code == 404
    assert athlete.get("/api/v1/coaches").json()["coaches"][0]["status"] == "invited"


def test_the_api_never_says_whether_an_address_has_an_account(app: Any) -> None:
    athlete, _ = _athlete(app)
    sign_up(make_client(app), "has@example.com")
    with_account = _invite(athlete, "has@example.com")
    without = _invite(athlete, "none@example.com")
    assert set(with_account) == set(without)
    assert with_account["status"] == without["status"] == "invited"
    schema = athlete.get("/api/v1/openapi.json").text
    assert "coach_has_account" not in schema
    assert "has_account" not in athlete.get("/coaches").text
    assert "no account" not in athlete.get("/coaches").text
