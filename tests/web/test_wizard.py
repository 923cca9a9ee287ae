"""The plan wizard: every field checked, each message beside its field; the free preview."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader

from tests.web._client import TestClient
from tests.web.helpers import csrf, post_form, sign_up, wizard_form


def _submit(client: TestClient, **changes: object) -> object:
    return client.post("/plan/new", data={"csrf_token": csrf(client, "/plan/new"),
                                          **wizard_form(**changes)})


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="{re.escape(field)}-error"[^>]*>([^<]*)<', html)
    assert match, f"no error element for {field}"
    return match.group(1)


def test_the_wizard_names_every_wrong_field_at_once_and_stores_nothing(
        client: TestClient) -> None:
    response = _submit(client, age="five", weekly_minutes="2000", available_days=[],
                       easy_pace="6:75", **{"screen.vertigo": ""})
    assert response.status_code == 422
    html = response.text
    assert "whole number" in _error(html, "age")
    assert "at most 1500" in _error(html, "weekly_minutes")
    assert _error(html, "available_days")
    assert "minutes:seconds" in _error(html, "easy_pace")
    assert "yes or no" in _error(html, "screen-vertigo")
    assert _error(html, "experience") == ""
    assert 'value="five"' in html  # what the person typed stays in the form
    assert client.get("/plan/preview").headers["location"] == "/plan/new"


def test_one_field_is_checked_while_the_form_is_filled(client: TestClient) -> None:
    token = csrf(client, "/plan/new")
    data = {"csrf_token": token, **wizard_form(age="7")}
    response = client.post("/plan/new/check/age", data=data)
    assert response.status_code == 200
    assert "at least 8" in response.text
    assert 'id="age-error"' in response.text
    fine = client.post("/plan/new/check/weekly_minutes", data=data)
    assert 'id="weekly_minutes-error"' in fine.text
    assert "must" not in fine.text


def test_the_preview_needs_no_account_and_shows_sessions(client: TestClient) -> None:
    assert _submit(client).status_code == 303
    page = client.get("/plan/preview")
    assert page.status_code == 200
    assert "This is a preview" in page.text
    assert "Stage: backward walk" in page.text
    session_url = re.search(r'href="(/plan/preview/sessions/[^"]+)"', page.text)
    assert session_url
    session = client.get(session_url.group(1))
    assert session.status_code == 200
    assert "Steps" in session.text


def test_a_safety_screen_yes_keeps_the_plan_to_walking_and_says_so(
        client: TestClient) -> None:
    assert _submit(client, **{"screen.vertigo": "yes"}).status_code == 303
    page = client.get("/plan/preview").text
    assert "clinician" in page.lower()
    assert "Stage: backward jog" not in page
    assert "Stage: backward run" not in page


def test_changing_the_answers_starts_from_the_previous_ones(client: TestClient) -> None:
    _submit(client, age="41")
    assert 'value="41"' in client.get("/plan/new?edit=1").text


def test_a_signed_in_visitor_keeps_the_previewed_plan(client: TestClient) -> None:
    sign_up(client, "kim@example.com")  # signed in by the confirmation link
    assert client.get("/plan").headers["location"] == "/plan/new"
    _submit(client)
    response = post_form(client, "/plan", {}, page="/plan/preview")
    assert response.status_code == 303
    assert response.headers["location"] == "/plan"
    assert client.get("/plan").status_code == 200


def _pdf_text(data: bytes) -> str:
    pages = PdfReader(BytesIO(data)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def _page_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_wizard_offers_metric_or_imperial_with_metric_chosen(client: TestClient) -> None:
    html = client.get("/plan/new").text
    assert re.search(r'<input type="radio" name="units" value="metric" checked>', html)
    assert re.search(r'<input type="radio" name="units" value="imperial" >', html)
    assert 'hx-post="/plan/new/check/units"' in html
    # The pace is read in the chosen units, so it is checked again when they change.
    assert 'hx-trigger="change, change from:#units"' in html


def test_a_units_value_that_is_not_offered_is_named_beside_its_field(
        client: TestClient) -> None:
    response = _submit(client, units="furlongs")
    assert response.status_code == 422
    assert "allowed: metric, imperial" in _error(response.text, "units")
    data = {"csrf_token": csrf(client, "/plan/new"), **wizard_form(units="furlongs")}
    check = client.post("/plan/new/check/units", data=data)
    assert 'id="units-error"' in check.text
    assert "allowed: metric, imperial" in check.text
    fine = {**data, "units": "imperial"}
    assert "allowed" not in client.post("/plan/new/check/units", data=fine).text


def test_the_easy_pace_is_read_per_mile_with_imperial_units(client: TestClient) -> None:
    data = {"csrf_token": csrf(client, "/plan/new"),
            **wizard_form(units="imperial", easy_pace="45:00")}
    check = client.post("/plan/new/check/easy_pace", data=data).text
    assert "between 4:01 and 32:11 per mile" in check
    assert _submit(client, units="imperial", easy_pace="9:39").status_code == 303
    # 9:39 a mile is 6:00 a km: the profile keeps seconds per km.
    athlete = client.get("/api/v1/plans/preview").json()["document"]["athlete"]
    assert (athlete["units"], round(athlete["easy_pace_s_per_km"])) == ("imperial", 360)
    assert athlete["easy_pace"] == "9:39/mi"
    edit = client.get("/plan/new?edit=1").text
    assert re.search(r'name="units" value="imperial" checked', edit)
    assert 'value="9:39"' in edit


def test_an_imperial_plan_from_the_wizard_reads_in_miles_on_pages_and_in_the_pdf(
        client: TestClient) -> None:
    answers = {"units": "imperial", "easy_pace": "9:40", "goal": "economy",
               "experience": "trained", "weekly_minutes": "240"}
    assert _submit(client, **answers).status_code == 303
    sign_up(client, "mia@example.com")
    plan = client.get("/api/v1/plan").json()
    assert plan["document"]["athlete"]["units"] == "imperial"
    page = client.get("/plan")
    assert page.status_code == 200
    assert "/km" not in _page_text(page.text)
    sessions = [s["id"] for w in plan["document"]["weeks"] for s in w["sessions"]]
    paced = []
    for session_id in sessions:
        text = _page_text(client.get(f"/plan/sessions/{session_id}").text)
        assert "/km" not in text
        if "/mi" in text:
            paced.append(session_id)
    assert paced  # easy paces, written per mile
    pdf = _pdf_text(client.get("/plan/export/pdf").content)
    assert re.search(r"\d+:\d\d/mi", pdf)
    assert "/km" not in pdf


def test_the_wizard_asks_the_backward_stage_poor_balance_and_vision(
        client: TestClient) -> None:
    html = client.get("/plan/new").text
    assert '<label for="backward_stage">Backward running you already do</label>' in html
    options = re.findall(r'<option value="(\w+)" ?(selected)?>([^<]+)</option>',
                         html[html.index('id="backward_stage"'):])[:5]
    assert [(v, t) for v, _, t in options] == [
        ("never", "Never done it"), ("walk", "Backward walking"),
        ("jog", "Backward jogging intervals"), ("run", "Continuous backward running"),
        ("sprint", "Backward sprints")]
    assert options[0][1] == "selected"  # "never" unless the athlete says otherwise
    # a real checkbox inside its label: reachable and togglable with the keyboard
    assert re.search(r'<label><input type="checkbox" id="poor_balance" name="poor_balance" '
                     r'value="yes"\s[^>]*aria-describedby="poor_balance-hint poor_balance-error"'
                     r'[^>]*> I feel my balance is poor</label>', html)
    assert 'hx-post="/plan/new/check/poor_balance"' in html
    assert 'hx-post="/plan/new/check/backward_stage"' in html
    assert "(asked at 65 and over or with poor balance)" in html
    assert "given at any age" in html
    assert "65 and over)</label>" not in html
    assert '<span id="q-uncorrected_vision">An uncorrected vision problem?</span>' in html
    assert 'name="screen.uncorrected_vision" value="yes"' in html


def test_the_new_answers_reach_the_plan_and_come_back_to_edit(client: TestClient) -> None:
    answers = {"backward_stage": "jog", "poor_balance": "yes", "age": "40",
               "backward_walk_3m_seconds": "6.5", "screen.uncorrected_vision": "yes"}
    assert _submit(client, **answers).status_code == 303
    athlete = client.get("/api/v1/plans/preview").json()["document"]["athlete"]
    assert athlete["backward_stage"] == "jog"
    assert athlete["poor_balance"] is True
    assert athlete["screen"] == {"passed": False, "yes": ["uncorrected_vision"]}
    edit = client.get("/plan/new?edit=1").text
    assert '<option value="jog" selected>' in edit
    assert re.search(r'name="poor_balance" value="yes" checked', edit)
    assert re.search(r'name="screen.uncorrected_vision" value="yes" checked', edit)
    assert 'value="6.5"' in edit
    # the plan stored on signing up keeps them too
    sign_up(client, "rae@example.com")
    kept = client.get("/api/v1/plan").json()["document"]["athlete"]
    assert (kept["backward_stage"], kept["poor_balance"]) == ("jog", True)
    assert kept["screen"]["yes"] == ["uncorrected_vision"]


def test_unticked_poor_balance_and_the_default_stage(client: TestClient) -> None:
    assert _submit(client, backward_stage="never").status_code == 303
    athlete = client.get("/api/v1/plans/preview").json()["document"]["athlete"]
    assert (athlete["backward_stage"], athlete["poor_balance"]) == ("never", False)
    edit = client.get("/plan/new?edit=1").text
    assert '<option value="never" selected>' in edit
    assert not re.search(r'name="poor_balance" value="yes" checked', edit)


def test_wrong_new_answers_are_named_beside_their_fields(client: TestClient) -> None:
    response = _submit(client, backward_stage="fly", poor_balance="maybe",
                       **{"screen.uncorrected_vision": ""})
    assert response.status_code == 422
    html = response.text
    assert _error(html, "backward_stage") == (
        "Backward running you already do: got &#34;fly&#34;; allowed: never, walk, jog, "
        "run, sprint")
    assert _error(html, "poor_balance") == (
        "I feel my balance is poor: tick the box or leave it empty")
    assert _error(html, "screen-uncorrected_vision") == (
        "Safety screen: an uncorrected vision problem: answer yes or no")
    assert _error(html, "experience") == ""
    for anchor in ("#backward_stage", "#poor_balance", "#screen-uncorrected_vision"):
        assert f'href="{anchor}"' in html  # the summary links to each field
    assert re.search(r'id="backward_stage"[^>]*aria-invalid="true"', html)
    data = {"csrf_token": csrf(client, "/plan/new"), **wizard_form(backward_stage="fly")}
    check = client.post("/plan/new/check/backward_stage", data=data).text
    assert 'id="backward_stage-error"' in check
    assert "allowed: never, walk, jog, run, sprint" in check
    fine = client.post("/plan/new/check/backward_stage",
                       data={**data, "backward_stage": "sprint"}).text
    assert "allowed" not in fine
