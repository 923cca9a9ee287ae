"""Undo and lift from the plan and athlete pages and the JSON API, the coach's flags and
note, and the "Today" card (issue 10 points 3 and 5), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

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

TODAY = dt.datetime.now(dt.UTC).date()
# Two whole weeks before this one: weeks 1 and 2 are over, week 3 is under way.
START = TODAY - dt.timedelta(days=TODAY.weekday() + 14)


def _athlete(client: TestClient, email: str = "ann@example.com") -> dict[str, Any]:
    sign_up(client, email)
    plan = client.put("/api/v1/plan", json=profile(start_date=START.isoformat()),
                      headers=api_headers(client))
    assert plan.status_code == 200, plan.text
    return dict(plan.json())


def _backward(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for w in plan["document"]["weeks"][:2] for s in w["sessions"]
            if s["backward_seconds"]]


def _log(client: TestClient, session: dict[str, Any], **fields: Any) -> None:
    forward = (session["running_seconds"] - session["backward_seconds"]) / 60
    body = {"status": "done", "forward_minutes": forward,
            "backward_minutes": session["backward_seconds"] / 60, "rpe": 3, **fields}
    logged = client.put(f"/api/v1/plan/sessions/{session['id']}/log", json=body,
                        headers=api_headers(client))
    assert logged.status_code == 200, logged.text


def _changes(client: TestClient) -> list[dict[str, Any]]:
    plan = client.get("/api/v1/plan")
    assert plan.status_code == 200, plan.text
    return list(plan.json()["document"]["changes"])


def _change(client: TestClient, rule: str) -> dict[str, Any]:
    return next(c for c in reversed(_changes(client)) if c["rule"] == rule)


def _too_hard(client: TestClient) -> dict[str, Any]:
    """Three backward sessions in a row far harder than planned: the stage regresses."""
    plan = _athlete(client)
    for session in _backward(plan)[:3]:
        _log(client, session, rpe=9)
    return _change(client, "rpe-high-3")


def _hurt(client: TestClient, email: str = "ann@example.com") -> dict[str, Any]:
    """The last backward session of week 2 at pain 7/10: the plan backs off."""
    plan = _athlete(client, email)
    _log(client, _backward(plan)[-1], pain_during=7)
    return _change(client, "pain-above-5")


def test_the_plan_page_undoes_a_change_with_its_button(client: TestClient) -> None:
    regress = _too_hard(client)
    page = client.get("/plan").text
    action = f'/plan/changes/{regress["version"]}/rpe-high-3/undo'
    assert f'action="{action}"' in page
    assert ">Undo</button>" in page
    refused = client.post(action)  # no CSRF token: refused, nothing changes
    assert refused.status_code == 403
    assert _change(client, "rpe-high-3").get("undone_by") is None
    done = post_form(client, action, {}, page="/plan")
    assert done.status_code == 303
    assert done.headers["location"] == "/plan#changes"
    after = client.get("/plan").text
    assert "Change undone." in after
    assert "Undone by the athlete" in after
    assert _change(client, "rpe-high-3")["undone_by"] == regress["version"] + 1
    assert client.get("/api/v1/plan").json()["document"]["version"] == regress["version"] + 1


def test_the_json_undo_and_its_refusals(client: TestClient) -> None:
    regress = _too_hard(client)
    url = f'/api/v1/plan/changes/{regress["version"]}/rpe-high-3/undo'
    made = client.post(url, headers=api_headers(client))
    assert made.status_code == 200, made.text
    body = made.json()
    assert body["version"] == regress["version"] + 1
    assert body["change"]["rule"] == "undone-by-athlete"
    assert body["change"]["by"] == "athlete"
    again = client.post(url, headers=api_headers(client))
    assert again.status_code == 409
    assert "already undone" in again.json()["error"]["message"]


def test_a_safety_change_is_refused_as_undo_and_lifted_only_when_cleared(
        client: TestClient) -> None:
    pain = _hurt(client)
    version = pain["version"]
    undo = client.post(f"/api/v1/plan/changes/{version}/pain-above-5/undo",
                       headers=api_headers(client))
    assert undo.status_code == 403
    assert "about safety" in undo.json()["error"]["message"]
    page = client.get("/plan").text
    assert f'action="/plan/changes/{version}/pain-above-5/undo"' not in page
    assert f'action="/plan/changes/{version}/pain-above-5/lift"' in page
    assert "A clinician has cleared me to go on" in page
    lift = f"/plan/changes/{version}/pain-above-5/lift"
    unticked = post_form(client, lift, {}, page="/plan")
    assert unticked.status_code == 422
    assert "A clinician has cleared me to go on" in unticked.text
    json_unticked = client.post(f"/api/v1{lift}", json={"cleared": False},
                                headers=api_headers(client))
    assert json_unticked.status_code == 422
    assert json_unticked.json()["error"]["field"] == "cleared"
    assert _change(client, "pain-above-5").get("undone_by") is None
    ticked = post_form(client, lift, {"cleared": "yes"}, page="/plan")
    assert ticked.status_code == 303
    lifted = _change(client, "safety-lifted")
    assert lifted["by"] == "athlete"
    assert _change(client, "pain-above-5")["undone_by"] == lifted["version"]


def test_the_coach_sees_the_flag_lifts_it_and_leaves_a_note(app: Any) -> None:
    athlete, coach = make_client(app), make_client(app)
    sign_up(coach, "physio@example.com")
    pain = _hurt(athlete)
    calm = make_client(app)
    for who in (calm, athlete):
        if who is calm:
            sign_up(calm, "calm@example.com")
        invited = who.post("/api/v1/coaches", json={"coach_email": "physio@example.com"},
                           headers=api_headers(who))
        assert invited.status_code == 201, invited.text
    accept_invitations(coach)
    listing = coach.get("/athletes").text
    assert listing.index("ann@example.com") < listing.index("calm@example.com")
    assert '<span class="badge">Pain</span>' in listing
    flags = coach.get("/api/v1/flags").json()["athletes"]
    assert [a["email"] for a in flags] == ["ann@example.com", "calm@example.com"]
    assert flags[0]["badges"] == ["Pain"]
    athlete_id = flags[0]["athlete_id"]
    page = coach.get(f"/athletes/{athlete_id}").text
    assert "Needs a look" in page
    assert "Pain 7/10" in page
    action = f'/athletes/{athlete_id}/changes/{pain["version"]}/pain-above-5/lift'
    assert f'action="{action}"' in page
    lifted = post_form(coach, action, {}, page=f"/athletes/{athlete_id}")
    assert lifted.status_code == 303
    change = _change(athlete, "safety-lifted")
    assert change["by"] == "coach"
    assert "physio@example.com" in change["reason"]
    assert "physio@example.com" in athlete.get("/plan").text  # the athlete sees who
    # The note: the athlete sees it on their plan page, with the coach's email.
    saved = post_form(coach, f"/athletes/{athlete_id}/note",
                      {"note": "Easy week, then we talk."}, page=f"/athletes/{athlete_id}")
    assert saved.status_code == 303
    assert 'hx-get="/plan/notes"' in athlete.get("/plan").text
    notes = athlete.get("/plan/notes", headers={"HX-Request": "true"}).text
    assert "Easy week, then we talk." in notes
    assert "physio@example.com" in notes
    assert athlete.get("/api/v1/plan/notes").json()["notes"][0]["note"] == \
        "Easy week, then we talk."
    long = post_form(coach, f"/athletes/{athlete_id}/note", {"note": "x" * 501},
                     page=f"/athletes/{athlete_id}")
    assert long.status_code == 422
    assert "Note for the athlete: at most 500 characters" in long.text
    put = coach.put(f"/api/v1/athletes/{athlete_id}/note", json={"note": None},
                    headers=api_headers(coach))
    assert put.status_code == 200, put.text
    assert athlete.get("/api/v1/plan/notes").json()["notes"] == []


def test_another_users_ids_are_not_found(app: Any) -> None:
    athlete, stranger = make_client(app), make_client(app)
    pain = _hurt(athlete)
    athlete_id = athlete.get("/api/v1/plan").json()["athlete_id"]
    sign_up(stranger, "stranger@example.com")
    headers = api_headers(stranger)
    version = pain["version"]
    for method, url, body in (
            ("post", f"/api/v1/athletes/{athlete_id}/changes/{version}/pain-above-5/lift",
             None),
            ("get", f"/api/v1/athletes/{athlete_id}/flags", None),
            ("put", f"/api/v1/athletes/{athlete_id}/note", {"note": "hi"}),
            ("post", f"/api/v1/plan/changes/{version}/pain-above-5/undo", None)):
        response = stranger.request(method.upper(), url, json=body, headers=headers)
        assert response.status_code == 404, (url, response.text)
    page = post_form(stranger, f"/athletes/{athlete_id}/changes/{version}/pain-above-5/lift",
                     {}, page="/plan/new")
    assert page.status_code == 404
    assert _change(athlete, "pain-above-5").get("undone_by") is None


@pytest.mark.parametrize("url", [
    "/api/v1/plan/changes/abc/pain-above-5/undo",
    "/api/v1/plan/changes/99999999999999999999999/x/undo",
    "/api/v1/plan/changes/2/%00%ff/undo",
    "/api/v1/plan/changes/-1/" + "r" * 3000 + "/lift",
    "/api/v1/athletes/%20/changes/1/x/lift",
])
def test_junk_gets_an_error_not_a_500(client: TestClient, url: str) -> None:
    _athlete(client)
    response = client.post(url, json={"cleared": "yes please"}, headers=api_headers(client))
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()


def test_junk_bodies_name_the_field(client: TestClient) -> None:
    pain = _hurt(client)
    url = f"/api/v1/plan/changes/{pain['version']}/pain-above-5/lift"
    for body in ({"cleared": "yes"}, {"cleared": True, "extra": 1}, [1, 2]):
        response = client.post(url, json=body, headers=api_headers(client))
        assert response.status_code == 422, response.text
    note = client.put("/api/v1/athletes/x/note", json={"note": 5},
                      headers=api_headers(client))
    assert note.status_code == 422
    assert note.json()["error"]["field"] == "note"


def test_the_today_card_and_the_current_week_open(client: TestClient) -> None:
    plan = _athlete(client)
    page = client.get("/plan").text
    assert 'id="today"' in page
    assert f"Today, {TODAY:%a %d %b}" in page
    assert "/static/today.js" in page
    today = [s for w in plan["document"]["weeks"] for s in w["sessions"]
             if s["date"] == TODAY.isoformat()]
    card = page[page.index('id="today"'):page.index("</section>", page.index('id="today"'))]
    if today:
        assert f'href="/plan/sessions/{today[0]["id"]}#log"' in card
        assert "Log it" in card
    else:
        assert "Rest day." in card
    assert "Next, " in card
    weeks = re.findall(r'<li class="week( current)?" id="week-(\d+)"[^>]*>\s*<details( open)?>',
                       page)
    assert len(weeks) == len(plan["document"]["weeks"])
    assert [(int(n), bool(opened)) for _, n, opened in weeks if opened] == [(3, True)]
    assert all(bool(current) == bool(opened) for current, _, opened in weeks)


def test_the_today_card_links_to_the_log_of_a_session_of_today(client: TestClient) -> None:
    """A plan that starts today: its first day has sessions, today's card shows them."""
    sign_up(client, "today@example.com")
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    plan = client.put("/api/v1/plan", json=profile(
        start_date=TODAY.isoformat(), available_days=days), headers=api_headers(client))
    assert plan.status_code == 200, plan.text
    sessions = [s for w in plan.json()["document"]["weeks"] for s in w["sessions"]
                if s["date"] == TODAY.isoformat()]
    page = client.get("/plan").text
    card = page[page.index('id="today"'):page.index("</section>", page.index('id="today"'))]
    for session in sessions:
        assert f'/plan/sessions/{session["id"]}#log' in card
    assert csrf(client, "/plan")


def test_the_session_page_shows_what_changed_it_and_why(app: Any) -> None:
    athlete, stranger = make_client(app), make_client(app)
    plan = _athlete(athlete)
    hurt = _backward(plan)[-1]
    _log(athlete, hurt, pain_during=7)
    page = athlete.get(f"/plan/sessions/{hurt['id']}").text
    assert f'hx-get="/plan/sessions/{hurt["id"]}/changes"' in page
    fragment = athlete.get(f"/plan/sessions/{hurt['id']}/changes",
                           headers={"HX-Request": "true"}).text
    assert "What changed and why" in fragment
    assert "Pain 7/10" in fragment
    assert "set off by this session&#39;s log" in fragment or \
        "set off by this session's log" in fragment
    twin = athlete.get(f"/api/v1/plan/sessions/{hurt['id']}/changes").json()["changes"]
    assert twin[0]["set_off_by_it"] is True
    assert twin[0]["change"]["rule"] == "pain-above-5"
    changed = next(s for s in twin[0]["change"]["sessions"])
    assert athlete.get(f"/api/v1/plan/sessions/{changed}/changes").json()["changes"][0][
        "changed_it"] is True
    sign_up(stranger, "stranger@example.com")
    assert stranger.get(f"/plan/sessions/{hurt['id']}/changes").status_code == 404
    athlete_id = athlete.get("/api/v1/plan").json()["athlete_id"]
    assert stranger.get(f"/athletes/{athlete_id}/sessions/{hurt['id']}/changes"
                        ).status_code == 404
    assert athlete.get("/api/v1/plan/sessions/nope/changes").status_code == 404


def test_the_today_card_follows_the_athletes_time_zone(client: TestClient) -> None:
    """Today is the athlete's day, in their calendar's zone, not the server's (UTC)."""
    _athlete(client, "zone@example.com")
    now = dt.datetime.now(dt.UTC)
    # At any moment one of the two zones furthest from UTC is on another date.
    zone = next(z for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
                if now.astimezone(ZoneInfo(z)).date() != now.date())
    saved = client.put("/api/v1/calendar-feed/settings", json={"timezone": zone},
                       headers=api_headers(client))
    assert saved.status_code == 200, saved.text
    local = dt.datetime.now(ZoneInfo(zone)).date()
    page = client.get("/plan").text
    assert f"Today, {local:%a %d %b}" in page
    assert f"Today is {local:%a %d %b}" in page
