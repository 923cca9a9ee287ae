"""No endpoint shows or changes another user's data: every route with an id in its path,
called by a stranger with the athlete's ids, answers 404 (or 403) and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.routing import APIRoute

from retrorun.bootstrap import Services
from tests.web._client import TestClient
from tests.web.helpers import (
    PASSWORD,
    accept_invitations,
    csrf,
    make_client,
    post_form,
    profile,
    sign_up,
)

BODIES: dict[str, Any] = {
    "/api/v1/plan/sessions/{session_id}/log": {"status": "done", "forward_minutes": 5},
    "/api/v1/athletes/{athlete_id}/limits": {"pain_threshold": 2},
    "/plan/sessions/{session_id}/log": {"status": "done", "forward_minutes": "5"},
    "/athletes/{athlete_id}/limits": {"pain_threshold": "2"},
    "/api/v1/plan/sessions/{session_id}/field-tests": {"sprint_10m_s": 2.1},
    "/api/v1/athletes/{athlete_id}/sessions/{session_id}/field-tests": {"cmj_cm": 30},
    "/plan/sessions/{session_id}/field-tests": {"sprint_10m_s": "2.1"},
    "/athletes/{athlete_id}/sessions/{session_id}/field-tests": {"cmj_cm": "30"},
}


def _athlete_with_data(app: Any) -> tuple[TestClient, dict[str, str]]:
    athlete = make_client(app)
    sign_up(athlete, "ann@example.com")
    headers = {"X-CSRF-Token": csrf(athlete)}
    plan = athlete.put("/api/v1/plan", json=profile(), headers=headers).json()
    session_id = plan["document"]["weeks"][0]["sessions"][0]["id"]
    log = athlete.put(f"/api/v1/plan/sessions/{session_id}/log",
                      json={"status": "done", "forward_minutes": 20}, headers=headers).json()
    grant = athlete.post("/api/v1/coaches", json={"coach_email": "coach@example.com"},
                         headers=headers).json()
    return athlete, {"athlete_id": plan["athlete_id"], "session_id": session_id,
                     "log_id": log["id"], "grant_id": grant["id"]}


def _routes(app: Any) -> list[APIRoute]:
    """Every route of the app (FastAPI keeps included routers as wrappers)."""
    found = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        for item in inner.routes if inner is not None else [route]:
            if isinstance(item, APIRoute):
                found.append(item)
    return found


def _snapshot(athlete: TestClient) -> Any:
    return (athlete.get("/api/v1/plan").json(), athlete.get("/api/v1/logs").json(),
            athlete.get("/api/v1/coaches").json())


def test_a_stranger_gets_not_found_on_every_route_with_the_athletes_ids(
        app: Any, services: Services) -> None:
    athlete, ids = _athlete_with_data(app)
    before = _snapshot(athlete)
    stranger = make_client(app)
    sign_up(stranger, "eve@example.com")
    token = csrf(stranger)
    checked = 0
    for route in _routes(app):
        if not set(route.param_convertors) & set(ids):
            continue  # no id in the path (e.g. the wizard's /plan/new/check/{field})
        url = route.path.format(**{k: ids.get(k, "x") for k in route.param_convertors})
        for method in route.methods:
            body = BODIES.get(route.path)
            if route.path.startswith("/api/"):
                response = stranger.request(method, url, json=body,
                                            headers={"X-CSRF-Token": token})
            elif method == "POST":
                response = stranger.post(url, data={"csrf_token": token, **(body or {})})
            else:
                response = stranger.request(method, url)
            if route.path.startswith(("/plan/sessions", "/api/v1/plan/sessions")):
                # Session ids name a session of *your own* plan; the stranger has none.
                assert response.status_code == 404, (method, url, response.text)
            elif route.path.startswith("/plan/preview"):
                assert response.status_code == 404, (method, url)
            else:
                assert response.status_code in (403, 404), (method, url, response.text)
            checked += 1
    assert checked >= 12
    assert _snapshot(athlete) == before


def test_a_coach_sees_the_athlete_until_access_is_revoked(app: Any) -> None:
    athlete, ids = _athlete_with_data(app)
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    seen = coach.get(f"/api/v1/athletes/{ids['athlete_id']}")
    assert seen.status_code == 200
    assert [log["id"] for log in seen.json()["logs"]] == [ids["log_id"]]
    assert coach.get(f"/athletes/{ids['athlete_id']}").status_code == 200
    assert coach.get(f"/api/v1/logs/{ids['log_id']}").status_code == 200
    # a coach reads but cannot write the athlete's log through their own session routes
    write = coach.put(f"/api/v1/plan/sessions/{ids['session_id']}/log",
                      json={"status": "skipped"}, headers={"X-CSRF-Token": csrf(coach)})
    assert write.status_code == 404
    revoked = post_form(athlete, f"/coaches/{ids['grant_id']}/revoke", {"confirm": "1"},
                        page="/coaches")
    assert revoked.status_code == 303
    assert coach.get(f"/api/v1/athletes/{ids['athlete_id']}").status_code == 404
    assert coach.get(f"/api/v1/logs/{ids['log_id']}").status_code == 404


def test_coach_limits_are_honoured_by_the_athletes_plan(app: Any) -> None:
    athlete, ids = _athlete_with_data(app)
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    bad = post_form(coach, f"/athletes/{ids['athlete_id']}/limits",
                    {"max_backward_minutes_per_week": "lots"}, page="/athletes")
    assert bad.status_code == 422
    assert "whole number" in bad.text
    response = post_form(coach, f"/athletes/{ids['athlete_id']}/limits",
                         {"max_backward_minutes_per_week": "5", "pain_threshold": "3"},
                         page="/athletes")
    assert response.status_code == 303
    plan = athlete.get("/api/v1/plan").json()
    assert plan["limits"] == {"max_backward_minutes_per_week": 5, "pain_threshold": 3}
    # A limit starts a version from the open day (issue 10): weeks not yet begun honour
    # it; days already begun, and the session logged, keep what they were.
    today = dt.datetime.now(dt.UTC).date().isoformat()
    later = [w for w in plan["document"]["weeks"]
             if min(s["date"] for s in w["sessions"]) > today]
    assert later
    assert all(w["backward_seconds"] <= 5 * 60 for w in later)
    logged = next(s for w in plan["document"]["weeks"] for s in w["sessions"]
                  if s["id"] == ids["session_id"])
    assert logged["date"] <= today


def test_deleting_the_account_removes_its_data_and_signs_out(app: Any) -> None:
    athlete, _ids = _athlete_with_data(app)
    wrong = post_form(athlete, "/account/delete", {"password": "nope"}, page="/account")
    assert wrong.status_code == 422
    gone = post_form(athlete, "/account/delete", {"password": PASSWORD}, page="/account")
    assert gone.status_code == 303
    assert athlete.get("/api/v1/plan").status_code == 401
    again = post_form(athlete, "/signin", {"email": "ann@example.com", "password": PASSWORD})
    assert again.status_code == 422
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    assert coach.get("/api/v1/athletes").json() == {"athletes": []}
