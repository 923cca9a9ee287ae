"""The plan wizard's form: browser strings → the retrorun.profile/1 dict, every field checked.

`read_profile_form` first converts each field it can read (numbers, times, ticked boxes) and
notes the ones it cannot; then it asks the domain (`parse_profile`) about the rest, one field at
a time, so the person sees every problem at once, each beside its field, instead of the first
one only.

Units (metric or imperial) decide how the plan, its pages and its files write distances and
paces; they also decide how the wizard reads the easy pace: per km, or per mile with
imperial units. The profile always keeps the pace in seconds per km.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from retrorun.domain.errors import InvalidProfile
from retrorun.domain.profile import (
    BACKWARD_STAGE_TEXT,
    PROFILE_SURFACES,
    SCREEN_QUESTIONS,
    WEEKDAYS,
    BackwardStage,
    Experience,
    Goal,
    Profile,
    Units,
    parse_profile,
)

LABELS: dict[str, str] = {
    "experience": "Running experience",
    "weekly_minutes": "Minutes of running a week",
    "runs_per_week": "Runs a week",
    "longest_run_minutes": "Longest run in the last 30 days (minutes)",
    "available_days": "Days you can train",
    "long_run_day": "Long-run day",
    "easy_pace": "Easy pace",
    "easy_pace_s_per_km": "Easy pace",
    "hr_max": "Maximum heart rate",
    "hr_rest": "Resting heart rate",
    "goal": "Goal",
    "age": "Age",
    "surfaces": "Surfaces you can use",
    "start_date": "Start date",
    "units": "Units",
    "backward_walk_3m_seconds": "3 m backward walk test (seconds)",
    "backward_stage": "Backward running you already do",
    "poor_balance": "I feel my balance is poor",
    "screen": "Safety screen",
    **{f"screen.{k}": f"Safety screen: {v}" for k, v in SCREEN_QUESTIONS.items()},
}

EXPERIENCE_TEXT = {
    Experience.NEW_TO_RUNNING: "New to running",
    Experience.RECREATIONAL: "Recreational runner",
    Experience.TRAINED: "Trained (regular structured training)",
    Experience.HIGHLY_TRAINED: "Highly trained (competitive)",
}
GOAL_TEXT = {
    Goal.GENERAL: "Try backward running safely (the free 8-week plan)",
    Goal.ECONOMY: "Running economy (trained runners)",
    Goal.SPEED_POWER: "Sprint and jump power (young and field-sport athletes)",
    Goal.KNEE_FRIENDLY: "Keep moving with sore knees (backward walking)",
    Goal.MAINTENANCE: "Keep the skill through a busy spell",
}
# What a ticked "I feel my balance is poor" box sends.
TICKED = "yes"
SURFACE_TEXT = {"track": "Running track", "treadmill": "Treadmill", "grass": "Flat grass",
                "turf": "Artificial turf", "road": "Road", "trail": "Trail"}
DAY_TEXT = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                               "Saturday", "Sunday"), strict=True))

KM_PER_MILE = 1.609344
# The easy pace the domain accepts (parse_profile), in seconds per km.
EASY_PACE_RANGE_S_PER_KM = (150, 1200)

# The order of the fields on the page: the error summary lists problems in this order.
FORM_ORDER = ("units", "experience", "weekly_minutes", "runs_per_week", "longest_run_minutes",
              "easy_pace", "age", "hr_max", "hr_rest", "backward_stage", "poor_balance",
              "backward_walk_3m_seconds", "goal", "available_days", "long_run_day", "surfaces",
              "start_date",
              *(f"screen.{k}" for k in SCREEN_QUESTIONS))

# Values that pass the domain's checks, used to stand in for a field already found wrong
# while the remaining fields are checked.
_STAND_INS: dict[str, Any] = {
    "experience": "recreational", "weekly_minutes": 60, "available_days": ["mon"],
    "goal": "general", "age": 30, "surfaces": [], "start_date": "2026-01-05", "screen": {},
}


@dataclass
class ProfileForm:
    """What the person typed (to show it again) and what is wrong with it, by field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    profile: Profile | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _int(raw: str, key: str, errors: dict[str, str], what: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        errors[key] = f"{LABELS[key]}: enter {what} as a whole number, e.g. {_example(key)}"
        return None


def _float(raw: str, key: str, errors: dict[str, str]) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        errors[key] = f"{LABELS[key]}: enter a number, e.g. {_example(key)}"
        return None
    return value


def _example(key: str) -> str:
    return {"age": "35", "runs_per_week": "3", "hr_max": "185", "hr_rest": "55",
            "weekly_minutes": "120", "longest_run_minutes": "45",
            "backward_walk_3m_seconds": "4.5"}.get(key, "10")


def _imperial(units: str) -> bool:
    return units == Units.IMPERIAL.value


def _per(units: str) -> str:
    return "per mile" if _imperial(units) else "per km"


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _pace(raw: str, units: str, errors: dict[str, str]) -> float | None:
    """The pace typed as min:sec per km (or per mile with imperial units), in s per km."""
    minutes, sep, seconds = raw.partition(":")
    try:
        if not sep:
            typed = float(raw) * 60
        else:
            sec = int(seconds)
            if not 0 <= sec < 60:
                raise ValueError
            typed = int(minutes) * 60 + sec
    except ValueError:
        example = "10:30" if _imperial(units) else "6:30"
        errors["easy_pace"] = (f"{LABELS['easy_pace']}: write minutes:seconds {_per(units)}, "
                               f"e.g. {example}")
        return None
    per_km = typed / KM_PER_MILE if _imperial(units) else typed
    low, high = EASY_PACE_RANGE_S_PER_KM
    if not low <= per_km <= high:
        scale = KM_PER_MILE if _imperial(units) else 1.0
        errors["easy_pace"] = (f"{LABELS['easy_pace']}: must be between "
                               f"{_clock(low * scale)} and {_clock(high * scale)} {_per(units)}")
        return None
    return round(per_km, 2)


def _lists(form: Any, key: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    raw = getlist(key) if getlist else form.get(key, [])
    return [v for v in (raw if isinstance(raw, list) else [raw]) if isinstance(v, str) and v]


def _convert(form: Any) -> ProfileForm:
    result = ProfileForm()
    data, errors, values = result.data, result.errors, result.values
    for key in ("experience", "goal", "units", "long_run_day", "start_date",
                "backward_stage"):
        values[key] = _text(form, key)
        if values[key]:
            data[key] = values[key]
    for key in ("available_days", "surfaces"):
        values[key] = _lists(form, key)
        data[key] = values[key]
    for key, kind in (("age", int), ("runs_per_week", int), ("hr_max", int),
                      ("hr_rest", int), ("weekly_minutes", float),
                      ("longest_run_minutes", float), ("backward_walk_3m_seconds", float)):
        raw = values[key] = _text(form, key)
        if raw:
            number = _int(raw, key, errors, "it") if kind is int else _float(raw, key, errors)
            if number is not None:
                data[key] = number
    _tick(form, "poor_balance", result)
    raw = values["easy_pace"] = _text(form, "easy_pace")
    if raw:
        pace = _pace(raw, values["units"], errors)
        if pace is not None:
            data["easy_pace_s_per_km"] = pace
    screen: dict[str, bool] = {}
    for key in SCREEN_QUESTIONS:
        answer = values[f"screen.{key}"] = _text(form, f"screen.{key}")
        if answer in ("yes", "no"):
            screen[key] = answer == "yes"
        else:
            errors[f"screen.{key}"] = f"{LABELS[f'screen.{key}']}: answer yes or no"
    data["screen"] = screen
    return result


def _tick(form: Any, key: str, result: ProfileForm) -> None:
    """A checkbox: ticked (it sends TICKED) is true, absent or empty is false."""
    ticked = result.values[key] = _text(form, key)
    if ticked in ("", TICKED):
        result.data[key] = ticked == TICKED
    else:
        result.errors[key] = f"{LABELS[key]}: tick the box or leave it empty"


def _friendly(error: InvalidProfile) -> str:
    label = LABELS.get(error.field, error.field)
    if error.problem == "is required":
        return f"{label}: this is required"
    return f"{label}: {error.problem}"


def read_profile_form(form: Any) -> ProfileForm:
    """Read the wizard form; `profile` is set only when every field is right."""
    result = _convert(form)
    wrong = {"easy_pace_s_per_km" if k == "easy_pace" else k for k in result.errors}
    data = {k: v for k, v in result.data.items() if k not in wrong}
    for _ in range(len(LABELS)):
        try:
            profile = parse_profile(data)
        except InvalidProfile as error:
            key = error.field.split(".")[0] if error.field.startswith("race.") else error.field
            result.errors.setdefault(key, _friendly(error))
            if key.startswith("screen") or key not in _STAND_INS:
                data.pop(key.split(".")[0], None)
                if key.startswith("screen"):
                    data["screen"] = {}
            else:
                data[key] = _STAND_INS[key]
            continue
        if not result.errors:
            result.profile = profile
            result.data = _contract(result.data)
        break
    # The form asks for the pace as min:sec in a field of its own name.
    if "easy_pace_s_per_km" in result.errors:
        result.errors.setdefault("easy_pace", result.errors.pop("easy_pace_s_per_km"))
    order = list(FORM_ORDER)
    result.errors = dict(sorted(result.errors.items(),
                                key=lambda item: order.index(item[0])
                                if item[0] in order else len(order)))
    return result


def _contract(data: dict[str, Any]) -> dict[str, Any]:
    """The profile as the JSON contract writes it (what we keep and send to the services)."""
    return {k: v for k, v in data.items() if v not in ("", None)}


def empty_values(today: dt.date) -> dict[str, Any]:
    """The wizard's starting values."""
    start = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    return {"experience": "", "goal": "general", "units": Units.METRIC.value,
            "available_days": ["tue", "thu", "sat"], "surfaces": [], "long_run_day": "",
            "start_date": start.isoformat(), "age": "", "weekly_minutes": "",
            "runs_per_week": "", "longest_run_minutes": "", "easy_pace": "", "hr_max": "",
            "hr_rest": "", "backward_walk_3m_seconds": "",
            "backward_stage": BackwardStage.NEVER.value, "poor_balance": "",
            **{f"screen.{k}": "" for k in SCREEN_QUESTIONS}}


def form_values_from_profile(data: Mapping[str, Any]) -> dict[str, Any]:
    """Wizard values that show a stored profile dict again (to edit it)."""
    values: dict[str, Any] = {k: data.get(k, "") for k in (
        "experience", "goal", "units", "long_run_day", "start_date")}
    values["units"] = values["units"] or Units.METRIC.value
    values["backward_stage"] = data.get("backward_stage") or BackwardStage.NEVER.value
    values["poor_balance"] = TICKED if data.get("poor_balance") is True else ""
    values["available_days"] = list(data.get("available_days", []))
    values["surfaces"] = list(data.get("surfaces", []))
    for key in ("age", "weekly_minutes", "runs_per_week", "longest_run_minutes", "hr_max",
                "hr_rest", "backward_walk_3m_seconds"):
        value = data.get(key)
        values[key] = "" if value is None else f"{value:g}"
    pace = data.get("easy_pace_s_per_km")
    if pace and _imperial(values["units"]):
        pace *= KM_PER_MILE
    values["easy_pace"] = _clock(pace) if pace else ""
    screen = data.get("screen", {})
    for key in SCREEN_QUESTIONS:
        values[f"screen.{key}"] = "yes" if screen.get(key) else "no"
    return values


CHOICES = {
    "experience": [(e.value, EXPERIENCE_TEXT[e]) for e in Experience],
    "goal": [(g.value, GOAL_TEXT[g]) for g in Goal],
    "backward_stage": [(b.value, BACKWARD_STAGE_TEXT[b]) for b in BackwardStage],
    "surfaces": [(s, SURFACE_TEXT[s]) for s in PROFILE_SURFACES],
    "days": [(d, DAY_TEXT[d]) for d in WEEKDAYS],
    "screen": list(SCREEN_QUESTIONS.items()),
    "units": [(Units.METRIC.value, "Metric: kilometres, pace per km"),
              (Units.IMPERIAL.value, "Imperial: miles, pace per mile")],
}
