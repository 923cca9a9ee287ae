"""Read a FIT workout file back into plan-like steps, with the official SDK's Decoder.

Tests use it to prove that what we write is what a watch reads; an importer can use it to
show a workout file someone uploads. Only what FIT can carry comes back: step kind,
direction and gait (from the loud name), time or distance or lap button, heart-rate and
speed targets, the notes, and the repeat structure. In a strength workout (sport
`training`) every step but a warm-up or cool-down is an exercise off foot, as in our core
and strength routines; its rest steps say so and its exercises keep their category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from garmin_fit_sdk import Decoder, Stream

from retrorun.domain.model import Direction, Gait, StepKind
from retrorun.formats._fit_builder import HR_BPM_OFFSET
from retrorun.formats.errors import FitReadError


@dataclass(frozen=True, slots=True)
class ReadStep:
    name: str
    kind: StepKind
    direction: Direction
    gait: Gait
    seconds: int | None  # None for distance or lap-button steps
    meters: int | None
    target: str  # "open", "heart_rate" or "speed"
    target_low: int | None
    target_high: int | None
    notes: str
    rest: bool = False  # intensity rest: a rest between exercises or sets
    exercise_category: str | None = None  # the profile's name, e.g. "plank"


@dataclass(frozen=True, slots=True)
class ReadRepeat:
    count: int
    steps: tuple[ReadStep, ...]


@dataclass(frozen=True, slots=True)
class ReadWorkout:
    name: str
    sport: str
    serial_number: int
    num_valid_steps: int
    step_messages: int
    steps: tuple[ReadStep | ReadRepeat, ...]


_KIND = {
    "warmup": StepKind.WARMUP,
    "cooldown": StepKind.COOLDOWN,
    "recovery": StepKind.RECOVERY,
    "rest": StepKind.RECOVERY,
    "active": StepKind.WORK,
    "interval": StepKind.WORK,
    "other": StepKind.EXERCISE,
}


def _messages(data: bytes) -> dict[str, list[dict[str, Any]]]:
    if not Decoder(Stream.from_byte_array(bytearray(data))).is_fit():
        raise FitReadError("not a FIT file")
    if not Decoder(Stream.from_byte_array(bytearray(data))).check_integrity():
        raise FitReadError("FIT integrity check failed (CRC or size)")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise FitReadError(f"FIT decode errors: {errors}")
    return {str(key): list(value) for key, value in messages.items()}  # type: ignore[call-overload]


def _direction_and_gait(name: str, kind: StepKind) -> tuple[Direction, Gait]:
    words = name.split()
    if len(words) >= 2 and words[0] == "BACKWARD":
        gaits = {g.value: g for g in Gait}
        return Direction.BACKWARD, gaits.get(words[1], Gait.NONE)
    if kind is StepKind.EXERCISE:
        return Direction.NONE, Gait.NONE
    return Direction.FORWARD, Gait.NONE  # a forward gait is not carried by FIT


def _read_step(message: dict[str, Any], strength: bool) -> ReadStep:
    name = str(message.get("wkt_step_name", ""))
    intensity = str(message.get("intensity", "active"))
    kind = _KIND.get(intensity, StepKind.WORK)
    if strength:  # nothing on foot: exercises, rests, maybe a warm-up or cool-down
        if kind not in (StepKind.WARMUP, StepKind.COOLDOWN):
            kind = StepKind.EXERCISE
        direction, gait = Direction.NONE, Gait.NONE
    else:
        direction, gait = _direction_and_gait(name, kind)
    category = message.get("exercise_category")
    duration_type = message.get("duration_type")
    value = message.get("duration_value")
    target = str(message.get("target_type", "open"))
    return ReadStep(
        name=name,
        kind=kind,
        direction=direction,
        gait=gait,
        seconds=int(value) // 1000 if duration_type == "time" and value is not None else None,
        meters=int(value) // 100 if duration_type == "distance" and value is not None else None,
        target=target,
        target_low=_custom(message, "custom_target_value_low", target),
        target_high=_custom(message, "custom_target_value_high", target),
        notes=str(message.get("notes", "")),
        rest=intensity == "rest",
        exercise_category=None if category is None else str(category),
    )


def _custom(message: dict[str, Any], field: str, target: str) -> int | None:
    value = message.get(field)
    if value is None:
        return None
    if target == "heart_rate" and int(value) > HR_BPM_OFFSET:
        return int(value) - HR_BPM_OFFSET
    return int(value)


def _nest(messages: list[dict[str, Any]], strength: bool) -> tuple[ReadStep | ReadRepeat, ...]:
    """Undo the flat layout: a repeat step swallows the steps from its first child on."""
    out: list[ReadStep | ReadRepeat] = []
    # Map message_index -> position in `out`, so a repeat finds where its block starts.
    position: dict[int, int] = {}
    for message in sorted(messages, key=lambda m: int(m["message_index"])):
        index = int(message["message_index"])
        position[index] = len(out)
        if message.get("duration_type") == "repeat_until_steps_cmplt":
            start = position[int(message["duration_value"])]
            children = tuple(s for s in out[start:] if isinstance(s, ReadStep))
            if len(children) != len(out) - start:
                raise FitReadError(f"step {index}: nested repeats are not supported")
            del out[start:]
            out.append(ReadRepeat(int(message["target_value"]), children))
        else:
            out.append(_read_step(message, strength))
    return tuple(out)


def read_workout(data: bytes) -> ReadWorkout:
    """Decode a FIT workout file; raises FitReadError if the SDK reports any problem."""
    messages = _messages(data)
    file_ids = messages.get("file_id_mesgs", [])
    workouts = messages.get("workout_mesgs", [])
    if not file_ids or file_ids[0].get("type") != "workout" or len(workouts) != 1:
        raise FitReadError("not a workout file (needs a file_id of type workout and one workout)")
    steps = messages.get("workout_step_mesgs", [])
    workout = workouts[0]
    return ReadWorkout(
        name=str(workout.get("wkt_name", "")),
        sport=str(workout.get("sport", "")),
        serial_number=int(file_ids[0].get("serial_number", 0)),
        # The SDK's own example file says 4 for 5 messages, so this is reported, not checked.
        num_valid_steps=int(workout.get("num_valid_steps", 0)),
        step_messages=len(steps),
        steps=_nest(steps, strength=workout.get("sport") == "training"),
    )
