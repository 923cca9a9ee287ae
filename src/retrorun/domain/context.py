"""What a plan is built from: the program, the week pattern, paces, zones, surfaces and
the safety screen's outcome, decided once per plan."""

from __future__ import annotations

from dataclasses import dataclass

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
from retrorun.domain.rules import (
    BACKWARD_SHARE_CAP,
    BACKWARD_SHARE_CAP_ADVANCED,
    BACKWARD_WALK_3M_CUTOFF_S,
    BALANCE_TEST_AGE,
    LONGEST_ESTIMATE_MAX_SECONDS,
    ONRAMP_BASELINE_SECONDS,
    ONRAMP_BELOW_WEEKLY_MINUTES,
)
from retrorun.domain.schedule import WeekPattern, plan_week_pattern
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
FORWARD_SURFACE_ORDER = ("road", "trail", "track", "grass", "turf", "treadmill")


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

    def stage_for(self, stage: Gait) -> Gait:
        """The program's stage, lowered to what the screen and surfaces allow."""
        return min(stage, self.max_stage, key=STAGE_LADDER.index)


def choose_program_id(profile: Profile) -> str:
    """DESIGN program choice: the screen first, then a program the profile forces, then
    the goal."""
    if profile.screened_out:
        return "knee-friendly-6"
    if profile.program is not None:
        return profile.program
    if profile.goal is Goal.KNEE_FRIENDLY:
        return "knee-friendly-6"
    if profile.goal is Goal.ECONOMY:
        trained = profile.experience in (Experience.TRAINED, Experience.HIGHLY_TRAINED)
        return "economy-10" if trained else "starter-8"
    return {Goal.SPEED_POWER: "speed-power-8", Goal.MAINTENANCE: "maintenance"}.get(
        profile.goal, "starter-8")


def _balance_flag(profile: Profile) -> str | None:
    if profile.age < BALANCE_TEST_AGE:
        return None
    test = profile.backward_walk_3m_seconds
    if test is None:
        return (f"At {profile.age}, do the 3 m backward-walk self-test before backward jogging "
                f"(slower than {BACKWARD_WALK_3M_CUTOFF_S:g} s means stay with backward "
                "walking). Until you record it, this plan keeps to backward walking.")
    if test > BACKWARD_WALK_3M_CUTOFF_S:
        return (f"Your 3 m backward walk took {test:g} s (over {BACKWARD_WALK_3M_CUTOFF_S:g} s),"
                " a sign of fall risk: this plan keeps to backward walking (Polo-Ferrero 2025).")
    return None


def _surfaces(profile: Profile, program: Program, walk_only: bool
              ) -> tuple[Surface, Gait, list[str]]:
    have = {Surface(s) for s in profile.surfaces}
    notices: list[str] = []
    if walk_only:
        order = SCREENED_SURFACE_ORDER if profile.screened_out else WALK_ONLY_SURFACE_ORDER
        choice = next((s for s in order if s in have), Surface.INDOOR)
        return choice, Gait.WALK, notices
    needs_sprint = any(p.stage is Gait.SPRINT for p in program.phases)
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


def make_context(profile: Profile, limits: Limits | None = None) -> Context:
    notices: list[str] = []
    program_id = choose_program_id(profile)
    if profile.screened_out:
        asked = ", ".join(profile.screen_yes).replace("_", " ")
        notices.append(f"Safety screen: you answered yes to {asked}. This plan is backward "
                       "walking only, on a treadmill with handrails or indoors. See a "
                       "clinician before any backward running (evidence B1).")
        if profile.program not in (None, program_id) or profile.goal is not Goal.KNEE_FRIENDLY:
            notices.append(f"Program {program_id} replaces the one asked for, because of the "
                           "safety screen.")
    program = get_program(program_id)
    balance = _balance_flag(profile)
    if balance:
        notices.append(balance)
    walk_only = profile.screened_out or balance is not None
    backward_surface, max_stage, surface_notes = _surfaces(profile, program, walk_only)
    notices.extend(surface_notes)
    forward_surface = next((Surface(s) for s in FORWARD_SURFACE_ORDER
                            if s in profile.surfaces), Surface.ANY)
    onramp = profile.weekly_minutes < ONRAMP_BELOW_WEEKLY_MINUTES
    runs = profile.runs_per_week or DEFAULT_RUNS_PER_WEEK[profile.experience]
    if onramp:
        runs = 3  # [A] the on-ramp runs three short walk/run sessions a week
        notices.append("You run little or not at all yet: the plan starts with a walk/run "
                       "on-ramp, three sessions a week.")
    available = tuple(WEEKDAYS.index(d) for d in profile.available_days)
    long_day = WEEKDAYS.index(profile.long_run_day) if profile.long_run_day else None
    trained = profile.experience in (Experience.TRAINED, Experience.HIGHLY_TRAINED)
    pattern = plan_week_pattern(
        available=available, runs=runs, long_run_day=long_day,
        want_long=program.long_run and not onramp,
        want_quality=program.quality_session and trained and not walk_only,
        backward_count=program.backward_sessions_per_week,
        backward_is_hard=max_stage is Gait.SPRINT and program.id == "speed-power-8",
        core_count=program.core_sessions_per_week,
        strength_count=program.strength_sessions_per_week)
    if len(pattern.backward_days) < program.backward_sessions_per_week:
        notices.append(f"{program.title}: {program.backward_sessions_per_week} backward "
                       f"sessions a week need days at least 2 days apart; your available days "
                       f"allow {len(pattern.backward_days)}. Add a day to follow the study dose.")
    weekly, longest = _baselines(profile, onramp, len(pattern.run_days))
    zones = heart_rate_zones(profile.hr_max, profile.hr_rest)
    if profile.hr_max and profile.hr_rest and profile.hr_rest >= profile.hr_max:
        notices.append("Resting heart rate is not below max heart rate: zones use percent of "
                       "max only.")
    paces = derive_paces(profile)
    if profile.race and profile.easy_pace_s_per_km is None and paces.source.startswith("default"):
        notices.append("The race result looks implausible, so a default easy pace is used.")
    return Context(
        profile=profile, program=program, weeks=profile.weeks or program.weeks,
        pattern=pattern, paces=paces, zones=zones, max_stage=max_stage, onramp=onramp,
        backward_surface=backward_surface, forward_surface=forward_surface,
        share_cap=BACKWARD_SHARE_CAP_ADVANCED if profile.advanced else BACKWARD_SHARE_CAP,
        baseline_weekly_seconds=weekly, baseline_longest_seconds=longest,
        limits=limits or Limits(), notices=tuple(notices), easy_target=easy_target(zones))
