"""The athlete profile and the safety screen (evidence B1), validated.

The input contract is `shared/contracts/profile.schema.json` (retrorun.profile/1):
`parse_profile` accepts exactly those keys and rejects unknown keys and bad values with
an `InvalidProfile` naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from retrorun.domain.errors import InvalidProfile

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Experience(StrEnum):
    NEW_TO_RUNNING = "new_to_running"
    RECREATIONAL = "recreational"
    TRAINED = "trained"
    HIGHLY_TRAINED = "highly_trained"


class Goal(StrEnum):
    GENERAL = "general"
    ECONOMY = "economy"
    SPEED_POWER = "speed_power"
    KNEE_FRIENDLY = "knee_friendly"
    MAINTENANCE = "maintenance"


class Units(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


class IntensityModel(StrEnum):
    POLARIZED = "polarized"
    PYRAMIDAL = "pyramidal"


class BackwardStage(StrEnum):
    """The backward running the athlete already does (evidence B2's ladder), so a plan can
    start where they are rather than at walking."""

    NEVER = "never"
    WALK = "walk"
    JOG = "jog"
    RUN = "run"
    SPRINT = "sprint"


# How the wizard and the printed plan name each stage.
BACKWARD_STAGE_TEXT: dict[BackwardStage, str] = {
    BackwardStage.NEVER: "Never done it",
    BackwardStage.WALK: "Backward walking",
    BackwardStage.JOG: "Backward jogging intervals",
    BackwardStage.RUN: "Continuous backward running",
    BackwardStage.SPRINT: "Backward sprints",
}

SCREEN_QUESTIONS: dict[str, str] = {
    "vertigo": "vertigo or a vestibular disorder",
    "fall_last_year": "a fall in the last 12 months",
    "balance_condition": "a neurological or balance condition",
    "leg_pain": "current leg pain of 3/10 or more",
    "concussion": "a recent concussion",
    "late_pregnancy": "late pregnancy",
    "uncorrected_vision": "an uncorrected vision problem",
}
PROFILE_SURFACES: tuple[str, ...] = ("track", "treadmill", "grass", "turf", "road", "trail")


@dataclass(frozen=True, slots=True)
class Race:
    distance_m: float
    time_s: float


@dataclass(frozen=True, slots=True)
class Profile:
    experience: Experience
    weekly_minutes: float
    available_days: tuple[str, ...]
    goal: Goal
    age: int
    surfaces: tuple[str, ...]
    start_date: dt.date
    screen_yes: tuple[str, ...] = ()
    runs_per_week: int | None = None
    longest_run_minutes: float | None = None
    long_run_day: str | None = None
    easy_pace_s_per_km: float | None = None
    race: Race | None = None
    hr_max: int | None = None
    hr_rest: int | None = None
    program: str | None = None
    weeks: int | None = None
    backward_walk_3m_seconds: float | None = None
    units: Units = Units.METRIC
    intensity_model: IntensityModel = IntensityModel.POLARIZED
    backward_stage: BackwardStage = BackwardStage.NEVER
    # Evidence B1.2: self-reported poor balance asks for the 3 m backward walk test (as age
    # 65+ does). Not a screen answer: on its own it does not mean walking only.
    poor_balance: bool = False

    @property
    def screened_out(self) -> bool:
        """Evidence B1.1: any "yes" means backward walking only, indoors, clinician first."""
        return bool(self.screen_yes)

    @property
    def advanced(self) -> bool:
        """Who may take the 15 % backward share of invariant 1 rather than 10 %."""
        return self.experience is Experience.HIGHLY_TRAINED


_REQUIRED = ("experience", "weekly_minutes", "available_days", "goal", "age", "surfaces",
             "start_date", "screen")
_OPTIONAL = ("runs_per_week", "longest_run_minutes", "long_run_day", "easy_pace_s_per_km",
             "race", "hr_max", "hr_rest", "program", "weeks", "backward_walk_3m_seconds",
             "units", "intensity_model", "backward_stage", "poor_balance")


# [A] The start dates a plan may have: a wide window around today that every date sum
# in the plan (a year of weeks, the calendar's reminders) stays far inside; beyond it a
# date is a typing slip, and near year 9999 adding the plan's weeks would overflow.
EARLIEST_START_DATE = dt.date(1970, 1, 1)
LATEST_START_DATE = dt.date(2100, 12, 31)

_SHOWN_LENGTH = 60
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _shown(value: object) -> str:
    """An offending value as JSON spells it (null, true, "text", [1, 2]), cut short if long
    and kept on one printable line."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):  # nested too deeply; an int too long for text
        text = "[…]" if isinstance(value, list) else "{…}" if isinstance(value, dict) else "…"
    if len(text) > _SHOWN_LENGTH:
        text = text[:_SHOWN_LENGTH - 1] + "…"
    # Only string contents can hold unprintable characters; JSON escapes them there.
    return "".join(c if c.isprintable() else json.dumps(c)[1:-1] for c in text)


def _key(name: str) -> str:
    """An unknown key as given when it looks like a field name, else quoted as JSON."""
    return name if _PLAIN_KEY.fullmatch(name) else _shown(name)


def _choices(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def _enum(data: Mapping[str, Any], key: str, kind: type[StrEnum]) -> Any:
    value = data[key]
    allowed = [m.value for m in kind]
    if not isinstance(value, str) or value not in allowed:
        raise InvalidProfile(key, f"got {_shown(value)}; allowed: {_choices(allowed)}")
    return kind(value)


def _number(data: Mapping[str, Any], key: str, low: float, high: float | None = None,
            *, exclusive_low: bool = False, integer: bool = False) -> Any:
    value = data[key]
    kind = "an integer" if integer else "a number"
    # JSON Schema counts 3.0 as an integer, so we do too.
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    ok_type = whole if integer else isinstance(value, int | float)
    infinite = isinstance(value, float) and not math.isfinite(value)  # NaN, Infinity
    if isinstance(value, bool) or not ok_type or infinite:
        raise InvalidProfile(key, f"got {_shown(value)}; must be {kind}")
    if integer:
        value = int(value)
    too_low = value <= low if exclusive_low else value < low
    if too_low or (high is not None and value > high):
        bound = f"greater than {low:g}" if exclusive_low else f"at least {low:g}"
        rng = bound if high is None else f"{bound} and at most {high:g}"
        raise InvalidProfile(key, f"got {_shown(value)}; must be {rng}")
    if value > sys.float_info.max:  # a whole number too large for float() (no bound above)
        raise InvalidProfile(key, f"got {_shown(value)}; must be at most "
                                  f"{sys.float_info.max:g}")
    return value


def _days(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data[key]
    if not isinstance(value, list) or not value:
        raise InvalidProfile(key, f"got {_shown(value)}; must be a non-empty list of "
                                  f"{_choices(WEEKDAYS)}")
    for day in value:
        if day not in WEEKDAYS:
            raise InvalidProfile(key, f"got {_shown(day)}; allowed: {_choices(WEEKDAYS)}")
    if len(set(value)) != len(value):
        raise InvalidProfile(key, "each day may appear only once")
    return tuple(sorted(value, key=WEEKDAYS.index))


def _surfaces(data: Mapping[str, Any]) -> tuple[str, ...]:
    value = data["surfaces"]
    if not isinstance(value, list):
        raise InvalidProfile("surfaces", f"got {_shown(value)}; must be a list of "
                                         f"{_choices(PROFILE_SURFACES)}")
    for surface in value:
        if surface not in PROFILE_SURFACES:
            raise InvalidProfile("surfaces", f"got {_shown(surface)}; allowed: "
                                             f"{_choices(PROFILE_SURFACES)}")
    if len(set(value)) != len(value):
        raise InvalidProfile("surfaces", "each surface may appear only once")
    return tuple(sorted(value, key=PROFILE_SURFACES.index))


def _date(data: Mapping[str, Any]) -> dt.date:
    value = data["start_date"]
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if not EARLIEST_START_DATE <= day <= LATEST_START_DATE:
                raise InvalidProfile("start_date", f"got {_shown(value)}; must be from "
                                     f"{EARLIEST_START_DATE} to {LATEST_START_DATE}")
            return day
    raise InvalidProfile("start_date",
                         f"got {_shown(value)}; must be a date written YYYY-MM-DD")


def _screen(data: Mapping[str, Any]) -> tuple[str, ...]:
    value = data["screen"]
    if not isinstance(value, Mapping):
        raise InvalidProfile("screen", f"got {_shown(value)}; must be an object with the "
                                       f"questions {_choices(SCREEN_QUESTIONS)}")
    for key, answer in value.items():
        if key not in SCREEN_QUESTIONS:
            raise InvalidProfile(f"screen.{_key(key)}", "unknown question; allowed: "
                                                  f"{_choices(SCREEN_QUESTIONS)}")
        if not isinstance(answer, bool):
            raise InvalidProfile(f"screen.{key}",
                                 f"got {_shown(answer)}; must be true or false")
    return tuple(k for k in SCREEN_QUESTIONS if value.get(k) is True)


def _race(data: Mapping[str, Any]) -> Race:
    value = data["race"]
    if not isinstance(value, Mapping):
        raise InvalidProfile("race", "must be an object with distance_m and time_s")
    for key in value:
        if key not in ("distance_m", "time_s"):
            raise InvalidProfile(f"race.{_key(key)}",
                                 "unknown key; allowed: distance_m, time_s")
    for key in ("distance_m", "time_s"):
        if key not in value:
            raise InvalidProfile(f"race.{key}", "is required")
        try:
            _number(value, key, 0, exclusive_low=True)
        except InvalidProfile as error:
            raise InvalidProfile(f"race.{key}", error.problem) from error
    return Race(float(value["distance_m"]), float(value["time_s"]))


def parse_profile(data: object) -> Profile:
    """Validate a decoded JSON object against retrorun.profile/1 and build a Profile."""
    if not isinstance(data, Mapping):
        raise InvalidProfile("profile", "must be a JSON object")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise InvalidProfile(_key(unknown[0]), f"unknown field; allowed: "
                                         f"{_choices(sorted(_REQUIRED + _OPTIONAL))}")
    for key in _REQUIRED:
        if key not in data:
            raise InvalidProfile(key, "is required")
    opt = {k: data[k] for k in _OPTIONAL if k in data}
    return Profile(
        experience=_enum(data, "experience", Experience),
        weekly_minutes=float(_number(data, "weekly_minutes", 0, 1500)),
        available_days=_days(data, "available_days"),
        goal=_enum(data, "goal", Goal),
        age=_number(data, "age", 8, 100, integer=True),
        surfaces=_surfaces(data),
        start_date=_date(data),
        screen_yes=_screen(data),
        runs_per_week=_number(opt, "runs_per_week", 0, 14, integer=True)
        if "runs_per_week" in opt else None,
        longest_run_minutes=float(_number(opt, "longest_run_minutes", 0, 400))
        if "longest_run_minutes" in opt else None,
        long_run_day=_long_run_day(opt),
        easy_pace_s_per_km=float(_number(opt, "easy_pace_s_per_km", 150, 1200))
        if "easy_pace_s_per_km" in opt else None,
        race=_race(opt) if "race" in opt else None,
        hr_max=_number(opt, "hr_max", 100, 230, integer=True) if "hr_max" in opt else None,
        hr_rest=_number(opt, "hr_rest", 25, 120, integer=True) if "hr_rest" in opt else None,
        program=_program(opt),
        weeks=_number(opt, "weeks", 1, 52, integer=True) if "weeks" in opt else None,
        backward_walk_3m_seconds=float(_number(opt, "backward_walk_3m_seconds", 0,
                                               exclusive_low=True))
        if "backward_walk_3m_seconds" in opt else None,
        units=_enum(opt, "units", Units) if "units" in opt else Units.METRIC,
        intensity_model=_enum(opt, "intensity_model", IntensityModel)
        if "intensity_model" in opt else IntensityModel.POLARIZED,
        backward_stage=_enum(opt, "backward_stage", BackwardStage)
        if "backward_stage" in opt else BackwardStage.NEVER,
        poor_balance=_boolean(opt, "poor_balance") if "poor_balance" in opt else False,
    )


def _boolean(opt: Mapping[str, Any], key: str) -> bool:
    value = opt[key]
    if not isinstance(value, bool):
        raise InvalidProfile(key, f"got {_shown(value)}; must be true or false")
    return value


def _long_run_day(opt: Mapping[str, Any]) -> str | None:
    if "long_run_day" not in opt:
        return None
    value = opt["long_run_day"]
    if value not in WEEKDAYS:
        raise InvalidProfile("long_run_day",
                             f"got {_shown(value)}; allowed: {_choices(WEEKDAYS)}")
    return str(value)


def _program(opt: Mapping[str, Any]) -> str | None:
    if "program" not in opt:
        return None
    value = opt["program"]
    if not isinstance(value, str):
        raise InvalidProfile("program", f"got {_shown(value)}; must be a program id")
    return value
