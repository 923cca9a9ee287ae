"""The program catalogue: the TOML files in `domain/programs/`, validated at load.

A program is data a coach can read and a test can check against its study. Reading the
package's own data files is the domain's only contact with the outside world; it happens
once per process and the result is immutable.
"""

from __future__ import annotations

import functools
import itertools
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from retrorun.domain.errors import ProgramError, UnknownProgram
from retrorun.domain.evidence import CLAIMS, SOURCES
from retrorun.domain.model import STAGE_LADDER, Gait

PROGRAM_IDS = ("starter-8", "economy-10", "speed-power-8", "knee-friendly-6", "walk-only-6",
               "maintenance")
FORMATS = ("walk_bouts", "jog_intervals", "continuous", "sprint_sets")
# The gait each format's backward work is done at (sprint sets: set by the stage's effort).
FORMAT_GAIT = {"walk_bouts": Gait.WALK, "jog_intervals": Gait.JOG, "continuous": Gait.RUN}


@dataclass(frozen=True, slots=True)
class Strides:
    reps: int
    distance_m: int
    effort: tuple[int, int]
    weeks: tuple[int, int]


@dataclass(frozen=True, slots=True)
class StageDose:
    """A stage of the ladder as a program doses it (evidence B2): the backward minutes of
    each session (a start that grows each week up to a top), their bouts, and the dose the
    stage's advancement test counts. Sprint stages dose sets of 20 m efforts instead."""

    stage: Gait
    format: str
    advance_when: str
    sources: tuple[str, ...]
    minutes: tuple[float, float] = (0.0, 0.0)
    step_minutes: float = 0.0
    bout_seconds: tuple[int, int] = (60, 60)
    test_minutes: float = 0.0
    test_sessions: int = 2
    rpe: tuple[int, int] = (2, 4)
    sets: tuple[int, int] = (1, 1)
    reps: int = 0
    distance_m: int = 0
    effort: tuple[int, int] = (0, 0)

    # The minutes in seconds, worked out once (the generator reads them for every week).
    start_seconds: int = field(init=False, compare=False)
    top_seconds: int = field(init=False, compare=False)
    step_seconds: int = field(init=False, compare=False)
    test_seconds: int = field(init=False, compare=False)
    # The gait its backward work is done at (see `progression.stage_gait`).
    gait: Gait = field(init=False, compare=False)

    def __post_init__(self) -> None:
        for name, minutes in (("start_seconds", self.minutes[0]),
                              ("top_seconds", self.minutes[1]),
                              ("step_seconds", self.step_minutes),
                              ("test_seconds", self.test_minutes)):
            object.__setattr__(self, name, round(minutes * 60))
        object.__setattr__(self, "gait", FORMAT_GAIT.get(self.format, self.stage))


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    version: str
    title: str
    audience: str
    weeks: int
    backward_sessions_per_week: int
    core_sessions_per_week: int
    strength_sessions_per_week: int
    lighter_every: int
    forward_volume_factor: float
    forward_weekly_growth: float
    quality_session: bool
    long_run: bool
    rationale: str
    claims: tuple[str, ...]
    stages: tuple[StageDose, ...]
    entry_stage: Gait = Gait.WALK
    economy_checks: tuple[int, ...] = ()
    field_tests: tuple[int, ...] = ()
    pain_gated: bool = False
    hold_stage: bool = False
    walk_sessions_apart: bool = False
    strides: Strides | None = None
    # (first week, last week, backward speed as a share of the economy-check speed)
    speed_ratios: tuple[tuple[int, int, float], ...] = ()
    _doses: dict[Gait, StageDose] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_doses", {d.stage: d for d in self.stages})

    def dose(self, stage: Gait) -> StageDose | None:
        """How this program doses a stage; None when it does not reach it."""
        return self._doses.get(stage)

    @property
    def top_stage(self) -> Gait:
        return self.stages[-1].stage

    def speed_ratio(self, week: int) -> float | None:
        return next((r for first, last, r in self.speed_ratios if first <= week <= last), None)

    def strides_in(self, week: int) -> Strides | None:
        strides = self.strides
        return strides if strides and strides.weeks[0] <= week <= strides.weeks[1] else None

    @property
    def sources(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for claim in self.claims:
            for source in CLAIMS[claim].sources:
                seen.setdefault(source, None)
        for stage in self.stages:
            for source in stage.sources:
                seen.setdefault(source, None)
        return tuple(seen)


def _pair(raw: Any, name: str, kind: type = int) -> tuple[Any, Any]:
    if not (isinstance(raw, list) and len(raw) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)):
        raise ProgramError(f"{name}: must be a list of two numbers, got {raw!r}")
    return kind(raw[0]), kind(raw[1])


def _stage(raw: dict[str, Any], where: str) -> StageDose:
    try:
        stage = Gait(raw["stage"])
        fmt = raw["format"]
        dose = StageDose(
            stage=stage, format=fmt, advance_when=str(raw["advance_when"]),
            sources=tuple(raw["sources"]),
            minutes=_pair(raw.get("minutes", [0, 0]), f"{where}.minutes", float),
            step_minutes=float(raw.get("step_minutes", 0)),
            bout_seconds=_pair(raw.get("bout_seconds", [60, 60]), f"{where}.bout_seconds"),
            test_minutes=float(raw.get("test_minutes", 0)),
            test_sessions=int(raw.get("test_sessions", 2)),
            rpe=_pair(raw.get("rpe", [2, 4]), f"{where}.rpe"),
            sets=_pair(raw.get("sets", [1, 1]), f"{where}.sets"),
            reps=int(raw.get("reps", 0)),
            distance_m=int(raw.get("distance_m", 0)),
            effort=_pair(raw.get("effort", [0, 0]), f"{where}.effort"),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ProgramError(f"{where}: {error}") from error
    if stage not in STAGE_LADDER or fmt not in FORMATS:
        raise ProgramError(f"{where}: stage {stage} / format {fmt!r} not allowed")
    if fmt != "sprint_sets" and FORMAT_GAIT[fmt] is not stage:
        raise ProgramError(f"{where}: format {fmt!r} is not done at stage {stage}")
    unknown = [s for s in dose.sources if s not in SOURCES]
    if unknown:
        raise ProgramError(f"{where}.sources: unknown source {unknown[0]!r}")
    return dose


def _check_ladder(program_id: str, stages: tuple[StageDose, ...], entry: Gait) -> None:
    """Stages climb the ladder one step at a time from the entry stage (invariant 6)."""
    ranks = [STAGE_LADDER.index(s.stage) for s in stages]
    if not ranks or ranks[0] != STAGE_LADDER.index(entry) or any(
            b != a + 1 for a, b in itertools.pairwise(ranks)):
        raise ProgramError(f"{program_id}: stages must start at {entry} and climb the ladder "
                           "one stage at a time")


def _strides(raw: Any, where: str) -> Strides | None:
    if not raw:
        return None
    return Strides(int(raw["reps"]), int(raw["distance_m"]),
                   _pair(raw["effort"], f"{where}.strides.effort"),
                   _pair(raw["weeks"], f"{where}.strides.weeks"))


def parse_program(raw: dict[str, Any]) -> Program:
    where = str(raw.get("id", "<program>"))
    try:
        stages = tuple(_stage(p, f"{where}.stages[{i}]") for i, p in enumerate(raw["stages"]))
        program = Program(
            id=str(raw["id"]), version=str(raw["version"]), title=str(raw["title"]),
            audience=str(raw["audience"]), weeks=int(raw["weeks"]),
            backward_sessions_per_week=int(raw["backward_sessions_per_week"]),
            core_sessions_per_week=int(raw["core_sessions_per_week"]),
            strength_sessions_per_week=int(raw["strength_sessions_per_week"]),
            lighter_every=int(raw["lighter_every"]),
            forward_volume_factor=float(raw["forward_volume_factor"]),
            forward_weekly_growth=float(raw["forward_weekly_growth"]),
            quality_session=bool(raw["quality_session"]), long_run=bool(raw["long_run"]),
            rationale=str(raw["rationale"]), claims=tuple(raw["claims"]), stages=stages,
            entry_stage=Gait(raw.get("entry_stage", "walk")),
            economy_checks=tuple(raw.get("economy_checks", ())),
            field_tests=tuple(raw.get("field_tests", ())),
            pain_gated=bool(raw.get("pain_gated", False)),
            hold_stage=bool(raw.get("hold_stage", False)),
            walk_sessions_apart=bool(raw.get("walk_sessions_apart", False)),
            strides=_strides(raw.get("strides"), where),
            speed_ratios=tuple((int(a), int(b), float(r))
                               for a, b, r in raw.get("speed_ratios", ())),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ProgramError(f"{where}: {error!r}") from error
    unknown = [c for c in program.claims if c not in CLAIMS]
    if unknown:
        raise ProgramError(f"{where}.claims: unknown claim {unknown[0]!r}")
    if not 2 <= program.lighter_every <= 4:
        raise ProgramError(f"{where}.lighter_every: DESIGN §3 needs a lighter week at least "
                           "every 4th week")
    _check_ladder(program.id, stages, program.entry_stage)
    return program


@functools.cache
def load_catalogue() -> dict[str, Program]:
    folder = resources.files("retrorun.domain") / "programs"
    programs: dict[str, Program] = {}
    for program_id in PROGRAM_IDS:
        text = (folder / f"{program_id}.toml").read_text(encoding="utf-8")
        program = parse_program(tomllib.loads(text))
        if program.id != program_id:
            raise ProgramError(f"{program_id}.toml declares id {program.id!r}")
        programs[program_id] = program
    return programs


def get_program(program_id: str) -> Program:
    catalogue = load_catalogue()
    if program_id not in catalogue:
        raise UnknownProgram(f"program: unknown program {program_id!r}; allowed: "
                             f"{', '.join(catalogue)}")
    return catalogue[program_id]
