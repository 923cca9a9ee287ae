"""The whole path a new visitor takes, through the HTTP client."""

from __future__ import annotations

from tests.web._client import TestClient
from tests.web.helpers import csrf, post_form, verify, wizard_form


def test_a_visitor_previews_signs_up_keeps_the_plan_and_logs_a_session(
        client: TestClient) -> None:
    assert client.get("/").status_code == 200
    token = csrf(client, "/plan/new")
    response = client.post("/plan/new", data={"csrf_token": token, **wizard_form()})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/plan/preview"
    preview = client.get("/plan/preview")
    assert preview.status_code == 200
    assert "Week 1" in preview.text
    response = post_form(client, "/signup", {"email": "ann@example.com",
                                             "password": "correct horse battery"})
    assert response.status_code == 200  # "check your mail"; the link signs in
    response = verify(client, "ann@example.com")
    assert response.headers["location"] == "/plan"
    page = client.get("/plan")
    assert page.status_code == 200
    plan = client.get("/api/v1/plan").json()
    first = plan["calendar"]["weeks"][0]["days"]
    session_id = next(s["id"] for d in first for s in d["sessions"])
    response = post_form(client, f"/plan/sessions/{session_id}/log",
                         {"status": "done", "forward_minutes": "20", "backward_minutes": "4",
                          "rpe": "4", "pain_during": "1", "events": ["stumble"]})
    assert response.status_code == 303, response.text
    plan = client.get("/api/v1/plan").json()
    cells = [s for w in plan["calendar"]["weeks"] for d in w["days"] for s in d["sessions"]]
    logged = [s for s in cells if s["log"]]
    assert [s["id"] for s in logged] == [session_id]
    assert logged[0]["log"]["status"] == "done"
