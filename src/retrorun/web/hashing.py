"""Sign-ins hash in a pool of their own, so a flood of them cannot starve the pages.

The synchronous handlers share a few worker threads (two on SQLite, see `web.app`). A
sign-in spends most of its time in Argon2; run there, eight flooding clients held every
worker and the landing page waited behind them. `run_hashing` runs such a use case in
anyio's threads under a limiter of RETRORUN_HASH_WORKERS tokens instead, and answers
503 with Retry-After (`HashingBusy`) when too many already wait for one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request

from retrorun.services.passwords import HashingBusy

T = TypeVar("T")

# [A] up to four sign-ins wait per hashing slot (a second or so at ~100-300 ms a hash on a
# small server); the rest are told to come back rather than queue without end.
HASH_QUEUE_PER_SLOT = 4


def _limiter(request: Request) -> anyio.CapacityLimiter:
    state = request.app.state
    limiter: anyio.CapacityLimiter | None = getattr(state, "hash_limiter", None)
    if limiter is None:  # made in the event loop on first use (one thread: no race)
        limiter = anyio.CapacityLimiter(state.settings.hash_workers)
        state.hash_limiter = limiter
    return limiter


async def run_hashing(request: Request, work: Callable[..., T], /, *args: Any,
                      **kwargs: Any) -> T:
    """`work(*args, **kwargs)` in a thread under the hashing limiter; HashingBusy when
    its queue is full."""
    limiter = _limiter(request)
    stats = limiter.statistics()
    if (stats.borrowed_tokens >= limiter.total_tokens
            and stats.tasks_waiting >= HASH_QUEUE_PER_SLOT * limiter.total_tokens):
        raise HashingBusy()
    return await anyio.to_thread.run_sync(functools.partial(work, *args, **kwargs),
                                          limiter=limiter)
