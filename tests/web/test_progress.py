"""The progress page and its JSON twin, the coach's view, and field tests on a session."""

from __future__ import annotations

import re
from typing import Any

from tests.web._client import TestClient
from tests.web.helpers import (
    accept_invitations,
    api_headers,
    csrf,
    make_client,
    post_form,
    profile,
    sign_up,
)

WEEK_KEYS = ["index", "start", "planned_forward_min", "planned_backward_min",
             "done_forward_min", "done_backward_min", "sessions_planned", "sessions_done",
             "srpe_load", "pain_max"]
YOUTH = {"goal": "speed_power", "age": 15}  # field tests in week 1 (3 Nov 2026) and week 8


def _athlete(client: TestClient, email: str = "ann@example.com", **changes: Any
             ) -> dict[str, Any]:
    sign_up(client, email)
    plan = client.put("/api/v1/plan", json=profile(**changes), headers=api_headers(client))
    assert plan.status_code == 200, plan.text
    return dict(plan.json())


def _first_session(plan: dict[str, Any]) -> dict[str, Any]:
    return dict(plan["document"]["weeks"][0]["sessions"][0])


def test_the_progress_page_shows_its_charts_each_with_a_text_alternative(
        client: TestClient) -> None:
    plan = _athlete(client)
    first = _first_session(plan)
    minutes = (first["running_seconds"] - first["backward_seconds"]) / 60
    logged = client.put(f"/api/v1/plan/sessions/{first['id']}/log", headers=api_headers(client),
                        json={"status": "done", "forward_minutes": minutes,
                              "backward_minutes": first["backward_seconds"] / 60, "rpe": 4,
                              "pain_during": 2})
    assert logged.status_code == 200, logged.text
    page = client.get("/progress")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Your progress</h1>" in html
    figures = re.findall(r'<figure class="progress-chart keep" id="chart-([\w-]+)">', html)
    assert figures[:6] == ["minutes", "adherence", "load", "intensity", "pain", "stages"]
    for key in figures:
        assert f'aria-describedby="chart-{key}-summary"' in html
        assert f'<figcaption id="chart-{key}-summary">' in html
    assert html.count("<svg") == len(figures)
    assert html.count("<details><summary>The numbers behind this chart</summary>") >= 6
    assert "there are no safe or danger zones" in html
    assert 'href="/plan/export/report.pdf"' in html
    assert '<a href="/progress">Progress</a>' in html  # the main navigation
    assert 'href="/progress"' in client.get("/plan").text


def test_the_json_twin_holds_the_issue_keys_and_matches_the_page(client: TestClient) -> None:
    plan = _athlete(client)
    body = client.get("/api/v1/progress")
    assert body.status_code == 200
    data = body.json()
    assert [list(w) for w in data["weeks"]] == [WEEK_KEYS] * len(plan["document"]["weeks"])
    assert data["weeks"][0]["sessions_planned"] == len(
        [s for s in plan["document"]["weeks"][0]["sessions"] if s["kind"] != "rest"])
    assert data["adherence"]["partial_counts_as"] == 0.5
    assert data["changes"] == []
    assert {"today", "start", "load", "pain", "stages", "intensity", "field_tests"} <= set(data)
    assert 'rel="alternate" type="application/json" href="/api/v1/progress"' in \
        client.get("/progress").text
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/progress" in schema["paths"]
    assert "/api/v1/plan/sessions/{session_id}/field-tests" in schema["paths"]


def test_without_a_plan_the_page_sends_to_the_wizard_and_the_api_says_not_found(
        client: TestClient) -> None:
    sign_up(client, "new@example.com")
    assert client.get("/progress").headers["location"] == "/plan/new"
    assert client.get("/api/v1/progress").status_code == 404
    anonymous = client.__class__(client.app, base_url="https://testserver",
                                 follow_redirects=False)
    assert anonymous.get("/api/v1/progress").status_code == 401


def test_a_coach_sees_an_athletes_progress_page_and_json(app: Any) -> None:
    athlete = make_client(app)
    plan = _athlete(athlete)
    invited = athlete.post("/api/v1/coaches", json={"coach_email": "coach@example.com"},
                           headers=api_headers(athlete))
    assert invited.status_code == 201
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    athlete_id = plan["athlete_id"]
    page = coach.get(f"/athletes/{athlete_id}/progress")
    assert page.status_code == 200
    assert "Progress: ann@example.com" in page.text
    assert f'href="/athletes/{athlete_id}/export/report.pdf"' in page.text
    assert coach.get(f"/api/v1/athletes/{athlete_id}/progress").status_code == 200
    assert f'href="/athletes/{athlete_id}/progress"' in coach.get(f"/athletes/{athlete_id}").text
    stranger = make_client(app)
    sign_up(stranger, "eve@example.com")
    assert stranger.get(f"/athletes/{athlete_id}/progress").status_code == 404
    assert stranger.get(f"/api/v1/athletes/{athlete_id}/progress").status_code == 404


def _field_test(plan: dict[str, Any]) -> str:
    return next(s["id"] for w in plan["document"]["weeks"] for s in w["sessions"]
                if s["id"].endswith("w01-field-test"))


def test_field_tests_are_entered_on_their_session_page(client: TestClient) -> None:
    plan = _athlete(client, **YOUTH)
    session_id = _field_test(plan)
    page = client.get(f"/plan/sessions/{session_id}")
    assert '<h2 id="field-tests-title">Field test results</h2>' in page.text
    assert '<label for="sprint_10m_s">10 m sprint time</label>' in page.text
    assert 'id="easy_hr_bpm"' not in page.text  # not a measure of this session
    url = f"/plan/sessions/{session_id}/field-tests"
    bad = post_form(client, url, {"sprint_10m_s": "25", "sprint_20m_s": "2,5", "cmj_cm": "x"},
                    page=f"/plan/sessions/{session_id}")
    assert bad.status_code == 422
    assert "10 m sprint time: 25 s is not plausible; enter seconds from 1.3 to 4" in bad.text
    assert "Countermovement jump height: enter a number of centimetres" in bad.text
    assert 'value="25"' in bad.text  # what was typed stays
    assert client.get("/api/v1/progress").json()["field_tests"]["measures"][0]["results"] == []
    clash = post_form(client, url, {"sprint_10m_s": "3.1", "sprint_20m_s": "3.0"},
                      page=f"/plan/sessions/{session_id}")
    assert clash.status_code == 422
    assert "20 m sprint time: must be longer than the 10 m time" in clash.text
    good = post_form(client, url, {"sprint_10m_s": "2.1", "sprint_20m_s": "3,6", "cmj_cm": ""},
                     page=f"/plan/sessions/{session_id}")
    assert good.status_code == 303
    assert good.headers["location"] == f"/plan/sessions/{session_id}#field-tests"
    shown = client.get(good.headers["location"]).text
    assert "Field test results saved." in shown
    assert "10 m sprint time <strong>2.10 s</strong>" in shown
    measures = {m["measure"]: m for m in
                client.get("/api/v1/progress").json()["field_tests"]["measures"]}
    assert measures["sprint_10m_s"]["results"][0]["value"] == 2.1
    assert measures["sprint_10m_s"]["results"][0]["verdict"] == "baseline"
    assert "First result 2.10 s" in client.get("/progress").text


def test_field_tests_through_the_api(client: TestClient) -> None:
    plan = _athlete(client, **YOUTH)
    url = f"/api/v1/plan/sessions/{_field_test(plan)}/field-tests"
    headers = api_headers(client)
    saved = client.put(url, json={"cmj_cm": 31.5}, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["values"] == {"cmj_cm": 31.5}
    bad = client.put(url, json={"cmj_cm": 0.3}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "cmj_cm"
    wrong_session = client.put(
        f"/api/v1/plan/sessions/{_first_session(plan)['id']}/field-tests",
        json={"cmj_cm": 30}, headers=headers)
    assert wrong_session.status_code in (404, 422)
    huge = client.put(url, content=b'{"cmj_cm": 1e400}',  # infinity, as JSON parsers read it
                      headers={**headers, "Content-Type": "application/json"})
    assert huge.status_code == 422
    assert client.put(url, json={}, headers=headers).status_code == 204
    assert client.put(url, json={"extra": 1}, headers=headers).status_code == 422


def test_the_progress_report_still_downloads(client: TestClient) -> None:
    _athlete(client, **YOUTH)
    report = client.get("/plan/export/report.pdf")
    assert report.status_code == 200
    assert report.headers["content-type"] == "application/pdf"
    assert report.content.startswith(b"%PDF")


def test_a_coach_may_enter_results_on_the_athletes_session_page(app: Any) -> None:
    athlete = make_client(app)
    plan = _athlete(athlete, **YOUTH)
    athlete.post("/api/v1/coaches", json={"coach_email": "coach@example.com"},
                 headers=api_headers(athlete))
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    athlete_id, session_id = plan["athlete_id"], _field_test(plan)
    page = f"/athletes/{athlete_id}/sessions/{session_id}"
    assert f'action="{page}/field-tests"' in coach.get(page).text
    saved = coach.post(f"{page}/field-tests",
                       data={"csrf_token": csrf(coach, page), "cmj_cm": "29"})
    assert saved.status_code == 303
    results = athlete.get("/api/v1/progress").json()["field_tests"]["measures"]
    assert [r["value"] for m in results for r in m["results"]] == [29.0]
