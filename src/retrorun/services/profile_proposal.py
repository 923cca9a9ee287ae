"""The wizard's answers proposed from imported runs (issue 12, item 4): the athlete's
activities on foot of the last weeks, summed up by `domain.history_profile`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from retrorun.domain.history_profile import (
    LONGEST_RUN_DAYS,
    HistoryProposal,
    RunSummary,
    propose_profile,
)
from retrorun.formats.activities import BlobError, decode_streams
from retrorun.services import _access, _today, activity_matching

if TYPE_CHECKING:
    from retrorun.services.activity_records import ActivityRecord
    from retrorun.services.ports import Clock, UnitOfWork


def _max_heart_rate(record: ActivityRecord) -> float | None:
    try:
        hearts = decode_streams(record.streams).heart_rate
    except BlobError:
        return None
    seen = [h for h in hearts or () if h]
    return max(seen) if seen else record.avg_heart_rate


def propose_from_history(uow: UnitOfWork, *, user_id: str, clock: Clock
                         ) -> HistoryProposal | None:
    """The proposal from the user's own imported runs, or None without recent ones."""
    with uow.read_only():
        athlete = _access.acting_user(uow, user_id)
        today = _today.athlete_today(uow, athlete.id, clock)
        first = dt.datetime.combine(today - dt.timedelta(days=LONGEST_RUN_DAYS + 1),
                                    dt.time(), tzinfo=dt.UTC)
        last = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        records = [r for r in uow.activities.starting_between(athlete.id, first, last)
                   if activity_matching.counts_as_on_foot(r)]
    runs = [RunSummary(r.local_start.date(), r.running_seconds, r.distance_m,
                       _max_heart_rate(r)) for r in records]
    return propose_profile(runs, today)
