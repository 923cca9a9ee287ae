"""Efficiency factor: forward speed per heartbeat on steady easy runs, before and after a
block (issue 12; peers.md §6 "forward easy-run efficiency (speed / HR) before and after a
block"; TrainingPeaks reports it as EF, peers.md §TrainingPeaks).

EF here is metres per minute divided by beats per minute, from the per-second samples of
an imported run. Only a steady run counts, by a rule written down so the number means
the same each time [A]:

- the first `WARM_UP_SECONDS` are left out (heart rate is still rising);
- of what remains, whole minutes with speed and heart rate in every sample are kept,
  forward running pace only (`RUNNING_SPEED_MPS`); at least `MIN_STEADY_MINUTES` of them;
- the minutes' speeds vary by at most `MAX_SPEED_VARIATION` (coefficient of variation),
  so intervals, hills and stops do not count; backward laps are left out by the caller.

It is an observation, not a test: heat, sleep, terrain and the watch's sensor move it,
and no study here measured EF after backward running. The progress page says so.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

WARM_UP_SECONDS = 5 * 60  # [A] heart rate settles within the first minutes of an easy run
MIN_STEADY_MINUTES = 20  # [A] shorter runs give too few minutes to judge
MAX_SPEED_VARIATION = 0.10  # [A] per-minute speed CV; an easy run on the flat is ~3-6 %
RUNNING_SPEED_MPS = (1.8, 6.5)  # [A] a 9:15 to 2:34 min/km pace: running, not walking
SECONDS_PER_MINUTE = 60
# [A] "before" is the block's first three weeks (and up to four weeks before it),
# "after" its last three weeks to today: enough steady runs on each side to take a median.
BEFORE_DAYS, AFTER_DAYS, LEAD_IN_DAYS = 21, 21, 28


def efficiency_factor(time_s: Sequence[int], speed_mps: Sequence[float | None],
                      heart_rate: Sequence[float | None]) -> float | None:
    """EF of one run (m/min per beat/min), or None when the run is not steady (module)."""
    minutes: dict[int, list[tuple[float, float]]] = {}
    for t, speed, beat in zip(time_s, speed_mps, heart_rate, strict=False):
        if t < WARM_UP_SECONDS or speed is None or not beat:
            continue
        minutes.setdefault(t // SECONDS_PER_MINUTE, []).append((speed, beat))
    full = [samples for samples in minutes.values()
            if len(samples) >= SECONDS_PER_MINUTE * 0.9]  # a minute with a few gaps counts
    speeds = [statistics.fmean(s for s, _ in samples) for samples in full]
    beats = [statistics.fmean(b for _, b in samples) for samples in full]
    low, high = RUNNING_SPEED_MPS
    kept = [(s, b) for s, b in zip(speeds, beats, strict=True) if low <= s <= high]
    if len(kept) < MIN_STEADY_MINUTES:
        return None
    mean_speed = statistics.fmean(s for s, _ in kept)
    if statistics.pstdev(s for s, _ in kept) / mean_speed > MAX_SPEED_VARIATION:
        return None
    return round(mean_speed * SECONDS_PER_MINUTE / statistics.fmean(b for _, b in kept), 3)


@dataclass(frozen=True, slots=True)
class EfficiencyPoint:
    day: dt.date
    value: float  # m/min per beat/min


@dataclass(frozen=True, slots=True)
class EfficiencyTrend:
    points: tuple[EfficiencyPoint, ...]
    before: float | None  # median EF of the block's start
    after: float | None  # median EF of its last weeks
    runs_before: int
    runs_after: int

    @property
    def change(self) -> float | None:
        """after / before - 1 (0.03 is 3 % more metres a heartbeat), when both exist."""
        if self.before is None or self.after is None:
            return None
        return round(self.after / self.before - 1, 4)


def efficiency_trend(points: Sequence[EfficiencyPoint], *, start: dt.date,
                     today: dt.date) -> EfficiencyTrend:
    """The medians before and after (module constants), over the points up to today."""
    seen = tuple(sorted((p for p in points if p.day <= today), key=lambda p: p.day))
    first = [p.value for p in seen
             if start - dt.timedelta(days=LEAD_IN_DAYS) <= p.day
             < start + dt.timedelta(days=BEFORE_DAYS)]
    last_from = max(today - dt.timedelta(days=AFTER_DAYS - 1),
                    start + dt.timedelta(days=BEFORE_DAYS))
    last = [p.value for p in seen if p.day >= last_from]
    return EfficiencyTrend(seen, _median(first), _median(last), len(first), len(last))


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None
