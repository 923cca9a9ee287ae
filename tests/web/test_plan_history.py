"""The plan history pages and their JSON twins (issue 10 point 2), on every database."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest

from retrorun.web.app import create_app
from tests.services.fakes import FakeClock
from tests.web.helpers import (
    accept_invitations,
    csrf,
    make_client,
    post_form,
    profile,
    sign_up,
    wizard_form,
)

if TYPE_CHECKING:
    from retrorun.bootstrap import Services
    from retrorun.config import Settings
    from tests.web._client import TestClient

# Ten days into a plan that started on Monday 2 November.
TODAY = FakeClock().current.replace(day=12)


@pytest.fixture
def app(settings: Settings, services: Services) -> Any:
    return create_app(settings, dataclasses.replace(services, clock=FakeClock(TODAY)))


def _put(client: TestClient, **changes: Any) -> Any:
    return client.put("/api/v1/plan", json={**profile(), **changes},
                      headers={"X-CSRF-Token": csrf(client)})


def _athlete(app: Any) -> tuple[TestClient, dict[str, Any], dict[str, Any]]:
    """Ann with a kept plan, its first session logged, then a new plan over it."""
    ann = make_client(app)
    sign_up(ann, "ann@example.com")
    old = _put(ann).json()
    first = old["document"]["weeks"][0]["sessions"][0]
    logged = ann.put(f"/api/v1/plan/sessions/{first['id']}/log",
                     json={"status": "skipped", "notes": "knee niggle"},
                     headers={"X-CSRF-Token": csrf(ann)})
    assert logged.status_code == 200, logged.text
    new = _put(ann, start_date="2026-11-30", weekly_minutes=150, replace=True)
    assert new.status_code == 200, new.text
    return ann, old, new.json()


def test_a_new_plan_over_a_kept_one_asks_first_in_the_api(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    kept = _put(client).json()
    refused = _put(client, weekly_minutes=150)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["field"] == "plan"
    assert "confirm to replace it" in error["message"]
    assert client.get("/api/v1/plan").json()["calendar"]["plan_id"] == \
        kept["calendar"]["plan_id"]
    assert _put(client, replace="yes").status_code == 422  # a boolean, named
    assert _put(client, replace=False).status_code == 409


def test_a_replaced_plans_logs_stay_readable_in_the_history(app: Any) -> None:
    ann, old, new = _athlete(app)
    old_id, new_id = old["calendar"]["plan_id"], new["calendar"]["plan_id"]
    assert old_id != new_id
    assert new["calendar"]["sessions_logged"] == 0  # the old log is not on the new plan

    listed = ann.get("/api/v1/plan/history").json()
    assert listed["owned"] is True
    newest, *earlier = listed["versions"]
    assert (newest["plan_id"], newest["version"], newest["kind"], newest["current"]) == (
        new_id, 1, "replaced", True)
    # The old plan's versions (kept, then adapted to the skipped session), none current,
    # each with the log of its first session.
    assert {v["plan_id"] for v in earlier} == {old_id}
    assert [v["version"] for v in earlier] == list(range(len(earlier), 0, -1))
    assert earlier[-1]["kind"] == "kept"
    assert not any(v["current"] for v in earlier)
    assert all(v["sessions_logged"] == 1 for v in earlier)
    url = earlier[-1]["url"]
    assert url == f"/plan/history/{old_id}/1"

    version = ann.get(f"/api/v1{url}").json()
    first = old["document"]["weeks"][0]["sessions"][0]
    assert [log["session_id"] for log in version["logs"]] == [first["id"]]
    assert version["logs"][0]["notes"] == "knee niggle"
    assert version["document"]["weeks"] == old["document"]["weeks"]
    assert version["calendar"]["sessions_logged"] == 1
    cells = [s for w in version["calendar"]["weeks"] for d in w["days"] for s in d["sessions"]]
    assert next(s for s in cells if s["id"] == first["id"])["log"]["status"] == "skipped"

    page = ann.get("/plan/history")
    assert page.status_code == 200
    assert f'href="{url}"' in page.text
    assert "replaced" in page.text
    shown = ann.get(url)
    assert shown.status_code == 200
    assert "A past version, read only" in shown.text
    assert f'id="log/{first["id"]}"' in shown.text
    assert "knee niggle" in shown.text
    assert f'href="#log/{first["id"]}"' in shown.text  # the week grid points at the log
    assert "/history" in ann.get("/plan").text  # the plan page links its history
    for each in listed["versions"]:  # every version reads; a past one offers no undo or lift
        read = ann.get(each["url"])
        assert read.status_code == 200, each
        assert "/changes/" not in read.text
    assert any(v["changes"] for v in earlier)  # the adaptation's version says what changed
    assert any("What changed and why" in ann.get(v["url"]).text for v in earlier)


def test_the_wizard_asks_before_a_preview_replaces_the_kept_plan(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    for weekly in ("120", "150"):
        assert post_form(client, "/plan/new", wizard_form(weekly_minutes=weekly),
                         page="/plan/new").status_code == 303
        kept = post_form(client, "/plan", {}, page="/plan/preview")
    assert kept.status_code == 409  # the second preview: asks first
    assert "Replace my current plan (it stays in your history)" in kept.text
    assert len(client.get("/api/v1/plan/history").json()["versions"]) == 1
    confirmed = post_form(client, "/plan", {"replace": "1"}, page="/plan/preview")
    assert confirmed.headers["location"] == "/plan"
    kinds = [v["kind"] for v in client.get("/api/v1/plan/history").json()["versions"]]
    assert kinds == ["replaced", "kept"]


def test_an_invited_coach_reads_the_history_and_a_stranger_gets_404(app: Any) -> None:
    ann, old, _new = _athlete(app)
    athlete_id, old_id = old["athlete_id"], old["calendar"]["plan_id"]
    ann.post("/api/v1/coaches", json={"coach_email": "coach@example.com"},
             headers={"X-CSRF-Token": csrf(ann)})
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    base = f"/athletes/{athlete_id}/history"
    listed = coach.get(f"/api/v1{base}").json()
    assert listed["owned"] is False
    assert listed["versions"][-1]["url"] == f"{base}/{old_id}/1"
    assert len(coach.get(f"/api/v1{base}/{old_id}/1").json()["logs"]) == 1
    assert coach.get(base).status_code == 200
    assert "knee niggle" in coach.get(f"{base}/{old_id}/1").text
    assert coach.get(f"/athletes/{athlete_id}").text.count(f'href="{base}"') == 1

    eve = make_client(app)
    sign_up(eve, "eve@example.com")
    _put(eve)
    for url in (base, f"{base}/{old_id}/1", f"/plan/history/{old_id}/1"):
        assert eve.get(url).status_code == 404, url
        assert eve.get(f"/api/v1{url}").status_code == 404, url


@pytest.mark.parametrize("version", ["abc", "0", "-1", "1.5", " 1", "1e3", "\u0661",
                                     "99999999999999999999", "2147483648", "9" * 5000])
def test_impossible_versions_are_404_never_500(app: Any, version: str) -> None:
    ann, old, _new = _athlete(app)
    old_id = old["calendar"]["plan_id"]
    for url in (f"/plan/history/{old_id}/{version}",
                f"/athletes/{old['athlete_id']}/history/{old_id}/{version}"):
        assert ann.get(url).status_code == 404, url
        assert ann.get(f"/api/v1{url}").status_code == 404, url


@pytest.mark.parametrize("plan_id", ["abc", "x" * 40, "%00", "..", "%2e%2e", "a%20b"])
def test_impossible_plan_ids_are_404_never_500(client: TestClient, plan_id: str) -> None:
    sign_up(client, "ann@example.com")
    _put(client)
    assert client.get(f"/plan/history/{plan_id}/1").status_code == 404
    assert client.get(f"/api/v1/plan/history/{plan_id}/1").status_code == 404
    assert client.get(f"/api/v1/athletes/{plan_id}/history").status_code == 404


def test_no_plan_yet_is_an_empty_history(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    assert client.get("/api/v1/plan/history").json()["versions"] == []
    assert "No plan kept yet" in client.get("/plan/history").text
    assert client.get("/api/v1/plan/history/" + "0" * 32 + "/1").status_code == 404
