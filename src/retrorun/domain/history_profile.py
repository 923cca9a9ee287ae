"""From training history to a profile (issue 12, item 4): what the last weeks of imported
runs say about weekly minutes, runs a week, the longest run, easy pace and the highest
heart rate seen, for the athlete to confirm in the wizard. Pure.

A proposal, not a measurement: an easy pace taken from averages includes hills and
stops, and the highest heart rate a watch saw is a floor for the true maximum.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

HISTORY_DAYS = 28  # [A] four weeks: the wizard asks about "now" and "the last 30 days"
LONGEST_RUN_DAYS = 30  # the wizard's question: "longest run in the last 30 days"
MIN_RUN_SECONDS = 10 * 60  # [A] shorter files (a test, a warm-up) say little about habits
# [A] easy pace: the median of the runs' average paces, the slower half weighed as much as
# the faster; most runs of a recreational runner are easy.
PACE_RANGE_S_PER_KM = (150, 1200)  # as the profile accepts (domain.profile)


@dataclass(frozen=True, slots=True)
class RunSummary:
    day: dt.date
    seconds: float  # moving time
    distance_m: float | None
    max_heart_rate: float | None


@dataclass(frozen=True, slots=True)
class HistoryProposal:
    runs: int
    weeks: int
    weekly_minutes: int
    runs_per_week: int
    longest_run_minutes: int | None
    easy_pace_s_per_km: int | None
    max_heart_rate: int | None


def propose_profile(runs: Sequence[RunSummary], today: dt.date) -> HistoryProposal | None:
    """The proposal from the runs up to today, or None when the last weeks hold none."""
    recent = [r for r in runs if today - dt.timedelta(days=HISTORY_DAYS) < r.day <= today
              and r.seconds >= MIN_RUN_SECONDS]
    if not recent:
        return None
    first = min(r.day for r in recent)
    weeks = min(HISTORY_DAYS // 7, max(1, -(-((today - first).days + 1) // 7)))
    longest = [r.seconds for r in runs
               if today - dt.timedelta(days=LONGEST_RUN_DAYS) < r.day <= today]
    paces = [r.seconds / (r.distance_m / 1000) for r in recent if r.distance_m]
    low, high = PACE_RANGE_S_PER_KM
    paces = [p for p in paces if low <= p <= high]
    hearts = [r.max_heart_rate for r in recent if r.max_heart_rate]
    return HistoryProposal(
        runs=len(recent), weeks=weeks,
        weekly_minutes=round(sum(r.seconds for r in recent) / 60 / weeks),
        runs_per_week=max(1, round(len(recent) / weeks)),
        longest_run_minutes=round(max(longest) / 60) if longest else None,
        easy_pace_s_per_km=round(statistics.median(paces)) if paces else None,
        max_heart_rate=round(max(hearts)) if hearts else None)
