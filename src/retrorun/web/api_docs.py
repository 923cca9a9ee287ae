"""/docs in development: Swagger UI from the fastapi-offline package's static files,
served by the app under /docs/assets, never from a CDN (issue 11: the page loaded
Swagger's JavaScript from a CDN on the app's origin). The page is a static shell and a
starter script of ours, so it keeps the strict Content-Security-Policy. Production
serves no /docs at all; the OpenAPI document stays at /api/v1/openapi.json.
"""

from __future__ import annotations

import importlib.util
from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS = DOCS_PATH + "/assets"


def _page(openapi_url: str, title: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi="{escape(openapi_url)}"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI, openapi_url: str) -> None:
    """Serve Swagger UI at /docs with its files from the installed package."""
    page = _page(openapi_url, app.title)
    # Swagger UI 5: swagger-ui-bundle (PyPI) has 4.15, which cannot read OpenAPI 3.1.
    # Found, not imported: its own module builds an app class we do not use.
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("fastapi-offline is not installed: scripts/setup installs it")
    assets = Path(spec.origin).parent / "static"
    app.mount(ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)
