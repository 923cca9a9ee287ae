"""The ASGI entry point uvicorn starts by name (`retrorun.web.asgi:app`, factory mode).

Settings come from the environment (RETRORUN_*), so `retrorun serve` can start the
server without importing the web layer: the CLI and the web never import each other.
"""

from __future__ import annotations

from fastapi import FastAPI

from retrorun.bootstrap import start
from retrorun.config import check_server_settings, load_settings
from retrorun.web.app import create_app


def app() -> FastAPI:
    settings = load_settings()
    check_server_settings(settings)  # also when uvicorn is started by hand
    return create_app(settings, start(settings))  # migrate, wire, seed the demo
