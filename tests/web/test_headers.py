"""Security headers, /docs and the access log (issue 11, finding 8), over HTTP on SQLite
and PostgreSQL."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from retrorun.bootstrap import build_services
from retrorun.config import Settings, load_settings
from retrorun.web.access_log import ACCESS_LOGGER, redact
from retrorun.web.app import create_app
from retrorun.web.security_headers import CONTENT_SECURITY_POLICY
from tests.web._client import TestClient
from tests.web._server import serving
from tests.web.helpers import make_client

CSP_PARTS = ("default-src 'self'", "script-src 'self'", "style-src 'self'",
             "frame-ancestors 'none'")
PAGES = ("/", "/signin", "/plan/new", "/api/v1/claims", "/static/style.css",
         "/no/such/page", "/api/v1/plan", "/health")


@pytest.fixture
def production(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings(environment="production", secret_key=secrets.token_urlsafe(48),
                             database_url=database_url, data_dir=tmp_path,
                             base_url="https://retrorun.test", seed_demo=False)
    services = build_services(settings)
    with make_client(create_app(settings, services)) as client:
        yield client
    services.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    for part in CSP_PARTS:
        assert part in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in response.headers  # not in production


def test_token_pages_send_no_referrer(client: TestClient) -> None:
    for path in ("/reset/confirm?token=abc", "/calendar/abc.ics"):
        assert client.get(path).headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/", "/signin", "/plan/new", "/no/such/page"])
def test_pages_have_no_inline_script_or_style(client: TestClient, path: str) -> None:
    page = client.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert 'src="/static/' in tag, tag
    assert all(not body.strip() for body in re.findall(r"<script\b[^>]*>(.*?)</script>",
                                                        page, re.S))
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert "javascript:" not in page
    assert not re.search(r"\son[a-z]+=", page)
    assert '"includeIndicatorStyles": false' in page  # htmx adds no <style> of its own


def test_production_sends_hsts_and_serves_no_docs(production: TestClient) -> None:
    landing = production.get("/")
    assert landing.headers["strict-transport-security"].startswith("max-age=")
    assert "content-security-policy" in landing.headers
    assert production.get("/docs").status_code == 404
    assert 'href="/docs"' not in landing.text
    assert production.get("/api/v1/openapi.json").status_code == 200


def test_docs_outside_production_use_the_apps_own_files_under_the_strict_policy(
        client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources, page.text
    assert all(source.startswith("/") for source in sources), sources  # no CDN
    assert "<script>" not in page.text  # no inline script: every script is a file
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
    script = client.get("/docs/assets/swagger-ui-bundle.js")
    assert "javascript" in script.headers["content-type"]
    assert "SwaggerUIBundle" in script.text


def test_the_redaction_keeps_the_route_and_drops_the_secret() -> None:
    assert redact("/reset/confirm?token=s3cret") == "/reset/confirm?token=[redacted]"
    assert redact("/verify?x=1&token=s3cret&y=2") == "/verify?x=1&token=[redacted]&y=2"
    assert redact("/calendar/s3cret.ics") == "/calendar/[redacted].ics"
    assert redact("/calendar/s3cret.ics?alarm=1") == "/calendar/[redacted].ics?alarm=1"
    assert redact("/plan?week=2") == "/plan?week=2"


def test_the_access_log_never_shows_a_token(app: Any, caplog: pytest.LogCaptureFixture,
                                            settings: Settings) -> None:
    secret = "tok" + secrets.token_hex(16)
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER), serving(app) as base, \
            httpx.Client(base_url=base) as http:
        http.get(f"/reset/confirm?token={secret}")
        http.get(f"/verify?token={secret}")
        http.get(f"/calendar/{secret}.ics")
        http.get("/signin?next=/plan")
    lines = [r.getMessage() for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(lines) >= 4, lines
    assert not any(secret in line for line in lines), lines
    assert any("/reset/confirm?token=[redacted]" in line for line in lines), lines
    assert any("/signin?next=/plan" in line for line in lines), lines
