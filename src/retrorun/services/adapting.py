"""Adaptation as a use case: after every log change, the plan reacts (DESIGN §4).

`refresh` runs the domain's pure adaptation over the athlete's current plan version and
logs and, when it decides anything, stores a new plan version from the first day not yet
begun. Called inside the caller's unit of work, before its commit, so a log and the plan
version it causes are written together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrorun.services.ports import Clock, UnitOfWork


def refresh(uow: UnitOfWork, *, athlete_id: str, clock: Clock) -> None:
    """Apply what the athlete's logs call for to their current plan (may do nothing)."""
    del uow, athlete_id, clock  # wired in by the adaptation work (issue 10, point 1-2)
