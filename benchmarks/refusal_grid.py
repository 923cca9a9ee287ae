"""How many realistic profiles the generator refuses (it refuses rather than break a rule).

Run: .venv/bin/python benchmarks/refusal_grid.py
The grid: 4 experience levels x 9 weekly volumes x 5 goals x 6 sets of days x 4 surface
sets x screen yes/no x default or 16 weeks x default or 3 runs a week (34,560 profiles).
"""

from __future__ import annotations

import itertools
from collections import Counter

from retrorun.domain.errors import InvariantViolated
from retrorun.domain.generator import build_plan
from retrorun.domain.profile import parse_profile

DAYS = [["sat", "sun"], ["tue", "thu", "sat"], ["mon", "wed", "fri", "sun"],
        ["mon", "tue", "thu", "fri", "sun"], ["mon", "tue", "wed", "thu", "fri", "sat"],
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]


def main() -> None:
    refused: Counter[str] = Counter()
    total = 0
    for experience, minutes, goal, days, surfaces, screen, weeks, runs in itertools.product(
            ["new_to_running", "recreational", "trained", "highly_trained"],
            [0, 20, 45, 60, 90, 150, 240, 400, 700],
            ["general", "economy", "speed_power", "knee_friendly", "maintenance"], DAYS,
            [["road"], ["road", "track"], ["grass"], ["treadmill"]],
            [{}, {"leg_pain": True}], [None, 16], [None, 3]):
        raw = {"experience": experience, "weekly_minutes": minutes, "available_days": days,
               "goal": goal, "age": 40, "surfaces": surfaces, "start_date": "2026-11-30",
               "screen": screen}
        if weeks:
            raw["weeks"] = weeks
        if runs:
            raw["runs_per_week"] = runs
        total += 1
        try:
            build_plan(parse_profile(raw))
        except InvariantViolated:
            refused[goal] += 1
    print(f"refused {sum(refused.values())} of {total} profiles "
          f"({sum(refused.values()) / total:.2%}); by goal: {dict(refused)}")


if __name__ == "__main__":
    main()
