"""The access log without secrets: tokens in paths and query strings are redacted.

uvicorn's access log records each request's path with its query string. A reset link
(`/reset/confirm?token=...`), a verification link or a calendar feed
(`/calendar/<token>.ics`) would leave a working credential in every log file and log
shipper; a logging filter on the `uvicorn.access` logger blanks them before any handler
formats the line.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
REDACTED = "[redacted]"
# Paths that carry a token in the path itself (the calendar feed: /calendar/<token>.ics).
_PATH_TOKEN = re.compile(r"^(/calendar/)[^/?]+?(\.ics)?(?=$|\?)")
# Query parameters that hold a secret, on any route.
_SECRET_PARAMS = re.compile(r"(?i)([?&](?:token|key|code|secret)=)[^&#]*")


def redact(path: str) -> str:
    """`path` (with its query string) as the log may show it."""
    path = _PATH_TOKEN.sub(lambda m: f"{m[1]}{REDACTED}{m[2] or ''}", path)
    return _SECRET_PARAMS.sub(lambda m: f"{m[1]}{REDACTED}", path)


class RedactTokens(logging.Filter):
    """Rewrites the path argument of uvicorn's access-log records (its third)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


def install() -> None:
    """Add the filter to uvicorn's access logger once (create_app may run many times)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
