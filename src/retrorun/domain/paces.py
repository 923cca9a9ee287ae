"""Paces and heart-rate zones.

Easy pace comes from the profile, or from a race result through Daniels and Gilbert's
VDOT race-equivalence formulas (Daniels & Gilbert 1979, "Oxygen Power"; evidence
registry source `daniels`). Heart-rate zones use Karvonen's heart-rate reserve when both
max and resting heart rate are known, else percentages of max (`karvonen1957`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from retrorun.domain.profile import Experience, Profile

# Daniels' easy running sits at 59-74 % of VO2max (Daniels' Running Formula, E pace).
# We prescribe the middle of that band as "the" easy pace.
DANIELS_EASY_FRACTION = (0.59 + 0.74) / 2

# When neither pace nor race is given: typical easy paces by experience, s/km.
# [A] our assumption, shown to the athlete as such.
DEFAULT_EASY_PACE_S_PER_KM: dict[Experience, float] = {
    Experience.NEW_TO_RUNNING: 480.0,
    Experience.RECREATIONAL: 400.0,
    Experience.TRAINED: 340.0,
    Experience.HIGHLY_TRAINED: 300.0,
}

# Percent of heart-rate reserve (or of max) at the top of zones 1-5.
HR_ZONE_TOPS = (0.60, 0.70, 0.80, 0.90, 1.00)
HR_ZONE_FLOOR = 0.50
# A race slower than a stroll or faster than world-record speed is a typo, not a race.
PLAUSIBLE_RACE_SPEED_M_S = (0.8, 10.5)
PLAUSIBLE_RACE_DISTANCE_M = (800.0, 100_000.0)


@dataclass(frozen=True, slots=True)
class Paces:
    easy_s_per_km: float
    source: str  # "profile", "race (VDOT nn.n)" or "default for <experience>"

    @property
    def easy_speed_m_s(self) -> float:
        return 1000.0 / self.easy_s_per_km


@dataclass(frozen=True, slots=True)
class HeartRateZones:
    method: str  # "heart-rate reserve (Karvonen)" or "percent of max"
    zones: tuple[tuple[int, int], ...]  # five (low, high) bpm pairs

    @property
    def easy_ceiling(self) -> int:
        """Top of zone 2: easy backward work stays below it (evidence B3)."""
        return self.zones[1][1]


def vo2_cost(speed_m_per_min: float) -> float:
    """Daniels-Gilbert oxygen cost of running at a speed (ml/kg/min)."""
    return -4.60 + 0.182258 * speed_m_per_min + 0.000104 * speed_m_per_min**2


def fraction_sustainable(minutes: float) -> float:
    """Daniels-Gilbert share of VO2max that can be held for a race of this duration."""
    return (0.8 + 0.1894393 * math.exp(-0.012778 * minutes)
            + 0.2989558 * math.exp(-0.1932605 * minutes))


def vdot(distance_m: float, time_s: float) -> float:
    minutes = time_s / 60.0
    return vo2_cost(distance_m / minutes) / fraction_sustainable(minutes)


def speed_for_vo2(vo2: float) -> float:
    """Inverse of vo2_cost: the speed (m/min) that costs this much oxygen."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def easy_pace_from_race(distance_m: float, time_s: float) -> tuple[float, float]:
    """(easy pace in s/km, VDOT) from a race result."""
    score = vdot(distance_m, time_s)
    speed = speed_for_vo2(DANIELS_EASY_FRACTION * score)
    return 1000.0 / speed * 60.0, score


def plausible_race(distance_m: float, time_s: float) -> bool:
    speed = distance_m / time_s
    low, high = PLAUSIBLE_RACE_SPEED_M_S
    dlow, dhigh = PLAUSIBLE_RACE_DISTANCE_M
    return low <= speed <= high and dlow <= distance_m <= dhigh


EASY_PACE_BOUNDS_S_PER_KM = (150.0, 1200.0)  # the profile contract's own range


def derive_paces(profile: Profile) -> Paces:
    if profile.easy_pace_s_per_km is not None:
        return Paces(profile.easy_pace_s_per_km, "profile")
    race = profile.race
    if race is not None and plausible_race(race.distance_m, race.time_s):
        pace, score = easy_pace_from_race(race.distance_m, race.time_s)
        low, high = EASY_PACE_BOUNDS_S_PER_KM
        return Paces(min(max(pace, low), high), f"race (VDOT {score:.1f}, Daniels)")
    default = DEFAULT_EASY_PACE_S_PER_KM[profile.experience]
    return Paces(default, f"default for {profile.experience.value.replace('_', ' ')} [A]")


def heart_rate_zones(hr_max: int | None, hr_rest: int | None) -> HeartRateZones | None:
    if hr_max is None:
        return None
    if hr_rest is not None and hr_rest < hr_max:
        reserve = hr_max - hr_rest
        edges = [round(hr_rest + f * reserve) for f in (HR_ZONE_FLOOR, *HR_ZONE_TOPS)]
        method = "heart-rate reserve (Karvonen)"
    else:
        edges = [round(f * hr_max) for f in (HR_ZONE_FLOOR, *HR_ZONE_TOPS)]
        method = "percent of max"
    zones = tuple((edges[i], edges[i + 1]) for i in range(5))
    return HeartRateZones(method, zones)


def format_pace(s_per_km: float, imperial: bool = False) -> str:
    seconds = round(s_per_km * (1.609344 if imperial else 1.0))
    unit = "/mi" if imperial else "/km"
    return f"{seconds // 60}:{seconds % 60:02d}{unit}"
