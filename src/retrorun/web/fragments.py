"""A cache of rendered calendar grids: the most visited page's most expensive part.

The grid of a stored plan depends only on the plan version, today's date, the URL base
of its session links and the status of each logged session, so that is the key; any
change to one of them is a different key, and nothing is ever invalidated by hand.
Bounded, least recently used first out, shared by the threads of one process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from retrorun.web._lru import LRU

if TYPE_CHECKING:
    from collections.abc import Hashable

    from jinja2 import Environment

    from retrorun.web.views import CalendarView

CACHE_SIZE = 1024


class WeeksFragments:
    def __init__(self, env: Environment, size: int = CACHE_SIZE) -> None:
        self._template = env.get_template("_weeks.html")
        self._cache: LRU[Markup] = LRU(size)

    @staticmethod
    def key(view: CalendarView, session_base: str) -> Hashable | None:
        if view.plan_id is None or view.version is None:
            return None  # a preview: nothing stored, nothing to key on
        logs = tuple((s.id, s.log.status) for w in view.weeks for d in w.days
                     for s in d.sessions if s.log is not None)
        return (view.plan_id, view.version, view.today, session_base, logs)

    def __call__(self, view: CalendarView, session_base: str) -> Markup:
        return self._cache.get_or_make(self.key(view, session_base), lambda: Markup(  # noqa: S704  (rendered by the autoescaping environment)
            self._template.render(view=view, session_base=session_base)))
