"""One week of a plan: its sessions for a load target and a backward dose.

`build_week` is the pure builder; the generator chooses the load target and dose so the
week keeps the load rules, and calls it again with less when a rule would break.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Any

from retrorun.domain import sessions as S  # noqa: N812
from retrorun.domain.catalogue import Phase
from retrorun.domain.context import Context
from retrorun.domain.evidence import CLAIMS, sources_for
from retrorun.domain.model import (
    STAGE_LADDER,
    Gait,
    Intensity,
    Repeat,
    Session,
    SessionKind,
    StepKind,
    StepOrRepeat,
    Surface,
    Target,
    TargetType,
    TargetUnit,
    Week,
    step_totals,
)
from retrorun.domain.rules import (
    BACKWARD_LOAD_FACTOR,
    INTENSE_SHARE_CAP,
    LIGHTER_WEEK_TARGET,
    SESSION_SPIKE_CAP,
)

# [A] The smallest plain easy run worth lacing up for; below it the run is dropped.
MIN_EASY_RUN_SECONDS = 5 * 60
# [A] The quality session's hard part: at most 15 % of the week's load (inside B5's 20 %).
QUALITY_SHARE = 0.15
INTERVAL_SECONDS, INTERVAL_RECOVERY_SECONDS = 180, 120
MAX_INTERVALS = 6
MIN_TEMPO_SECONDS, MAX_TEMPO_SECONDS = 8 * 60, 25 * 60
LONG_RUN_WEIGHT = 1.6  # [A] the long run takes about 1.6 easy runs' share of the slack
ECONOMY_TEST_SECONDS = 6 * 60
# Uthoff 2018 (Sports): self-selected slow 40-55 % and moderate 60-75 % effort; walking
# technique at 20-35 % is our assumption [A]. Used when surfaces cap a sprint program.
EFFORT_BY_GAIT = {Gait.WALK: (20, 35), Gait.JOG: (40, 55), Gait.RUN: (60, 75)}
# [A] A brisk-walk warm-up for walking-only sessions; shrinks with the dose, never below.
WALK_WARMUP_SECONDS, WARMUP_FLOOR_SECONDS = 5 * 60, 60
# Field tests (DESIGN §2, Uthoff 2020): 3 timed 20 m forward sprints (~4 s) with 2 min
# walk-back rests, then 3 countermovement jumps (~2 min). [A] durations
FIELD_SPRINT_SECONDS, FIELD_REST_SECONDS, FIELD_JUMPS_SECONDS = 4, 120, 120
# Backward running is sized to 90 % of its share cap so rounding cannot break it. [A]
SHARE_MARGIN = 0.9
MIN_SPRINT_REPS = 3
MIN_BOUT_SECONDS = 30
# Rebuilds of one backward session to fit its spike cap, aiming 3 % under it. [A]
FIT_ATTEMPTS, FIT_MARGIN = 2, 0.97


@dataclass(slots=True)
class WeekInputs:
    index: int
    start: dt.date
    load_target: float
    dose_scale: float
    session_caps: dict[int, int]  # weekday -> most running seconds (spike guard)
    previous_backward: dict[Gait, int]  # longest backward bout total per gait, last 30 days
    skip: int = 0  # sessions to leave out, when even the smallest doses are too much
    # The program week whose phase this week follows: behind `index` when a stage is held
    # until its advancement test can have been met (invariant 6). 0: the same as index.
    program_week: int = 0

    @property
    def phase_week(self) -> int:
        return self.program_week or self.index


def load_of(session: Session) -> float:
    """B4 load: forward seconds plus backward seconds x 1.3 (no RPE yet)."""
    return session.running_seconds + (BACKWARD_LOAD_FACTOR - 1) * session.backward_seconds


_DAYS = tuple(dt.timedelta(days=n) for n in range(7))


def _date(start: dt.date, weekday: int) -> dt.date:
    return start + _DAYS[(weekday - start.weekday()) % 7]


@functools.cache
def _why(*claims: str) -> tuple[str, tuple[str, ...]]:
    return " ".join(CLAIMS[c].text for c in claims), sources_for(*claims)


@dataclass(slots=True)
class Dose:
    """The backward work of one session this week."""

    stage: Gait
    seconds: int
    phase: Phase
    strides: bool
    nominal_seconds: int = 0  # the phase's dose before any scaling or cap


def backward_dose(ctx: Context, inputs: WeekInputs, per_week_sessions: int) -> Dose:
    phase = ctx.program.phase(inputs.phase_week)
    stage = ctx.stage_for(phase.stage)
    progress = phase.progress(min(inputs.phase_week, ctx.program.weeks))
    minutes = phase.minutes[0] + (phase.minutes[1] - phase.minutes[0]) * progress
    if phase.format == "sprint_sets":
        return Dose(stage, 0, phase, False)
    seconds = minutes * 60 * inputs.dose_scale
    # B4 [E*]: a backward part no more than 10 % above the longest of its gait in 30 days.
    before = inputs.previous_backward.get(stage)
    if before:
        seconds = min(seconds, before * SESSION_SPIKE_CAP)
    limit = ctx.limits.max_backward_minutes_per_week
    if limit is not None and per_week_sessions:
        seconds = min(seconds, limit * 60 / per_week_sessions)
    if stage is not Gait.WALK and per_week_sessions:
        # Invariant 1 up front: the week's running time is about its load target.
        share = ctx.share_cap * inputs.load_target * SHARE_MARGIN / per_week_sessions
        seconds = min(seconds, share)
    strides = (phase.strides is not None and stage is not Gait.WALK
               and phase.strides.weeks[0] <= inputs.phase_week <= phase.strides.weeks[1])
    return Dose(stage, int(seconds) // 10 * 10, phase, strides, round(minutes * 60))


def _backward_cue(ctx: Context) -> str:
    return _BACKWARD_CUES[ctx.backward_surface is Surface.TREADMILL]


_BACKWARD_CUES = {False: f"{S.CUE_SHOULDERS} {S.CUE_FORM}",
                  True: f"{S.CUE_SHOULDERS} {S.CUE_FORM} {S.CUE_TREADMILL}"}


def _backward_block(ctx: Context, dose: Dose, scale: float) -> tuple[StepOrRepeat, ...]:
    phase = dose.phase
    pace = None
    if phase.speed_ratio is not None and dose.stage is not Gait.WALK:
        # Ordway 2016: backward speed as a share of easy forward speed, +/- 0.03.
        easy = ctx.paces.easy_s_per_km
        pace = (easy / (phase.speed_ratio + 0.03), easy / (phase.speed_ratio - 0.03))
    hr = ctx.zones.easy_ceiling if ctx.zones is not None else None
    target = S.backward_target(dose.stage, phase.rpe, hr, pace)
    gait = Gait.WALK if dose.stage is Gait.WALK else (
        Gait.JOG if phase.format == "jog_intervals" else Gait.RUN)
    # The number of bouts follows the phase's full dose; a smaller dose shortens the bouts,
    # so a lighter week shrinks smoothly instead of losing whole bouts and recoveries.
    count = min(round(dose.nominal_seconds / phase.bout_seconds), dose.seconds // MIN_BOUT_SECONDS)
    block = S.backward_bouts(gait, dose.seconds, count, target, _backward_cue(ctx),
                             recovery_scale=scale)
    reps = round(phase.strides.reps * min(1.0, scale)) if phase.strides else 0
    if dose.strides and phase.strides is not None and reps >= 2:
        block += (S.backward_reps(reps, phase.strides.distance_m, phase.strides.effort,
                                  "Optional: " + S.CUE_SHOULDERS),)
    return block


def _sprint_block(ctx: Context, inputs: WeekInputs, dose: Dose) -> tuple[StepOrRepeat, ...]:
    phase = dose.phase
    progress = phase.progress(min(inputs.phase_week, ctx.program.weeks))
    sets = round(phase.sets[0] + (phase.sets[1] - phase.sets[0]) * progress)
    # A smaller dose takes reps off the last set rather than whole sets, so the week's
    # load can land inside the lighter-week band; never fewer than 3 reps. [A]
    total = max(MIN_SPRINT_REPS, round(sets * phase.reps * min(1.0, inputs.dose_scale)))
    full, rest = divmod(total, phase.reps)
    set_sizes = (phase.reps,) * full + ((rest,) if rest else ())
    effort = phase.effort
    if dose.stage is not phase.stage:  # lowered by surfaces: keep to the allowed gait
        effort = EFFORT_BY_GAIT[dose.stage]
    return S.sprint_sets(set_sizes, phase.distance_m, effort, _backward_cue(ctx))


def _scaled(seconds: int, scale: float, floor: int) -> int:
    """Warm-ups and cool-downs shrink with the week's dose, in half minutes."""
    return max(floor, int(seconds * min(1.0, scale)) // 30 * 30)


def _warmup(ctx: Context, walk: bool, scale: float) -> tuple[StepOrRepeat, ...]:
    return _warmup_steps(walk, scale, ctx.easy_target)


def _cooldown(ctx: Context, walk: bool, scale: float) -> tuple[StepOrRepeat, ...]:
    return _cooldown_steps(walk, scale, ctx.easy_target)


# Bounded: the scale is a float, so keys are many in a long-running server.
@functools.lru_cache(maxsize=1024)
def _warmup_steps(walk: bool, scale: float, easy: Target) -> tuple[StepOrRepeat, ...]:
    if walk:
        return (S.forward(StepKind.WARMUP,
                          _scaled(WALK_WARMUP_SECONDS, scale, WARMUP_FLOOR_SECONDS), "Brisk walk",
                          Gait.WALK),)
    return (S.forward(StepKind.WARMUP, _scaled(S.WARMUP_SECONDS, scale, WARMUP_FLOOR_SECONDS),
                      "Easy jog", Gait.JOG, target=easy),)


@functools.lru_cache(maxsize=1024)
def _cooldown_steps(walk: bool, scale: float, easy: Target) -> tuple[StepOrRepeat, ...]:
    gait = Gait.WALK if walk else Gait.JOG
    seconds = _scaled(S.COOLDOWN_SECONDS, scale, 0)
    if not seconds:  # tiny sessions: the warm-up's walk is enough
        return ()
    return (S.forward(StepKind.COOLDOWN, seconds, f"Easy {gait}", gait, target=easy),)


def _filler(ctx: Context, week: int, seconds: int, name: str = "Easy run"
            ) -> tuple[StepOrRepeat, ...]:
    """The forward easy part that absorbs the week's remaining load."""
    if seconds < 60:
        return ()
    if ctx.onramp:
        return S.onramp_block(week, seconds)
    return (S.forward(StepKind.WORK, seconds // 60 * 60, name, target=ctx.easy_target),)


def clock(seconds: int) -> str:
    """3:30 min, or 5 min for whole minutes."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d} min" if rest else f"{minutes} min"


def _seconds(steps: tuple[StepOrRepeat, ...]) -> int:
    return int(step_totals(steps)["running_seconds"])


def _load(steps: tuple[StepOrRepeat, ...]) -> float:
    totals = step_totals(steps)
    return float(totals["running_seconds"]
                 + (BACKWARD_LOAD_FACTOR - 1) * totals["backward_seconds"])


@dataclass(slots=True, eq=False)  # frames are compared by identity
class Frame:
    """A session before its forward filler is sized: fixed head and tail, a share weight."""

    weekday: int
    slot: str
    kind: SessionKind
    title: str
    surface: Surface
    head: tuple[StepOrRepeat, ...]
    tail: tuple[StepOrRepeat, ...] = ()
    weight: float = 0.0
    claims: tuple[str, ...] = ()
    filler_name: str = "Easy run"
    # The head and tail's running seconds, load and backward seconds, worked out once.
    fixed_seconds: int = field(init=False)
    fixed_load: float = field(init=False)
    fixed_backward: int = field(init=False)

    def __post_init__(self) -> None:
        self.fixed_seconds, self.fixed_load, self.fixed_backward = _fixed_totals(
            self.head, self.tail)


@functools.lru_cache(maxsize=4096)
def _fixed_totals(head: tuple[StepOrRepeat, ...], tail: tuple[StepOrRepeat, ...]
                  ) -> tuple[int, float, int]:
    backward = step_totals(head)["backward_seconds"] + step_totals(tail)["backward_seconds"]
    return _seconds(head) + _seconds(tail), _load(head) + _load(tail), backward


def _quality_frame(ctx: Context, day: int, load_target: float) -> Frame | None:
    allowed = QUALITY_SHARE * load_target
    polarized = ctx.profile.intensity_model == "polarized"
    if polarized:
        count = min(MAX_INTERVALS, int(allowed // INTERVAL_SECONDS))
        if count < 2:
            return None
        hard = Target(TargetType.HR, ctx.zones.zones[3][0], ctx.zones.zones[4][1],
                      TargetUnit.BPM) if ctx.zones else Target(TargetType.RPE, 7, 8,
                                                                  TargetUnit.CR10)
        main: tuple[StepOrRepeat, ...] = (Repeat(count, (
            S.forward(StepKind.WORK, INTERVAL_SECONDS, "Hard", intensity=Intensity.HARD,
                      target=hard),
            S.forward(StepKind.RECOVERY, INTERVAL_RECOVERY_SECONDS, "Easy jog", Gait.JOG,
                      target=ctx.easy_target))),)
        kind, title = SessionKind.INTERVALS, f"Intervals {count} x 3 min"
    else:
        seconds = min(MAX_TEMPO_SECONDS, int(allowed) // 60 * 60)
        if seconds < MIN_TEMPO_SECONDS:
            return None
        tempo = Target(TargetType.HR, ctx.zones.zones[2][0], ctx.zones.zones[3][1],
                       TargetUnit.BPM) if ctx.zones else Target(TargetType.RPE, 5, 6,
                                                               TargetUnit.CR10)
        main = (S.forward(StepKind.WORK, seconds, "Tempo", intensity=Intensity.MODERATE,
                          target=tempo),)
        kind, title = SessionKind.TEMPO, f"Tempo {seconds // 60} min"
    return Frame(day, "quality", kind, title, ctx.forward_surface,
                 _warmup(ctx, False, 1.0) + main + _cooldown(ctx, False, 1.0),
                 claims=("easy_most",))


def _backward_frame(ctx: Context, inputs: WeekInputs, day: int, ordinal: int,
                    dose: Dose) -> Frame:
    walk = ctx.onramp or ctx.max_stage is Gait.WALK or ctx.program.pain_gated
    surface = ctx.backward_surface
    if dose.phase.format == "sprint_sets":
        block = _sprint_block(ctx, inputs, dose)
        hard = dose.stage in (Gait.RUN, Gait.SPRINT) and surface is not Surface.INDOOR
        kind = SessionKind.BACKWARD_SPRINTS if hard else SessionKind.BACKWARD
        title = f"Backward {dose.stage} 20 m efforts"
        return Frame(day, f"backward-{ordinal}", kind, title, surface,
                     _warmup(ctx, walk, inputs.dose_scale) + block,
                     _cooldown(ctx, walk, inputs.dose_scale), weight=1.0,
                     claims=("youth_sprint", "safety_surface"), filler_name="Easy run, forward")
    block = _backward_block(ctx, dose, inputs.dose_scale)
    label = {Gait.WALK: "walking", Gait.JOG: "jogging", Gait.RUN: "running"}.get(
        dose.stage, "running")
    # "{backward}" becomes the backward time the steps actually add up to.
    title = f"Backward {label} {{backward}}" + (" + easy run" if not walk else "")
    claims = ("knee_oa_walking", "safety_surface") if ctx.program.pain_gated else (
        "ladder", "energy_cost", "safety_surface")
    return Frame(day, f"backward-{ordinal}", SessionKind.BACKWARD, title, surface,
                 _warmup(ctx, walk, inputs.dose_scale) + block,
                 _cooldown(ctx, walk, inputs.dose_scale), weight=1.0, claims=claims,
                 filler_name="Easy run, forward")


def _plain_frame(ctx: Context, day: int, long_day: bool, scale: float) -> Frame:
    if long_day:
        return Frame(day, "long", SessionKind.LONG, "Long run", ctx.forward_surface, (),
                     weight=LONG_RUN_WEIGHT, claims=("load_spikes",), filler_name="Long run")
    if ctx.onramp:
        return Frame(day, f"easy-{day}", SessionKind.EASY, "Walk/run", ctx.forward_surface,
                     _warmup(ctx, True, scale), _cooldown(ctx, True, scale), weight=1.0,
                     claims=("load_spikes",))
    return Frame(day, f"easy-{day}", SessionKind.EASY, "Easy run", ctx.forward_surface, (),
                 weight=1.0, claims=("easy_most",))


def _economy_test(ctx: Context, day: int, scale: float) -> Frame:
    easy = round(ctx.paces.easy_s_per_km)
    steady = S.forward(StepKind.WORK, ECONOMY_TEST_SECONDS, "Steady at easy pace: note HR",
                       target=Target(TargetType.PACE, easy - 5, easy + 5, TargetUnit.S_PER_KM))
    return Frame(day, "economy-check", SessionKind.TEST, "Economy check",
                 ctx.forward_surface, _warmup(ctx, False, scale) + (steady,),
                 _cooldown(ctx, False, scale), weight=0.5, claims=("economy",))


def _field_test(ctx: Context, day: int, scale: float) -> Frame:
    sprint = S.step(StepKind.WORK, FIELD_SPRINT_SECONDS, intensity=Intensity.HARD, meters=20,
                    target=Target(TargetType.EFFORT, 95, 100, TargetUnit.PERCENT_MAX_EFFORT),
                    name="Forward 20 m sprint, time the 10 m and 20 m")
    walk = S.forward(StepKind.RECOVERY, FIELD_REST_SECONDS, "Walk back and rest", Gait.WALK)
    jumps = S.exercise_steps((("Countermovement jump x 3, best height", FIELD_JUMPS_SECONDS),))
    return Frame(day, "field-test", SessionKind.TEST, "Field tests: sprint and jump",
                 ctx.backward_surface if ctx.backward_surface is not Surface.TREADMILL
                 else ctx.forward_surface,
                 _warmup(ctx, False, scale) + (Repeat(3, (sprint, walk)),) + jumps,
                 weight=0.5, claims=("youth_sprint",))


def week_frames(ctx: Context, inputs: WeekInputs) -> list[Frame]:
    pattern = ctx.pattern
    dose = backward_dose(ctx, inputs, len(pattern.backward_days))
    frames: list[Frame] = []
    for day in pattern.run_days:
        if day in pattern.backward_days:
            ordinal = pattern.backward_days.index(day) + 1
            frames.append(_fitted_backward_frame(ctx, inputs, day, ordinal, dose))
        elif day == pattern.quality_day:
            quality = _quality_frame(ctx, day, inputs.load_target)
            if quality is None or quality.fixed_seconds > inputs.session_caps[day]:
                quality = _plain_frame(ctx, day, False, inputs.dose_scale)
            frames.append(quality)
        else:
            frames.append(_plain_frame(ctx, day, day == pattern.long_day, inputs.dose_scale))
    return _with_tests(ctx, inputs, frames)


def _fitted_backward_frame(ctx: Context, inputs: WeekInputs, day: int, ordinal: int,
                           dose: Dose) -> Frame:
    """A backward session whose fixed parts fit under its spike cap: when they do not,
    its own dose is cut in proportion (the parts scale about linearly) and it is rebuilt."""
    frame = _backward_frame(ctx, inputs, day, ordinal, dose)
    cap = inputs.session_caps.get(day, 0)
    for _ in range(FIT_ATTEMPTS):
        if not cap or frame.fixed_seconds <= cap:
            break
        local = replace(inputs, dose_scale=inputs.dose_scale * FIT_MARGIN * cap
                        / frame.fixed_seconds)
        frame = _backward_frame(ctx, local, day, ordinal,
                                backward_dose(ctx, local, len(ctx.pattern.backward_days)))
    return frame


def _with_tests(ctx: Context, inputs: WeekInputs, frames: list[Frame]) -> list[Frame]:
    """Economy checks and field tests take a session's place when they fit its spike cap."""
    program, week, scale = ctx.program, inputs.index, inputs.dose_scale
    if week not in program.economy_checks and week not in program.field_tests:
        return frames
    frames = [_fitting(f, _economy_test(ctx, f.weekday, scale), inputs)
              if week in program.economy_checks and ctx.max_stage is not Gait.WALK
              and f is _economy_spot(frames, week) else f for f in frames]
    if week in program.field_tests and ctx.max_stage is not Gait.WALK:
        backward = [f for f in frames if f.slot.startswith("backward")]
        if backward:
            spot = backward[0] if week == 1 else backward[-1]
            frames[frames.index(spot)] = _fitting(spot, _field_test(ctx, spot.weekday, scale),
                                                  inputs)
    return frames


def _economy_spot(frames: list[Frame], week: int) -> Frame | None:
    easy = [f for f in frames if f.kind is SessionKind.EASY]
    return (easy[0] if week == 1 else easy[-1]) if easy else None


def _fitting(current: Frame, test: Frame, inputs: WeekInputs) -> Frame:
    return test if test.fixed_seconds <= inputs.session_caps[test.weekday] else current


def allocate(frames: list[Frame], slack: float, caps: dict[int, int],
             min_plain: int) -> list[int]:
    """Share `slack` seconds of forward filler by weight, each frame under its spike cap;
    the filler seconds of each frame, in order.

    Plain easy runs that would get less than `min_plain` seconds are dropped (size 0)."""
    room = [max(0, caps[f.weekday] - f.fixed_seconds) for f in frames]
    weights = [f.weight for f in frames]
    active = [i for i, weight in enumerate(weights) if weight > 0]
    while True:
        sizes = _shares(active, weights, room, max(0.0, slack))
        # A plain run shorter than `min_plain` is dropped, unless the athlete's own runs
        # are that short (its spike cap is below it).
        tiny = [i for i in active if not frames[i].head
                and 0 < sizes[i] < min(min_plain, 0.9 * room[i])]
        if not tiny:
            return sizes
        active.remove(tiny[-1])


def _shares(active: list[int], weights: list[float], room: list[int],
            remaining: float) -> list[int]:
    """Rounds of sharing by weight: a frame that reaches its room leaves, and what it
    could not take is shared again among the others."""
    sizes = [0] * len(weights)
    open_frames = active
    while open_frames and remaining > 1:
        total = sum(weights[i] for i in open_frames)
        start, still_open = remaining, []
        for i in open_frames:
            share, left = start * weights[i] / total, room[i] - sizes[i]
            if share < left:
                still_open.append(i)
            give = int(min(share, left))
            sizes[i] += give
            remaining -= give
        if len(still_open) == len(open_frames):
            break
        open_frames = still_open
    return sizes


def _session(ctx: Context, inputs: WeekInputs, frame: Frame, filler: int) -> Session:
    filler_steps = _filler(ctx, inputs.index, filler, frame.filler_name)
    why, evidence = _why(*frame.claims)
    # The filler is forward running, so the frame's fixed parts hold all backward time.
    running = frame.fixed_seconds + _seconds(filler_steps)
    return Session(
        f"{ctx.program.id}-w{inputs.index:02d}-{frame.slot}", _date(inputs.start, frame.weekday),
        frame.kind, _title(frame.title, frame.fixed_backward, running), frame.surface,
        frame.head + filler_steps + frame.tail, why, evidence)


def _title(template: str, backward_seconds: int, running_seconds: int) -> str:
    title = template.replace("{backward}", clock(backward_seconds)) if "{" in template \
        else template
    minutes = round(running_seconds / 60)
    return f"{title} · {minutes} min" if minutes else title


def extra_sessions(ctx: Context, inputs: WeekInputs) -> tuple[Session, ...]:
    """Core and strength sessions: no running, so the load rules do not move them."""
    return tuple(
        Session(f"{ctx.program.id}-w{inputs.index:02d}-{slot}", _date(inputs.start, day),
                kind, title, Surface.INDOOR, steps, why, evidence)
        for slot, day, kind, title, steps, why, evidence in _extra_templates(
            ctx.pattern.core_days, ctx.pattern.strength_days))


@functools.cache
def _extra_templates(core_days: tuple[int, ...], strength_days: tuple[int, ...]
                     ) -> tuple[tuple[Any, ...], ...]:
    """What every week's core and strength sessions share: all but their id and date."""
    out = []
    for kind, days, steps, claim, label in (
        (SessionKind.CORE, core_days, S.core_steps(), "core", "Core routine"),
        (SessionKind.STRENGTH, strength_days, S.strength_steps(), "strength", "Strength"),
    ):
        why, evidence = _why(claim)
        minutes = round(step_totals(steps)["exercise_seconds"] / 60)
        out += [(f"{kind}-{ordinal}", day, kind, f"{label} · {minutes} min", steps, why,
                 evidence) for ordinal, day in enumerate(days, 1)]
    return tuple(out)


def _skipped(frames: list[Frame], skip: int) -> list[Frame]:
    """Leave out `skip` sessions with fixed parts (plain runs can shrink to nothing anyway):
    tests and quality sessions first, then backward sessions, latest first."""
    fixed = sorted((f for f in frames if f.head), key=lambda f: (
        f.slot.startswith("backward"), -f.weekday))
    dropped = {f.slot for f in fixed[:min(skip, len(fixed) - 1)]}
    return [f for f in frames if f.slot not in dropped]


def build_week(ctx: Context, inputs: WeekInputs,
               extras: tuple[Session, ...] | None = None) -> Week:
    frames = _skipped(week_frames(ctx, inputs), inputs.skip)
    slack = inputs.load_target - sum(f.fixed_load for f in frames)
    # A lighter week keeps every run (shorter), so it drops by 20-30 % rather than a session.
    min_plain = 0 if ctx.onramp or is_lighter(ctx, inputs.index) else MIN_EASY_RUN_SECONDS
    sizes = allocate(frames, slack, inputs.session_caps, min_plain)
    sessions = [_session(ctx, inputs, f, size) for f, size in zip(frames, sizes, strict=True)
                if f.head or size > 0]
    sessions += extra_sessions(ctx, inputs) if extras is None else extras
    sessions.sort(key=lambda s: (s.date, s.kind not in (SessionKind.TEST,), s.id))
    phase = ctx.program.phase(inputs.phase_week)
    # The highest backward gait practised; a week without backward work keeps its phase's.
    stage = max((g for s in sessions for g in s.backward_gaits), key=STAGE_LADDER.index,
                default=ctx.stage_for(phase.stage))
    lighter = inputs.index % ctx.program.lighter_every == 0
    return Week(inputs.index, stage, lighter, tuple(sessions), phase.advance_when)


def is_lighter(ctx: Context, index: int) -> bool:
    return index % ctx.program.lighter_every == 0


def intense_ok(week: Week) -> bool:
    return week.intense_seconds <= INTENSE_SHARE_CAP * week.running_seconds


def lighter_target(previous_load: float) -> float:
    return previous_load * LIGHTER_WEEK_TARGET
