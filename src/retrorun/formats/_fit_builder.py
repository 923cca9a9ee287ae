"""A small typed builder for FIT workout files over garmin-fit-sdk's Encoder.

The SDK takes messages as dicts keyed by profile field names and silently drops names it
does not know, including sub-field names such as `duration_time`: a step written that way
has no duration and no error (libraries.md §3). So the dataclasses here carry only the
*main* fields, in their raw units (milliseconds, centimetres, message indexes), and
`encode_workout` is the one place that names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from garmin_fit_sdk import Encoder, Profile

if TYPE_CHECKING:
    import datetime as dt

# Strings in FIT are null-terminated and at most 255 bytes per field; watches show far
# fewer characters, so we keep names short and notes moderate.
MAX_NAME_BYTES = 48
MAX_NOTES_BYTES = 200
FILE_TYPE_WORKOUT = 5
MANUFACTURER_DEVELOPMENT = 255
# FIT custom heart-rate values above 100 are bpm + 100 (values up to 100 are % of max).
HR_BPM_OFFSET = 100


class FitIntensity(IntEnum):
    ACTIVE = 0
    REST = 1
    WARMUP = 2
    COOLDOWN = 3
    RECOVERY = 4
    INTERVAL = 5
    OTHER = 6


class FitDuration(IntEnum):
    TIME = 0  # duration_value in milliseconds
    DISTANCE = 1  # duration_value in centimetres
    OPEN = 5  # ends on the lap button
    REPEAT_UNTIL_STEPS_CMPLT = 6  # duration_value = message_index of the first repeated step


class FitTarget(IntEnum):
    SPEED = 0  # custom values in mm/s
    HEART_RATE = 1  # custom values in bpm + 100
    OPEN = 2


class FitSport(IntEnum):
    RUNNING = 1
    TRAINING = 10  # with sub_sport strength_training: a watch's strength workout


class FitSubSport(IntEnum):
    GENERIC = 0
    TREADMILL = 1
    TRACK = 4
    STRENGTH_TRAINING = 20


@dataclass(frozen=True, slots=True)
class FitStep:
    """One workout_step message, main fields only."""

    name: str
    duration_type: FitDuration
    duration_value: int | None = None
    target_type: FitTarget = FitTarget.OPEN
    target_value: int = 0  # a zone, or the repeat count for a repeat step
    custom_target_low: int | None = None
    custom_target_high: int | None = None
    intensity: FitIntensity | None = None
    notes: str = ""
    # Strength steps: the profile's exercise_category and the number of an exercise in
    # that category's <category>_exercise_name list, so a watch can show the move.
    exercise_category: int | None = None
    exercise_name: int | None = None


@dataclass(frozen=True, slots=True)
class FitWorkout:
    name: str
    serial_number: int  # uint32z: never 0
    time_created: dt.datetime  # timezone-aware
    steps: tuple[FitStep, ...]
    sport: FitSport = FitSport.RUNNING
    sub_sport: FitSubSport = FitSubSport.GENERIC


def exercise_numbers(category: str, name: str) -> tuple[int, int]:
    """The profile numbers of an exercise category and of an exercise in it, by their
    profile names ("plank", "side_plank"); KeyError if this SDK's profile lacks either."""
    types = Profile["types"]

    def number(type_name: str, value: str) -> int:
        found = [int(k) for k, v in types[type_name].items() if v == value]
        if not found:
            raise KeyError(f"{value!r} is not a {type_name} in the FIT profile")
        return found[0]

    return number("exercise_category", category), number(f"{category}_exercise_name", name)


def fit_string(text: str, max_bytes: int) -> str:
    """Trim to a byte budget without splitting a UTF-8 character."""
    data = text.encode("utf-8")[:max_bytes]
    return data.decode("utf-8", errors="ignore")


def _step_fields(index: int, step: FitStep) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "message_index": index,
        "wkt_step_name": fit_string(step.name, MAX_NAME_BYTES),
        "duration_type": int(step.duration_type),
        "target_type": int(step.target_type),
        "target_value": step.target_value,
    }
    optional = {
        "duration_value": step.duration_value,
        "custom_target_value_low": step.custom_target_low,
        "custom_target_value_high": step.custom_target_high,
        "intensity": None if step.intensity is None else int(step.intensity),
        "notes": fit_string(step.notes, MAX_NOTES_BYTES) or None,
        "exercise_category": step.exercise_category,
        "exercise_name": step.exercise_name,
    }
    fields.update({key: value for key, value in optional.items() if value is not None})
    return fields


def encode_workout(workout: FitWorkout) -> bytes:
    """The bytes of a FIT workout file: file_id, workout, then the steps in order."""
    if not 0 < workout.serial_number < 2**32:
        raise ValueError(f"serial_number {workout.serial_number} is not a valid uint32z")
    if workout.time_created.tzinfo is None:
        raise ValueError("time_created must be timezone-aware")
    mesg_num = Profile["mesg_num"]
    encoder = Encoder()
    encoder.on_mesg(
        mesg_num["FILE_ID"],
        {
            "type": FILE_TYPE_WORKOUT,
            "manufacturer": MANUFACTURER_DEVELOPMENT,
            "product": 0,
            "serial_number": workout.serial_number,
            "time_created": workout.time_created,
        },
    )
    encoder.on_mesg(
        mesg_num["WORKOUT"],
        {
            "sport": int(workout.sport),
            "sub_sport": int(workout.sub_sport),
            "num_valid_steps": len(workout.steps),
            "wkt_name": fit_string(workout.name, MAX_NAME_BYTES),
        },
    )
    for index, step in enumerate(workout.steps):
        encoder.on_mesg(mesg_num["WORKOUT_STEP"], _step_fields(index, step))
    data: bytes = encoder.close()
    return data
