"""Security headers on every response, set once here rather than by each route.

The pages load only the app's own files (htmx is vendored under /static, no inline
script or style, no `javascript:` links), so the Content-Security-Policy can be strict:
an injected `<script>` or `style` attribute does nothing even if escaping ever failed.
Pages whose address carries a secret (a reset link, a calendar feed) send no Referer at
all; HSTS only in production, where the app is served over HTTPS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import MutableHeaders

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# [A] One year, the value browsers' preload lists ask for.
HSTS = "max-age=31536000; includeSubDomains"
# Paths whose URL may hold a token: their Referer would hand it to the next site.
TOKEN_PATH_PREFIXES = ("/reset", "/calendar/", "/verify", "/invitations/")


def headers_for(path: str, *, production: bool) -> list[tuple[bytes, bytes]]:
    """The security headers for a response to `path`."""
    token_page = path.startswith(TOKEN_PATH_PREFIXES)
    found: list[tuple[str, str]] = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer" if token_page else "strict-origin-when-cross-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        # Every page, /docs included (web.api_docs serves Swagger UI without inline code).
        ("content-security-policy", CONTENT_SECURITY_POLICY),
    ]
    if production:
        found.append(("strict-transport-security", HSTS))
    return [(name.encode(), value.encode()) for name, value in found]


class SecurityHeaders:
    """Adds `headers_for` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"], production=self.production)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)
