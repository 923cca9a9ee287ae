"""The backward side of a week: each backward session's dose, bouts and cues (evidence B2,
B3, B6, B7).

Walking comes in bouts of 1-2 min, jogging in 1-min intervals, running in continuous
blocks of 3-5 min, sprints in sets of 7 x 20 m after walking drills and build-ups. The
dose a stage prescribes is cut only by the load rules: the share cap of invariant 1 and a
coach's limit, and by the generator when a week would break a rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from retrorun.domain import sessions as S  # noqa: N812
from retrorun.domain.catalogue import StageDose, Strides
from retrorun.domain.context import Context, per_context
from retrorun.domain.cues import CUE_CLINICIAN, CUE_SUPERVISION, backward_cue
from retrorun.domain.forward import (
    BACKWARD_WARMUP_JOG_SECONDS,
    cooldown_seconds,
    cooldown_steps,
    warmup,
    warmup_seconds,
    warmup_steps,
)
from retrorun.domain.frames import Frame, at_scale
from retrorun.domain.model import (
    Direction,
    Gait,
    Intensity,
    SessionKind,
    StepKind,
    StepOrRepeat,
    Surface,
    Target,
)
from retrorun.domain.profile import Experience, Units
from retrorun.domain.progression import StagePlan, stage_gait

KM_PER_MILE = 1.609344
# Backward running is sized to 90 % of its share cap so rounding cannot break it. [A]
SHARE_MARGIN = 0.9
MIN_SPRINT_REPS = 3
# [A] A lighter week with a single set of efforts does 5 reps instead of 7.
LIGHTER_SINGLE_SET_REPS = 5
# [A] Forward recovery between backward bouts: walking between walks, 90 s of easy forward
# jogging between 1-min jogs, 60 s between 3-5 min blocks.
WALK_RECOVERY_SECONDS, JOG_RECOVERY_SECONDS, RUN_RECOVERY_SECONDS = 60, 90, 60
MIN_RECOVERY_SECONDS = 30
# Stage 4 [X]/[A]: backward walking drills (2 x 20 m), then, before efforts of 90 % or more,
# 2 build-up runs of 20 m at 60-75 %, each with a walk back.
DRILL_REPS, DRILL_SECONDS, BUILDUP_REPS = 2, 20, 2
BUILDUP_EFFORT, LAST_BUILDUP_EFFORT = (60, 75), (80, 85)
DYNAMIC_DRILL_SECONDS = 3 * 60  # [X] leg swings, skips, high knees before sprinting
# [A] A last set of fewer than 4 reps is left out rather than done as a token set.
MIN_LAST_SET_REPS = 4
# [A] The forward easy running a backward session adds is 5 minutes or more, or none.
MIN_FORWARD_PART_SECONDS = 5 * 60
# [A] A short forward walk before and after a backward-walking session of its own.
OWN_WALK_WARMUP_SECONDS, OWN_WALK_COOLDOWN_SECONDS, OWN_WALK_MIN_SECONDS = 3 * 60, 2 * 60, 60


@dataclass(slots=True)
class Dose:
    """The backward work of one session this week."""

    plan: StagePlan
    seconds: int
    strides: bool

    @property
    def stage(self) -> Gait:
        return self.plan.stage


def backward_dose(ctx: Context, plan: StagePlan, load_target: float, scale: float,
                  sessions: int, strides: bool) -> Dose:
    """The stage's dose for one session, cut by a coach's limit and the share cap."""
    seconds = at_scale(plan.seconds, scale)
    limit = ctx.limits.max_backward_minutes_per_week
    if limit is not None and sessions:
        seconds = min(seconds, limit * 60 / sessions)
    if plan.stage is not Gait.WALK and sessions:
        # Invariant 1 up front: the week's running time is about its load target.
        cap = ctx.share_cap_for(plan.stage)
        seconds = min(seconds, cap * load_target * SHARE_MARGIN / sessions)
    return Dose(plan, int(seconds) // 10 * 10, strides and plan.stage is Gait.RUN)


def _cue(ctx: Context, gait: Gait, *, reps: bool = False) -> str:
    return backward_cue(ctx.backward_surface, gait, reps,
                        ctx.profile.units is Units.IMPERIAL, ctx.profile.screened_out)


def _target(ctx: Context, dose: StageDose, gait: Gait, ratio: float | None
            ) -> tuple[Target, str]:
    """The target of a backward bout and, where a speed is derived from a study (`ratio`,
    for running), a name that says it. With heart-rate zones the target is the easy
    ceiling (B3: cap backward work by heart rate) and the derived speed is named; without,
    the pace range is it."""
    hr = ctx.zones.easy_ceiling if ctx.zones is not None else None
    if ratio is None or gait is not Gait.RUN:
        return S.backward_target(gait, dose.rpe, hr, None), ""
    # Derived from Ordway 2016: backward speed as a share of the economy-check speed (the
    # easy pace here), +/- 0.03.
    easy = ctx.paces.easy_s_per_km
    if hr is None:
        pace = (easy / (ratio + 0.03), easy / (ratio - 0.03))
        return S.backward_target(gait, dose.rpe, None, pace), ""
    speed = ratio * 3600 / easy
    words = f"{speed / KM_PER_MILE:.1f} mph" if ctx.profile.units is Units.IMPERIAL \
        else f"{speed:.1f} km/h"
    return S.backward_target(gait, dose.rpe, hr, None), f"Backward run, about {words}"


def _count(seconds: int, dose: StageDose, gait: Gait) -> int:
    """How many bouts: 1-min jogs; walking and running bouts as long as their range allows,
    preferring a count that splits the dose into whole 10-second bouts."""
    low, high = dose.bout_seconds
    if gait is Gait.JOG:
        return max(1, seconds // high)
    if seconds < low:
        return 1
    fewest = max(1, math.ceil(seconds / high))
    even = [n for n in range(fewest, max(fewest, seconds // low) + 1) if seconds % (10 * n) == 0]
    return even[0] if even else fewest


_FULL_RECOVERY = {Gait.WALK: WALK_RECOVERY_SECONDS, Gait.JOG: JOG_RECOVERY_SECONDS}


def _recovery(gait: Gait, scale: float) -> int:
    """Recoveries shrink with the week's dose too (10-s steps, at least 30 s). [A]"""
    full = _FULL_RECOVERY.get(gait, RUN_RECOVERY_SECONDS)
    return max(MIN_RECOVERY_SECONDS, int(at_scale(full, scale)) // 10 * 10)


def _ratio(ctx: Context, gait: Gait, week: int) -> float | None:
    """The week's backward speed ratio, where it shapes the steps (running only)."""
    return ctx.program.speed_ratio(week) if gait is Gait.RUN else None


def _block(ctx: Context, dose: StageDose, seconds: int, recovery: int,
           ratio: float | None) -> tuple[StepOrRepeat, ...]:
    gait = stage_gait(dose)
    if gait is Gait.JOG:
        seconds = max(60, seconds // 60 * 60) if seconds >= 60 else seconds
    low, high = dose.bout_seconds
    if gait is Gait.RUN and high < seconds < 2 * low:
        seconds = high  # no whole number of 3-5 min blocks fits: one 5-min block
    target, name = _target(ctx, dose, gait, ratio)
    new_runner = ctx.onramp or ctx.profile.experience is Experience.NEW_TO_RUNNING
    return S.backward_bouts(gait, seconds, _count(seconds, dose, gait), target,
                            _cue(ctx, gait), recovery_seconds=recovery,
                            walk_recovery=new_runner, name=name)


def backward_block(ctx: Context, dose: Dose, week: int,
                   scale: float = 1.0) -> tuple[StepOrRepeat, ...]:
    gait = stage_gait(dose.plan.dose)
    return _block(ctx, dose.plan.dose, dose.seconds, _recovery(gait, scale),
                  _ratio(ctx, gait, week))


def _strides_of(ctx: Context, dose: Dose, week: int) -> Strides | None:
    """The optional backward strides of a stage-3 session this week, if any (DESIGN §2)."""
    strides = ctx.program.strides_in(week)
    if not dose.strides or strides is None or ctx.backward_surface is Surface.TREADMILL:
        return None
    return strides


def _stride_steps(ctx: Context, strides: Strides | None) -> tuple[StepOrRepeat, ...]:
    if strides is None:
        return ()
    return (S.backward_reps(strides.reps, strides.distance_m, strides.effort,
                            _cue(ctx, Gait.RUN, reps=True), name="Backward stride",
                            optional=True),)


def backward_strides(ctx: Context, dose: Dose, week: int) -> tuple[StepOrRepeat, ...]:
    """Optional backward strides at the end of a stage-3 session (DESIGN §2)."""
    return _stride_steps(ctx, _strides_of(ctx, dose, week))


def _drills(ctx: Context, effort: tuple[int, int]) -> tuple[StepOrRepeat, ...]:
    """Before 20 m efforts: dynamic drills, backward walking drills, and before efforts of
    90 % or more, build-ups to near that."""
    drills: tuple[StepOrRepeat, ...] = (
        S.forward(StepKind.WARMUP, DYNAMIC_DRILL_SECONDS,
                  "Dynamic drills: leg swings, skips, high knees", Gait.JOG),
        S.backward_reps(DRILL_REPS, 20, None, _cue(ctx, Gait.WALK, reps=True),
                        name="Backward walk drill"))
    if effort[0] >= S.MAXIMAL_EFFORT:
        cue = _cue(ctx, Gait.RUN, reps=True)
        drills += (S.backward_reps(BUILDUP_REPS, 20, BUILDUP_EFFORT, cue, name="Build-up"),
                   S.backward_reps(1, 20, LAST_BUILDUP_EFFORT, cue, name="Build-up"))
    return drills


def _set_sizes(plan: StagePlan, scale: float) -> tuple[int, ...]:
    """The reps of each set: a smaller dose takes reps off the last set rather than whole
    sets, so the week's load can land inside the lighter-week band; never fewer than 3
    reps. [A]"""
    stage_dose, sets = plan.dose, plan.sets
    reps = stage_dose.reps
    if plan.lighter and sets == 1 and plan.weeks_at_stage > 1:
        reps = LIGHTER_SINGLE_SET_REPS
    total = max(MIN_SPRINT_REPS, round(at_scale(sets * reps, scale)))
    full, rest = divmod(total, stage_dose.reps)
    # Whole sets in an ordinary week; a lighter week may end on a shorter one. [A]
    keep_rest = not full or (plan.lighter and rest >= MIN_LAST_SET_REPS)
    return (stage_dose.reps,) * full + ((rest,) if rest and keep_rest else ())


def _sprints(ctx: Context, dose: StageDose, stage: Gait, set_sizes: tuple[int, ...]
             ) -> tuple[StepOrRepeat, ...]:
    effort = dose.effort
    return _drills(ctx, effort) + S.sprint_sets(
        set_sizes, dose.distance_m, effort, _cue(ctx, stage, reps=True))


def sprint_block(ctx: Context, dose: Dose, scale: float) -> tuple[StepOrRepeat, ...]:
    return _sprints(ctx, dose.plan.dose, dose.stage, _set_sizes(dose.plan, scale))


def _own_seconds(seconds: int, scale: float) -> int:
    """The walks around a walk of its own shrink with the week's dose, in half minutes."""
    return max(OWN_WALK_MIN_SECONDS, int(at_scale(seconds, scale)) // 30 * 30)


def _claims(ctx: Context) -> tuple[str, ...]:
    if ctx.program.pain_gated:
        return ("knee_oa_walking", "safety_surface")
    if ctx.screening.walk_only:
        return ("safety_surface",)
    return ("ladder", "energy_cost", "safety_surface")


class _Shape(NamedTuple):
    """What a backward frame is made of, beyond its context and stage dose: the dose, the
    week and the scale enter only through these whole values, so frames that share them
    are the same frame."""

    form: str  # "walk" (a walk of its own), "sprints" or "bouts"
    day: int
    ordinal: int
    stage: Gait
    seconds: int = 0
    recovery: int = 0
    ratio: float | None = None
    strides: Strides | None = None
    warm: int = 0
    cool: int = 0
    sets: tuple[int, ...] = ()


def _walks(ctx: Context) -> bool:
    return ctx.onramp or ctx.max_stage is Gait.WALK or ctx.program.pain_gated


def _shape(ctx: Context, day: int, ordinal: int, dose: Dose, week: int,
           scale: float) -> _Shape:
    plan = dose.plan
    if ctx.walk_apart:
        gait = stage_gait(plan.dose)
        return _Shape("walk", day, ordinal, plan.stage, dose.seconds, _recovery(gait, scale),
                      _ratio(ctx, gait, week),
                      warm=_own_seconds(OWN_WALK_WARMUP_SECONDS, scale),
                      cool=_own_seconds(OWN_WALK_COOLDOWN_SECONDS, scale))
    if plan.dose.format == "sprint_sets":
        # The warm-up before efforts is never cut short.
        return _Shape("sprints", day, ordinal, plan.stage, cool=cooldown_seconds(scale),
                      sets=_set_sizes(plan, scale))
    gait = stage_gait(plan.dose)
    return _Shape("bouts", day, ordinal, plan.stage, dose.seconds, _recovery(gait, scale),
                  _ratio(ctx, gait, week), _strides_of(ctx, dose, week),
                  warmup_seconds(_walks(ctx), scale), cooldown_seconds(scale))


def _own_walk(ctx: Context, dose: StageDose, shape: _Shape) -> Frame:
    """Backward walking in a short session of its own: a forward walk, the bouts, a walk.
    The walks shrink with the week's dose, so a lighter week is lighter throughout."""
    block = _block(ctx, dose, shape.seconds, shape.recovery, shape.ratio)
    head = (S.forward(StepKind.WARMUP, shape.warm, "Walk forward", Gait.WALK), *block)
    tail = (S.forward(StepKind.COOLDOWN, shape.cool, "Walk forward", Gait.WALK),)
    cues = (CUE_CLINICIAN,) if ctx.screening.walk_only else ()
    return Frame(shape.day, f"backward-{shape.ordinal}", SessionKind.BACKWARD,
                 "Backward walking {backward}", ctx.backward_surface, head, tail,
                 claims=_claims(ctx), cues=cues)


def _sprint_frame(ctx: Context, dose: StageDose, shape: _Shape) -> Frame:
    walk, surface = _walks(ctx), ctx.backward_surface
    block = _sprints(ctx, dose, shape.stage, shape.sets)
    # Moderate and maximal efforts make a hard day (invariant 4).
    hard = dose.effort[0] >= S.MODERATE_EFFORT and surface is not Surface.INDOOR
    kind = SessionKind.BACKWARD_SPRINTS if hard else SessionKind.BACKWARD
    low, high = dose.effort
    cues = (CUE_SUPERVISION,) if ctx.youth else ()
    easy = ctx.easy_target
    return Frame(shape.day, f"backward-{shape.ordinal}", kind,
                 f"Backward 20 m efforts at {low}-{high} %", surface,
                 warmup(ctx, walk, 1.0) + block, cooldown_steps(walk, shape.cool, easy),
                 weight=1.0, claims=("youth_sprint", "safety_surface"),
                 filler_name="Easy run, forward", cues=cues,
                 min_filler=MIN_FORWARD_PART_SECONDS)


_LABELS = {Gait.WALK: "walking", Gait.JOG: "jogging"}  # running for stages 3 and up


def _bouts_frame(ctx: Context, dose: StageDose, shape: _Shape) -> Frame:
    walk, easy = _walks(ctx), ctx.easy_target
    block = _block(ctx, dose, shape.seconds, shape.recovery, shape.ratio)
    extra = _stride_steps(ctx, shape.strides)
    label = _LABELS.get(shape.stage, "running")
    # "{backward}" becomes the backward time the steps actually add up to.
    title = (f"Backward {label} {{backward}}" + (" + easy run" if not walk else "")
             + (" + optional strides" if extra else ""))
    cues = (CUE_SUPERVISION,) if ctx.youth and extra else ()
    return Frame(shape.day, f"backward-{shape.ordinal}", SessionKind.BACKWARD, title,
                 ctx.backward_surface, warmup_steps(walk, shape.warm, easy) + block,
                 extra + cooldown_steps(walk, shape.cool, easy), weight=1.0,
                 claims=_claims(ctx), filler_name="Easy run, forward", cues=cues,
                 min_filler=MIN_FORWARD_PART_SECONDS)


_BUILDERS = {"walk": _own_walk, "sprints": _sprint_frame, "bouts": _bouts_frame}


def backward_frame(ctx: Context, day: int, ordinal: int, dose: Dose, week: int,
                   scale: float) -> Frame:
    """The frame of a shape, built once per context: the solver rebuilds a week several
    times and weeks repeat doses, so most frames have been built before (the context's
    memo, see `per_context`; a frame is never changed once built)."""
    shape = _shape(ctx, day, ordinal, dose, week, scale)
    stage_dose = dose.plan.dose
    key = (backward_frame, shape)
    found = ctx.memo.get(key)
    if found is not None and found[0] is stage_dose:
        return found[1]  # type: ignore[no-any-return]
    frame = _BUILDERS[shape.form](ctx, stage_dose, shape)
    ctx.memo[key] = (stage_dose, frame)
    return frame


# Rebuilds of one backward session to fit its spike cap, aiming 3 % under it. [A]
FIT_ATTEMPTS, FIT_MARGIN = 5, 0.97


def fitted_backward_frame(ctx: Context, day: int, ordinal: int, dose: Dose, week: int,
                          scale: float, cap: int) -> Frame:
    """A backward session whose fixed parts fit under its spike cap: when they do not,
    its own dose is cut in proportion (the parts scale about linearly) and it is rebuilt."""
    frame = backward_frame(ctx, day, ordinal, dose, week, scale)
    for _ in range(FIT_ATTEMPTS):
        if not cap or frame.fixed_seconds <= cap:
            break
        factor = FIT_MARGIN * cap / frame.fixed_seconds
        scale *= factor
        dose = Dose(dose.plan, int(dose.seconds * factor) // 10 * 10, dose.strides)
        frame = backward_frame(ctx, day, ordinal, dose, week, scale)
    return frame


@per_context
def backward_warmup_jog(ctx: Context) -> tuple[StepOrRepeat, ...]:
    """The seed's advice: 2 min of backward jogging in the warm-up of a track session."""
    step = S.step(StepKind.WARMUP, BACKWARD_WARMUP_JOG_SECONDS, Direction.BACKWARD, Gait.JOG,
                  Intensity.EASY, None,
                  S.EASY_RPE, "Backward jog", backward_cue(
                      Surface.TRACK, Gait.JOG, imperial=ctx.profile.units is Units.IMPERIAL))
    return (step,)
