"""A new visitor, in a real browser, on a phone and on a desktop: landing → wizard →
preview → sign up → plan → log a session → see it on the calendar."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORTS, confirm_email

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Browser) -> Any:
    context = browser.new_context(viewport=VIEWPORTS[request.param])  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _fill_wizard(page: Page) -> None:
    page.get_by_label("Running experience").select_option("recreational")
    page.get_by_label("Minutes of running a week").fill("120")
    page.get_by_label("Age", exact=True).fill("34")
    page.get_by_label("Running track").check()
    page.get_by_label("Flat grass").check()
    for radio in page.locator("#screen input[value=no]").all():
        radio.check()
    # A plan that started on the Monday two weeks ago: its first week is past, so its
    # sessions can be logged (a session after today cannot).
    today = dt.datetime.now(dt.UTC).date()
    started = today - dt.timedelta(days=today.weekday() + 14)
    page.get_by_label("Start date").fill(started.isoformat())


def test_a_new_visitor_gets_a_plan_keeps_it_and_logs_a_session(
        server: str, page: Page) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Run backwards")
    expect(page.locator("#claim-brain")).to_contain_text("Unproven")
    page.get_by_role("link", name="Get your free plan").first.click()

    expect(page).to_have_url(re.compile(r"/plan/new$"))
    page.get_by_label("Age", exact=True).fill("5")
    page.get_by_label("Age", exact=True).blur()
    expect(page.locator("#age-error")).to_contain_text("at least 8")  # htmx, field by field
    _fill_wizard(page)
    page.get_by_role("button", name="See my plan").click()

    expect(page).to_have_url(re.compile(r"/plan/preview$"))
    expect(page.get_by_text("This is a preview")).to_be_visible()
    expect(page.locator("#week-1 .stage")).to_contain_text("walk")
    page.get_by_role("link", name="Create an account and keep this plan").click()

    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    confirm_email(page, server, email)

    expect(page).to_have_url(re.compile(r"/plan$"))
    expect(page.get_by_text("Your plan is saved")).to_be_visible()
    # Week 1 is past, so it is collapsed (the current week is open): open it.
    page.locator("#week-1 summary").click()
    first = page.locator("#week-1 .sessions a").first
    title = first.inner_text()
    first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("Forward minutes").fill("20")
    page.get_by_label("Backward minutes").fill("4")
    page.get_by_label("Session effort (RPE, 0–10)").fill("4")
    page.get_by_label("Pain during (0–10)").fill("1")
    page.get_by_label("A stumble").check()
    page.get_by_role("button", name="Save log").click()
    expect(page).to_have_url(re.compile(r"#log$"))
    # The page lands on the log section, and the message is in view there.
    expect(page.get_by_text("Log saved.")).to_be_visible()
    expect(page.get_by_text("Log saved.")).to_be_in_viewport()
    expect(page.get_by_role("heading", name="Edit your log")).to_be_visible()

    page.get_by_role("link", name="← Back to the plan").click()
    logged = page.locator("#week-1 .sessions li", has_text=title).first
    expect(logged.locator(".tag.done")).to_have_text("done")
    expect(page.get_by_text("1 of")).to_be_visible()


def test_the_easy_pace_is_checked_again_when_the_units_change(server: str, page: Page) -> None:
    page.goto(f"{server}/plan/new")
    expect(page.get_by_label("Metric: kilometres, pace per km")).to_be_checked()
    pace = page.get_by_label("Easy pace (optional)")
    pace.fill("3:00")
    pace.blur()
    expect(page.locator("#easy_pace-error")).to_have_text("")
    # 3:00 a km is a fine easy pace; 3:00 a mile is faster than any easy pace.
    page.get_by_label("Imperial: miles, pace per mile").check()
    expect(page.locator("#easy_pace-error")).to_contain_text("between 4:01 and 32:11 per mile")
    page.get_by_label("Metric: kilometres, pace per km").check()
    expect(page.locator("#easy_pace-error")).to_have_text("")
