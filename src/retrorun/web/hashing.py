"""Password hashing in a pool of its own, shared fairly, so a flood cannot starve the
pages or lock the owner out.

The synchronous handlers share a few worker threads (two on SQLite, see `web.app`). A
sign-in spends most of its time in Argon2; run there, eight flooding clients held every
worker and the landing page waited behind them. `HashingPool` runs such use cases in
threads of their own, at most RETRORUN_HASH_WORKERS at once, with a bounded queue:

- one address holds at most `PER_ADDRESS_SHARE` places (running or waiting), so a flood
  from one place is told to wait (503 with Retry-After) while others still get in;
- a sign-in from a browser that signed in to the same account before (its signed
  device cookie, `web.device`) waits in a lane of its own that is served first, so a
  flood from many addresses does not keep the owner out either (OWASP's "device
  cookies" answer to lockout).

All the bookkeeping runs in the event loop (one thread): no locks.
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter, deque
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request

from retrorun.services.passwords import HashingBusy
from retrorun.web.deps import client_key

T = TypeVar("T")

# [A] up to four sign-ins wait per hashing slot (a second or so at ~100-300 ms a hash on a
# small server); the rest are told to come back rather than queue without end.
HASH_QUEUE_PER_SLOT = 4
# [A] places one address may hold: a person signs in from one browser, perhaps two; a
# household or office behind one address still gets two at once.
PER_ADDRESS_SHARE = 2


class HashingPool:
    """At most `slots` hashes at once; a queue per lane of `queue_per_slot * slots`."""

    def __init__(self, slots: int, queue_per_slot: int = HASH_QUEUE_PER_SLOT,
                 per_address: int = PER_ADDRESS_SHARE) -> None:
        self.slots = slots
        self.free = slots
        self.queue_limit = queue_per_slot * slots
        self.per_address = per_address
        self.held: Counter[str] = Counter()  # places per address, running or waiting
        # Waiters per lane: the known devices' lane is served first.
        self.known: deque[asyncio.Future[None]] = deque()
        self.others: deque[asyncio.Future[None]] = deque()
        # Threads of its own: the default limiter is the few threads every synchronous
        # handler shares (two on SQLite, web.app); hashing there made log writes wait
        # (benchmarks/bench_flood.py: log-write p50 4x its quiet value under 4 flooders,
        # against 1.6x with threads of its own). Made in the event loop on first use.
        self._threads: anyio.CapacityLimiter | None = None

    @property
    def waiting(self) -> int:
        return len(self.known) + len(self.others)

    async def run(self, work: Callable[[], T], *, address: str, known_device: bool) -> T:
        """`work()` in a thread once a slot is free; HashingBusy when this address has
        its share already or the lane's queue is full."""
        if address and self.held[address] >= self.per_address:
            raise HashingBusy()
        lane = self.known if known_device else self.others
        if self.free == 0 and len(lane) >= self.queue_limit:
            raise HashingBusy()
        self.held[address] += 1
        try:
            await self._acquire(lane)
            try:
                if self._threads is None:
                    self._threads = anyio.CapacityLimiter(self.slots)
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=False,
                                                      limiter=self._threads)
            finally:
                self._release()
        finally:
            self.held[address] -= 1
            if self.held[address] <= 0:
                del self.held[address]

    async def _acquire(self, lane: deque[asyncio.Future[None]]) -> None:
        if self.free > 0 and not self.waiting:
            self.free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # granted as it was cancelled
                self._release()
            elif turn in lane:
                lane.remove(turn)
            raise

    def _release(self) -> None:
        """Hand the slot to the next waiter, known devices first, or free it."""
        for lane in (self.known, self.others):
            while lane:
                turn = lane.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self.free += 1


def pool(request: Request) -> HashingPool:
    """The app's pool (`web.app.create_app` makes it)."""
    found: HashingPool = request.app.state.hashing_pool
    return found


async def run_hashing(request: Request, work: Callable[..., T], /, *args: Any,
                      known_device: bool = False, **kwargs: Any) -> T:
    """`work(*args, **kwargs)` in the hashing pool for this request's address (see the
    module); HashingBusy when it may not queue."""
    return await pool(request).run(functools.partial(work, *args, **kwargs),
                                   address=client_key(request), known_device=known_device)
