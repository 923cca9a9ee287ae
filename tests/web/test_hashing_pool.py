"""`web.hashing.HashingPool` on its own (issue 11, the outside audit: during a flood the
owner's correct sign-in got 503, with one hashing slot shared first come, first served).

Work items block on threading events, so each test decides when a slot frees."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from retrorun.services.passwords import HashingBusy
from retrorun.web.hashing import HashingPool

T = TypeVar("T")


def _in_own_loop(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """asyncio.run in a thread of its own: an earlier test (Playwright's sync API) may
    leave an event loop running in the main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result(timeout=60)


def _blocking(done: list[str], name: str, gate: threading.Event) -> Callable[[], str]:
    def work() -> str:
        gate.wait(10)
        done.append(name)
        return name
    return work


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the pool never reached the expected state")


def test_known_devices_are_served_before_the_flood() -> None:
    async def scenario() -> list[str]:
        pool = HashingPool(slots=1, queue_per_slot=4)
        gate, done = threading.Event(), []
        tasks = [asyncio.create_task(pool.run(_blocking(done, "first", gate),
                                              address="10.0.0.1", known_device=False))]
        await _until(lambda: pool.free == 0)
        for n in range(3):
            tasks.append(asyncio.create_task(pool.run(
                _blocking(done, f"flood-{n}", gate), address=f"10.0.1.{n}",
                known_device=False)))
        await _until(lambda: pool.waiting == 3)
        tasks.append(asyncio.create_task(pool.run(_blocking(done, "owner", gate),
                                                  address="192.0.2.5", known_device=True)))
        await _until(lambda: pool.waiting == 4)
        gate.set()
        await asyncio.gather(*tasks)
        assert pool.free == 1
        assert not pool.held
        return done

    done = _in_own_loop(scenario)
    assert done[:2] == ["first", "owner"]
    assert sorted(done[2:]) == ["flood-0", "flood-1", "flood-2"]


def test_one_address_holds_only_its_share() -> None:
    async def scenario() -> None:
        pool = HashingPool(slots=1, queue_per_slot=4, per_address=2)
        gate, done = threading.Event(), []
        tasks = [asyncio.create_task(pool.run(_blocking(done, str(n), gate),
                                              address="203.0.113.9", known_device=False))
                 for n in range(2)]
        await _until(lambda: pool.held["203.0.113.9"] == 2)
        with pytest.raises(HashingBusy):
            await pool.run(_blocking(done, "third", gate), address="203.0.113.9",
                           known_device=False)
        other = asyncio.create_task(pool.run(_blocking(done, "other", gate),
                                             address="198.51.100.7", known_device=False))
        await _until(lambda: pool.waiting == 2)  # queued, not refused
        gate.set()
        await asyncio.gather(*tasks, other)
        assert "other" in done
        assert "third" not in done

    _in_own_loop(scenario)


def test_a_full_lane_refuses_but_the_other_lane_still_queues() -> None:
    async def scenario() -> None:
        pool = HashingPool(slots=1, queue_per_slot=2)
        gate, done = threading.Event(), []
        tasks = [asyncio.create_task(pool.run(_blocking(done, str(n), gate),
                                              address=f"10.0.0.{n}", known_device=False))
                 for n in range(3)]
        await _until(lambda: pool.waiting == 2)
        with pytest.raises(HashingBusy):
            await pool.run(_blocking(done, "late", gate), address="10.0.0.9",
                           known_device=False)
        tasks.append(asyncio.create_task(pool.run(_blocking(done, "known", gate),
                                                  address="10.0.0.9", known_device=True)))
        await _until(lambda: pool.waiting == 3)
        gate.set()
        await asyncio.gather(*tasks)
        assert done[1] == "known"

    _in_own_loop(scenario)


def test_a_waiter_that_gives_up_leaves_no_slot_behind() -> None:
    async def scenario() -> None:
        pool = HashingPool(slots=1)
        gate, done = threading.Event(), []
        first = asyncio.create_task(pool.run(_blocking(done, "first", gate),
                                             address="a", known_device=False))
        await _until(lambda: pool.free == 0)
        quitter = asyncio.create_task(pool.run(_blocking(done, "quitter", gate),
                                               address="b", known_device=False))
        await _until(lambda: pool.waiting == 1)
        quitter.cancel()  # the client went away while waiting
        with pytest.raises(asyncio.CancelledError):
            await quitter
        assert pool.waiting == 0
        assert "b" not in pool.held
        gate.set()
        await first
        assert pool.free == 1
        assert await pool.run(lambda: "after", address="c", known_device=False) == "after"

    _in_own_loop(scenario)
