"""Whole responses of the signed-in plan page and its JSON twin, the most visited pages.

A response is keyed by everything it shows: the user (id and email, and for the HTML
page the session's CSRF token it embeds), the plan's `PlanState` (plan id and version,
which coach limits and plan replacements bump, and the summary of the athlete's logs,
which every new or revised log changes), today's date and the kind of response. The
state comes from one small read per request, so a write shows on the very next request;
nothing is invalidated by hand. Only the user's own plan is cached (a coach's view of an
athlete is not), and a page carrying a one-off flash message is never stored.

Bounded, least recently used first out, shared by the threads of one process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from retrorun.services import adapting, plans
from retrorun.web._lru import LRU
from retrorun.web.loaders import today

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from retrorun.services.views import UserView
    from retrorun.web.deps import Services

CACHE_SIZE = 256


class PlanResponses:
    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._cache: LRU[bytes] = LRU(size)
        self._caught_up: LRU[bool] = LRU(size * 4)

    def key(self, ctx: Services, user: UserView, kind: Literal["html", "json"],
            session_key: str = "") -> Hashable | None:
        """The key of the user's own plan response now; None when they have no plan.

        Once a day per user, adaptation first catches up with what no log triggers
        (time off: `services.adapting.catch_up`); logs trigger it themselves."""
        self._caught_up.get_or_make((user.id, today(ctx)), lambda: adapting.catch_up(
            ctx.uow(), athlete_id=user.id, clock=ctx.clock))
        state = plans.plan_state(ctx.uow(), user_id=user.id)
        if state is None:
            return None
        day = plans.today_of(ctx.uow(), athlete_id=user.id, clock=ctx.clock)
        return (kind, user.id, user.email, session_key, state, day)

    def get_or_make(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        return self._cache.get_or_make(key, make)

    def __len__(self) -> int:
        return len(self._cache)
