"""The wizard's answers proposed from the last weeks of runs (issue 12, item 4)."""

from __future__ import annotations

import datetime as dt

from retrorun.domain.history_profile import RunSummary, propose_profile

TODAY = dt.date(2026, 12, 3)


def _run(days_ago: int, minutes: float, km: float | None, hr: float | None = None
         ) -> RunSummary:
    return RunSummary(TODAY - dt.timedelta(days=days_ago), minutes * 60,
                      km * 1000 if km else None, hr)


def test_four_weeks_of_runs_propose_minutes_runs_longest_pace_and_heart_rate() -> None:
    runs = [_run(d, 30, 5.0, 170) for d in (2, 5, 9, 12, 16, 19, 23, 26)]
    runs.append(_run(6, 70, 11.0, 181))  # the long run
    runs.append(_run(40, 200, 30.0, 199))  # too long ago
    runs.append(_run(3, 5, 1.0, 200))  # a five-minute file: not a run that counts
    proposal = propose_profile(runs, TODAY)
    assert proposal is not None
    assert (proposal.runs, proposal.weeks) == (9, 4)
    assert proposal.weekly_minutes == round((8 * 30 + 70) / 4)
    assert proposal.runs_per_week == 2
    assert proposal.longest_run_minutes == 70
    assert proposal.easy_pace_s_per_km == 360  # 6:00 per km, the median
    assert proposal.max_heart_rate == 181


def test_a_short_history_is_counted_over_its_own_weeks_and_none_gives_none() -> None:
    proposal = propose_profile([_run(1, 40, 8.0), _run(4, 40, 8.0)], TODAY)
    assert proposal is not None
    assert (proposal.weeks, proposal.weekly_minutes, proposal.runs_per_week) == (1, 80, 2)
    assert proposal.max_heart_rate is None
    assert propose_profile([_run(60, 40, 8.0)], TODAY) is None
    assert propose_profile([], TODAY) is None
