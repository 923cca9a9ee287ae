"""The JSON API's profile body: the backward stage, poor balance and the vision question
(issue 9) go in like the other fields, and wrong values are refused naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web._client import TestClient
from tests.web.helpers import api_headers, profile, sign_up


def _athlete(body: Any) -> dict[str, Any]:
    athlete: dict[str, Any] = body["document"]["athlete"]
    return athlete


def test_the_new_fields_reach_the_free_plan(client: TestClient) -> None:
    response = client.post("/api/v1/plans/preview", json=profile(
        backward_stage="run", poor_balance=True, backward_walk_3m_seconds=4.2,
        screen={"uncorrected_vision": False}))
    assert response.status_code == 200, response.text
    athlete = _athlete(response.json())
    assert (athlete["backward_stage"], athlete["poor_balance"]) == ("run", True)
    assert athlete["screen"] == {"passed": True, "yes": []}


def test_absent_new_fields_take_their_defaults(client: TestClient) -> None:
    response = client.post("/api/v1/plans/preview", json=profile())
    assert response.status_code == 200, response.text
    athlete = _athlete(response.json())
    assert (athlete["backward_stage"], athlete["poor_balance"]) == ("never", False)


def test_an_uncorrected_vision_problem_is_a_screen_yes(client: TestClient) -> None:
    response = client.post("/api/v1/plans/preview",
                           json=profile(screen={"uncorrected_vision": True}))
    assert response.status_code == 200, response.text
    assert _athlete(response.json())["screen"] == {"passed": False,
                                                   "yes": ["uncorrected_vision"]}


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"backward_stage": "fly"}, "backward_stage", "'never', 'walk', 'jog', 'run' or 'sprint'"),
    ({"backward_stage": 3}, "backward_stage", "'never'"),
    ({"poor_balance": "yes"}, "poor_balance", "boolean"),
    ({"poor_balance": 1}, "poor_balance", "boolean"),
    ({"screen": {"uncorrected_vision": "maybe"}}, "screen.uncorrected_vision", "boolean"),
    ({"screen": {"eyesight": True}}, "screen.eyesight", "Extra inputs"),
])
def test_wrong_new_fields_are_refused_naming_the_field(
        client: TestClient, change: dict[str, Any], field: str, words: str) -> None:
    response = client.post("/api/v1/plans/preview", json=profile(**change))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert error["message"].startswith(f"{field}: ")
    assert words in error["message"]


def test_a_stored_plan_keeps_the_new_fields(client: TestClient) -> None:
    sign_up(client, "lou@example.com")
    body = profile(backward_stage="walk", poor_balance=True,
                   screen={"uncorrected_vision": True})
    put = client.put("/api/v1/plan", json=body, headers=api_headers(client))
    assert put.status_code == 200, put.text
    athlete = _athlete(client.get("/api/v1/plan").json())
    assert (athlete["backward_stage"], athlete["poor_balance"]) == ("walk", True)
    assert athlete["screen"]["yes"] == ["uncorrected_vision"]


def test_the_openapi_documents_the_new_fields(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    screen = schemas["ScreenBody"]["properties"]
    assert screen["uncorrected_vision"]["type"] == "boolean"
    body = schemas["ProfileBody"]["properties"]
    stage = body["backward_stage"]["anyOf"][0]
    assert stage["enum"] == ["never", "walk", "jog", "run", "sprint"]
    assert body["backward_stage"]["description"]
    assert body["poor_balance"]["anyOf"][0]["type"] == "boolean"
    assert body["poor_balance"]["description"]
