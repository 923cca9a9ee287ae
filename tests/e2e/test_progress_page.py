"""The progress page in a real browser on a phone: its charts render and fit the screen,
each with a summary and its numbers a keyboard can open."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORTS, confirm_email

pytestmark = pytest.mark.e2e

PROFILE = {"experience": "recreational", "weekly_minutes": 120, "runs_per_week": 3,
           "available_days": ["tue", "thu", "sat", "sun"], "goal": "general", "age": 34,
           "surfaces": ["track", "grass", "road"], "start_date": "2026-11-02", "screen": {}}


@pytest.fixture
def phone(browser: Browser) -> Any:
    context = browser.new_context(viewport=VIEWPORTS["phone"])  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _csrf(page: Page) -> str:
    headers = page.locator("body").get_attribute("hx-headers") or "{}"
    return str(json.loads(headers)["X-CSRF-Token"])


def test_the_progress_page_draws_its_charts_on_a_phone(server: str, phone: Page) -> None:
    page = phone
    page.goto(f"{server}/signup")
    email = f"progress-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    confirm_email(page, server, email)
    made = page.request.put(f"{server}/api/v1/plan", data=json.dumps(PROFILE),
                            headers={"X-CSRF-Token": _csrf(page),
                                     "Content-Type": "application/json"})
    assert made.ok, made.text()
    first = made.json()["document"]["weeks"][0]["sessions"][0]
    logged = page.request.put(
        f"{server}/api/v1/plan/sessions/{first['id']}/log",
        data=json.dumps({"status": "done", "rpe": 4, "pain_during": 1,
                         "forward_minutes": (first["running_seconds"]
                                             - first["backward_seconds"]) / 60,
                         "backward_minutes": first["backward_seconds"] / 60}),
        headers={"X-CSRF-Token": _csrf(page), "Content-Type": "application/json"})
    assert logged.ok, logged.text()

    page.goto(f"{server}/plan")
    page.get_by_role("link", name=re.compile("Your progress")).click()
    expect(page).to_have_url(re.compile(r"/progress$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    charts = page.locator("figure.progress-chart svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 6
    width = VIEWPORTS["phone"]["width"]
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 250, box  # drawn at (nearly) the phone's width
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width, box
        assert chart.locator("rect, polyline, circle").count() > 0
    # The page itself never scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    minutes = page.locator("#chart-minutes")
    expect(minutes.locator("figcaption")).to_contain_text("minutes planned so far were done")
    summary = minutes.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(minutes.locator("table")).to_be_visible()
    expect(minutes.locator("tbody tr").first).to_contain_text("2 Nov")
