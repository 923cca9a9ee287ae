"""The efficiency factor of the athlete's steady runs, before and after the plan's block
(issue 12, item 5): `domain.efficiency` over the imported activities' samples, with the
backward laps left out (EF is a forward running figure)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from retrorun.domain.efficiency import (
    LEAD_IN_DAYS,
    EfficiencyPoint,
    EfficiencyTrend,
    efficiency_factor,
    efficiency_trend,
)
from retrorun.formats.activities import BlobError, decode_streams
from retrorun.services import _access, _document, _today, activity_matching
from retrorun.services.errors import NotFound

if TYPE_CHECKING:
    from retrorun.services.activity_records import ActivityRecord
    from retrorun.services.ports import Clock, UnitOfWork


def run_efficiency(record: ActivityRecord) -> float | None:
    """EF of one imported activity on foot, backward laps left out; None if not steady."""
    if not activity_matching.counts_as_on_foot(record):
        return None
    try:
        streams = decode_streams(record.streams)
    except BlobError:
        return None
    if streams.speed_mps is None or streams.heart_rate is None:
        return None
    backward = [((lap.start - record.start).total_seconds(),
                 (lap.start - record.start).total_seconds() + lap.elapsed_s)
                for lap in record.laps if lap.backward]
    speeds = [None if any(a <= t < b for a, b in backward) else s
              for t, s in zip(streams.time_s, streams.speed_mps, strict=False)]
    return efficiency_factor(streams.time_s, speeds, streams.heart_rate)


def get_efficiency(uow: UnitOfWork, *, user_id: str, clock: Clock,
                   athlete_id: str | None = None) -> EfficiencyTrend:
    """The user's own trend, or (for a coach) that of an athlete who invited them."""
    with uow.read_only():
        athlete, _ = _access.readable_athlete(uow, user_id=user_id, athlete_id=athlete_id,
                                              what="progress")
        current = _document.current_plan(uow, athlete)
        if current is None:
            raise NotFound("plan")
        plan = current[1]
        start = min((s.date for s in plan.sessions), default=plan.start_date)
        today = _today.athlete_today(uow, athlete, clock)
        first = dt.datetime.combine(start - dt.timedelta(days=LEAD_IN_DAYS), dt.time(),
                                    tzinfo=dt.UTC)
        last = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        records = uow.activities.starting_between(athlete, first, last)
    points = [EfficiencyPoint(r.local_start.date(), ef) for r in records
              if (ef := run_efficiency(r)) is not None]
    return efficiency_trend(points, start=start, today=today)
