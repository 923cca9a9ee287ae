"""One week of a plan: its sessions for a load target, a stage plan and a backward dose.

`build_week` is the pure builder; the generator chooses the load target and dose so the
week keeps the load rules, and calls it again with less when a rule would break.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from typing import Any

from retrorun.domain import sessions as S  # noqa: N812
from retrorun.domain.allocation import allocate
from retrorun.domain.backward import backward_dose, backward_warmup_jog, fitted_backward_frame
from retrorun.domain.context import Context
from retrorun.domain.cues import CUE_SUPERVISION
from retrorun.domain.forward import (
    economy_test,
    field_test,
    filler,
    plain_frame,
    quality_frame,
    quality_surface,
    strides,
)
from retrorun.domain.frames import Frame, date_of, first_long_run, session_title, why
from retrorun.domain.model import (
    STAGE_LADDER,
    Gait,
    Repeat,
    Session,
    SessionKind,
    StepOrRepeat,
    Surface,
    Week,
    step_totals,
)
from retrorun.domain.progression import StagePlan
from retrorun.domain.rules import (
    BACKWARD_LOAD_FACTOR,
    LIGHTER_WEEK_TARGET,
    MIN_DAYS_BETWEEN_BACKWARD,
    MIN_EASY_RUN_SECONDS,
    SHAKEOUT_MIN_SECONDS,
)
from retrorun.domain.schedule import gap


@dataclass(slots=True)
class WeekInputs:
    index: int
    start: dt.date
    load_target: float
    dose_scale: float
    session_caps: dict[int, int]  # weekday -> most running seconds (spike guard)
    plan: StagePlan
    skip: int = 0  # sessions to leave out, when even the smallest doses are too much
    ordinary_weeks: int = 1  # ordinary (not lighter) weeks so far, this one included
    quality_floor: int = 0  # the hard seconds of the last ordinary week's quality session


def load_of(session: Session) -> float:
    """B4 load: forward seconds plus backward seconds x 1.3 (no RPE yet); walking-only
    sessions are not running load."""
    if not session.holds_running:
        return 0.0
    return session.running_seconds + (BACKWARD_LOAD_FACTOR - 1) * session.backward_seconds


def is_lighter(ctx: Context, index: int) -> bool:
    return index % ctx.program.lighter_every == 0


def _backward_warmup_allowed(ctx: Context, plan: StagePlan) -> bool:
    """Past stage 1, a track session warms up with backward jogging, where the 48 h rule
    of stages 1-2 allows it (2 days from every backward session)."""
    pattern = ctx.pattern
    if (pattern.quality_day is None or plan.stage is Gait.WALK or ctx.max_stage is Gait.WALK
            or quality_surface(ctx) is not Surface.TRACK):
        return False
    # The 48 h rule binds stages 1-2: past them the warm-up is free, except in the first
    # week at running, which may follow a jogging week's session by a day.
    if plan.stage in (Gait.RUN, Gait.SPRINT) and plan.weeks_at_stage > 1:
        return True
    return all(gap(pattern.quality_day, d) >= MIN_DAYS_BETWEEN_BACKWARD
               for d in pattern.backward_days)


@functools.cache
def _strides_day(run_days: tuple[int, ...], busy: tuple[int, ...]) -> int | None:
    """Strides after the first plain easy run that is not right before a busy day."""
    plain = [d for d in run_days if d not in busy]
    calm = [d for d in plain if (d + 1) % 7 not in busy]
    choice = calm or plain
    return choice[0] if choice else None


def week_frames(ctx: Context, inputs: WeekInputs) -> list[Frame]:
    pattern = ctx.pattern
    plan = inputs.plan
    lighter = is_lighter(ctx, inputs.index)
    # Lighter weeks lighten intensity too: no strides. [X]
    dose = backward_dose(ctx, plan, inputs.load_target, inputs.dose_scale,
                         len(pattern.backward_days),
                         ctx.program.strides_in(inputs.index) is not None and not lighter)
    attached = () if ctx.walk_apart else pattern.backward_days
    busy = (*attached, *pattern.hard_days)
    stride_tail = () if lighter else strides(ctx)
    stride_day = _strides_day(pattern.run_days, busy) if stride_tail else None
    frames: list[Frame] = []
    for day in pattern.run_days:
        if day in attached:
            ordinal = pattern.backward_days.index(day) + 1
            frames.append(fitted_backward_frame(ctx, day, ordinal, dose, inputs.index,
                                                inputs.dose_scale, inputs.session_caps[day]))
        elif day == pattern.quality_day:
            jog = backward_warmup_jog(ctx) if _backward_warmup_allowed(ctx, plan) else ()
            quality = quality_frame(ctx, day, inputs.load_target, inputs.ordinary_weeks,
                                    lighter, jog, inputs.quality_floor)
            if quality is None or quality.fixed_seconds > inputs.session_caps[day]:
                quality = plain_frame(ctx, day, False, inputs.dose_scale,
                                      min_filler=_min_plain(ctx, lighter))
            frames.append(quality)
        else:
            tail = stride_tail if day == stride_day else ()
            frames.append(plain_frame(ctx, day, day == pattern.long_day, inputs.dose_scale,
                                      tail, _min_plain(ctx, lighter)))
    if stride_tail and stride_day is None:
        frames = _strides_after_backward(frames, stride_tail)
    if ctx.walk_apart:
        # Walks of their own are not running load: the load rules do not cut them.
        walk = backward_dose(ctx, plan, inputs.load_target, 1.0, len(pattern.backward_days),
                             False)
        frames += [fitted_backward_frame(ctx, day, ordinal, walk, inputs.index, 1.0, 0)
                   for ordinal, day in enumerate(pattern.backward_days, 1)]
    return _with_tests(ctx, inputs, frames)


def _strides_after_backward(frames: list[Frame], tail: tuple[StepOrRepeat, ...]
                            ) -> list[Frame]:
    """With no plain easy run in the week, forward strides close the first backward session
    that has no backward strides."""
    for i, frame in enumerate(frames):
        if frame.slot.startswith("backward") and "strides" not in frame.title:
            frames[i] = replace(frame, tail=tail + frame.tail, title=frame.title + " + strides")
            break
    return frames


def _min_plain(ctx: Context, lighter: bool = False) -> int:
    """The shortest plain run kept: 20 min; in a lighter week a 10-min shake-out, so the
    week keeps its runs, shorter, rather than losing one. [A]"""
    if ctx.onramp:
        return 0
    return SHAKEOUT_MIN_SECONDS if lighter else MIN_EASY_RUN_SECONDS


@functools.cache
def _economy_day(run_days: tuple[int, ...], backward_days: tuple[int, ...],
                 hard_days: tuple[int, ...]) -> int | None:
    """One weekday for every economy check: an easy day, never the day after a backward
    session or a hard one, so each check starts equally rested."""
    busy = set(backward_days) | set(hard_days)
    return next((d for d in run_days if d not in busy and (d - 1) % 7 not in busy), None)


def _with_tests(ctx: Context, inputs: WeekInputs, frames: list[Frame]) -> list[Frame]:
    """Economy checks and field tests take a session's place when they fit its spike cap."""
    program, week = ctx.program, inputs.index
    if ctx.max_stage is Gait.WALK:
        return frames
    pattern = ctx.pattern
    if week in program.economy_checks:
        day = _economy_day(pattern.run_days, pattern.backward_days, pattern.hard_days)
        frames = [_fitting(f, economy_test(ctx, day), inputs)
                  if day is not None and f.weekday == day and f.kind is SessionKind.EASY
                  else f for f in frames]
    if week in program.field_tests:
        backward = [f for f in frames if f.slot.startswith("backward")]
        # An easy run's day first: the tests need fresh legs, and the week keeps both
        # effort sessions.
        easy = [f for f in frames if f.kind is SessionKind.EASY and not f.head]
        test = field_test(ctx, easy[0].weekday) if easy else None
        if easy and test is not None and _fitting(easy[0], test, inputs) is test:
            frames[frames.index(easy[0])] = test
        elif backward:
            # The first tests open the first session (fresh, before its efforts); the
            # last ones take the block's last session.
            first = week == min(program.field_tests)
            spot = backward[0] if first else backward[-1]
            test = field_test(ctx, spot.weekday)
            if first:
                test = replace(spot, head=test.head + spot.head[1:],
                               title=f"Field tests + {spot.title[0].lower()}{spot.title[1:]}")
            frames[frames.index(spot)] = _fitting(spot, test, inputs)
    return frames


def _fitting(current: Frame, test: Frame, inputs: WeekInputs) -> Frame:
    return test if test.fixed_seconds <= inputs.session_caps[test.weekday] else current


def session_id_prefix(ctx: Context, index: int) -> str:
    """What the ids of week `index`'s sessions start with (formatted once a week: an int's
    format spec costs five times the rest of the id)."""
    return f"{ctx.program.id}-w{index:02d}"


def _session(prefix: str, inputs: WeekInputs, frame: Frame,
             filler_steps: tuple[StepOrRepeat, ...], running: int) -> Session:
    """A part of a draft written out; `running`: its running seconds (the draft's count).
    The filler is forward running, so the frame's fixed parts hold all backward time."""
    reason, evidence = why(*frame.claims)
    return Session(
        f"{prefix}-{frame.slot}", date_of(inputs.start, frame.weekday),
        frame.kind, session_title(frame.kind, frame.title, bool(filler_steps),
                                  frame.fixed_backward, running), frame.surface,
        frame.head + filler_steps + frame.tail, reason, evidence, frame.cues)


def extra_sessions(ctx: Context, inputs: WeekInputs) -> tuple[Session, ...]:
    """Core and strength sessions: no running, so the load rules do not move them."""
    prefix = session_id_prefix(ctx, inputs.index)
    return tuple(
        Session(f"{prefix}-{slot}", date_of(inputs.start, day),
                kind, title, surface, steps, reason, evidence, cues, totals=totals)
        for slot, day, kind, title, surface, steps, reason, evidence, cues, totals
        in _extra_templates(
            ctx.pattern.core_days, ctx.pattern.strength_days, ctx.screening.no_supine,
            ctx.youth))


@functools.cache
def _extra_templates(core_days: tuple[int, ...], strength_days: tuple[int, ...],
                     no_supine: bool, youth: bool) -> tuple[tuple[Any, ...], ...]:
    """What every week's core and strength sessions share: all but their id and date."""
    out = []
    for kind, days, steps, claim, label, cues in (
        (SessionKind.CORE, core_days, S.core_steps(no_supine), "core", "Core routine", ()),
        (SessionKind.STRENGTH, strength_days, S.strength_steps(), "strength", "Strength",
         (CUE_SUPERVISION,) if youth else ()),
    ):
        reason, evidence = why(claim)
        # The totals go with the steps they were made from: each week's session is these
        # same (immutable) steps, so it need not look them up again.
        totals = step_totals(steps)
        minutes = round(totals.exercise_seconds / 60)
        out += [(f"{kind}-{ordinal}", day, kind, f"{label} · {minutes} min", Surface.INDOOR,
                 steps, reason, evidence, cues, totals) for ordinal, day in enumerate(days, 1)]
    return tuple(out)


def _skipped(frames: list[Frame], skip: int) -> list[Frame]:
    """Leave out `skip` sessions with fixed parts (plain runs can shrink to nothing anyway):
    tests and quality sessions first, then backward sessions, latest first."""
    if not skip:  # the usual case: every draft but those of a week that cannot fit
        return frames
    fixed = sorted((f for f in frames if f.head), key=lambda f: (
        f.slot.startswith("backward"), -f.weekday))
    dropped = {f.slot for f in fixed[:min(skip, len(fixed) - 1)]}
    return [f for f in frames if f.slot not in dropped]


def _shorter_than_long(ctx: Context, inputs: WeekInputs, frames: list[Frame],
                       sizes: list[int]) -> list[Frame] | None:
    """Frames whose fixed part outgrows the long run, made shorter: optional strides
    dropped, the quality session cut to fit; None when nothing needs it."""
    long = first_long_run(frames, range(len(frames)))
    if long is None or not sizes[long]:
        return None
    longest = frames[long].fixed_seconds + sizes[long]
    out, changed = list(frames), False
    for i, frame in enumerate(frames):
        if i == long or frame.fixed_seconds <= longest:
            continue
        # What this frame gives up goes to the long run: meet halfway.
        bound = (longest + frame.fixed_seconds) // 2
        if frame.slot == "quality":
            jog = backward_warmup_jog(ctx) if _backward_warmup_allowed(ctx, inputs.plan) else ()
            shorter = quality_frame(ctx, frame.weekday, inputs.load_target,
                                    inputs.ordinary_weeks, is_lighter(ctx, inputs.index), jog,
                                    inputs.quality_floor, bound)
            lighter = is_lighter(ctx, inputs.index)
            out[i] = shorter or plain_frame(ctx, frame.weekday, False, inputs.dose_scale,
                                            min_filler=_min_plain(ctx, lighter))
        else:
            kept = tuple(x for x in frame.tail if not _optional(x))
            if kept == frame.tail:
                continue
            out[i] = replace(frame, tail=kept,
                             title=frame.title.replace(" + optional strides", ""))
        changed = True
    return out if changed else None


def _optional(item: StepOrRepeat) -> bool:
    return all(s.optional for s in item.steps) if isinstance(item, Repeat) else item.optional


@dataclass(slots=True)
class WeekDraft:
    """A week as the load rules see it, before its sessions are written: the solver tries
    several and writes out only the one it keeps (`week`)."""

    ctx: Context
    inputs: WeekInputs
    parts: list[tuple[Frame, tuple[StepOrRepeat, ...]]]  # each session's frame and filler
    extras: tuple[Session, ...]
    index: int = 0
    stage: Gait = Gait.WALK
    lighter: bool = False
    load: float = 0.0
    load_running_seconds: int = 0
    load_backward_seconds: int = 0
    backward_seconds: int = 0
    backward_running_seconds: int = 0
    intense_seconds: int = 0
    runs: tuple[tuple[int, int], ...] = ()  # (weekday, running seconds) of running sessions
    seconds: tuple[int, ...] = ()  # each part's running seconds, for `week`

    def __post_init__(self) -> None:
        runs, seconds = [], []
        backward = backward_running = intense = load_running = load_backward = 0
        for frame, filler_steps in self.parts:
            totals, extra = frame.totals, step_totals(filler_steps)
            running = totals.seconds + extra.running_seconds
            seconds.append(running)
            backward += totals.backward
            backward_running += totals.backward_running
            intense += totals.intense
            if totals.running or extra.holds_running:
                runs.append((frame.weekday, running))
                load_running += running
                load_backward += totals.backward
        self.runs, self.seconds = tuple(runs), tuple(seconds)
        self.backward_seconds, self.backward_running_seconds = backward, backward_running
        self.intense_seconds = intense
        self.load_running_seconds, self.load_backward_seconds = load_running, load_backward
        self.load = load_running + (BACKWARD_LOAD_FACTOR - 1) * load_backward

    def week(self) -> Week:
        inputs = self.inputs
        prefix = session_id_prefix(self.ctx, inputs.index)
        sessions = [_session(prefix, inputs, frame, steps, running)
                    for (frame, steps), running in zip(self.parts, self.seconds, strict=True)]
        sessions += self.extras
        sessions.sort(key=_day_order)
        return Week(self.index, self.stage, self.lighter, tuple(sessions),
                    inputs.plan.dose.advance_when)


# A test opens its day: the tests need fresh legs.
_OPENS_THE_DAY = frozenset({SessionKind.TEST})


def _day_order(session: Session) -> tuple[dt.date, bool, str]:
    """A week's sessions by date; on one date a test first, then by id."""
    return session.date, session.kind not in _OPENS_THE_DAY, session.id


def build_week(ctx: Context, inputs: WeekInputs,
               extras: tuple[Session, ...] | None = None) -> WeekDraft:
    frames = _skipped(week_frames(ctx, inputs), inputs.skip)
    slack = inputs.load_target - sum(f.fixed_load for f in frames)
    sizes = allocate(frames, slack, inputs.session_caps)
    shorter = _shorter_than_long(ctx, inputs, frames, sizes)
    if shorter is not None:
        frames = shorter
        slack = inputs.load_target - sum(f.fixed_load for f in frames)
        sizes = allocate(frames, slack, inputs.session_caps)
    parts = [(f, filler(ctx, inputs.index, size, f.filler_name))
             for f, size in zip(frames, sizes, strict=True) if f.head or size > 0]
    return WeekDraft(ctx, inputs, parts, extra_sessions(ctx, inputs) if extras is None
                     else extras, inputs.index, inputs.plan.stage,
                     is_lighter(ctx, inputs.index))


def lighter_target(previous_load: float) -> float:
    return previous_load * LIGHTER_WEEK_TARGET


def highest_gait(sessions: list[Session], default: Gait) -> Gait:
    return max((g for s in sessions for g in s.backward_gaits), key=STAGE_LADDER.index,
               default=default)


