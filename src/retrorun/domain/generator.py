"""The generator: profile -> plan, keeping every invariant of DESIGN §3.

Each week gets a load target (current volume, a small growth, a lighter week every 4th)
and is built; if the built week would break a load rule, it is rebuilt with less load or
a smaller backward dose. The finished plan is checked once more by `invariants.check`,
so a plan that breaks a rule is never returned.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from dataclasses import dataclass, replace

from retrorun.domain.context import Context, Limits, make_context, per_context
from retrorun.domain.errors import InvariantViolated
from retrorun.domain.fallback import repeat_week
from retrorun.domain.invariants import check, check_structure, week_trouble
from retrorun.domain.model import Plan, SessionKind, Week
from retrorun.domain.profile import Profile
from retrorun.domain.progression import StagePlan, plan_stage
from retrorun.domain.resume import Resume, week_under
from retrorun.domain.rules import (
    LONGEST_ESTIMATE_MAX_SECONDS,
    ONRAMP_BASELINE_SECONDS,
    ONRAMP_BELOW_WEEKLY_MINUTES,
    SESSION_SPIKE_CAP,
    SPIKE_WINDOW_DAYS,
    TWO_WEEK_RISE_CAP,
    WEEKLY_RISE_CAP,
)
from retrorun.domain.summary import athlete_summary
from retrorun.domain.week import (
    WeekDraft,
    WeekInputs,
    build_week,
    extra_sessions,
    is_lighter,
    lighter_target,
)

# Rebuild attempts: each cuts the load target by 4 % and the backward dose by 10 %. [A]
MAX_ATTEMPTS = 30
# When even the smallest doses are too much (tiny weekly volumes), sessions are left out. [A]
MAX_SKIPPED = 2
# After a dose cut, a passing week is refined upward until within 3 % of a failing dose. [A]
REFINE_WITHIN = 0.97
# Scalings tried for the fallback week (lighter weeks aim at -20 to -30 %). [A]
FALLBACK_LIGHTER_FACTORS = (0.75, 0.78, 0.72, 0.77, 0.73, 0.79, 0.71, 0.8, 0.7, 0.68, 0.65)
FALLBACK_FACTORS = (1.0, 0.97, 0.94, 0.9, 0.85, 0.8, 0.75, 0.7)
# Weeks that can hold a session of the last 30 days.
RECENT_WEEKS = SPIKE_WINDOW_DAYS // 7 + 1
SPIKE_WINDOW = dt.timedelta(days=SPIKE_WINDOW_DAYS)
DAYS = tuple(dt.timedelta(days=n) for n in range(7))
TARGET_STEP, DOSE_STEP, GENTLE_DOSE_STEP = 0.96, 0.90, 0.98
# Targets aim a little under the caps so rounding cannot push a week over. [A]
CAP_MARGIN = 0.98
# The forward quality sessions whose hard seconds the weeks after keep (`_quality_floor`).
QUALITY_KINDS = (SessionKind.INTERVALS, SessionKind.TEMPO)


def build_plan(profile: Profile, limits: Limits | None = None) -> Plan:
    return build_plan_in_context(profile, limits)[0]


def build_plan_in_context(profile: Profile, limits: Limits | None = None,
                          resume: Resume | None = None) -> tuple[Plan, Context]:
    """The plan and the context it was built in (what `invariants.check` needs).

    With `resume`, the weeks it keeps stay as they are and the rest are built after them
    (adaptation's new plan version)."""
    ctx = make_context(profile, limits)
    if resume is not None:
        ctx = replace(ctx, waived_lighter_floor=resume.waived_weeks())
    try:
        return _build(ctx, resume), ctx
    except InvariantViolated:
        roomier = _from_a_shortest_session(ctx)
        if roomier is None:
            raise
        return _build(roomier, resume), roomier


def _from_a_shortest_session(ctx: Context) -> Context | None:
    """A context whose longest recent session is the on-ramp's 30 minutes, when the one
    given is shorter and no plan fits under it (a 1-minute "longest run" beside 250
    minutes a week): the plan says so rather than refuse."""
    given = ctx.baseline_longest_seconds
    if given >= ONRAMP_BASELINE_SECONDS:
        return None
    notice = (f"Your longest recent run ({given / 60:.0f} min) is shorter than the shortest "
              f"sessions of this program, so the plan counts from a "
              f"{ONRAMP_BASELINE_SECONDS // 60}-minute walk or easy run instead (our "
              "assumption). If that is more than you did in the last month, start with the "
              "walk/run on-ramp: give a weekly volume under "
              f"{ONRAMP_BELOW_WEEKLY_MINUTES:.0f} minutes.")
    return replace(ctx, baseline_longest_seconds=ONRAMP_BASELINE_SECONDS,
                   notices=(*ctx.notices, notice))


def _build(ctx: Context, resume: Resume | None = None) -> Plan:
    profile = ctx.profile
    weeks: list[Week] = list(resume.kept) if resume else []
    unsolved = False
    ordinary = sum(not w.lighter for w in weeks)
    for index in range(len(weeks) + 1, ctx.weeks + 1):
        lighter = is_lighter(ctx, index)
        ordinary += not lighter
        stage = plan_stage(ctx.program, ctx.start_stage, ctx.max_stage, weeks, lighter)
        week_ctx = ctx
        if resume is not None:
            stage, week_ctx = week_under(ctx, resume, index, stage, weeks)
        week = _solve_week(week_ctx, index, weeks, stage, max(ordinary, 1))
        unsolved |= week is None
        weeks.append(week or _last_attempt(week_ctx, index, weeks, stage, max(ordinary, 1)))
    plan = Plan(
        program=ctx.program.id, program_version=ctx.program.version,
        start_date=profile.start_date, weeks=tuple(weeks),
        athlete=athlete_summary(ctx), notices=ctx.notices)
    # Each solved week already passed the load, share, intensity and spike rules against
    # the weeks before it; the rest are checked here. An unsolved week gets the full check,
    # whose findings become the refusal.
    problems = check(plan, ctx) if unsolved else check_structure(plan, ctx)
    if problems:
        raise InvariantViolated("could not build a plan that keeps every safety rule for "
                                "this profile (" + "; ".join(problems[:3]) + "); please "
                                "report it with the profile")
    return plan


def load_of_week(week: Week) -> float:
    return week.load


def _desired(ctx: Context, index: int) -> float:
    program = ctx.program
    base = ctx.baseline_weekly_seconds * program.forward_volume_factor
    if ctx.onramp:
        base = 3 * 30 * 60 * 1.0  # [A] three 30-minute walk/run sessions
    return base * (1 + program.forward_weekly_growth) ** (index - 1)


def _target(ctx: Context, index: int, weeks: list[Week]) -> float:
    if weeks and is_lighter(ctx, index):
        lighter = lighter_target(weeks[-1].load)
        return lighter if ctx.load_cap is None else min(lighter, ctx.load_cap)
    target = _desired(ctx, index)
    if ctx.load_cap is not None:
        target = min(target, ctx.load_cap)
    if weeks:
        target = min(target, weeks[-1].load * (1 + WEEKLY_RISE_CAP) * CAP_MARGIN)
    if len(weeks) >= 2:
        target = min(target, weeks[-2].load * (1 + TWO_WEEK_RISE_CAP) * CAP_MARGIN)
    return target


def _recent_limits(ctx: Context, start: dt.date, weeks: list[Week]) -> dict[int, int]:
    """The spike guard for a week starting on `start`: per running weekday the most running
    seconds a session may have (invariant 3), from the sessions of the last 30 days."""
    return _caps(ctx, start, [run for w in weeks[-RECENT_WEEKS:] for run in w.dated_runs])


def _caps(ctx: Context, start: dt.date, recent: list[tuple[dt.date, int]]) -> dict[int, int]:
    caps = {}
    # Every earlier session is before this week, so only the window's start matters:
    # the longest from a date on is a suffix maximum over the sessions sorted by date.
    dates = [date for date, _ in recent]  # weeks and their sessions are in date order
    suffix_max = list(itertools.accumulate(reversed([s for _, s in recent]), max))[::-1]
    suffix_max.append(0)
    baseline_until, baseline, ceiling, days = _cap_constants(ctx)
    first_day = start.weekday()
    for day in days:
        date = start + DAYS[(day - first_day) % 7]
        longest = suffix_max[bisect.bisect_left(dates, date - SPIKE_WINDOW)]
        if date < baseline_until:
            longest = max(longest, baseline)
        caps[day] = min(int(longest * SESSION_SPIKE_CAP), ceiling)
    return caps


@per_context
def _cap_constants(ctx: Context) -> tuple[dt.date, int, int, tuple[int, ...]]:
    """What the spike guard takes from the context, the same every week: the end of the
    baseline's window, the baseline's longest session, the ceiling and the weekdays."""
    # [A] Sessions grow toward the athlete's own longest run, or 2.5 h, and stop there:
    # this plan adds backward work to training; it does not build an ultra long run.
    ceiling = max(ctx.baseline_longest_seconds, LONGEST_ESTIMATE_MAX_SECONDS)
    if ctx.screening.no_supine:  # late pregnancy: hold, never build, the longest run [A]
        ceiling = ctx.baseline_longest_seconds
    days = tuple({*ctx.pattern.run_days, *ctx.pattern.backward_days})
    return (ctx.profile.start_date + SPIKE_WINDOW, ctx.baseline_longest_seconds, ceiling,
            days)


@dataclass
class _Bracket:
    """A value searched between what was too little and what was too much."""

    value: float
    low: float = 0.0
    high: float = math.inf

    def down(self, step: float) -> None:
        self.high = self.value
        self.value = max(self.value * step, (self.low + self.value) / 2)

    def up(self, step: float, ceiling: float = math.inf) -> None:
        self.low = self.value
        self.value = min(self.value / step, (self.value + self.high) / 2, ceiling)


def _quality_floor(weeks: list[Week]) -> int:
    """The hard seconds of the last ordinary week's quality session (0: none)."""
    ordinary = next((w for w in reversed(weeks) if not w.lighter), None)
    if ordinary is None:
        return 0
    return max((s.intense_seconds for s in ordinary.sessions
                if s.kind in QUALITY_KINDS), default=0)


def _last_attempt(ctx: Context, index: int, weeks: list[Week], stage: StagePlan,
                  ordinary: int) -> Week:
    """The week as first built, for the refusal's report."""
    start = ctx.profile.start_date + dt.timedelta(days=7 * (index - 1))
    caps = _recent_limits(ctx, start, weeks)
    return build_week(ctx, WeekInputs(index, start, _target(ctx, index, weeks), 1.0, caps,
                                      stage, ordinary_weeks=ordinary)).week()


def _solve_week(ctx: Context, index: int, weeks: list[Week], stage: StagePlan,
                ordinary: int) -> Week | None:
    """A week that keeps the load rules given the weeks before it, or None."""
    start = ctx.profile.start_date + dt.timedelta(days=7 * (index - 1))
    caps = _recent_limits(ctx, start, weeks)
    extras = extra_sessions(ctx, WeekInputs(index, start, 0.0, 1.0, caps, stage))
    floor = _quality_floor(weeks)
    for skip in range(MAX_SKIPPED + 1):  # when nothing fits, one session fewer
        target = _Bracket(_target(ctx, index, weeks))
        dose = _Bracket(1.0)
        best: WeekDraft | None = None
        tried: set[tuple[float, float]] = set()
        for _ in range(MAX_ATTEMPTS):
            # Both searches pinned between what was too little and too much: stop trying.
            point = (round(target.value), round(dose.value, 3))
            if point in tried:
                break
            tried.add(point)
            draft = build_week(ctx, WeekInputs(index, start, target.value, dose.value, caps,
                                               stage, skip, ordinary, floor), extras)
            trouble = week_trouble(ctx, draft, weeks, caps)
            if not trouble:
                if best is None or draft.load > best.load:
                    best = draft
                # A dose cut after a failure may have overshot: search back up a little
                # (not in a lighter week, whose backward dose only holds).
                if dose.high == math.inf or dose.value >= dose.high * REFINE_WITHIN \
                        or is_lighter(ctx, index):
                    return best.week()
                dose.up(DOSE_STEP, ceiling=1.0)
                continue
            if trouble == {"low"}:
                target.up(TARGET_STEP)
                dose.up(DOSE_STEP, ceiling=1.0)
                continue
            if "load" in trouble:
                target.down(TARGET_STEP)
            # Backward share, intensity and spikes come from the fixed parts, and a lighter
            # week must drop 20-30 % though its fixed parts hardly shrink: shrink the dose
            # at the full step then.
            firm = trouble & {"share", "intense", "spike"} or is_lighter(ctx, index)
            dose.down(DOSE_STEP if firm else GENTLE_DOSE_STEP)
        if best is not None:
            return best.week()
    fallback = _repeat_previous(ctx, index, weeks, caps)
    if fallback is not None:
        return fallback
    return None


def _repeat_previous(ctx: Context, index: int, weeks: list[Week],
                     caps: dict[int, int]) -> Week | None:
    """Last week again, scaled to keep the load rules (see `fallback`)."""
    if not weeks:
        return None
    lighter = is_lighter(ctx, index)
    before = weeks[-1]
    previous_load = load_of_week(before)
    # Load is measured against the week before; an unscaled repeat of a lighter week
    # compares with itself, so it needs no scaling.
    factors = FALLBACK_LIGHTER_FACTORS if lighter else FALLBACK_FACTORS
    for factor in factors:
        week = repeat_week(before, index, factor, lighter)
        if previous_load and not week_trouble(ctx, week, weeks, caps):
            return week
    return None
