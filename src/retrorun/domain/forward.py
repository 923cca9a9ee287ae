"""The forward side of a week: warm-ups, easy and long runs, quality sessions that progress
across the block, strides, and the economy and field tests.

Forward easy running carries a pace target when the profile gives an easy pace or a race
result, else a heart-rate target when it gives a max heart rate, else RPE (evidence B3
keeps backward work on effort or heart rate; that is the backward builder's business).
"""

from __future__ import annotations

import functools

from retrorun.domain import sessions as S  # noqa: N812
from retrorun.domain.context import Context, per_context
from retrorun.domain.cues import CUE_SUPERVISION
from retrorun.domain.frames import Frame, at_scale
from retrorun.domain.model import (
    Gait,
    Intensity,
    Repeat,
    SessionKind,
    StepKind,
    StepOrRepeat,
    Surface,
    Target,
    TargetType,
    TargetUnit,
    step_totals,
)
from retrorun.domain.profile import Experience

# [A] The quality session's hard part: about 15 % of the week's load (inside B5's 20 %), and
# never less than the last ordinary week's while that stays under 18 %, so the block
# progresses through the dip after a lighter week.
QUALITY_SHARE, QUALITY_SHARE_MAX = 0.15, 0.18
# [A] The whole quality session (warm-up, reps, recoveries) within a quarter of the week,
# and never above 30 % even to keep last week's work, so the long run can stay the week's
# longest run.
QUALITY_SESSION_SHARE, QUALITY_SESSION_SHARE_MAX = 0.25, 0.30
# [X] Polarised intervals of 3 min hard / 2 min easy jog, from 4 reps rising by one each
# ordinary week to 8; a lighter week does two fewer. Pyramidal tempo from 12 min rising by
# 2 min a week to 25; a lighter week does 70 %.
INTERVAL_SECONDS, INTERVAL_RECOVERY_SECONDS = 180, 120
INTERVAL_START_REPS, INTERVAL_MAX_REPS, INTERVAL_LIGHTER_CUT, MIN_INTERVALS = 4, 8, 2, 2
TEMPO_START_SECONDS, TEMPO_STEP_SECONDS, MAX_TEMPO_SECONDS = 12 * 60, 2 * 60, 25 * 60
MIN_TEMPO_SECONDS, TEMPO_LIGHTER_FACTOR = 8 * 60, 0.7
LONG_RUN_WEIGHT = 1.6  # [A] the long run takes about 1.6 easy runs' share of the slack
ECONOMY_TEST_SECONDS = 6 * 60
# [X] Strides for trained runners: 6 x 20 s relaxed-fast with 60 s easy jogging between.
STRIDE_COUNT, STRIDE_SECONDS, STRIDE_RECOVERY_SECONDS = 6, 20, 60
STRIDE_EFFORT = (85, 90)
# [A] A brisk-walk warm-up for walking sessions; shrinks with the dose, never below.
WALK_WARMUP_SECONDS, WARMUP_FLOOR_SECONDS = 5 * 60, 60
# The seed article [X]: "a few minutes of backward running in the warm-up, especially
# before track workouts": 2 min of backward jogging inside the warm-up, past stage 1.
BACKWARD_WARMUP_JOG_SECONDS = 120
# Field tests (DESIGN §2, Uthoff 2020): 3 timed 20 m forward sprints (~4 s) with 2 min
# walk-back rests, then 3 countermovement jumps (~2 min). [A] durations
FIELD_SPRINT_SECONDS, FIELD_REST_SECONDS, FIELD_JUMPS_SECONDS = 4, 120, 120
# [X] Two forward build-ups at 70-80 % before the timed sprints.
FIELD_BUILDUP_SECONDS, FIELD_BUILDUP_EFFORT, FIELD_SPRINT_EFFORT = 5, (70, 80), (95, 100)
# [A] The band around the easy pace a watch holds the runner to, s/km.
EASY_PACE_FASTER_S, EASY_PACE_SLOWER_S = 15, 30
NO_BOUND = 10**9
TRAINED = frozenset({Experience.TRAINED, Experience.HIGHLY_TRAINED})


@per_context
def forward_easy_target(ctx: Context) -> Target:
    """Easy forward running: a pace band when the athlete gave a pace or a race, else
    their heart-rate zones 1-2, else CR-10 RPE 2-4."""
    if ctx.profile.easy_pace_s_per_km is not None or ctx.paces.source.startswith("race"):
        easy = round(ctx.paces.easy_s_per_km)
        return Target(TargetType.PACE, easy - EASY_PACE_FASTER_S, easy + EASY_PACE_SLOWER_S,
                      TargetUnit.S_PER_KM)
    return ctx.easy_target


def _scaled(seconds: int, scale: float, floor: int) -> int:
    """Warm-ups and cool-downs shrink with the week's dose, in half minutes."""
    return max(floor, int(at_scale(seconds, scale)) // 30 * 30)


def warmup_seconds(walk: bool, scale: float) -> int:
    return _scaled(WALK_WARMUP_SECONDS if walk else S.WARMUP_SECONDS, scale, WARMUP_FLOOR_SECONDS)


def cooldown_seconds(scale: float) -> int:
    return _scaled(S.COOLDOWN_SECONDS, scale, 0)


def warmup(ctx: Context, walk: bool, scale: float) -> tuple[StepOrRepeat, ...]:
    return warmup_steps(walk, warmup_seconds(walk, scale), ctx.easy_target)


def cooldown(ctx: Context, walk: bool, scale: float) -> tuple[StepOrRepeat, ...]:
    return cooldown_steps(walk, cooldown_seconds(scale), ctx.easy_target)


# Keyed by whole seconds, not by the scale (a float: many keys for the same steps).
@functools.lru_cache(maxsize=1024)
def warmup_steps(walk: bool, seconds: int, easy: Target) -> tuple[StepOrRepeat, ...]:
    if walk:
        return (S.forward(StepKind.WARMUP, seconds, "Brisk walk", Gait.WALK),)
    return (S.forward(StepKind.WARMUP, seconds, "Easy jog", Gait.JOG, target=easy),)


@functools.lru_cache(maxsize=1024)
def cooldown_steps(walk: bool, seconds: int, easy: Target) -> tuple[StepOrRepeat, ...]:
    if not seconds:  # tiny sessions: the warm-up's walk is enough
        return ()
    gait = Gait.WALK if walk else Gait.JOG
    return (S.forward(StepKind.COOLDOWN, seconds, f"Easy {gait}", gait, target=easy),)


def filler(ctx: Context, week: int, seconds: int, name: str = "Easy run"
           ) -> tuple[StepOrRepeat, ...]:
    """The forward easy part that absorbs the week's remaining load."""
    if seconds < 60:
        return ()
    if ctx.onramp:
        return S.onramp_block(week, seconds)
    return _easy_part(ctx, seconds // 60 * 60, name)


@per_context
def _easy_part(ctx: Context, seconds: int, name: str) -> tuple[StepOrRepeat, ...]:
    return (S.forward(StepKind.WORK, seconds, name, target=forward_easy_target(ctx)),)


@per_context
def _hard_target(ctx: Context) -> Target:
    if ctx.zones:
        return Target(TargetType.HR, ctx.zones.zones[3][0], ctx.zones.zones[4][1],
                      TargetUnit.BPM)
    return Target(TargetType.RPE, 7, 8, TargetUnit.CR10)


@per_context
def _tempo_target(ctx: Context) -> Target:
    if ctx.zones:
        return Target(TargetType.HR, ctx.zones.zones[2][0], ctx.zones.zones[3][1],
                      TargetUnit.BPM)
    return Target(TargetType.RPE, 5, 6, TargetUnit.CR10)


def quality_surface(ctx: Context) -> Surface:
    """Intervals go on the track when there is one (the seed's track workouts)."""
    return Surface.TRACK if "track" in ctx.profile.surfaces else ctx.forward_surface


def _interval_reps(ordinary_weeks: int, lighter: bool, hold: bool) -> int:
    reps = INTERVAL_START_REPS + (0 if hold else max(0, ordinary_weeks - 1))
    reps = min(INTERVAL_MAX_REPS, reps)
    return reps - INTERVAL_LIGHTER_CUT if lighter else reps


def _tempo_seconds(ordinary_weeks: int, lighter: bool, hold: bool) -> int:
    seconds = TEMPO_START_SECONDS + (0 if hold else max(0, ordinary_weeks - 1)
                                     * TEMPO_STEP_SECONDS)
    seconds = min(MAX_TEMPO_SECONDS, seconds)
    return int(seconds * TEMPO_LIGHTER_FACTOR) // 60 * 60 if lighter else seconds


def _hard_allowance(load_target: float, floor: int, lighter: bool,
                    hard_share: float) -> int:
    """The hard seconds a quality session may hold: about 15 % of the week's load, the whole
    session (warm-up, hard work that is `hard_share` of its main part, cool-down) within a
    quarter of it; never less than the last ordinary week's (`floor`) within 18 %; in a
    lighter week at most 70 % of that."""
    frame = S.WARMUP_SECONDS + S.COOLDOWN_SECONDS
    allowed = min(QUALITY_SHARE * load_target,
                  (QUALITY_SESSION_SHARE * load_target - frame) * hard_share)
    if lighter:
        return int(min(allowed, floor * TEMPO_LIGHTER_FACTOR))
    kept = min(floor, QUALITY_SHARE_MAX * load_target,
               (QUALITY_SESSION_SHARE_MAX * load_target - frame) * hard_share)
    return int(max(allowed, kept))


def quality_frame(ctx: Context, day: int, load_target: float, ordinary_weeks: int,
                  lighter: bool, backward_warmup: tuple[StepOrRepeat, ...],
                  floor: int = 0, longest: int = 0) -> Frame | None:
    """Intervals (polarised) or tempo (pyramidal) that progress week by week across the
    block, lighter in lighter weeks, within about 15 % of the week's load; `longest`, when
    given, bounds the whole session (so it stays shorter than the long run)."""
    if lighter and not floor:  # a lighter week brings no quality the week before lacked
        return None
    hold = ctx.program.hold_stage
    # Seconds the main set may take within `longest` (none: no bound).
    frame = S.WARMUP_SECONDS + S.COOLDOWN_SECONDS + step_totals(backward_warmup).running_seconds
    main_room = longest - frame if longest else NO_BOUND
    if ctx.profile.intensity_model == "polarized":
        hard_share = INTERVAL_SECONDS / (INTERVAL_SECONDS + INTERVAL_RECOVERY_SECONDS)
        count = min(_interval_reps(ordinary_weeks, lighter, hold),
                    _hard_allowance(load_target, floor, lighter, hard_share) // INTERVAL_SECONDS,
                    main_room // (INTERVAL_SECONDS + INTERVAL_RECOVERY_SECONDS))
        if count < MIN_INTERVALS:
            return None
        main: tuple[StepOrRepeat, ...] = (Repeat(count, (
            S.forward(StepKind.WORK, INTERVAL_SECONDS, "Hard", intensity=Intensity.HARD,
                      target=_hard_target(ctx)),
            S.forward(StepKind.RECOVERY, INTERVAL_RECOVERY_SECONDS, "Easy jog", Gait.JOG,
                      target=ctx.easy_target))),)
        kind, title = SessionKind.INTERVALS, f"Intervals {count} x 3 min"
    else:
        seconds = min(_tempo_seconds(ordinary_weeks, lighter, hold),
                      _hard_allowance(load_target, floor, lighter, 1.0) // 60 * 60,
                      main_room // 60 * 60)
        if seconds < MIN_TEMPO_SECONDS:
            return None
        main = (S.forward(StepKind.WORK, seconds, "Tempo", intensity=Intensity.MODERATE,
                          target=_tempo_target(ctx)),)
        kind, title = SessionKind.TEMPO, f"Tempo {seconds // 60} min"
    return Frame(day, "quality", kind, title, quality_surface(ctx),
                 warmup(ctx, False, 1.0) + backward_warmup + main + cooldown(ctx, False, 1.0),
                 claims=("easy_most",))


@per_context
def strides(ctx: Context) -> tuple[StepOrRepeat, ...]:
    """Forward strides after an easy run, for trained runners. [X]"""
    if ctx.profile.experience not in TRAINED or ctx.screening.no_running:
        return ()
    stride = S.step(StepKind.WORK, STRIDE_SECONDS, intensity=Intensity.MODERATE,
                    target=Target(TargetType.EFFORT, *STRIDE_EFFORT,
                                  TargetUnit.PERCENT_MAX_EFFORT),
                    name="Forward stride, relaxed and fast")
    jog = S.forward(StepKind.RECOVERY, STRIDE_RECOVERY_SECONDS, "Easy jog", Gait.JOG,
                    target=ctx.easy_target)
    return (Repeat(STRIDE_COUNT, (stride, jog)),)


def plain_frame(ctx: Context, day: int, long_day: bool, scale: float,
                tail: tuple[StepOrRepeat, ...] = (), min_filler: int = 0) -> Frame:
    # The scale (a float, new in every draft) shapes only the on-ramp's walks, in whole
    # half minutes: the frame is memoised on those.
    walks = (warmup_seconds(True, scale), cooldown_seconds(scale)) \
        if ctx.onramp and not long_day else (0, 0)
    return _plain_frame(ctx, day, long_day, walks, tail, min_filler)


@per_context
def _plain_frame(ctx: Context, day: int, long_day: bool, walks: tuple[int, int],
                 tail: tuple[StepOrRepeat, ...], min_filler: int) -> Frame:
    if long_day:
        return Frame(day, "long", SessionKind.LONG, "Long run", ctx.forward_surface, (),
                     weight=LONG_RUN_WEIGHT, claims=("load_spikes",), filler_name="Long run",
                     min_filler=min_filler)
    if ctx.onramp:
        warm, cool = walks
        return Frame(day, f"easy-{day}", SessionKind.EASY, "Walk/run", ctx.forward_surface,
                     warmup_steps(True, warm, ctx.easy_target),
                     cooldown_steps(True, cool, ctx.easy_target), weight=1.0,
                     claims=("load_spikes",))
    title = "Easy run + strides" if tail else "Easy run"
    return Frame(day, f"easy-{day}", SessionKind.EASY, title, ctx.forward_surface, (), tail,
                 weight=1.0, claims=("easy_most",), min_filler=min_filler)


def economy_surface(ctx: Context) -> Surface:
    """The economy check runs on the same surface each time: the track when there is one."""
    return Surface.TRACK if "track" in ctx.profile.surfaces else ctx.forward_surface


@per_context
def economy_test(ctx: Context, day: int) -> Frame:
    """The same surface, weekday and warm-up each time, so the checks compare."""
    easy = round(ctx.paces.easy_s_per_km)
    steady = S.forward(StepKind.WORK, ECONOMY_TEST_SECONDS, "Steady at easy pace: note HR",
                       target=Target(TargetType.PACE, easy - 5, easy + 5, TargetUnit.S_PER_KM))
    return Frame(day, "economy-check", SessionKind.TEST, "Economy check",
                 economy_surface(ctx), warmup(ctx, False, 1.0) + (steady,),
                 cooldown(ctx, False, 1.0), weight=0.5, claims=("economy",))


@per_context
def field_test(ctx: Context, day: int) -> Frame:
    """The sprint and jump tests, with the same full warm-up each time so they compare."""
    sprint = S.step(StepKind.WORK, FIELD_SPRINT_SECONDS, intensity=Intensity.HARD, meters=20,
                    target=Target(TargetType.EFFORT, *FIELD_SPRINT_EFFORT,
                                  TargetUnit.PERCENT_MAX_EFFORT),
                    name="Forward 20 m sprint, time the 10 m and 20 m")
    walk = S.forward(StepKind.RECOVERY, FIELD_REST_SECONDS, "Walk back and rest", Gait.WALK)
    buildup = S.step(StepKind.WORK, FIELD_BUILDUP_SECONDS, intensity=Intensity.MODERATE,
                     meters=20, target=Target(TargetType.EFFORT, *FIELD_BUILDUP_EFFORT,
                                              TargetUnit.PERCENT_MAX_EFFORT),
                     name="Forward build-up 20 m")
    walk_back = S.forward(StepKind.RECOVERY, 60, "Walk back", Gait.WALK)
    jumps = S.exercise_steps((("Countermovement jump x 3, best height", FIELD_JUMPS_SECONDS),))
    return Frame(day, "field-test", SessionKind.TEST, "Field tests: sprint and jump",
                 ctx.backward_surface if ctx.backward_surface is not Surface.TREADMILL
                 else ctx.forward_surface,
                 warmup(ctx, False, 1.0) + (Repeat(2, (buildup, walk_back)),
                                              Repeat(3, (sprint, walk))) + jumps,
                 weight=0.5, claims=("youth_sprint",),
                 cues=(CUE_SUPERVISION,) if ctx.youth else ())
