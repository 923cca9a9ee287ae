"""/docs in a real browser (development): Swagger UI renders from the app's own files
under the strict Content-Security-Policy, with no request to another origin."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def desktop(browser: Browser) -> Any:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_swagger_ui_renders_from_the_apps_own_files(server: str, desktop: Page) -> None:
    page = desktop
    problems: list[str] = []
    origins: set[str] = set()
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))

    def refused(report: Any) -> None:
        problems.append(str(report))

    page.on("pageerror", refused)
    page.goto(f"{server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("retrorun",
                                                                      timeout=15_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert origins == {urlsplit(server).netloc}, origins
    assert not [p for p in problems if "Content Security Policy" in p], problems
