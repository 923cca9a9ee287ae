"""The ten invariants of DESIGN §3, checked on a finished plan.

`check` returns the broken rules as sentences (empty when the plan is sound). The
generator runs it on every plan it returns; the property tests run it on random profiles.
Invariant 10 (same inputs, same plan) is a property of the whole generator and is tested
there.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from retrorun.domain.context import Context
from retrorun.domain.model import (
    BACKWARD_RUN_SURFACES,
    BACKWARD_WALK_SURFACES,
    SPRINT_SURFACES,
    STAGE_LADDER,
    Gait,
    Plan,
    Session,
    Surface,
    Week,
)
from retrorun.domain.progression import stage_gait
from retrorun.domain.rules import (
    BACKWARD_GROWTH_PER_WEEK_SECONDS,
    BACKWARD_LOAD_FACTOR,
    INTENSE_SHARE_CAP,
    LIGHTER_EVERY_MAX,
    LIGHTER_WEEK_DROP,
    MIN_DAYS_BETWEEN_BACKWARD,
    SESSION_SPIKE_CAP,
    SPIKE_WINDOW_DAYS,
    TWO_WEEK_RISE_CAP,
    WEEKLY_RISE_CAP,
)

# Invariant 5: the stages whose backward sessions keep 48 h apart.
EARLY_STAGES = frozenset({Gait.WALK, Gait.JOG})
# Invariants 7 and 9, for every session: walking only; where a yes on the screen trains.
WALKING_ONLY = frozenset({Gait.WALK})
SCREENED_SURFACES = frozenset({Surface.TREADMILL, Surface.INDOOR})


def load(week: WeekTotals) -> tuple[float, float]:
    """(B4 load, plain running seconds): the load rules hold for both."""
    running = float(week.load_running_seconds)
    return running + (BACKWARD_LOAD_FACTOR - 1) * week.load_backward_seconds, running


def rises_above(now: tuple[float, float], before: tuple[float, float],
                cap: float) -> list[int]:
    """Which measures of `load` (0: load, 1: running time) rise more than `cap`."""
    return [i for i in (0, 1) if before[i] > 0 and now[i] > before[i] * (1 + cap) + 1]


def outside_lighter_band(now: tuple[float, float], before: tuple[float, float]) -> list[int]:
    """Which measures of a lighter week do not drop 20-30 % from the week before."""
    low, high = LIGHTER_WEEK_DROP
    return [i for i in (0, 1) if before[i] > 0
            and not (1 - high) * before[i] - 1 <= now[i] <= (1 - low) * before[i] + 1]


MEASURES = ("load", "running time")


def _rise_problems(index: int, now: tuple[float, float], before: tuple[float, float],
                   cap: float, span: str) -> list[str]:
    return [f"week {index}: {MEASURES[i]} rises {now[i] / before[i] - 1:.0%} over {span} "
            f"(cap {cap:.0%})" for i in rises_above(now, before, cap)]


def _lighter_problems(index: int, now: tuple[float, float],
                      before: tuple[float, float]) -> list[str]:
    low, high = LIGHTER_WEEK_DROP
    return [f"week {index}: lighter week's {MEASURES[i]} is {now[i] / before[i]:.0%} of the "
            f"week before (must be {1 - high:.0%}-{1 - low:.0%})"
            for i in outside_lighter_band(now, before)]


def load_problems(ctx: Context, weeks: Sequence[Week]) -> list[str]:
    """Invariant 2 (and the week-1 start from current volume)."""
    problems: list[str] = []
    loads = [load(w) for w in weeks]
    baseline = float(ctx.baseline_weekly_seconds)
    if loads and baseline > 0 and not ctx.onramp:
        problems += _rise_problems(1, loads[0], (baseline, baseline), WEEKLY_RISE_CAP,
                                   "your current volume")
    for i, week in enumerate(weeks):
        if i >= 1:
            problems += _rise_problems(week.index, loads[i], loads[i - 1], WEEKLY_RISE_CAP,
                                       "one week")
            if week.lighter and not (week.index in ctx.waived_lighter_floor
                                     and loads[i][0] < loads[i - 1][0]):
                problems += _lighter_problems(week.index, loads[i], loads[i - 1])
        if i >= 2:
            problems += _rise_problems(week.index, loads[i], loads[i - 2], TWO_WEEK_RISE_CAP,
                                       "two weeks")
    return problems + lighter_window_problems(weeks)


def lighter_window_problems(weeks: Sequence[Week]) -> list[str]:
    """A lighter week at least every 4th week (invariant 2)."""
    return [f"weeks {start + 1}-{start + LIGHTER_EVERY_MAX}: no lighter week"
            for start in range(len(weeks) - LIGHTER_EVERY_MAX + 1)
            if not any(w.lighter for w in weeks[start:start + LIGHTER_EVERY_MAX])]


def share_exceeded(ctx: Context, week: WeekTotals) -> bool:
    """Invariant 1: backward running within its share of the week's running time."""
    cap = ctx.share_cap_for(week.stage)
    return week.backward_running_seconds > cap * week.load_running_seconds + 1


def intense_exceeded(week: WeekTotals) -> bool:
    """Invariant 8: at most 20 % of running time above easy."""
    return week.intense_seconds > INTENSE_SHARE_CAP * week.load_running_seconds + 1


def coach_limit_exceeded(ctx: Context, week: WeekTotals) -> bool:
    limit = ctx.limits.max_backward_minutes_per_week
    return limit is not None and week.backward_seconds > limit * 60 + 1


def coach_cap_problems(weeks: Sequence[Week], limit: float | None,
                       start: dt.date) -> list[str]:
    """The coach's cap on backward minutes a week, for a plan version that starts on
    `start`: every week from it on keeps the cap; the week under way may keep what its
    days already begun hold, and adds nothing above the cap."""
    if limit is None:
        return []
    problems = []
    for week in weeks:
        begun = sum(s.backward_seconds for s in week.sessions if s.date < start)
        if week.backward_seconds > max(limit * 60, begun) + 1:
            problems.append(f"week {week.index}: {week.backward_seconds / 60:.1f} backward "
                            f"minutes exceed the coach's limit of {limit:g}")
    return problems


def week_problems(ctx: Context, week: Week) -> list[str]:
    """Invariants 1 and 8, and the coach's limit, inside one week."""
    problems = []
    running = week.load_running_seconds
    if share_exceeded(ctx, week):
        problems.append(f"week {week.index}: backward running is "
                        f"{week.backward_running_seconds / max(running, 1):.0%} of running "
                        f"time (cap {ctx.share_cap_for(week.stage):.0%})")
    if intense_exceeded(week):
        problems.append(f"week {week.index}: {week.intense_seconds / max(running, 1):.0%} of "
                        f"running time is above easy (cap {INTENSE_SHARE_CAP:.0%})")
    if coach_limit_exceeded(ctx, week):
        problems.append(f"week {week.index}: {week.backward_seconds / 60:.1f} backward minutes "
                        f"exceed the coach's limit of "
                        f"{ctx.limits.max_backward_minutes_per_week:g}")
    return problems


def spike_problems(ctx: Context, sessions: Sequence[Session]) -> list[str]:
    """Invariant 3: no session above 110 % of the longest in the previous 30 days."""
    problems = []
    start = ctx.profile.start_date
    running = sorted((s for s in sessions if s.holds_running), key=lambda s: s.date)
    dates = [s.date for s in running]
    for session in running:
        window = session.date - dt.timedelta(days=SPIKE_WINDOW_DAYS)
        first = bisect.bisect_left(dates, window)
        last = bisect.bisect_left(dates, session.date)
        longest = max((s.running_seconds for s in running[first:last]), default=0)
        if session.date < start + dt.timedelta(days=SPIKE_WINDOW_DAYS):
            longest = max(longest, ctx.baseline_longest_seconds)
        if session.running_seconds > longest * SESSION_SPIKE_CAP + 1:
            problems.append(f"{session.id}: {session.running_seconds // 60} min is more than "
                            f"110 % of the longest session in the last 30 days "
                            f"({longest // 60} min)")
    return problems


def spacing_problems(weeks: Sequence[Week]) -> list[str]:
    """Invariants 4 and 5: hard days apart; backward sessions in stages 1-2 at least 48 h
    apart (B6: calf soreness in the first weeks)."""
    hard, early, backward_set, sprint_set = (set[dt.date]() for _ in range(4))
    for week in weeks:  # one pass gathers the dates of each kind
        in_early = week.stage in EARLY_STAGES
        for session in week.sessions:
            if session.hard:
                hard.add(session.date)
            if session.backward_seconds > 0:  # sprints are backward work too
                backward_set.add(session.date)
                if in_early:
                    early.add(session.date)
                if Gait.SPRINT in session.backward_gaits:
                    sprint_set.add(session.date)
    problems = []
    hard_dates = sorted(hard)
    problems += [f"hard days in a row: {a} and {b}" for a, b in itertools.pairwise(hard_dates)
                 if (b - a).days < 2]
    backward = sorted(backward_set)
    problems += [f"backward sessions less than 48 h apart: {a} and {b}"
                 for a, b in itertools.pairwise(backward)
                 if (b - a).days < MIN_DAYS_BETWEEN_BACKWARD and (a in early or b in early)]
    sprints = sorted(sprint_set)
    problems += [f"backward sprints on consecutive days: {a} and {b}"
                 for a, b in itertools.pairwise(sprints) if (b - a).days < 2]
    return problems


def _test_of(ctx: Context, stage: Gait) -> Callable[[Session], bool]:
    """Whether a session meets `stage`'s advancement test, with the stage's dose looked up
    once (the ladder check asks it of every session of a week at the same stage)."""
    dose = ctx.program.dose(stage)
    if dose is None or not (dose.test_seconds or dose.format == "sprint_sets"):
        return lambda _: False
    gait, needed = stage_gait(dose), dose.test_seconds
    if dose.format == "sprint_sets":
        return lambda session: session.top_backward_gait is gait
    return lambda session: session.prescribed_backward_by_gait.get(gait, 0) >= needed


# A gait's place on the ladder, for the comparisons below (STAGE_LADDER.index per lookup).
_RUNG = {gait: rung for rung, gait in enumerate(STAGE_LADDER)}


def ladder_problems(ctx: Context, weeks: Sequence[Week]) -> list[str]:
    """Invariant 6: stages start where the athlete is and climb the ladder one step at a
    time, each only after the stage before met its advancement test."""
    problems = []
    previous: Gait | None = None
    met = 0
    top_allowed = _RUNG[ctx.max_stage]
    for week in weeks:
        rung = _RUNG[week.stage]
        if previous is None:
            if rung > _RUNG[ctx.start_stage]:
                problems.append(f"week {week.index}: starts at {week.stage}, above "
                                f"{ctx.start_stage}")
        elif week.stage is not previous:
            step = rung - _RUNG[previous]
            needed = ctx.program.dose(previous)
            if step < 0:
                pass  # a drop (adaptation: time off, pain, effort); never unsafe
            elif step != 1:
                problems.append(f"week {week.index}: stage {week.stage} does not follow the "
                                "ladder")
            elif needed is None or met < needed.test_sessions:
                problems.append(f"week {week.index}: stage {week.stage} after {met} "
                                f"session(s) meeting the test of {previous}")
            met = 0
        if rung > top_allowed:
            problems.append(f"week {week.index}: stage {week.stage} above what is allowed "
                            f"({ctx.max_stage})")
        previous = week.stage
        meets = _test_of(ctx, week.stage)
        for session in week.sessions:
            top = session.top_backward_gait
            if top is not None and _RUNG[top] > rung:
                problems.append(f"{session.id}: backward gait above the week's stage")
            met += meets(session)
    return problems


def growth_problems(weeks: Sequence[Week]) -> list[str]:
    """B2 stage 3: each session's backward running grows by at most 2 min a week (over the
    longest of the week before; a stage's first week starts at its start dose)."""
    problems = []
    # Each week's sessions read once: as the week checked, then as the week before.
    grown = [[(s.id, s.prescribed_backward_running_seconds) for s in w.sessions]
             for w in weeks]
    for before, week in itertools.pairwise(grown):
        longest = max((seconds for _, seconds in before), default=0)
        if not longest:
            continue
        problems += [f"{session_id}: backward running grows from {longest} s to "
                     f"{seconds} s in a week"
                     for session_id, seconds in week
                     if seconds > longest + BACKWARD_GROWTH_PER_WEEK_SECONDS + 1]
    return problems


def surface_problems(ctx: Context, sessions: Sequence[Session]) -> list[str]:
    """Invariants 7 and 9: safe surfaces, and walking only after a "yes" on the screen;
    no forward running indoors, none at all after a concussion."""
    problems = []
    # The context's answers, the same for every session.
    no_running, walk_only = ctx.screening.no_running, ctx.screening.walk_only
    screened_out = ctx.profile.screened_out
    indoor, sprint = Surface.INDOOR, Gait.SPRINT  # read once, not per session (slow on 3.11)
    for session in sessions:
        surface, gaits = session.surface, session.backward_gaits
        if surface is indoor and session.runs_forward:
            problems.append(f"{session.id}: forward running in a session marked indoor")
        if no_running and (gaits - WALKING_ONLY or session.runs_forward):
            problems.append(f"{session.id}: running before a clinician clears a concussion")
        if not gaits:
            continue
        if sprint in gaits:
            allowed = SPRINT_SURFACES
        elif gaits - WALKING_ONLY:
            allowed = BACKWARD_RUN_SURFACES
        else:
            allowed = BACKWARD_WALK_SURFACES
        if surface not in allowed:
            problems.append(f"{session.id}: backward work on {surface}")
        if walk_only and gaits != WALKING_ONLY:
            problems.append(f"{session.id}: backward running after a yes on the screen or "
                            "a slow 3 m backward walk")
        if screened_out and surface not in SCREENED_SURFACES:
            problems.append(f"{session.id}: screened athlete outdoors ({surface})")
    if ctx.profile.screened_out and not any("clinician" in n for n in ctx.notices):
        problems.append("a yes on the screen must come with advice to see a clinician")
    return problems


def check(plan: Plan, ctx: Context) -> list[str]:
    """Every invariant, on the whole plan."""
    problems = load_problems(ctx, plan.weeks)
    for week in plan.weeks:
        problems += week_problems(ctx, week)
    problems += spike_problems(ctx, plan.sessions)
    return problems + check_structure(plan, ctx)


def check_structure(plan: Plan, ctx: Context) -> list[str]:
    """The invariants that do not depend on load: spacing, ladder, surfaces, unique ids."""
    sessions = plan.sessions
    problems = spacing_problems(plan.weeks) + lighter_window_problems(plan.weeks)
    problems += ladder_problems(ctx, plan.weeks)
    problems += growth_problems(plan.weeks)
    problems += surface_problems(ctx, sessions)
    ids = [s.id for s in sessions]
    if len(ids) != len(set(ids)):
        problems.append("session ids are not unique")
    return problems


Trouble = Literal["low", "load", "share", "intense", "spike"]


class WeekTotals(Protocol):
    """What the load rules read of a week: a `Week`, or the generator's draft of one."""

    @property
    def index(self) -> int: ...
    @property
    def stage(self) -> Gait: ...
    @property
    def lighter(self) -> bool: ...
    @property
    def load_running_seconds(self) -> int: ...
    @property
    def load_backward_seconds(self) -> int: ...
    @property
    def backward_seconds(self) -> int: ...
    @property
    def backward_running_seconds(self) -> int: ...
    @property
    def intense_seconds(self) -> int: ...
    @property
    def runs(self) -> tuple[tuple[int, int], ...]: ...


def week_trouble(ctx: Context, week: WeekTotals, before: Sequence[Week],
                 caps: dict[int, int]) -> set[Trouble]:
    """What is wrong with a candidate week, given the weeks before it and each weekday's
    spike cap (empty: nothing). The same rules as `check`, without writing sentences:
    the generator asks this for every week it builds."""
    found: set[Trouble] = set()
    now = load(week)
    if before:
        last = load(before[-1])
        if rises_above(now, last, WEEKLY_RISE_CAP) or (
                len(before) >= 2 and rises_above(now, load(before[-2]), TWO_WEEK_RISE_CAP)):
            found.add("load")
        if week.lighter and outside_lighter_band(now, last):
            below = _below(week, before)
            if not (below and week.index in ctx.waived_lighter_floor):
                found.add("low" if below else "load")
    elif (ctx.baseline_weekly_seconds > 0 and not ctx.onramp and rises_above(
            now, (float(ctx.baseline_weekly_seconds),) * 2, WEEKLY_RISE_CAP)):
        found.add("load")
    if share_exceeded(ctx, week) or coach_limit_exceeded(ctx, week):
        found.add("share")
    if intense_exceeded(week):
        found.add("intense")
    if any(seconds > caps.get(weekday, 0) for weekday, seconds in week.runs):
        found.add("spike")
    return found


def _below(week: WeekTotals, before: Sequence[Week]) -> bool:
    """A lighter week that dropped more than 30 % on either measure."""
    if not before:
        return False
    floor = 1 - LIGHTER_WEEK_DROP[1]
    return any(n < b * floor for n, b in zip(load(week), load(before[-1]), strict=True))
