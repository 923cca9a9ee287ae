"""The efficiency factor's steadiness rule and its before/after medians (issue 12)."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from retrorun.domain.efficiency import (
    MIN_STEADY_MINUTES,
    WARM_UP_SECONDS,
    EfficiencyPoint,
    efficiency_factor,
    efficiency_trend,
)


def _run(minutes: int, speed: object, heart: object) -> tuple[list[int], list, list]:
    seconds = list(range(minutes * 60))
    speeds = [speed(t) if callable(speed) else speed for t in seconds]
    hearts = [heart(t) if callable(heart) else heart for t in seconds]
    return seconds, speeds, hearts


@given(speed=st.floats(2.0, 6.0), heart=st.floats(100, 190),
       minutes=st.integers(WARM_UP_SECONDS // 60 + MIN_STEADY_MINUTES, 120))
def test_a_steady_run_gives_metres_a_minute_per_beat(speed: float, heart: float,
                                                     minutes: int) -> None:
    ef = efficiency_factor(*_run(minutes, speed, heart))
    assert ef is not None
    assert math.isclose(ef, speed * 60 / heart, abs_tol=0.001)


def test_the_warm_up_is_left_out() -> None:
    # A fast, high-heart-rate first five minutes change nothing.
    ef = efficiency_factor(*_run(40, lambda t: 4.0 if t < WARM_UP_SECONDS else 3.0,
                                 lambda t: 180 if t < WARM_UP_SECONDS else 150))
    assert ef == round(3.0 * 60 / 150, 3)


def test_intervals_short_runs_walks_and_gaps_give_nothing() -> None:
    intervals = _run(60, lambda t: 4.5 if (t // 120) % 2 else 2.5, 160)
    assert efficiency_factor(*intervals) is None
    enough = WARM_UP_SECONDS // 60 + MIN_STEADY_MINUTES
    assert efficiency_factor(*_run(enough - 1, 3.0, 150)) is None
    assert efficiency_factor(*_run(60, 1.2, 110)) is None  # a walk
    assert efficiency_factor(*_run(60, 3.0, None)) is None  # no heart rate


def test_before_and_after_are_medians_of_the_blocks_ends() -> None:
    start = dt.date(2026, 9, 7)
    points = [EfficiencyPoint(start + dt.timedelta(days=d), v) for d, v in
              ((-3, 1.00), (2, 1.02), (9, 1.04), (40, 1.5), (60, 1.08), (66, 1.10),
               (70, 1.12), (90, 9.9))]
    trend = efficiency_trend(points, start=start, today=start + dt.timedelta(days=70))
    assert (trend.before, trend.runs_before) == (1.02, 3)
    assert (trend.after, trend.runs_after) == (1.10, 3)
    assert trend.change == round(1.10 / 1.02 - 1, 4)
    assert all(p.day <= start + dt.timedelta(days=70) for p in trend.points)
    early = efficiency_trend(points, start=start, today=start + dt.timedelta(days=10))
    assert early.after is None  # the block's last weeks are not there yet
    assert early.change is None
