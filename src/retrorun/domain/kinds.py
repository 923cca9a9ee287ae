"""The plan's vocabulary: directions, gaits (the stage ladder), step, target and session
kinds, and surfaces, with the sets the invariants read. `model` re-exports every name, so
code imports them from there with the values they describe."""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    FORWARD = "forward"
    BACKWARD = "backward"
    NONE = "none"


class Gait(StrEnum):
    """How the feet move. Also the backward stage ladder of evidence B2, in order."""

    WALK = "walk"
    JOG = "jog"
    RUN = "run"
    SPRINT = "sprint"
    NONE = "none"


# The stage ladder of evidence B2: walk -> jog -> run -> sprint.
STAGE_LADDER: tuple[Gait, ...] = (Gait.WALK, Gait.JOG, Gait.RUN, Gait.SPRINT)
RUNNING_GAITS = frozenset({Gait.JOG, Gait.RUN, Gait.SPRINT})


class StepKind(StrEnum):
    WARMUP = "warmup"
    WORK = "work"
    RECOVERY = "recovery"
    COOLDOWN = "cooldown"
    EXERCISE = "exercise"


class Intensity(StrEnum):
    EASY = "easy"
    MODERATE = "moderate"
    HARD = "hard"


class TargetType(StrEnum):
    PACE = "pace"
    HR = "hr"
    RPE = "rpe"
    EFFORT = "effort"
    OPEN = "open"


class TargetUnit(StrEnum):
    S_PER_KM = "s_per_km"
    BPM = "bpm"
    CR10 = "cr10"
    PERCENT_MAX_EFFORT = "percent_max_effort"


class SessionKind(StrEnum):
    EASY = "easy"
    LONG = "long"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    STRIDES = "strides"
    BACKWARD = "backward"
    BACKWARD_SPRINTS = "backward_sprints"
    CORE = "core"
    STRENGTH = "strength"
    TEST = "test"
    REST = "rest"


# DESIGN §3 invariant 4: the kinds that make a day hard.
HARD_KINDS = frozenset(
    {SessionKind.INTERVALS, SessionKind.TEMPO, SessionKind.LONG, SessionKind.BACKWARD_SPRINTS}
)


class Surface(StrEnum):
    TRACK = "track"
    TREADMILL = "treadmill"
    GRASS = "grass"
    TURF = "turf"
    ROAD = "road"
    TRAIL = "trail"
    INDOOR = "indoor"
    ANY = "any"


# Evidence B7: backward work only on a track, a treadmill or flat grass/turf; backward
# walking may also be done indoors (a hallway or gym floor) when nothing else is safe.
BACKWARD_RUN_SURFACES = frozenset({Surface.TRACK, Surface.TREADMILL, Surface.GRASS, Surface.TURF})
BACKWARD_WALK_SURFACES = BACKWARD_RUN_SURFACES | {Surface.INDOOR}
# Sprints need room to decelerate: never on a treadmill (evidence B2 stage 4).
SPRINT_SURFACES = frozenset({Surface.TRACK, Surface.GRASS, Surface.TURF})
