"""What a plan is built from: the program, the week pattern, paces, zones, surfaces and
the safety screen's outcome, decided once per plan."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, TypeVarTuple

from retrorun.domain.catalogue import Program, get_program
from retrorun.domain.model import (
    BACKWARD_RUN_SURFACES,
    STAGE_LADDER,
    Gait,
    Surface,
    Target,
)
from retrorun.domain.paces import HeartRateZones, Paces, derive_paces, heart_rate_zones
from retrorun.domain.profile import WEEKDAYS, Experience, Goal, Profile
from retrorun.domain.progression import starting_stage
from retrorun.domain.rules import (
    BACKWARD_SHARE_CAP,
    BACKWARD_SHARE_CAP_ADVANCED,
    LONGEST_ESTIMATE_MAX_SECONDS,
    ONRAMP_BASELINE_SECONDS,
    ONRAMP_BELOW_WEEKLY_MINUTES,
    RUN_STAGE_SHARE_CAP,
    RUN_STAGE_SHARE_CAP_ADVANCED,
    STRENGTH_MIN_AGE,
    STRENGTH_SESSIONS_PER_WEEK,
    SUPERVISION_UNDER_AGE,
)
from retrorun.domain.schedule import WeekPattern, plan_week_pattern
from retrorun.domain.screening import Screening, screen
from retrorun.domain.sessions import easy_target

# [A] Runs a week when the profile does not say, by experience.
DEFAULT_RUNS_PER_WEEK = {
    Experience.NEW_TO_RUNNING: 3, Experience.RECREATIONAL: 3,
    Experience.TRAINED: 5, Experience.HIGHLY_TRAINED: 6,
}
# Surface preference for backward work: the treadmill first for walking-only plans
# (handrails, B1.1), the track first otherwise (lane lines as a guide, B7).
WALK_ONLY_SURFACE_ORDER: tuple[Surface, ...] = (
    Surface.TREADMILL, Surface.TRACK, Surface.TURF, Surface.GRASS)
# Invariant 7: after a "yes" on the screen, a treadmill with handrails or indoors only.
SCREENED_SURFACE_ORDER: tuple[Surface, ...] = (Surface.TREADMILL,)
RUN_SURFACE_ORDER = (Surface.TRACK, Surface.TURF, Surface.GRASS, Surface.TREADMILL)
SPRINT_SURFACE_ORDER = (Surface.TRACK, Surface.TURF, Surface.GRASS)
MINUTES_PER_USUAL_RUN = 50
FORWARD_SURFACE_ORDER = ("road", "trail", "track", "grass", "turf", "treadmill")
# Stages 3 and 4: backward running may take the larger share (RUN_STAGE_SHARE_CAP).
RUN_STAGES = frozenset({Gait.RUN, Gait.SPRINT})


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits a coach or physiotherapist sets for one athlete; plans honour them."""

    max_backward_minutes_per_week: float | None = None
    pain_threshold: int | None = None


@dataclass(frozen=True, slots=True)
class Context:
    profile: Profile
    program: Program
    weeks: int
    pattern: WeekPattern
    paces: Paces
    zones: HeartRateZones | None
    max_stage: Gait
    start_stage: Gait
    screening: Screening
    # Backward walking in short sessions of its own, never inside a run: after a yes on the
    # screen, and whenever the only safe place is indoors (invariant 7).
    walk_apart: bool
    onramp: bool
    backward_surface: Surface
    forward_surface: Surface
    share_cap: float
    baseline_weekly_seconds: int
    baseline_longest_seconds: int
    limits: Limits
    notices: tuple[str, ...]
    # The target of easy forward running: the HR zone when zones are known, else RPE.
    easy_target: Target
    # Set only for a week that adaptation rebuilds (see `resume.WeekOverride`): the most
    # load the week may carry (a restart after time off), and a lighter week that may
    # drop more than 30 % (it is lighter because the athlete needs it, not by schedule).
    load_cap: float | None = None
    waived_lighter_floor: frozenset[int] = frozenset()
    # What `per_context` functions worked out for this context. Not an argument: `replace`
    # gives the new context an empty memo, so nothing derived from the old fields leaks.
    memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False,
                                      compare=False, hash=False)

    def stage_for(self, stage: Gait) -> Gait:
        """The program's stage, lowered to what the screen and surfaces allow."""
        return min(stage, self.max_stage, key=STAGE_LADDER.index)

    def share_cap_for(self, stage: Gait) -> float:
        """Invariant 1: backward running's share of weekly running time at a stage."""
        if stage in RUN_STAGES:
            return RUN_STAGE_SHARE_CAP_ADVANCED if self.profile.advanced else RUN_STAGE_SHARE_CAP
        return self.share_cap

    @property
    def youth(self) -> bool:
        return self.profile.age < SUPERVISION_UNDER_AGE


Ts = TypeVarTuple("Ts")
R = TypeVar("R")
_MISSING = object()


def per_context(builder: Callable[[Context, *Ts], R]) -> Callable[[Context, *Ts], R]:
    """Memoise `builder(ctx, ...)` in the context's memo. Safe for builders that are pure
    functions of the context (immutable) and of hashable arguments, and whose results are
    never changed (steps, targets and frames are shared): the solver asks for the same
    warm-ups, targets and frames in every draft of every week. The memo lives and dies with
    its context, one plan's worth of values.

    Arguments are positional only: a `**kwargs` parameter alone (a new dict each call)
    would double what a lookup costs."""

    def memoised(ctx: Context, /, *args: *Ts) -> R:
        key = (builder, args)
        found = ctx.memo.get(key, _MISSING)
        if found is _MISSING:
            found = ctx.memo[key] = builder(ctx, *args)
        return found  # type: ignore[no-any-return]

    functools.update_wrapper(memoised, builder)
    return memoised


def choose_program_id(profile: Profile, walk_only: bool = False) -> str:
    """DESIGN program choice: the screen first, then a program the profile forces, then
    the goal. A screened athlete keeps the knee program only when knees are the goal."""
    if profile.screened_out:
        knees = profile.goal is Goal.KNEE_FRIENDLY or profile.program == "knee-friendly-6"
        return "knee-friendly-6" if knees else "walk-only-6"
    if profile.program is not None:
        return profile.program
    if profile.goal is Goal.KNEE_FRIENDLY:
        return "knee-friendly-6"
    if walk_only:
        return "walk-only-6" if profile.goal is not Goal.MAINTENANCE else "maintenance"
    if profile.goal is Goal.ECONOMY:
        trained = profile.experience in (Experience.TRAINED, Experience.HIGHLY_TRAINED)
        return "economy-10" if trained else "starter-8"
    return {Goal.SPEED_POWER: "speed-power-8", Goal.MAINTENANCE: "maintenance"}.get(
        profile.goal, "starter-8")


def _surfaces(profile: Profile, program: Program, walk_only: bool
              ) -> tuple[Surface, Gait, list[str]]:
    have = {Surface(s) for s in profile.surfaces}
    notices: list[str] = []
    if walk_only:
        order = SCREENED_SURFACE_ORDER if profile.screened_out else WALK_ONLY_SURFACE_ORDER
        choice = next((s for s in order if s in have), Surface.INDOOR)
        return choice, Gait.WALK, notices
    needs_sprint = program.dose(Gait.SPRINT) is not None
    order = SPRINT_SURFACE_ORDER if needs_sprint else RUN_SURFACE_ORDER
    best = next((s for s in order if s in have), None)
    if best is not None:
        return best, Gait.SPRINT, notices
    if needs_sprint and have & BACKWARD_RUN_SURFACES:
        choice = next(s for s in RUN_SURFACE_ORDER if s in have)
        notices.append("Backward sprints need a track, grass or turf (never a treadmill): "
                       "add one to reach the sprint weeks; until then the plan stops at "
                       "backward running.")
        return choice, Gait.RUN, notices
    notices.append("Backward jogging and running need a track, a treadmill or flat "
                   "grass/turf; never a road or trail. Until you add one, this plan keeps to "
                   "backward walking indoors (a clear hallway or gym floor).")
    return Surface.INDOOR, Gait.WALK, notices


def _baselines(profile: Profile, onramp: bool, runs: int) -> tuple[int, int]:
    """The weekly volume and the longest session of the last 30 days (invariant 3, B4).

    A longest run the athlete gives is the baseline as given, even when it is shorter than
    their average run: the plan then spreads less volume over fewer, shorter sessions
    rather than outgrow it (Frandsen 2025: a session 10-30 % over the longest in 30 days
    carried HRR 1.64). Without one, the average run estimates it, within a bound.
    """
    weekly = round(profile.weekly_minutes * 60)
    if profile.longest_run_minutes:  # 0 says nothing about a recent session: estimate
        longest = round(profile.longest_run_minutes * 60)
    else:
        longest = min(weekly // max(runs, 1), LONGEST_ESTIMATE_MAX_SECONDS)
    if onramp:
        longest = max(longest, ONRAMP_BASELINE_SECONDS)
    return weekly, longest


def _program(profile: Profile, screening: Screening) -> tuple[Program, list[str]]:
    notices: list[str] = []
    program = get_program(choose_program_id(profile, screening.walk_only))
    asked = profile.program
    if asked is not None and asked != program.id:
        notices.append(f"Program {program.id} replaces {asked}, because of the safety screen "
                       "or the 3 m backward-walk test.")
    if program.stages[0].format == "sprint_sets" and not set(profile.surfaces) & {
            s.value for s in SPRINT_SURFACE_ORDER}:
        notices.append("20 m backward efforts need a track, grass or turf (never a treadmill "
                       "or a road): this plan gives the starter program's continuous backward "
                       "running instead. Add one of those surfaces for the sprint block.")
        program = get_program("starter-8")
    return program, notices


def _highest_stage(program: Program, surface_cap: Gait, screening: Screening) -> Gait:
    return min(program.top_stage, surface_cap, screening.age_stage_cap, key=STAGE_LADDER.index)


def _practised(profile: Profile) -> Gait | None:
    stage = profile.backward_stage.value
    return None if stage == "never" else Gait(stage)


def _runs(profile: Profile, onramp: bool, screening: Screening) -> int:
    if screening.no_running:
        return 0
    if onramp:
        return 3  # [A] the on-ramp runs three short walk/run sessions a week
    if profile.runs_per_week:
        return profile.runs_per_week
    # [A] Without a count: about one run per 50 minutes a week, at least the experience's
    # usual number, at most 7.
    by_volume = round(profile.weekly_minutes / MINUTES_PER_USUAL_RUN)
    return min(7, max(DEFAULT_RUNS_PER_WEEK[profile.experience], by_volume))


def _strength_count(profile: Profile, program: Program, screening: Screening) -> int:
    if not program.strength_sessions_per_week or screening.no_running or \
            profile.age < STRENGTH_MIN_AGE:
        return 0
    return min(program.strength_sessions_per_week, STRENGTH_SESSIONS_PER_WEEK)


def make_context(profile: Profile, limits: Limits | None = None) -> Context:
    screening = screen(profile)
    notices: list[str] = list(screening.notices)
    program, program_notices = _program(profile, screening)
    notices += program_notices
    walk_only = screening.walk_only
    backward_surface, surface_cap, surface_notes = _surfaces(profile, program, walk_only)
    notices.extend(surface_notes)
    max_stage = _highest_stage(program, surface_cap, screening)
    if screening.age_notice and program.dose(Gait.SPRINT) is not None:
        notices.append(screening.age_notice)
    start_stage = starting_stage(program, _practised(profile), max_stage)
    forward_surface = next((Surface(s) for s in FORWARD_SURFACE_ORDER
                            if s in profile.surfaces), Surface.ANY)
    onramp = profile.weekly_minutes < ONRAMP_BELOW_WEEKLY_MINUTES and not screening.no_running
    runs = _runs(profile, onramp, screening)
    if onramp:
        notices.append("You run little or not at all yet: the plan starts with a walk/run "
                       "on-ramp, three sessions a week.")
    available = tuple(WEEKDAYS.index(d) for d in profile.available_days)
    long_day = WEEKDAYS.index(profile.long_run_day) if profile.long_run_day else None
    trained = profile.experience in (Experience.TRAINED, Experience.HIGHLY_TRAINED)
    apart = (program.walk_sessions_apart or screening.no_running
             or backward_surface is Surface.INDOOR)
    pattern = plan_week_pattern(
        available=available, runs=runs, long_run_day=long_day,
        want_long=program.long_run and not onramp,
        want_quality=program.quality_session and trained,
        backward_count=program.backward_sessions_per_week,
        backward_is_hard=max_stage is Gait.SPRINT and program.dose(Gait.SPRINT) is not None,
        backward_apart=apart,
        core_count=program.core_sessions_per_week,
        strength_count=_strength_count(profile, program, screening))
    if len(pattern.backward_days) < program.backward_sessions_per_week:
        notices.append(f"{program.title}: {program.backward_sessions_per_week} backward "
                       f"sessions a week need days at least 2 days apart; your available days "
                       f"allow {len(pattern.backward_days)}. Add a day to follow the study dose.")
    weekly, longest = _baselines(profile, onramp, max(len(pattern.run_days), 1))
    zones = heart_rate_zones(profile.hr_max, profile.hr_rest)
    if profile.hr_max and profile.hr_rest and profile.hr_rest >= profile.hr_max:
        notices.append("Resting heart rate is not below max heart rate: zones use percent of "
                       "max only.")
    paces = derive_paces(profile)
    if profile.race and profile.easy_pace_s_per_km is None and paces.source.startswith("default"):
        notices.append("The race result looks implausible, so a default easy pace is used.")
    return Context(
        profile=profile, program=program, weeks=profile.weeks or program.weeks,
        pattern=pattern, paces=paces, zones=zones, max_stage=max_stage,
        start_stage=start_stage, screening=screening, walk_apart=apart, onramp=onramp,
        backward_surface=backward_surface, forward_surface=forward_surface,
        share_cap=BACKWARD_SHARE_CAP_ADVANCED if profile.advanced else BACKWARD_SHARE_CAP,
        baseline_weekly_seconds=weekly, baseline_longest_seconds=longest,
        limits=limits or Limits(), notices=tuple(notices), easy_target=easy_target(zones))
