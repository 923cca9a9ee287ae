"""Download buttons: the plan and a session through the formats registry."""

from __future__ import annotations

import pytest

from retrorun.domain.model import StepKind
from retrorun.formats import EXPORTERS, SESSION_EXPORTERS
from retrorun.formats.fit_reader import read_workout
from tests.web._client import TestClient
from tests.web.helpers import csrf, make_client, post_form, profile, sign_up, wizard_form

CHEAP = [f for f in EXPORTERS if not f.endswith("pdf")]


def _with_plan(client: TestClient) -> str:
    sign_up(client, "ann@example.com")
    plan = client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    session_id = plan.json()["document"]["weeks"][0]["sessions"][0]["id"]
    client.put(f"/api/v1/plan/sessions/{session_id}/log",
               json={"status": "done", "forward_minutes": 20, "rpe": 4},
               headers={"X-CSRF-Token": csrf(client)})
    return str(session_id)


@pytest.mark.parametrize("fmt", CHEAP)
def test_each_plan_format_downloads_as_an_attachment(client: TestClient, fmt: str) -> None:
    _with_plan(client)
    response = client.get(f"/plan/export/{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.content
    assert f'href="/plan/export/{fmt}"' in client.get("/plan").text


def test_the_plan_and_progress_report_print_as_pdf(client: TestClient) -> None:
    _with_plan(client)
    for fmt in ("pdf", "report.pdf"):
        response = client.get(f"/plan/export/{fmt}")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("fmt", list(SESSION_EXPORTERS))
def test_a_session_downloads_for_the_watch_and_calendar(client: TestClient, fmt: str) -> None:
    session_id = _with_plan(client)
    response = client.get(f"/plan/sessions/{session_id}/export/{fmt}")
    assert response.status_code == 200
    assert response.content


def test_unknown_formats_and_other_peoples_plans_are_not_found(client: TestClient,
                                                               app: object) -> None:
    _with_plan(client)
    assert client.get("/plan/export/docx").status_code == 404
    assert client.get("/plan/sessions/nope/export/fit").status_code == 404
    athlete_id = client.get("/api/v1/plan").json()["athlete_id"]
    stranger = make_client(app)
    sign_up(stranger, "eve@example.com")
    assert stranger.get(f"/athletes/{athlete_id}/export/csv").status_code == 404
    assert stranger.get("/plan/export/csv").status_code == 404


def test_the_free_preview_downloads_without_an_account(client: TestClient) -> None:
    assert client.get("/plan/preview/export/ics").status_code == 404
    post_form(client, "/plan/new", wizard_form(), page="/plan/new")
    response = client.get("/plan/preview/export/ics")
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content


@pytest.mark.parametrize("fmt", CHEAP)
def test_the_api_downloads_give_the_same_file_as_the_buttons(client: TestClient,
                                                             fmt: str) -> None:
    session_id = _with_plan(client)
    page, api = client.get(f"/plan/export/{fmt}"), client.get(f"/api/v1/plan/export/{fmt}")
    assert api.status_code == 200, api.text
    assert (api.headers["content-type"], api.headers["content-disposition"], api.content) == (
        page.headers["content-type"], page.headers["content-disposition"], page.content)
    one = client.get(f"/api/v1/plan/sessions/{session_id}/export/ics")
    assert one.content == client.get(f"/plan/sessions/{session_id}/export/ics").content


def test_the_api_exports_a_free_plan_from_a_profile_without_an_account(
        client: TestClient) -> None:
    response = client.post("/api/v1/plans/preview/export/fit.zip", json=profile())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.content.startswith(b"PK")
    again = client.post("/api/v1/plans/preview/export/fit.zip", json=profile())
    assert again.content == response.content  # deterministic: same profile, same file
    bad = client.post("/api/v1/plans/preview/export/ics", json=profile(age=3))
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "age"
    unknown = client.post("/api/v1/plans/preview/export/docx", json=profile())
    assert unknown.status_code == 404
    assert "allowed: pdf" in unknown.json()["error"]["message"]


def test_api_exports_refuse_strangers_with_the_json_error_shape(client: TestClient,
                                                                app: object) -> None:
    _with_plan(client)
    athlete_id = client.get("/api/v1/plan").json()["athlete_id"]
    anonymous = make_client(app)
    assert anonymous.get("/api/v1/plan/export/csv").status_code == 401
    stranger = make_client(app)
    sign_up(stranger, "eve@example.com")
    for url in (f"/api/v1/athletes/{athlete_id}/export/csv", "/api/v1/plan/export/csv"):
        response = stranger.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["status"] == 404


def test_the_openapi_documents_the_export_endpoints_and_their_formats(
        client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operation = paths["/api/v1/plan/export/{fmt}"]["get"]
    (fmt,) = (p for p in operation["parameters"] if p["name"] == "fmt")
    assert fmt["schema"]["enum"] == list(EXPORTERS)
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert "post" in paths["/api/v1/plans/preview/export/{fmt}"]


def test_a_core_session_downloads_as_a_strength_workout_not_a_run(client: TestClient) -> None:
    _with_plan(client)
    document = client.get("/api/v1/plan").json()["document"]
    sessions = [s for week in document["weeks"] for s in week["sessions"]]
    core = next(s["id"] for s in sessions if s["kind"] == "core")
    workout = read_workout(client.get(f"/plan/sessions/{core}/export/fit").content)
    assert workout.sport == "training"
    steps = [s for item in workout.steps for s in getattr(item, "steps", (item,))]
    assert steps
    assert all(step.kind is StepKind.EXERCISE for step in steps)
