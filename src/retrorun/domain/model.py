"""The plan as values: targets, steps, sessions, weeks and plans.

Everything here is immutable and measured in integer SI units (seconds, metres).
Totals that the plan document prints (running, backward and intense seconds) are
derived from the steps, never stored beside them, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple, TypeAlias

from retrorun.domain.kinds import (
    BACKWARD_RUN_SURFACES,
    BACKWARD_WALK_SURFACES,
    HARD_KINDS,
    RUNNING_GAITS,
    SPRINT_SURFACES,
    STAGE_LADDER,
    Direction,
    Gait,
    Intensity,
    SessionKind,
    StepKind,
    Surface,
    TargetType,
    TargetUnit,
)
from retrorun.domain.rules import BACKWARD_LOAD_FACTOR

# Public names; the vocabulary (enums, the stage ladder, surface sets) lives in `kinds`.
__all__ = [
    "BACKWARD_RUN_SURFACES",
    "BACKWARD_WALK_SURFACES",
    "HARD_KINDS",
    "OPEN_TARGET",
    "RUNNING_GAITS",
    "SPRINT_SURFACES",
    "STAGE_LADDER",
    "Direction",
    "Gait",
    "Intensity",
    "Plan",
    "Repeat",
    "Session",
    "SessionKind",
    "Step",
    "StepKind",
    "StepOrRepeat",
    "StepTotals",
    "Surface",
    "Target",
    "TargetType",
    "TargetUnit",
    "Week",
    "expand",
    "step_totals",
]


class _CachedHash:
    """Frozen values that are hashed often (cache keys) keep their hash: computing it
    means hashing every field, recursively, on each lookup."""

    __slots__ = ()

    def _remember_hash(self, *fields: object) -> None:
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True, slots=True)
class Target(_CachedHash):
    type: TargetType
    low: float | None = None
    high: float | None = None
    unit: TargetUnit | None = None
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._remember_hash(self.type, self.low, self.high, self.unit)

    __hash__ = _CachedHash.__hash__


OPEN_TARGET = Target(TargetType.OPEN)


@dataclass(frozen=True, slots=True)
class Step(_CachedHash):
    """One step. On-foot steps have a direction and gait; exercises have neither.

    `seconds` is always set: for a step defined by distance it is the expected time,
    so session totals add up.
    """

    kind: StepKind
    seconds: int
    direction: Direction = Direction.FORWARD
    gait: Gait = Gait.RUN
    intensity: Intensity = Intensity.EASY
    meters: int | None = None
    target: Target = OPEN_TARGET
    name: str = ""
    cue: str = ""
    # An optional step (e.g. strides at the end of a session): done when it feels good,
    # never counted toward a stage's test or its growth.
    optional: bool = False
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._remember_hash(self.kind, self.seconds, self.direction, self.gait,
                            self.intensity, self.meters, self.target, self.name, self.cue,
                            self.optional)

    __hash__ = _CachedHash.__hash__

    @property
    def on_foot(self) -> bool:
        return self.direction is not Direction.NONE


@dataclass(frozen=True, slots=True)
class Repeat(_CachedHash):
    count: int
    steps: tuple[Step, ...]
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._remember_hash(self.count, self.steps)

    __hash__ = _CachedHash.__hash__


StepOrRepeat: TypeAlias = Step | Repeat


def expand(steps: tuple[StepOrRepeat, ...]) -> tuple[Step, ...]:
    """The steps in the order they are done, repeats written out."""
    out: list[Step] = []
    for item in steps:
        if isinstance(item, Repeat):
            out.extend(item.steps * item.count)
        else:
            out.append(item)
    return tuple(out)


class StepTotals(NamedTuple):
    """A step list's totals (see `step_totals`)."""

    running_seconds: int
    backward_seconds: int
    # Backward jogging, running and sprinting: what the 10 % cap of B2 limits.
    backward_running_seconds: int
    intense_seconds: int
    exercise_seconds: int
    backward_gaits: frozenset[Gait]
    backward_by_gait: dict[Gait, int]
    # Without optional steps: what stage tests and the 2-min growth rule count.
    prescribed_backward_by_gait: dict[Gait, int]
    prescribed_backward_running_seconds: int
    holds_running: bool
    forward_running: bool
    # The highest stage of the ladder practised backward, if any.
    top_backward_gait: Gait | None


# A tuple of totals is small, so the cache can hold the step lists of many plans.
@functools.lru_cache(maxsize=16384)
def step_totals(steps: tuple[StepOrRepeat, ...]) -> StepTotals:
    """A session's totals from its steps, in one pass (repeats counted, not written out).
    Cached: plans repeat the same step lists."""
    running = backward = backward_running = intense = exercise = prescribed_running = 0
    holds_running = forward_running = False
    by_gait: dict[Gait, int] = {}
    prescribed_by_gait: dict[Gait, int] = {}
    for item in steps:
        inner, count = (item.steps, item.count) if isinstance(item, Repeat) else ((item,), 1)
        for step in inner:
            seconds = step.seconds * count
            if step.direction is Direction.NONE:
                exercise += seconds
                continue
            running += seconds
            holds_running = holds_running or step.gait in RUNNING_GAITS
            forward_running = forward_running or (
                step.direction is Direction.FORWARD and step.gait in RUNNING_GAITS)
            if step.intensity is not Intensity.EASY:
                intense += seconds
            if step.direction is Direction.BACKWARD:
                backward += seconds
                by_gait[step.gait] = by_gait.get(step.gait, 0) + seconds
                if not step.optional:
                    prescribed_by_gait[step.gait] = prescribed_by_gait.get(step.gait, 0) + seconds
                # Backward jogging, running and sprinting: what the 10 % cap of B2 limits.
                if step.gait in RUNNING_GAITS:
                    backward_running += seconds
                    prescribed_running += 0 if step.optional else seconds
    return StepTotals(running, backward, backward_running, intense, exercise,
                      frozenset(by_gait), by_gait, prescribed_by_gait, prescribed_running,
                      holds_running, forward_running,
                      max(by_gait, key=STAGE_LADDER.index) if by_gait else None)


@dataclass(frozen=True, slots=True, init=False)
class Session:
    id: str
    date: dt.date
    kind: SessionKind
    title: str
    surface: Surface
    steps: tuple[StepOrRepeat, ...]
    why: str = ""
    evidence: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    # Totals derived from the steps once, at construction (plans query them a lot).
    running_seconds: int = field(init=False, compare=False)
    backward_seconds: int = field(init=False, compare=False)
    _totals: StepTotals = field(init=False, repr=False, compare=False)

    def __init__(self, id: str, date: dt.date, kind: SessionKind, title: str,
                 surface: Surface, steps: tuple[StepOrRepeat, ...], why: str = "",
                 evidence: tuple[str, ...] = (), cues: tuple[str, ...] = (), *,
                 totals: StepTotals | None = None) -> None:
        # The dataclass's own __init__ with the same fields (see `_frozen_writers`);
        # `totals`: the caller's `step_totals(steps)`, when it already holds them.
        if totals is None:
            totals = step_totals(steps)
        (set_id, set_date, set_kind, set_title, set_surface, set_steps, set_why, set_evidence,
         set_cues, set_running, set_backward, set_totals) = _SESSION_WRITERS
        set_id(self, id)
        set_date(self, date)
        set_kind(self, kind)
        set_title(self, title)
        set_surface(self, surface)
        set_steps(self, steps)
        set_why(self, why)
        set_evidence(self, evidence)
        set_cues(self, cues)
        set_running(self, totals.running_seconds)
        set_backward(self, totals.backward_seconds)
        set_totals(self, totals)

    @property
    def flat_steps(self) -> tuple[Step, ...]:
        """The steps in the order they are done, repeats written out."""
        return expand(self.steps)

    @property
    def backward_running_seconds(self) -> int:
        """Backward jogging, running and sprinting: what the 10 % cap of B2 limits."""
        return self._totals.backward_running_seconds

    @property
    def intense_seconds(self) -> int:
        return self._totals.intense_seconds

    @property
    def exercise_seconds(self) -> int:
        return self._totals.exercise_seconds

    @property
    def backward_gaits(self) -> frozenset[Gait]:
        return self._totals.backward_gaits

    @property
    def backward_by_gait(self) -> dict[Gait, int]:
        return self._totals.backward_by_gait

    @property
    def holds_running(self) -> bool:
        """Any jogging, running or sprinting, either way. A session of walking only (a
        short backward walk of its own) is not running load (B4 counts running)."""
        return self._totals.holds_running

    @property
    def runs_forward(self) -> bool:
        """Any forward jogging, running or sprinting."""
        return self._totals.forward_running

    @property
    def prescribed_backward_by_gait(self) -> dict[Gait, int]:
        """Backward seconds per gait without optional steps."""
        return self._totals.prescribed_backward_by_gait

    @property
    def prescribed_backward_running_seconds(self) -> int:
        """Backward jogging, running and sprinting without optional steps."""
        return self._totals.prescribed_backward_running_seconds

    @property
    def top_backward_gait(self) -> Gait | None:
        """The highest stage of the ladder this session practises backward, if any."""
        return self._totals.top_backward_gait

    @property
    def hard(self) -> bool:
        return self.kind in HARD_KINDS


@dataclass(frozen=True, slots=True, init=False)
class Week:
    index: int
    stage: Gait
    lighter: bool
    sessions: tuple[Session, ...]
    advance_when: str = ""
    # Totals over all sessions (on foot, backward), computed once.
    running_seconds: int = field(init=False, compare=False)
    backward_seconds: int = field(init=False, compare=False)
    backward_running_seconds: int = field(init=False, compare=False)
    intense_seconds: int = field(init=False, compare=False)
    # The running load the rules read: sessions of walking only add nothing (B4 [A]).
    load_running_seconds: int = field(init=False, compare=False)
    load_backward_seconds: int = field(init=False, compare=False)
    # B4 load: the sum of its running sessions' loads, session by session (the generator
    # compares weeks by it, so it is summed in the same order as ever, to the last bit).
    load: float = field(init=False, compare=False)
    # (date, running seconds) of the sessions that hold running, in session order: what
    # the spike guard of the weeks after reads.
    dated_runs: tuple[tuple[dt.date, int], ...] = field(init=False, compare=False)
    # The sessions with backward work, in order: what the stage ladder reads, every week.
    backward_sessions: tuple[Session, ...] = field(init=False, compare=False)

    @property
    def runs(self) -> tuple[tuple[int, int], ...]:
        """(weekday, running seconds) of the sessions that hold running."""
        return tuple((date.weekday(), seconds) for date, seconds in self.dated_runs)

    def __init__(self, index: int, stage: Gait, lighter: bool, sessions: tuple[Session, ...],
                 advance_when: str = "") -> None:
        # The dataclass's own __init__ with the same fields (see `_frozen_writers`).
        running = backward = backward_running = intense = load_running = load_backward = 0
        load = 0.0
        dated_runs = []
        backward_sessions = tuple(s for s in sessions if s.backward_seconds)
        for session in sessions:
            if not session.running_seconds:
                continue
            totals = session._totals  # this module's own record
            running += totals.running_seconds
            backward += totals.backward_seconds
            backward_running += totals.backward_running_seconds
            intense += totals.intense_seconds
            if totals.holds_running:
                load_running += totals.running_seconds
                load_backward += totals.backward_seconds
                load += totals.running_seconds + \
                    (BACKWARD_LOAD_FACTOR - 1) * totals.backward_seconds
                dated_runs.append((session.date, totals.running_seconds))
        for write, value in zip(_WEEK_WRITERS, (
                index, stage, lighter, sessions, advance_when, running, backward,
                backward_running, intense, load_running, load_backward, load,
                tuple(dated_runs), backward_sessions), strict=True):
            write(self, value)


@dataclass(frozen=True, slots=True)
class Plan:
    program: str
    program_version: str
    start_date: dt.date
    weeks: tuple[Week, ...]
    athlete: dict[str, object] = field(default_factory=dict)
    notices: tuple[str, ...] = ()

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for w in self.weeks for s in w.sessions)

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)


def _frozen_writers(cls: type, *names: str) -> tuple[Callable[[object, object], None], ...]:
    """The setters of a frozen dataclass's slots, in field order, for an __init__ of its own.

    A frozen dataclass writes each field through `object.__setattr__`, which costs more than
    the rest of making a session (a plan makes about fifty, and as many drafts' worth of
    weeks); a slot's own setter does the same write, once, at a third of the cost. The
    instances stay frozen: setting a field later still raises FrozenInstanceError."""
    if cls.__slots__ != names:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: fields {cls.__slots__} are not {names}")  # type: ignore[attr-defined]
    return tuple(getattr(cls, name).__set__ for name in names)


_SESSION_WRITERS = _frozen_writers(
    Session, "id", "date", "kind", "title", "surface", "steps", "why", "evidence", "cues",
    "running_seconds", "backward_seconds", "_totals")
_WEEK_WRITERS = _frozen_writers(
    Week, "index", "stage", "lighter", "sessions", "advance_when", "running_seconds",
    "backward_seconds", "backward_running_seconds", "intense_seconds", "load_running_seconds",
    "load_backward_seconds", "load", "dated_runs", "backward_sessions")
