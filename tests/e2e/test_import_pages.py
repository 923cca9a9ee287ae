"""The import pages in a real browser, on a phone and on a desktop (issue 12): a real watch
file chosen in the upload form, the job page's progress finishing by itself (htmx polls
it, whether the queue ran the job at once or a worker runs it later), the results, and
the activity page with its chart drawn inside the screen, under the strict CSP."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORTS, confirm_email

pytestmark = pytest.mark.e2e

FENIX = Path(__file__).parents[1] / "data" / "activities" / "garmin-fenix-5-run.fit"


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Any:
    """A fresh browser context at the phone's or the desktop's size, and its width."""
    size = VIEWPORTS[request.param]
    context = browser.new_context(viewport=size)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context.new_page(), size["width"]
    context.close()


def _sign_up(page: Page, server: str) -> None:
    page.goto(f"{server}/signup")
    email = f"imports-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    confirm_email(page, server, email)


def _inside(page: Page, selector: str, width: int) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, (selector, box)


def test_upload_progress_results_and_the_activity_chart(server: str,
                                                       screen: tuple[Page, int]) -> None:
    page, width = screen
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    _sign_up(page, server)

    page.goto(f"{server}/activities")
    page.get_by_role("link", name="Import watch files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import watch files")
    page.get_by_label("Activity files").set_input_files(str(FENIX))
    page.get_by_role("button", name="Import").click()

    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f]{32}$"))
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "done", timeout=30_000)
    expect(status).to_contain_text("1 of 1 file read: 1 imported")
    row = page.locator("table.import-results tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("imported")
    expect(page.locator(".import-poll")).to_have_count(0)  # done: polling stopped
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    row.get_by_role("link", name=FENIX.name).click()
    expect(page).to_have_url(re.compile(r"/activities/[0-9a-f]+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("on ")
    chart = page.locator("#chart-activity svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-describedby", "chart-activity-summary")
    expect(page.locator("#chart-activity-summary")).to_contain_text("heart rate from")
    assert chart.locator("polyline").count() >= 2  # pace and heart rate
    _inside(page, "#chart-activity svg", width)
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 250, box
    page.locator("#chart-activity summary").click()  # the numbers behind the chart
    expect(page.locator("#chart-activity table.chart-table tbody tr").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    laps = page.locator("table.laps tbody tr")
    assert laps.count() >= 1
    page.get_by_label("Lap 1 backward").check()
    page.get_by_role("button", name="Save backward laps").click()
    expect(page.locator(".flash")).to_contain_text("Backward laps saved")
    expect(laps.first.locator(".tag.backward")).to_be_visible()
    expect(page.locator("#chart-activity figure, #chart-activity .chart-note")).to_contain_text(
        "Backward laps are shaded")
    assert not [p for p in problems if "Content Security Policy" in p], problems
    # The browser's own favicon request is the only thing allowed to miss.
    assert [u for u in missing if not u.endswith("/favicon.ico")] == [], missing
    assert not [p for p in problems if "404" not in p], problems
