"""Builders for the steps and sessions of a plan. Pure functions of their arguments.

Backward steps target effort, heart rate or RPE, never pace alone (evidence B3: backward
running costs 15-35 % more energy at the same speed); in economy-10 backward running also
carries a pace range from the easy pace (Ordway 2016).
"""

from __future__ import annotations

import functools

from retrorun.domain.model import (
    Direction,
    Gait,
    Intensity,
    Repeat,
    Step,
    StepKind,
    StepOrRepeat,
    Target,
    TargetType,
    TargetUnit,
)
from retrorun.domain.paces import HeartRateZones

# [A] Expected 20 m times backward by effort, from Uthoff 2018 (forward ~26-28 % faster than
# backward at equal effort) applied to typical adolescent forward 20 m times.
SECONDS_PER_20M_BY_GAIT = {Gait.WALK: 20, Gait.JOG: 8, Gait.RUN: 6, Gait.SPRINT: 5}
# B2 stage 4: walk-back recovery >= 60 s between reps, 2-3 min between sets. [A] rest times
REP_RECOVERY_SECONDS = 60
SET_RECOVERY_SECONDS = 150
WARMUP_SECONDS = 8 * 60
COOLDOWN_SECONDS = 5 * 60
ONRAMP_WALK_SECONDS = 90
# [A] On-ramp running bouts by plan week (a couch-to-5K style progression).
ONRAMP_RUN_SECONDS = (60, 90, 120, 150, 180, 240, 300, 360)
# B3: easy backward work keeps CR-10 RPE <= 4.
EASY_RPE = Target(TargetType.RPE, 2, 4, TargetUnit.CR10)


def easy_target(zones: HeartRateZones | None) -> Target:
    """Easy running: in HR zones 1-2 when zones are known, else CR-10 RPE 2-4."""
    if zones is not None:
        return Target(TargetType.HR, zones.zones[0][0], zones.easy_ceiling, TargetUnit.BPM)
    return EASY_RPE


# B3: easy backward work stays below the zone-2 ceiling; the band under it is 20 bpm. [A]
HR_BAND_BPM = 20


@functools.cache
def step(kind: StepKind, seconds: int, direction: Direction = Direction.FORWARD,
         gait: Gait = Gait.RUN, intensity: Intensity = Intensity.EASY,
         meters: int | None = None, target: Target = EASY_RPE, name: str = "",
         cue: str = "", optional: bool = False) -> Step:
    """Steps are immutable, so identical ones are shared (plans repeat them a lot)."""
    return Step(kind, seconds, direction, gait, intensity, meters, target, name, cue, optional)


@functools.cache
def forward(kind: StepKind, seconds: int, name: str, gait: Gait = Gait.RUN,
            intensity: Intensity = Intensity.EASY, target: Target = EASY_RPE) -> Step:
    return step(kind, seconds, Direction.FORWARD, gait, intensity, None, target, name)


@functools.cache
def backward_target(gait: Gait, rpe: tuple[int, int], hr_ceiling: int | None,
                    pace: tuple[float, float] | None) -> Target:
    """Pace range when the program prescribes one (economy-10), else HR ceiling, else RPE."""
    if pace is not None and gait is not Gait.WALK:
        return Target(TargetType.PACE, round(pace[0]), round(pace[1]), TargetUnit.S_PER_KM)
    if hr_ceiling is not None:
        return Target(TargetType.HR, hr_ceiling - HR_BAND_BPM, hr_ceiling, TargetUnit.BPM)
    return Target(TargetType.RPE, rpe[0], rpe[1], TargetUnit.CR10)


@functools.lru_cache(maxsize=4096)
def backward_bouts(gait: Gait, total_seconds: int, count: int, target: Target,
                   cue: str, recovery_seconds: int = 60, walk_recovery: bool = False,
                   name: str = "") -> tuple[StepOrRepeat, ...]:
    """`count` backward bouts sharing `total_seconds`, separated by forward recoveries
    (walked for walking bouts, and for new runners, whose jogging should not run on)."""
    if total_seconds <= 0:
        return ()
    count = max(1, count)
    bout = max(10, (total_seconds // count) // 10 * 10)
    label = {Gait.WALK: "walk", Gait.JOG: "jog", Gait.RUN: "run"}[gait]
    work = step(StepKind.WORK, bout, Direction.BACKWARD, gait, Intensity.EASY, None, target,
                name or f"Backward {label}", cue)
    if count == 1:
        return (work,)
    recovery_gait = Gait.WALK if gait is Gait.WALK or walk_recovery else Gait.JOG
    rest = forward(StepKind.RECOVERY, recovery_seconds, f"Forward {recovery_gait}",
                   recovery_gait)
    return (Repeat(count, (work, rest)),)


# Uthoff 2018 (Sports) effort levels, % of maximal effort: slow 40-55, moderate 60-75,
# fast >= 90 (maximal). [E]
SLOW_EFFORT, MODERATE_EFFORT, MAXIMAL_EFFORT = 40, 60, 90


def effort_intensity(effort_low: int) -> Intensity:
    """Slow efforts are easy, moderate ones moderate, fast (maximal) ones hard."""
    if effort_low >= MAXIMAL_EFFORT:
        return Intensity.HARD
    return Intensity.MODERATE if effort_low >= MODERATE_EFFORT else Intensity.EASY


def effort_gait(effort_low: int) -> Gait:
    if effort_low >= MAXIMAL_EFFORT:
        return Gait.SPRINT
    if effort_low >= MODERATE_EFFORT:
        return Gait.RUN
    return Gait.JOG if effort_low >= SLOW_EFFORT else Gait.WALK


@functools.lru_cache(maxsize=1024)
def backward_reps(reps: int, distance_m: int, effort: tuple[int, int] | None,
                  cue: str, name: str = "", optional: bool = False) -> Repeat:
    """One set of backward efforts over a distance with walk-back recoveries (Bouguezzi
    2024); without an effort, backward walking drills at a comfortable pace."""
    if effort is None:
        gait, target, intensity = Gait.WALK, EASY_RPE, Intensity.EASY
    else:
        gait = effort_gait(effort[0])
        target = Target(TargetType.EFFORT, effort[0], effort[1], TargetUnit.PERCENT_MAX_EFFORT)
        intensity = effort_intensity(effort[0])
    seconds = SECONDS_PER_20M_BY_GAIT[gait] * distance_m // 20
    label = name or f"Backward {gait} {distance_m} m"
    work = step(StepKind.WORK, seconds, Direction.BACKWARD, gait, intensity, distance_m, target,
                label, cue, optional)
    walk_back = step(StepKind.RECOVERY, REP_RECOVERY_SECONDS, Direction.FORWARD, Gait.WALK,
                     Intensity.EASY, None, EASY_RPE, "Walk back", "", optional)
    return Repeat(reps, (work, walk_back))


@functools.lru_cache(maxsize=1024)
def sprint_sets(set_sizes: tuple[int, ...], distance_m: int, effort: tuple[int, int],
                cue: str) -> tuple[StepOrRepeat, ...]:
    """Sets of backward efforts (reps per set given), 2-3 min walking between sets."""
    out: list[StepOrRepeat] = []
    for index, reps in enumerate(set_sizes):
        if index:
            out.append(forward(StepKind.RECOVERY, SET_RECOVERY_SECONDS, "Rest between sets",
                               Gait.WALK))
        out.append(backward_reps(reps, distance_m, effort, cue))
    return tuple(out)


@functools.lru_cache(maxsize=1024)  # pure in two ints; a week's drafts ask again
def onramp_block(week: int, seconds: int) -> tuple[StepOrRepeat, ...]:
    """Walk/run intervals filling about `seconds` (the on-ramp for novices)."""
    run = ONRAMP_RUN_SECONDS[min(week, len(ONRAMP_RUN_SECONDS)) - 1]
    cycle = run + ONRAMP_WALK_SECONDS
    count = seconds // cycle
    rest = (seconds - count * cycle) // 60 * 60
    # The part that does not fill a whole cycle is walked, so the block sizes to the minute.
    tail = (forward(StepKind.WORK, rest, "Brisk walk", Gait.WALK),) if rest else ()
    if count <= 0:
        return tail
    return (Repeat(count, (forward(StepKind.WORK, run, "Easy run"),
                           forward(StepKind.RECOVERY, ONRAMP_WALK_SECONDS, "Walk", Gait.WALK))),
            *tail)


# B8: core 10-15 min (planks, side planks, bridges, dead bugs; Hung 2019).
CORE_ROUTINE: tuple[tuple[str, int], ...] = (
    ("Plank", 40), ("Side plank, left", 30), ("Side plank, right", 30),
    ("Glute bridge", 45), ("Dead bug", 45), ("Single-leg glute bridge hold, weaker side", 30),
    ("Rest", 90),
)
CORE_ROUNDS = 2
# Late pregnancy: nothing lying on the back (supine) [A]; on hands and knees, on the side or
# standing instead, with a clinician's agreement.
CORE_ROUTINE_NO_SUPINE: tuple[tuple[str, int], ...] = (
    ("Bird dog, on hands and knees", 60), ("Side-lying leg lift, left", 40),
    ("Side-lying leg lift, right", 40), ("Standing pelvic tilt", 45),
    ("Wall press (standing plank against a wall)", 40), ("Rest", 90),
)
# B8: strength 20-30 min (squat/split squat, hinge, calf raise, hip abductors; Lauersen 2014).
STRENGTH_ROUTINE: tuple[tuple[str, int], ...] = (
    ("Squat or split squat, 3 x 8-10", 300), ("Romanian deadlift (hinge), 3 x 8-10", 300),
    ("Calf raises, 3 x 12-15", 240), ("Side-lying hip abduction, 3 x 12 each side", 240),
    ("Rest and transitions", 240),
)


def exercise_steps(routine: tuple[tuple[str, int], ...]) -> tuple[Step, ...]:
    none = Target(TargetType.OPEN)
    return tuple(step(StepKind.EXERCISE, seconds, Direction.NONE, Gait.NONE, Intensity.EASY,
                      None, none, name) for name, seconds in routine)


@functools.cache
def core_steps(no_supine: bool = False) -> tuple[StepOrRepeat, ...]:
    routine = CORE_ROUTINE_NO_SUPINE if no_supine else CORE_ROUTINE
    return (Repeat(CORE_ROUNDS, exercise_steps(routine)),)


@functools.cache
def strength_steps() -> tuple[StepOrRepeat, ...]:
    return exercise_steps(STRENGTH_ROUTINE)
