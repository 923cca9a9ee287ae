"""The web application factory. Importing this module builds nothing.

`create_app(settings, services)` is the only place a FastAPI app is made; uvicorn starts
it through `retrorun.web.asgi:app` (factory mode), which reads the settings and builds the
services once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread
import jinja2
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from retrorun.formats.templating import template_loader
from retrorun.web import access_log, api_docs, errors
from retrorun.web.fragments import WeeksFragments
from retrorun.web.hashing import HashingPool
from retrorun.web.openapi_limits import declare_limits
from retrorun.web.options import AnswerOptions
from retrorun.web.plan_cache import PlanResponses
from retrorun.web.routes import (
    accounts,
    api,
    calendar_feed,
    changes,
    coaching,
    exports,
    history,
    imports,
    invitations,
    pages,
    plan,
    printable,
    progress,
)
from retrorun.web.security import check_csrf
from retrorun.web.security_headers import SecurityHeaders

if TYPE_CHECKING:
    from retrorun.config import Settings
    from retrorun.web.deps import Services

SESSION_COOKIE = "retrorun_session"
SESSION_MAX_AGE = 14 * 24 * 3600
HTMX_VERSION = "2.0.11"


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("retrorun.web") / name))


# Sync handlers (the use cases are synchronous) run in a thread pool. Python runs one
# thread at a time, so many threads only add switching. On SQLite every unit of work
# takes the database's single write lock (BEGIN IMMEDIATE), so concurrent handlers only
# queue on it, sleeping in SQLite's busy handler: two threads keep the tail short.
SQLITE_WORKER_THREADS = 2
WORKER_THREADS = 8
# Exports (PDF rendering takes a second or two) have a pool of their own.
EXPORT_THREADS = 2


def _worker_threads(settings: Settings) -> int:
    sqlite = settings.resolved_database_url.startswith("sqlite")
    return SQLITE_WORKER_THREADS if sqlite else WORKER_THREADS


def create_app(settings: Settings, services: Services, *,
               worker_threads: int | None = None) -> FastAPI:
    """A FastAPI app serving the pages, the JSON API under /api/v1 and /health.

    `worker_threads` sizes the pool the synchronous handlers run in (default: by database).
    """
    threads = worker_threads or _worker_threads(settings)
    # Swagger UI loads its JavaScript from a CDN: only where nobody's data is served.
    production = settings.environment.value == "production"

    @asynccontextmanager
    async def lifespan(started: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        started.state.export_limiter = anyio.CapacityLimiter(EXPORT_THREADS)
        yield

    app = FastAPI(
        title="retrorun",
        version="1",
        summary="An evidence-based coach for running backwards",
        description="Pages are server-rendered; every data page has a JSON twin here. "
        "Errors share one shape: {\"error\": {\"status\", \"message\", \"field\"}}. "
        "Signed-in writes need the X-CSRF-Token header from the session.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # development serves its own /docs (web.api_docs), with no CDN
        redoc_url=None,
        dependencies=[Depends(check_csrf)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services
    # Holds no event-loop objects until a request waits in it: safe to make here.
    app.state.hashing_pool = HashingPool(settings.hash_workers)
    templates = Jinja2Templates(directory=_package_dir("templates"))
    # Then the printed plan's templates ("plan/card.html", ...): pages show its parts.
    templates.env.loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(_package_dir("templates")), template_loader()])
    templates.env.globals["htmx_version"] = HTMX_VERSION
    # The footer's API link: Swagger UI where it is served, else the OpenAPI document.
    templates.env.globals["api_docs"] = app.openapi_url if production else api_docs.DOCS_PATH
    templates.env.auto_reload = settings.development  # no stat() per render in production
    templates.env.globals["weeks_fragment"] = WeeksFragments(templates.env)
    app.state.templates = templates
    app.state.plan_responses = PlanResponses()
    # Inside the session (its error page may show the session's links), outside the routes.
    # RequestGuard, with the upload cap on the upload paths (web.routes.imports).
    app.add_middleware(imports.UploadBodyLimit, max_body_bytes=settings.max_body_bytes,
                       templates=templates)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=not settings.development,
    )
    app.add_middleware(AnswerOptions, router=app.router)
    app.add_middleware(SecurityHeaders, production=production)
    access_log.install()  # no reset or calendar tokens in the access log
    errors.install(app, templates)
    app.mount("/static", StaticFiles(directory=_package_dir("static")), name="static")
    if not production:
        api_docs.install(app, app.openapi_url or "")
    app.include_router(api.health_router)
    app.include_router(plan.calendar_router)
    for module in (pages, plan, accounts, coaching, exports, printable, progress, imports,
                   api):
        app.include_router(module.router)
    for router in (calendar_feed.feed_router, calendar_feed.page_router,
                   calendar_feed.api_router, exports.api_router, progress.api_router,
                   imports.api_router):
        app.include_router(router)
    changes.install(app)  # undo and lift of plan changes, coach flags and notes
    history.install(app)  # every version of the athlete's plans, read only
    invitations.install(app)  # the invited coach accepts or declines
    _declare_limits(app)
    return app


def _declare_limits(app: FastAPI) -> None:
    """The OpenAPI, made once, with the limits the middleware enforces declared."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_limits(made())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
