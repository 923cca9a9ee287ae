"""The ASGI entry point uvicorn starts by name (`retrorun.web.asgi:app`, factory mode).

Settings come from the environment (RETRORUN_*), so `retrorun serve` can start the
server without importing the web layer: the CLI and the web never import each other.
The server's lifespan also runs import jobs in its own threads (a huey consumer,
`retrorun.jobs`), so nothing else must run; `retrorun worker` adds more elsewhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from retrorun import jobs
from retrorun.bootstrap import start
from retrorun.config import check_server_settings, load_settings
from retrorun.web.app import create_app


def app() -> FastAPI:
    settings = load_settings()
    check_server_settings(settings)  # also when uvicorn is started by hand
    services = start(settings)  # migrate, wire, seed the demo
    web = create_app(settings, services)
    serve_lifespan = web.router.lifespan_context

    @asynccontextmanager
    async def lifespan(started: FastAPI) -> AsyncIterator[Any]:
        consumer = jobs.start_embedded(services.jobs)  # None: jobs run inline
        try:
            async with serve_lifespan(started) as state:
                yield state
        finally:
            if consumer is not None:
                consumer.stop()

    web.router.lifespan_context = lifespan
    return web
