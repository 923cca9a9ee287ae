"""OPTIONS answers which methods a path takes (204 with Allow), on every route.

Starlette answers OPTIONS with a 405 naming only the first matching route's methods; a
client (or a schema checker) asking what a resource supports should get the list instead.
A path nothing matches stays a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.routing import Match, Mount

if TYPE_CHECKING:
    from starlette.routing import Router
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What a static file (the /static mount) takes.
_READ_ONLY = frozenset({"GET", "HEAD"})
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(router: Router, scope: Scope) -> frozenset[str]:
    """Every method some route takes at the scope's path; empty when none matches.

    Each route is asked through its public `matches` (FastAPI nests included routers),
    once per method: a full match means the route takes it.
    """
    methods: set[str] = set()
    for route in router.routes:
        if isinstance(route, Mount):
            if route.matches(scope)[0] is not Match.NONE:
                methods |= _READ_ONLY
            continue
        for method in _METHODS:
            if method not in methods and route.matches(
                    {**scope, "method": method})[0] is Match.FULL:
                methods.add(method)
    return frozenset(methods)


class AnswerOptions:
    """OPTIONS: 204 with Allow. A 405 (Starlette names only the first route's methods)
    gets the full Allow list too."""

    def __init__(self, app: ASGIApp, *, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            methods = allowed_methods(self.router, scope)
            if methods:
                await Response(status_code=204, headers={"Allow": _allow(methods)})(
                    scope, receive, send)
                return

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                headers = MutableHeaders(scope=message)
                headers["allow"] = _allow(allowed_methods(self.router, scope))
            await send(message)

        await self.app(scope, receive, send_allow)


def _allow(methods: frozenset[str]) -> str:
    return ", ".join(sorted(methods | {"OPTIONS"}))
