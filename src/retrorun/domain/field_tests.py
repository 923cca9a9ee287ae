"""Field tests: what a test session measures, plausible values, and change over time.

The plans hold two kinds of test session (`domain/forward.py`): the sprint and jump tests
(10 m and 20 m sprint time, countermovement jump height; DESIGN §2, Uthoff 2020) and the
economy check (heart rate over a steady run at easy pace; Ordway 2016). A result is set
against the athlete's first one and the smallest worthwhile change (SWC).

The SWC is usually 0.2 x the between-athlete standard deviation (Hopkins 2004; the
definition Negra 2022, evidence.md table A, used). research/evidence.md gives no such SD
for these tests, so the SDs below are our assumptions [A], of the order youth sprint and
jump studies report. For heart rate at a fixed easy pace a between-athlete SD means
little (everyone's heart rate differs), so its SWC is a named beat count [A]. Comparing a
change with the SWC says whether it is large enough to matter, not whether it is real:
hand timing and a chest strap have errors of their own, and the page says so.

Pure and standard library only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from retrorun.domain.model import expand

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from retrorun.domain.model import Session


class Measure(StrEnum):
    SPRINT_10M = "sprint_10m_s"
    SPRINT_20M = "sprint_20m_s"
    JUMP = "cmj_cm"
    EASY_HR = "easy_hr_bpm"


class Better(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"


# Hopkins WG (2004). How to interpret changes in an athletic performance test.
# Sportscience 8:1-7: the smallest worthwhile change is 0.2 x the between-athlete SD.
SWC_FACTOR = 0.2


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """One measure: its words on the form, its plausible range and its SWC."""

    measure: Measure
    label: str  # as the form and the page say it
    unit: str
    low: float  # plausible range, inclusive
    high: float
    better: Better
    swc: float
    swc_basis: str  # where the SWC comes from, for the page
    decimals: int

    def shown(self, value: float) -> str:
        return f"{value:.{self.decimals}f} {self.unit}"

    @property
    def unit_words(self) -> str:
        return _UNIT_WORDS[self.unit]


_UNIT_WORDS = {"s": "seconds", "cm": "centimetres", "bpm": "beats a minute"}


# [A] Assumed between-athlete SDs (no SD in research/evidence.md): 0.10 s over 10 m,
# 0.15 s over 20 m, 5 cm in the countermovement jump.
SPRINT_10M_SD_S, SPRINT_20M_SD_S, JUMP_SD_CM = 0.10, 0.15, 5.0
# [A] Heart rate at the same easy pace: 3 beats a minute, about what a rested runner's
# steady-state heart rate varies by from day to day on the same course.
EASY_HR_SWC_BPM = 3.0
# [A] Plausible ranges, wide enough for a 12-year-old and an elite sprinter, narrow
# enough to catch a slip (20 s for 2.0 s, metres for centimetres).
SPRINT_10M_RANGE_S, SPRINT_20M_RANGE_S = (1.3, 4.0), (2.4, 7.0)
JUMP_RANGE_CM, EASY_HR_RANGE_BPM = (5.0, 100.0), (60.0, 220.0)

_ASSUMED_SD = "0.2 x an assumed between-athlete SD of {sd} (Hopkins 2004) [A]"

SPECS: Mapping[Measure, MeasureSpec] = {
    Measure.SPRINT_10M: MeasureSpec(
        Measure.SPRINT_10M, "10 m sprint time", "s", *SPRINT_10M_RANGE_S, Better.LOWER,
        round(SWC_FACTOR * SPRINT_10M_SD_S, 3), _ASSUMED_SD.format(sd="0.10 s"), 2),
    Measure.SPRINT_20M: MeasureSpec(
        Measure.SPRINT_20M, "20 m sprint time", "s", *SPRINT_20M_RANGE_S, Better.LOWER,
        round(SWC_FACTOR * SPRINT_20M_SD_S, 3), _ASSUMED_SD.format(sd="0.15 s"), 2),
    Measure.JUMP: MeasureSpec(
        Measure.JUMP, "Countermovement jump height", "cm", *JUMP_RANGE_CM, Better.HIGHER,
        round(SWC_FACTOR * JUMP_SD_CM, 3), _ASSUMED_SD.format(sd="5 cm"), 1),
    Measure.EASY_HR: MeasureSpec(
        Measure.EASY_HR, "Heart rate at easy pace", "bpm", *EASY_HR_RANGE_BPM, Better.LOWER,
        EASY_HR_SWC_BPM, "3 beats a minute, our assumption [A]", 0),
}

# The names `domain/forward.py` gives the measured steps (a test pins them to the
# generated plans): a session measures what its steps ask to be timed or noted.
_STEP_MARKS: tuple[tuple[str, tuple[Measure, ...]], ...] = (
    ("time the 10 m and 20 m", (Measure.SPRINT_10M, Measure.SPRINT_20M)),
    ("countermovement jump", (Measure.JUMP,)),
    ("note hr", (Measure.EASY_HR,)),
)


def measures_of(session: Session) -> tuple[Measure, ...]:
    """What a session asks the athlete to measure, in the order of `Measure`."""
    names = [step.name.lower() for step in expand(session.steps)]
    found = {m for mark, measures in _STEP_MARKS if any(mark in n for n in names)
             for m in measures}
    return tuple(m for m in Measure if m in found)


def range_problem(measure: Measure, value: float) -> str | None:
    """Why a value is not plausible, in words for the form (which puts the measure's
    label in front); None when it is."""
    spec = SPECS[measure]
    if spec.low <= value <= spec.high:
        return None
    return (f"{value:g} {spec.unit} is not plausible; enter {spec.unit_words} from "
            f"{spec.low:g} to {spec.high:g}")


def consistency_problem(values: Mapping[Measure, float]) -> tuple[Measure, str] | None:
    """The 20 m time includes the first 10 m, so it must be the longer one."""
    ten, twenty = values.get(Measure.SPRINT_10M), values.get(Measure.SPRINT_20M)
    if ten is not None and twenty is not None and twenty <= ten:
        return (Measure.SPRINT_20M,
                f"must be longer than the 10 m time ({ten:g} s), which it includes")
    return None


@dataclass(frozen=True, slots=True)
class FieldTestResult:
    """What the athlete measured on one test session."""

    session_id: str
    date: dt.date
    values: tuple[tuple[Measure, float], ...]

    def value(self, measure: Measure) -> float | None:
        return next((v for m, v in self.values if m is measure), None)


class Verdict(StrEnum):
    BASELINE = "baseline"  # the first result: what later ones are compared with
    BETTER = "better"  # better than the first by at least the SWC
    NO_CLEAR_CHANGE = "no clear change"  # within the SWC of the first
    WORSE = "worse"  # worse than the first by at least the SWC


@dataclass(frozen=True, slots=True)
class MeasurePoint:
    date: dt.date
    session_id: str
    value: float
    change: float  # from the first result, in the measure's unit (0 for the first)
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class MeasureTrend:
    spec: MeasureSpec
    points: tuple[MeasurePoint, ...]  # oldest first

    @property
    def baseline(self) -> float | None:
        return self.points[0].value if self.points else None

    @property
    def latest(self) -> MeasurePoint | None:
        return self.points[-1] if self.points else None


def verdict(spec: MeasureSpec, change: float) -> Verdict:
    """A change from the first result, against the smallest worthwhile change."""
    gain = -change if spec.better is Better.LOWER else change
    # A hair of tolerance: 0.03 s typed as a difference of floats is 0.0299999.
    if gain >= spec.swc - 1e-9:
        return Verdict.BETTER
    if gain <= -spec.swc + 1e-9:
        return Verdict.WORSE
    return Verdict.NO_CLEAR_CHANGE


def measure_trends(results: Iterable[FieldTestResult], *, today: dt.date,
                   tested: Iterable[Measure] = ()) -> tuple[MeasureTrend, ...]:
    """Each measure the plan tests or the athlete entered, its results oldest first.

    Results dated after today are left out (a test cannot have been done yet).
    """
    kept = sorted((r for r in results if r.date <= today), key=lambda r: (r.date, r.session_id))
    wanted = set(tested) | {m for r in kept for m, _ in r.values}
    trends = []
    for measure in Measure:
        if measure not in wanted:
            continue
        spec = SPECS[measure]
        series = [(r.date, r.session_id, v) for r in kept
                  if (v := r.value(measure)) is not None]
        points = tuple(
            MeasurePoint(day, sid, value, value - series[0][2],
                         Verdict.BASELINE if i == 0 else verdict(spec, value - series[0][2]))
            for i, (day, sid, value) in enumerate(series))
        trends.append(MeasureTrend(spec, points))
    return tuple(trends)
