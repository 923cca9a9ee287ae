"""The plan page and its JSON twin are served from a response cache: it never shows one
user's plan to another, and every write shows on the very next request."""

from __future__ import annotations

from typing import Any

from tests.web._client import TestClient
from tests.web.helpers import accept_invitations, csrf, make_client, post_form, profile, sign_up


def _athlete(app: Any, email: str, **changes: Any) -> tuple[TestClient, dict[str, Any]]:
    client = make_client(app)
    sign_up(client, email)
    plan = client.put("/api/v1/plan", json=profile(**changes),
                      headers={"X-CSRF-Token": csrf(client)}).json()
    return client, plan


def _first_session(plan: dict[str, Any]) -> str:
    return str(plan["document"]["weeks"][0]["sessions"][0]["id"])


def _log_status(plan: dict[str, Any], session_id: str) -> str | None:
    for week in plan["calendar"]["weeks"]:
        for day in week["days"]:
            for session in day["sessions"]:
                if session["id"] == session_id:
                    return session["log"]["status"] if session["log"] else None
    raise AssertionError(session_id)


def test_each_user_gets_their_own_cached_plan(app: Any) -> None:
    ann, ann_plan = _athlete(app, "ann@example.com")
    bob, bob_plan = _athlete(app, "bob@example.com", start_date="2026-11-09")
    cache = app.state.plan_responses
    for _ in range(2):  # the second round is served from the cache
        for client, plan, mine, theirs in ((ann, ann_plan, "02", "09"),
                                           (bob, bob_plan, "09", "02")):
            twin = client.get("/api/v1/plan").json()
            assert (twin["athlete_id"], twin["calendar"]["plan_id"]) == (
                plan["athlete_id"], plan["calendar"]["plan_id"])
            page = client.get("/plan")
            assert page.status_code == 200
            assert f"from Mon {mine} Nov 2026" in page.text
            assert f"from Mon {theirs} Nov 2026" not in page.text
    assert len(cache) == 4  # two users, a page and its twin each
    # Same user, another browser: its own CSRF token in the forms, not the first one's.
    ann_token = csrf(ann, "/plan")
    second = make_client(app)
    assert post_form(second, "/signin", {"email": "ann@example.com",
                                         "password": "correct horse battery"}).status_code == 303
    assert csrf(second, "/plan") != ann_token
    # A user without a plan, and a signed-out browser, never get a cached page.
    carl = make_client(app)
    sign_up(carl, "carl@example.com")
    assert carl.get("/plan").headers["location"] == "/plan/new"
    assert carl.get("/api/v1/plan").status_code == 404
    assert make_client(app).get("/api/v1/plan").status_code == 401


def test_a_new_or_edited_log_shows_at_once(app: Any) -> None:
    ann, plan = _athlete(app, "ann@example.com")
    session_id = _first_session(plan)
    assert _log_status(ann.get("/api/v1/plan").json(), session_id) is None
    assert 'class="tag done"' not in ann.get("/plan").text
    url = f"/plan/sessions/{session_id}"
    assert post_form(ann, f"{url}/log", {"status": "done", "forward_minutes": "20"},
                     page=url).status_code == 303
    ann.get(url)  # shows (and so clears) the "Log saved." flash
    assert _log_status(ann.get("/api/v1/plan").json(), session_id) == "done"
    assert 'class="tag done"' in ann.get("/plan").text
    assert post_form(ann, f"{url}/log", {"status": "partial", "forward_minutes": "10"},
                     page=url).status_code == 303
    ann.get(url)
    assert _log_status(ann.get("/api/v1/plan").json(), session_id) == "partial"
    page = ann.get("/plan").text
    assert 'class="tag partial"' in page
    assert 'class="tag done"' not in page


def test_a_replaced_plan_shows_at_once(app: Any) -> None:
    ann, _plan = _athlete(app, "ann@example.com")
    assert "from Mon 02 Nov 2026" in ann.get("/plan").text
    before = ann.get("/api/v1/plan").json()["calendar"]["plan_id"]
    ann.put("/api/v1/plan", json={**profile(start_date="2026-11-09"), "replace": True},
            headers={"X-CSRF-Token": csrf(ann)})
    assert ann.get("/api/v1/plan").json()["calendar"]["plan_id"] != before  # a new plan
    assert "from Mon 09 Nov 2026" in ann.get("/plan").text


def test_coach_limits_show_at_once_and_the_coach_view_is_not_cached(app: Any) -> None:
    ann, plan = _athlete(app, "ann@example.com")
    post_form(ann, "/coaches", {"coach_email": "coach@example.com"}, page="/coaches")
    before = ann.get("/api/v1/plan").json()
    assert before["limits"] == {"max_backward_minutes_per_week": None, "pain_threshold": None}
    assert "Your coach's limits" not in ann.get("/plan").text
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    cache = app.state.plan_responses
    cached = len(cache)
    athlete_url = f"/athletes/{plan['athlete_id']}"
    assert coach.get(athlete_url).status_code == 200
    assert coach.get(f"/api/v1{athlete_url}").status_code == 200
    assert len(cache) == cached
    # The coach has no plan of their own: the athlete's cached plan is not theirs.
    assert coach.get("/api/v1/plan").status_code == 404
    assert coach.get("/plan").headers["location"] == "/plan/new"
    response = post_form(coach, f"{athlete_url}/limits",
                         {"max_backward_minutes_per_week": "5", "pain_threshold": "3"},
                         page="/athletes")
    assert response.status_code == 303
    after = ann.get("/api/v1/plan").json()
    assert after["limits"] == {"max_backward_minutes_per_week": 5, "pain_threshold": 3}
    assert "at most 5 backward minutes a week" in ann.get("/plan").text
