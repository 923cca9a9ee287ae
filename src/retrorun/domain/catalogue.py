"""The program catalogue: the TOML files in `domain/programs/`, validated at load.

A program is data a coach can read and a test can check against its study. Reading the
package's own data files is the domain's only contact with the outside world; it happens
once per process and the result is immutable.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from retrorun.domain.errors import ProgramError, UnknownProgram
from retrorun.domain.evidence import CLAIMS, SOURCES
from retrorun.domain.model import STAGE_LADDER, Gait

PROGRAM_IDS = ("starter-8", "economy-10", "speed-power-8", "knee-friendly-6", "maintenance")
FORMATS = ("walk_bouts", "jog_intervals", "continuous", "sprint_sets")


@dataclass(frozen=True, slots=True)
class Strides:
    reps: int
    distance_m: int
    effort: tuple[int, int]
    weeks: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Phase:
    weeks: tuple[int, int]
    stage: Gait
    format: str
    advance_when: str
    sources: tuple[str, ...]
    minutes: tuple[float, float] = (0.0, 0.0)
    bout_seconds: int = 60
    rpe: tuple[int, int] = (2, 4)
    speed_ratio: float | None = None
    sets: tuple[int, int] = (1, 1)
    reps: int = 0
    distance_m: int = 0
    effort: tuple[int, int] = (0, 0)
    strides: Strides | None = None

    def covers(self, week: int) -> bool:
        return self.weeks[0] <= week <= self.weeks[1]

    def progress(self, week: int) -> float:
        """0 in the phase's first week, 1 in its last."""
        first, last = self.weeks
        return 0.0 if last == first else (week - first) / (last - first)


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
    phases: tuple[Phase, ...]
    economy_checks: tuple[int, ...] = ()
    field_tests: tuple[int, ...] = ()
    pain_gated: bool = False

    def phase(self, week: int) -> Phase:
        """The phase of a week; weeks past the program's end hold its last phase."""
        return next((p for p in self.phases if p.covers(week)), self.phases[-1])

    @property
    def sources(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for claim in self.claims:
            for source in CLAIMS[claim].sources:
                seen.setdefault(source, None)
        for phase in self.phases:
            for source in phase.sources:
                seen.setdefault(source, None)
        return tuple(seen)


def _pair(raw: Any, name: str, kind: type = int) -> tuple[Any, Any]:
    if not (isinstance(raw, list) and len(raw) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)):
        raise ProgramError(f"{name}: must be a list of two numbers, got {raw!r}")
    return kind(raw[0]), kind(raw[1])


def _phase(raw: dict[str, Any], where: str) -> Phase:
    try:
        stage = Gait(raw["stage"])
        fmt = raw["format"]
        strides = raw.get("strides")
        phase = Phase(
            weeks=_pair(raw["weeks"], f"{where}.weeks"),
            stage=stage,
            format=fmt,
            advance_when=str(raw["advance_when"]),
            sources=tuple(raw["sources"]),
            minutes=_pair(raw.get("minutes", [0, 0]), f"{where}.minutes", float),
            bout_seconds=int(raw.get("bout_seconds", 60)),
            rpe=_pair(raw.get("rpe", [2, 4]), f"{where}.rpe"),
            speed_ratio=float(raw["speed_ratio"]) if "speed_ratio" in raw else None,
            sets=_pair(raw.get("sets", [1, 1]), f"{where}.sets"),
            reps=int(raw.get("reps", 0)),
            distance_m=int(raw.get("distance_m", 0)),
            effort=_pair(raw.get("effort", [0, 0]), f"{where}.effort"),
            strides=Strides(int(strides["reps"]), int(strides["distance_m"]),
                            _pair(strides["effort"], f"{where}.strides.effort"),
                            _pair(strides["weeks"], f"{where}.strides.weeks"))
            if strides else None,
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ProgramError(f"{where}: {error}") from error
    if stage not in STAGE_LADDER or fmt not in FORMATS:
        raise ProgramError(f"{where}: stage {stage} / format {fmt!r} not allowed")
    unknown = [s for s in phase.sources if s not in SOURCES]
    if unknown:
        raise ProgramError(f"{where}.sources: unknown source {unknown[0]!r}")
    return phase


def _check_ladder(program_id: str, phases: tuple[Phase, ...], weeks: int) -> None:
    """Phases tile weeks 1..N and climb the stage ladder one step at a time (invariant 6)."""
    expected_week = 1
    previous = -1
    for phase in phases:
        if phase.weeks[0] != expected_week or phase.weeks[1] < phase.weeks[0]:
            raise ProgramError(f"{program_id}: phases must cover weeks 1..{weeks} in order")
        rank = STAGE_LADDER.index(phase.stage)
        if rank > previous + 1 or rank < previous or (previous == -1 and rank != 0):
            raise ProgramError(f"{program_id}: phases must start at walk and climb the ladder "
                               "one stage at a time")
        previous = rank
        expected_week = phase.weeks[1] + 1
    if expected_week != weeks + 1:
        raise ProgramError(f"{program_id}: phases must cover weeks 1..{weeks}")


def parse_program(raw: dict[str, Any]) -> Program:
    where = str(raw.get("id", "<program>"))
    try:
        phases = tuple(_phase(p, f"{where}.phases[{i}]") for i, p in enumerate(raw["phases"]))
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
            rationale=str(raw["rationale"]), claims=tuple(raw["claims"]), phases=phases,
            economy_checks=tuple(raw.get("economy_checks", ())),
            field_tests=tuple(raw.get("field_tests", ())),
            pain_gated=bool(raw.get("pain_gated", False)),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ProgramError(f"{where}: {error!r}") from error
    unknown = [c for c in program.claims if c not in CLAIMS]
    if unknown:
        raise ProgramError(f"{where}.claims: unknown claim {unknown[0]!r}")
    if not 2 <= program.lighter_every <= 4:
        raise ProgramError(f"{where}.lighter_every: DESIGN §3 needs a lighter week at least "
                           "every 4th week")
    _check_ladder(program.id, phases, program.weeks)
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
