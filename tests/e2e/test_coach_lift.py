"""In a real browser, phone and desktop: an athlete's painful logs pause backward work, the
plan page says why (and offers no undo for it); their physio sees the flag, lifts the
pause and leaves a note; the athlete sees both. The plan page opens at today's card."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORTS, confirm_email

pytestmark = pytest.mark.e2e

TODAY = dt.datetime.now(dt.UTC).date()
START = TODAY - dt.timedelta(days=TODAY.weekday() + 14)  # weeks 1 and 2 are over
PROFILE = {"experience": "recreational", "weekly_minutes": 120, "runs_per_week": 3,
           "available_days": ["tue", "thu", "sat", "sun"], "goal": "general", "age": 34,
           "surfaces": ["track", "grass", "road"], "start_date": START.isoformat(),
           "screen": {}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _tab(browser: Browser, viewport: str) -> Page:
    context = browser.new_context(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return context.new_page()


def _sign_up(page: Page, server: str, email: str) -> str:
    page.goto(f"{server}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    confirm_email(page, server, email)
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    return token


def _api(page: Page, method: str, url: str, token: str, body: Any = None) -> Any:
    response = page.request.fetch(url, method=method, data=body,
                                  headers={"X-CSRF-Token": token})
    assert response.ok, response.text()
    return response.json() if response.status != 204 else None


def test_a_physio_lifts_the_pause_and_the_athlete_sees_it(browser: Browser, server: str,
                                                          viewport: str) -> None:
    run = uuid.uuid4().hex[:8]
    athlete_email, physio_email = f"ann-{run}@example.com", f"physio-{run}@example.com"
    athlete = _tab(browser, viewport)
    token = _sign_up(athlete, server, athlete_email)
    plan = _api(athlete, "PUT", f"{server}/api/v1/plan", token, PROFILE)
    backward = [s for w in plan["document"]["weeks"][:2] for s in w["sessions"]
                if s["backward_seconds"]]
    for session, events in ((backward[-2], ["stumble"]), (backward[-1], [])):
        _api(athlete, "PUT", f"{server}/api/v1/plan/sessions/{session['id']}/log", token, {
            "status": "done", "backward_minutes": session["backward_seconds"] / 60,
            "forward_minutes": (session["running_seconds"] - session["backward_seconds"]) / 60,
            "rpe": 4, "pain_during": 7, "events": events})
    _api(athlete, "POST", f"{server}/api/v1/coaches", token, {"coach_email": physio_email})

    athlete.goto(f"{server}/plan")
    changes = athlete.locator("#changes")
    expect(changes).to_contain_text("Pain 7/10")
    expect(changes).to_contain_text("backward work is paused")
    pause = changes.locator("li", has=athlete.locator(
        'form[action*="/pain-again-pause/lift"]'))
    expect(pause.get_by_label("A clinician has cleared me to go on")).to_be_visible()
    expect(pause.get_by_role("button", name="Undo")).to_have_count(0)
    if viewport == "phone":
        expect(athlete.locator("#today")).to_be_in_viewport()
    current = athlete.locator(".week.current details")
    expect(current).to_have_attribute("open", "")

    physio = _tab(browser, viewport)
    _sign_up(physio, server, physio_email)
    physio.goto(f"{server}/invitations")  # nothing is shared until the physio accepts
    physio.get_by_role("button", name=f"Accept the invitation from {athlete_email}").click()
    physio.goto(f"{server}/athletes")
    row = physio.locator(".athlete-list li", has_text=athlete_email)
    expect(row.locator(".badge", has_text="Paused")).to_be_visible()
    expect(row.get_by_text("Pain", exact=True)).to_be_visible()
    row.get_by_role("link", name=athlete_email).click()
    expect(physio.locator("#flags")).to_contain_text("Needs a look")
    expect(physio.locator("#flags")).to_contain_text("Backward work is paused")
    physio.locator('form[action*="/pain-again-pause/lift"]').get_by_role(
        "button", name="Lift").click()
    expect(physio.get_by_text("Lifted; the athlete sees that you did.")).to_be_visible()
    physio.get_by_label("Note for the athlete").fill("Cleared by me: go easy this week.")
    physio.get_by_role("button", name="Save note").click()
    expect(physio.get_by_text("Note saved")).to_be_visible()

    athlete.goto(f"{server}/plan")
    expect(athlete.locator("#changes")).to_contain_text(f"Lifted by {physio_email}")
    expect(athlete.locator("#coach-notes")).to_contain_text("Cleared by me: go easy this week.")
    expect(athlete.locator("#coach-notes")).to_contain_text(physio_email)
