"""Realistic athlete profiles for the plan audit (issue 9), deterministic from a seed.

Unlike `strategies.profiles` (anything the contract accepts), these are people a coach
could meet: volumes that fit the experience level and the days given, paces, races and heart
rates that agree with each other, older athletes with and without the 3 m backward-walk test,
youths, screened athletes (every screen question, one or two "yes"), one to seven days and
every surface mix. Each profile is a JSON object for `tests/contracts/profile.schema.json`.

Plain `random.Random(seed)`: the same seed gives the same list, so a failure names a
profile that can be rebuilt with `realistic_profiles(n, seed)[i]`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXPERIENCES = ("new_to_running", "recreational", "trained", "highly_trained")
GOALS = ("general", "economy", "speed_power", "knee_friendly", "maintenance")
# Every question of the safety screen (B1.1), `uncorrected_vision` included.
SCREEN_KEYS = ("vertigo", "fall_last_year", "balance_condition", "leg_pain", "concussion",
               "late_pregnancy", "uncorrected_vision")
BACKWARD_STAGES = ("never", "walk", "jog", "run", "sprint")
# Every surface mix the issue names first, then random ones.
SURFACE_MIXES: tuple[tuple[str, ...], ...] = (
    (), ("road",), ("treadmill",), ("grass",), ("track", "road"), ("track",), ("turf",),
    ("trail",), ("road", "trail"), ("grass", "road"), ("treadmill", "road"),
    ("track", "treadmill", "grass", "turf", "road", "trail"), ("turf", "road"),
    ("track", "grass"),
)
ALL_SURFACES = ("track", "treadmill", "grass", "turf", "road", "trail")
# Weekly forward minutes by experience (the brief's kinds).
WEEKLY_RANGE = {"new_to_running": (0, 60), "recreational": (60, 300),
                "trained": (150, 500), "highly_trained": (300, 900)}
EASY_PACE_RANGE = {"new_to_running": (420, 560), "recreational": (330, 460),
                   "trained": (280, 370), "highly_trained": (225, 310)}
# [A] Nobody we model averages more than 2.5 h a day on the days they give.
MAX_MINUTES_PER_DAY = 150
RACES_M = (5000, 10000, 21097.5, 42195)


def _weekly_minutes(rng: random.Random, experience: str, age: int) -> float:
    low, high = WEEKLY_RANGE[experience]
    if experience == "new_to_running" and rng.random() < 0.12:
        return 0
    if age < 14 or age >= 75:
        high = min(high, 300 if experience != "new_to_running" else high)
        low = min(low, high)
    value = rng.uniform(low, high)
    if rng.random() < 0.15:
        return round(value, 1)  # some people type 137.5
    return float(5 * round(value / 5)) if rng.random() < 0.5 else int(5 * round(value / 5))


def _age(rng: random.Random, i: int) -> int:
    band = i % 10
    if band in (0, 5):  # youths
        return rng.randint(10, 17)
    if band == 3:
        return rng.randint(60, 64)
    if band in (7,):
        return rng.randint(65, 85)
    if band == 8 and rng.random() < 0.5:
        return rng.randint(65, 85)
    return rng.randint(18, 59)


def _days(rng: random.Random, weekly: float, i: int) -> list[str]:
    least = max(1, math.ceil(weekly / MAX_MINUTES_PER_DAY))
    # Cycle through 1..7 so each count is well represented, raised to what the volume needs.
    count = max(least, 1 + (i * 3 + rng.randint(0, 1)) % 7)
    if weekly <= MAX_MINUTES_PER_DAY and rng.random() < 0.06:
        count = 1
    days = sorted(rng.sample(WEEKDAYS, count), key=WEEKDAYS.index)
    if rng.random() < 0.2:  # order as typed, not as the week runs
        rng.shuffle(days)
    return days


def _surfaces(rng: random.Random, i: int) -> list[str]:
    if rng.random() < 0.05:
        return []
    if i < len(SURFACE_MIXES) * 8 and rng.random() < 0.7:
        mix = list(SURFACE_MIXES[i % len(SURFACE_MIXES)])
    else:
        mix = rng.sample(ALL_SURFACES, rng.randint(1, 4))
    rng.shuffle(mix)
    return mix


def _goal(rng: random.Random, age: int, i: int) -> str:
    if age < 18 and rng.random() < 0.5:
        return "speed_power"
    if age >= 55 and rng.random() < 0.3:
        return "knee_friendly"
    return GOALS[(i // 2 + rng.randint(0, 1)) % len(GOALS)]


def _screen(rng: random.Random, age: int, screened_index: int | None) -> dict[str, bool]:
    screen: dict[str, bool] = {}
    if screened_index is not None:
        first = SCREEN_KEYS[screened_index % len(SCREEN_KEYS)]
        if first == "late_pregnancy" and not 18 <= age <= 45:
            first = "vertigo" if screened_index % 2 else "leg_pain"
        screen[first] = True
        if rng.random() < 0.35:
            second = rng.choice([k for k in SCREEN_KEYS if k != first
                                 and (k != "late_pregnancy" or 18 <= age <= 45)])
            screen[second] = True
    # Some answer every other question "no" explicitly (the newest question less often,
    # as older forms lack it), some leave it out.
    if rng.random() < 0.4:
        for key in SCREEN_KEYS[:-1] if rng.random() < 0.7 else SCREEN_KEYS:
            screen.setdefault(key, False)
    elif rng.random() < 0.3:
        for key in rng.sample(SCREEN_KEYS, 2):
            screen.setdefault(key, False)
    return screen


def _race(rng: random.Random, pace: float) -> dict[str, float]:
    distance = rng.choice(RACES_M)
    # Race pace is faster than easy pace, less so the longer the race.
    ratio = {5000: 0.80, 10000: 0.84, 21097.5: 0.88, 42195: 0.93}[distance]
    time_s = distance / 1000 * pace * ratio * rng.uniform(0.96, 1.04)
    return {"distance_m": distance, "time_s": round(time_s)}


def _longest_run(rng: random.Random, weekly: float, runs: int) -> float:
    if weekly <= 0:
        return rng.choice([0, 0, 10, 20])
    average = weekly / max(runs, 1)
    value = min(average * rng.uniform(1.0, 2.2), weekly, 240.0)
    return round(value) if rng.random() < 0.8 else round(value, 1)


def _one(rng: random.Random, i: int, screened_index: int | None) -> dict[str, Any]:
    experience = EXPERIENCES[i % len(EXPERIENCES)]
    age = _age(rng, i)
    weekly = _weekly_minutes(rng, experience, age)
    days = _days(rng, weekly, i)
    start = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randint(0, 4 * 365))
    profile: dict[str, Any] = {
        "experience": experience,
        "weekly_minutes": weekly,
        "available_days": days,
        "goal": _goal(rng, age, i),
        "age": age,
        "surfaces": _surfaces(rng, i),
        "start_date": start.isoformat(),
        "screen": _screen(rng, age, screened_index),
    }
    _training_fields(rng, profile)
    _balance_fields(rng, profile, i)
    return profile


def _training_fields(rng: random.Random, profile: dict[str, Any]) -> None:
    """Runs, longest run, long-run day, easy pace, race, heart rates, units, model."""
    experience, weekly, days = (profile["experience"], profile["weekly_minutes"],
                                profile["available_days"])
    runs = min(len(days), max(1 if weekly else 0, round(weekly / rng.uniform(30, 70))))
    if rng.random() < 0.6:
        profile["runs_per_week"] = runs
    if rng.random() < 0.65:
        profile["longest_run_minutes"] = _longest_run(rng, weekly, runs or 1)
    if rng.random() < 0.5:
        profile["long_run_day"] = rng.choice(days) if rng.random() < 0.85 else rng.choice(
            WEEKDAYS)
    pace = rng.uniform(*EASY_PACE_RANGE[experience])
    if rng.random() < 0.45:
        profile["easy_pace_s_per_km"] = round(pace)
    if rng.random() < 0.3:
        profile["race"] = _race(rng, pace)
    if rng.random() < 0.35:
        profile["hr_max"] = max(100, min(230, round(208 - 0.7 * profile["age"]
                                                    + rng.uniform(-8, 8))))
        if rng.random() < 0.7:
            profile["hr_rest"] = rng.randint(38, 72)
    if rng.random() < 0.25:
        profile["units"] = rng.choice(["metric", "imperial"])
    if rng.random() < 0.25:
        profile["intensity_model"] = rng.choice(["polarized", "pyramidal"])


def _balance_fields(rng: random.Random, profile: dict[str, Any], i: int) -> None:
    """The 3 m test, the current backward stage and poor balance."""
    age = profile["age"]
    # The 3 m backward-walk test (B1.2): most older athletes, a few others, both sides of
    # the 5.5 s cut-off.
    if rng.random() < (0.6 if age >= 65 else 0.25 if age >= 60 else 0.08):
        slow = rng.random() < 0.5
        profile["backward_walk_3m_seconds"] = round(
            rng.uniform(5.6, 12.0) if slow else rng.uniform(2.8, 5.4), 1)
    # The new fields (issue 9): the athlete's current backward stage and poor balance.
    if rng.random() < 0.5:
        profile["backward_stage"] = BACKWARD_STAGES[(i // 4 + rng.randint(0, 2))
                                                    % len(BACKWARD_STAGES)]
    draw = rng.random()
    if draw < (0.25 if age >= 60 else 0.08):
        profile["poor_balance"] = True
    elif draw < 0.2:
        profile["poor_balance"] = False


def realistic_profiles(n: int = 400, seed: int = 20260901) -> list[dict[str, Any]]:
    """`n` realistic profiles; about a quarter screened, each kind about a quarter."""
    rng = random.Random(seed)
    out = []
    screened = 0
    for i in range(n):
        is_screened = rng.random() < 0.25
        out.append(_one(rng, i, screened if is_screened else None))
        screened += is_screened
    return out


def summary(raw: dict[str, Any]) -> str:
    """One line that names a profile in a failure message."""
    yes = [k for k, v in raw["screen"].items() if v]
    parts = [raw["experience"], f"{raw['weekly_minutes']} min/wk", f"age {raw['age']}",
             raw["goal"], ",".join(raw["available_days"]),
             "surfaces=" + (",".join(raw["surfaces"]) or "none")]
    if yes:
        parts.append("screen=" + ",".join(yes))
    for key in ("backward_stage", "poor_balance", "backward_walk_3m_seconds",
                "longest_run_minutes", "easy_pace_s_per_km", "hr_max"):
        if key in raw:
            parts.append(f"{key}={raw[key]}")
    if "race" in raw:
        parts.append(f"race={raw['race']['distance_m']:g}m/{raw['race']['time_s']:g}s")
    return " · ".join(str(p) for p in parts)
