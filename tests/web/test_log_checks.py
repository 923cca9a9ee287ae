"""Better logs through the real app (issue 10.4): the form and the JSON API report every
wrong field at once, in the words of the form; a session after today is refused; "done"
means as planned; the saved message is where the page lands; a log at pain 7 changes the
plan at once. SQLite always, PostgreSQL too (the `settings` fixture's database)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import TYPE_CHECKING, Any

import pytest

from retrorun.bootstrap import ConsoleMailer, build_services
from retrorun.web.app import create_app
from retrorun.web.log_form import LABELS
from tests.web.helpers import accept_invitations, csrf, make_client, post_form, profile, sign_up

if TYPE_CHECKING:
    from collections.abc import Iterator

    from retrorun.config import Settings
    from tests.web._client import TestClient

# Monday of week 3 of a plan that started Mon 2 Nov: weeks 1-2 are past, week 3 is ahead.
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)


class FixedClock:
    def now(self) -> dt.datetime:
        return NOW


@pytest.fixture
def app(settings: Settings, mailer: ConsoleMailer) -> Iterator[Any]:
    services = build_services(settings, clock=FixedClock(), mailer=mailer)
    yield create_app(settings, services)
    services.close()


def _athlete(app: Any) -> tuple[TestClient, dict[str, str], dict[str, Any]]:
    client = make_client(app)
    sign_up(client, "ann@example.com")
    headers = {"X-CSRF-Token": csrf(client)}
    plan = client.put("/api/v1/plan", json=profile(start_date="2026-11-02",
                                                   backward_stage="jog"), headers=headers)
    assert plan.status_code == 200, plan.text
    return client, headers, plan.json()["document"]


def _backward_session(document: dict[str, Any], week: int) -> dict[str, Any]:
    return next(s for s in document["weeks"][week - 1]["sessions"] if s["backward_seconds"])


def _field_errors(page: str) -> dict[str, str]:
    return {name: html.unescape(text) for name, text in
            re.findall(r'<p class="field-error" id="([\w-]+)-error"[^>]*>([^<]+)</p>', page)}


def _labels(page: str) -> dict[str, str]:
    """Each log field's label or legend as the page shows it."""
    found = {name: html.unescape(text) for name, text in
             re.findall(r'<label for="(\w+)">([^<]+)</label>', page)}
    for name, text in re.findall(
            r'<fieldset id="(\w+)"[^>]*>\s*<legend>([^<]+)</legend>', page):
        found[name] = html.unescape(text)
    return found


def test_the_form_labels_are_the_words_its_messages_use(app: Any) -> None:
    client, _, document = _athlete(app)
    page = client.get(f"/plan/sessions/{_backward_session(document, 1)['id']}").text
    shown = _labels(page)
    for name, label in LABELS.items():
        if name != "session_id":
            assert shown[name] == label, name


def test_the_form_shows_every_wrong_field_at_once_under_its_own_label(app: Any) -> None:
    client, headers, document = _athlete(app)
    session = _backward_session(document, 1)
    url = f"/plan/sessions/{session['id']}"
    response = post_form(client, f"{url}/log", {
        "status": "", "forward_minutes": "lots", "backward_minutes": "500", "rpe": "11",
        "pain_during": "[]", "pain_next_morning": "7.5", "events": ["fell asleep"],
        "notes": "x" * 2001}, page=url)
    assert response.status_code == 422
    errors = _field_errors(response.text)
    wrong = ["status", "forward_minutes", "backward_minutes", "rpe", "pain_during",
             "pain_next_morning", "events", "notes"]
    assert sorted(errors) == sorted(wrong)
    planned = session["backward_seconds"] / 60
    assert errors["backward_minutes"] == (
        f"Backward minutes: 500 is far more than the {planned:g} planned; "
        f"at most {planned * 2 + 10:g}")
    assert errors["pain_during"] == "Pain during (0–10): must be a whole number from 0 to 10"
    assert errors["status"] == "How did it go: choose done, partly done or skipped"
    for name, message in errors.items():
        assert message.startswith(LABELS[name].rstrip("?") + ": "), message
        assert "got" not in message
        assert "_" not in message.split(":")[0]
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S)
    assert summary
    assert "Please fix 8 things" in summary.group(0)
    assert client.get("/api/v1/logs").json() == []
    # The form keeps what was typed, so nothing has to be typed again.
    assert 'value="500"' in response.text
    assert headers


def test_a_session_after_today_is_refused_with_its_day(app: Any) -> None:
    client, _, document = _athlete(app)
    ahead = _backward_session(document, 4)
    day = dt.date.fromisoformat(ahead["date"])
    assert day > NOW.date() + dt.timedelta(days=1)
    url = f"/plan/sessions/{ahead['id']}"
    page = client.get(url).text
    # The page says when instead of offering a form the service would refuse...
    assert f"This session is on {day:%a} {day.day} {day:%b}: log it on or after that day" in (
        page)
    assert 'action="' + url + '/log"' not in page
    assert "log it on or after" not in client.get(
        f"/plan/sessions/{_backward_session(document, 1)['id']}").text
    # ...and a post made anyway is refused, whatever the status.
    for status in ("done", "partial", "skipped"):
        response = post_form(client, f"{url}/log", {"status": status}, page=url)
        assert response.status_code == 422
        message = _field_errors(response.text)["session_id"]
        assert message == (f"This session: this session is on {day:%a} {day.day} {day:%b}; "
                           "log it on or after that day")
    assert client.get("/api/v1/logs").json() == []


def test_done_without_minutes_is_done_as_planned_and_the_saved_message_is_in_view(
        app: Any) -> None:
    client, _, document = _athlete(app)
    session = _backward_session(document, 1)
    url = f"/plan/sessions/{session['id']}"
    response = post_form(client, f"{url}/log", {"status": "done"}, page=url)
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}#log"
    page = client.get(url).text
    section = page[page.index('<section id="log"'):]
    # The message is the first thing of the section the redirect lands on...
    assert re.match(r'<section id="log"[^>]*>\s*(\{#.*?#\}\s*)?<p class="flash" role="status" '
                    r'id="log-saved">Log saved.</p>', section, re.S), section[:300]
    # ...and not also at the top of the page, out of sight.
    assert page.count("Log saved.") == 1
    assert "Log saved." not in client.get(url).text  # shown once
    log = client.get(f"/api/v1{url}").json()["session"]["log"]
    assert log["backward_minutes"] == session["backward_seconds"] / 60
    assert log["forward_minutes"] == pytest.approx(
        (session["running_seconds"] - session["backward_seconds"]) / 60, abs=0.05)


def test_the_api_lists_every_wrong_field_in_one_422(app: Any) -> None:
    client, headers, document = _athlete(app)
    session = _backward_session(document, 1)
    response = client.put(f"/api/v1/plan/sessions/{session['id']}/log", headers=headers,
                          json={"status": "finished", "backward_minutes": 500,
                                "rpe": [], "pain_during": 11, "events": ["trip"]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error) == {"status", "message", "field", "errors"}
    assert error["status"] == 422
    assert error["field"] == "status"
    listed = {e["field"]: e["message"] for e in error["errors"]}
    assert list(listed) == ["status", "backward_minutes", "rpe", "pain_during", "events"]
    assert listed["pain_during"] == "must be from 0 to 10"
    assert "far more than the" in listed["backward_minutes"]
    for field in listed:
        assert f"{field}: " in error["message"]
    assert client.get("/api/v1/logs").json() == []


def test_the_api_refuses_a_future_session_with_its_day(app: Any) -> None:
    client, headers, document = _athlete(app)
    ahead = _backward_session(document, 4)
    response = client.put(f"/api/v1/plan/sessions/{ahead['id']}/log", headers=headers,
                          json={"status": "skipped"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "session_id"
    assert "log it on or after that day" in response.json()["error"]["message"]


HUGE = "9" * 5000  # more digits than Python turns into an int by default


@pytest.mark.parametrize("body", [
    '{"status": "done", "forward_minutes": [30]}',
    '{"status": "done", "backward_minutes": {"a": 1}}',
    '{"status": "done", "rpe": "7"}',
    '{"status": "done", "pain_during": true}',
    '{"status": "done", "pain_during": 1e400}',
    '{"status": "done", "forward_minutes": 1e308}',
    '{"status": "done", "backward_minutes": ' + "1" + "0" * 400 + "}",
    '{"status": "done", "rpe": ' + HUGE + "}",
    '{"status": "done", "notes": "nul \\u0000 byte"}',
    '{"status": "do\\u0000ne"}',
    '{"status": ["done"]}',
    '{"status": null}',
    '{"status": "done", "events": "stumble"}',
    '{"status": "done", "events": [[]]}',
    '{"status": "done", "events": [{"a": 1}]}',
    '{"status": "done", "notes": 5}',
    '{"status": "done", "notes": "' + "x" * 5000 + '"}',
    '{"status": "done", "extra": 1}',
    '[]',
    '"done"',
    "null",
], ids=lambda body: body[:40])
def test_no_log_body_gives_a_500_or_stores_anything(app: Any, body: str) -> None:
    client, headers, document = _athlete(app)
    session = _backward_session(document, 1)
    response = client.put(f"/api/v1/plan/sessions/{session['id']}/log", content=body,
                          headers={**headers, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["error"]
    assert error["message"]
    assert "Traceback" not in response.text
    assert client.get("/api/v1/logs").json() == []


@pytest.mark.parametrize("data", [
    {"status": "done", "forward_minutes": "1e400"},
    {"status": "done", "rpe": HUGE},
    {"status": "done", "pain_during": "nan"},
    {"status": "do\x00ne"},
    {"status": "done", "notes": "\x00"},
    {"status": "done", "events": ["\x00"]},
    {"status": "done", "forward_minutes": "-5"},
])
def test_no_log_form_gives_a_500_or_stores_anything(app: Any, data: dict[str, Any]) -> None:
    client, _, document = _athlete(app)
    url = f"/plan/sessions/{_backward_session(document, 1)['id']}"
    response = post_form(client, f"{url}/log", data, page=url)
    assert response.status_code == 422, response.text[-500:]
    assert client.get("/api/v1/logs").json() == []


def test_a_log_at_pain_7_changes_the_plan_at_once_and_an_edit_does_too(app: Any) -> None:
    client, headers, _ = _athlete(app)
    before = client.get("/api/v1/plan").json()["document"]
    hurt = _backward_session(before, 2)
    url = f"/api/v1/plan/sessions/{hurt['id']}/log"
    logged = client.put(url, headers=headers, json={"status": "done", "pain_during": 1})
    assert logged.status_code == 200, logged.text
    middle = client.get("/api/v1/plan").json()["document"]
    assert "pain-above-5" not in {c["rule"] for c in middle.get("changes", [])}
    edited = client.put(url, headers=headers, json={"status": "done", "pain_during": 7})
    assert edited.status_code == 200, edited.text
    after = client.get("/api/v1/plan").json()["document"]
    assert after["version"] == middle["version"] + 1
    change = next(c for c in after["changes"] if c["rule"] == "pain-above-5")
    assert "7/10" in change["reason"]


def test_the_coach_limits_form_names_fields_by_their_labels(app: Any) -> None:
    athlete, headers, _ = _athlete(app)
    athlete_id = athlete.get("/api/v1/plan").json()["athlete_id"]
    invited = athlete.post("/api/v1/coaches", json={"coach_email": "coach@example.com"},
                           headers=headers)
    assert invited.status_code == 201
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    response = post_form(coach, f"/athletes/{athlete_id}/limits",
                         {"max_backward_minutes_per_week": "lots", "pain_threshold": "11"},
                         page="/athletes")
    assert response.status_code == 422
    errors = _field_errors(response.text)
    assert errors["max_backward_minutes_per_week"] == (
        "Most backward minutes a week: enter a whole number")
    assert "Max backward minutes" not in response.text
    shown = _labels(response.text)
    assert errors["max_backward_minutes_per_week"].startswith(
        shown["max_backward_minutes_per_week"])
