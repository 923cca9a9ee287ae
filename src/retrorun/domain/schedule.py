"""Which weekday does what: the weekly pattern every week of a plan repeats.

Days are 0 (Monday) to 6 (Sunday). Distances between days are circular, because the
pattern repeats: Sunday and the next Monday are neighbours.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

from retrorun.domain.rules import MIN_DAYS_BETWEEN_BACKWARD


@dataclass(frozen=True, slots=True)
class WeekPattern:
    run_days: tuple[int, ...]
    long_day: int | None
    quality_day: int | None
    backward_days: tuple[int, ...]
    core_days: tuple[int, ...]
    strength_days: tuple[int, ...]
    # The long run's and the quality session's days (each draft of each week asks).
    hard_days: tuple[int, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hard_days", tuple(
            d for d in (self.long_day, self.quality_day) if d is not None))


def gap(a: int, b: int) -> int:
    d = abs(a - b) % 7
    return min(d, 7 - d)


# The helpers below are pure functions of a few weekdays (at most 128 sets of them), so
# their answers are kept: plans for new profiles search the same day sets again.
@functools.cache
def _min_gap(days: tuple[int, ...]) -> int:
    if len(days) < 2:
        return 7
    return min(gap(a, b) for a, b in itertools.combinations(days, 2))


@functools.cache
def spread(available: tuple[int, ...], count: int, must: int | None = None) -> tuple[int, ...]:
    """`count` days from `available`, as evenly spread as possible (deterministic)."""
    count = min(count, len(available))
    best: tuple[int, ...] = ()
    best_key: tuple[int, int, int] = (-1, -1, -1)
    for days in itertools.combinations(available, count):
        key = (int(must is None or must in days), _min_gap(days),
               -sum(gap(a, b) == 1 for a, b in itertools.combinations(days, 2)))
        if key > best_key:
            best, best_key = days, key
    return best


@functools.cache
def _spaced(candidates: tuple[int, ...], count: int, avoid: tuple[int, ...]) -> tuple[int, ...]:
    """Up to `count` candidate days pairwise >= MIN_DAYS_BETWEEN_BACKWARD apart, preferring
    days that are not right before a hard day (B2: never directly before a key session)."""
    for want in range(count, 0, -1):
        options = [c for c in itertools.combinations(candidates, want)
                   if _min_gap(c) >= MIN_DAYS_BETWEEN_BACKWARD]
        if options:
            return max(options, key=lambda c: (
                -sum((d + 1) % 7 in avoid for d in c), _min_gap(c), [-d for d in c]))
    return ()


@functools.cache
def plan_week_pattern(*, available: tuple[int, ...], runs: int, long_run_day: int | None,
                      want_long: bool, want_quality: bool, backward_count: int,
                      backward_is_hard: bool, backward_apart: bool, core_count: int,
                      strength_count: int) -> WeekPattern:
    """`backward_apart`: backward sessions are short walks of their own, on any available
    day (preferring days without a hard session), rather than parts of runs."""
    wanted_runs = runs if backward_apart else max(runs, backward_count, 1)
    if not wanted_runs:
        return _pattern((), available, long_run_day, want_long, want_quality,
                        backward_count, backward_is_hard, backward_apart, core_count,
                        strength_count)
    # The most even run days that leave room for the program's backward sessions (and a
    # long run and quality day where wanted); the first that has everything wins.
    def score(p: WeekPattern) -> tuple[int, bool, bool]:
        return (min(len(p.backward_days), backward_count),
                p.long_day is not None or not want_long or wanted_runs < 3,
                p.quality_day is not None or not want_quality or wanted_runs < 4)

    options = (_pattern(days, available, long_run_day, want_long, want_quality,
                        backward_count, backward_is_hard, backward_apart, core_count,
                        strength_count)
               for days in _run_day_options(available, min(wanted_runs, len(available)),
                                            long_run_day))
    best = next(options)  # `spread`'s choice comes first
    for option in options:
        if score(best) == (backward_count, True, True):
            break
        if score(option) > score(best):
            best = option
    return best


@functools.cache
def _run_day_options(available: tuple[int, ...], count: int, must: int | None
                     ) -> tuple[tuple[int, ...], ...]:
    """Run-day sets from the most even down, the first being `spread`'s choice."""
    best = spread(available, count, must)
    others = sorted(itertools.combinations(available, count), key=lambda days: (
        -int(must is None or must in days), -_min_gap(days)))
    return (best, *[d for d in others if d != best])


def _pattern(run_days: tuple[int, ...], available: tuple[int, ...],
             long_run_day: int | None, want_long: bool, want_quality: bool,
             backward_count: int, backward_is_hard: bool, backward_apart: bool,
             core_count: int, strength_count: int) -> WeekPattern:
    long_day = None
    if want_long and len(run_days) >= 3:
        long_day = long_run_day if long_run_day in run_days else run_days[-1]
    far: list[int | None] = [None]
    if want_quality and len(run_days) >= 4:
        days = [d for d in run_days if d != long_day
                and (long_day is None or gap(d, long_day) >= 2)]
        # The middle one first, then the others: whichever leaves most backward days.
        middle = len(days) // 2
        far = [days[i] for i in sorted(range(len(days)), key=lambda i: abs(i - middle))]
        far = far or [None]
    options = [_with_quality(run_days, available, long_day, quality, backward_count,
                             backward_is_hard, backward_apart, core_count, strength_count)
               for quality in far]
    return max(options, key=lambda p: min(len(p.backward_days), backward_count))


def _with_quality(run_days: tuple[int, ...], available: tuple[int, ...],
                  long_day: int | None, quality_day: int | None, backward_count: int,
                  backward_is_hard: bool, backward_apart: bool, core_count: int,
                  strength_count: int) -> WeekPattern:
    hard = tuple(d for d in (long_day, quality_day) if d is not None)
    if backward_apart:
        candidates = sorted(available, key=lambda d: (d in hard, d))
    else:
        candidates = [d for d in run_days if d not in hard
                      and not (backward_is_hard and any(gap(d, h) < 2 for h in hard))]
    backward_days = tuple(sorted(_spaced(tuple(candidates), backward_count, hard)))
    easy_days = [d for d in run_days if d not in hard and d not in backward_days]
    core_days = _pick(easy_days + list(backward_days) or list(available), core_count)
    # Strength on days without a hard session or core work, else beside core work, else
    # (keeping hard days hard) on a hard day. [A]
    strength_pool = [d for d in available if d not in hard and d not in core_days]
    for extra in ([d for d in available if d not in hard], list(available)):
        if len(strength_pool) >= strength_count:
            break
        strength_pool += [d for d in extra if d not in strength_pool]
    strength_days = _pick(strength_pool, strength_count)
    return WeekPattern(run_days, long_day, quality_day, backward_days, core_days,
                       strength_days)


def _pick(pool: list[int], count: int) -> tuple[int, ...]:
    if not pool or count <= 0:
        return ()
    unique = sorted(set(pool))
    return tuple(sorted(spread(tuple(unique), min(count, len(unique)))))
