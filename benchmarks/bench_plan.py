"""Plan engine benchmark: plans per second on one core, and cold start of `retrorun plan`.

Run: .venv/bin/python benchmarks/bench_plan.py
Baselines measured in the same run: `json.dumps` of each plan document (what printing a
plan costs anyway) for throughput; a bare `python -c pass` for the cold start.

Two mixes: the 161 profiles of MIX (every goal, experience, volume and runs a week),
built again and again; and 1,000 distinct random profiles (days, volumes, ages,
surfaces, heart rates, races), so that the engine's caches of shared steps cannot make
repeated profiles look cheaper than new ones.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from retrorun.domain.document import plan_document
from retrorun.domain.generator import build_plan
from retrorun.domain.profile import parse_profile

BASE = {"available_days": ["mon", "tue", "wed", "thu", "sat", "sun"], "age": 34,
        "surfaces": ["road", "track", "treadmill"], "start_date": "2026-11-30", "screen": {}}
MIX: list[dict[str, Any]] = [
    {**BASE, "experience": e, "weekly_minutes": m, "goal": g, "runs_per_week": r}
    for e, m, g, r in itertools.product(
        ["new_to_running", "recreational", "trained", "highly_trained"], [0, 90, 240, 420],
        ["general", "economy", "speed_power", "knee_friendly", "maintenance"], [3, 5])
] + [{**BASE, "experience": "recreational", "weekly_minutes": 150, "goal": "general",
      "screen": {"vertigo": True}}]


ROUNDS = 7
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def distinct_profiles(count: int = 1000, seed: int = 2026) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        days = sorted(rng.sample(WEEKDAYS, rng.randint(2, 7)), key=WEEKDAYS.index)
        profile = {**rng.choice(MIX), "available_days": days, "age": rng.randint(14, 80),
                   "runs_per_week": rng.randint(2, len(days)),
                   "surfaces": rng.sample(["road", "track", "treadmill", "grass", "trail",
                                           "turf"], rng.randint(1, 4))}
        if profile["weekly_minutes"]:
            profile["weekly_minutes"] += rng.randint(-60, 90)
        if rng.random() < 0.5:
            profile["hr_max"], profile["hr_rest"] = rng.randint(165, 205), rng.randint(40, 70)
        if rng.random() < 0.3:
            profile["race"] = {"distance_m": 5000, "time_s": rng.randint(1000, 2400)}
        out.append(profile)
    return out


def rate(work: list[Any], run: Any, seconds: float) -> float:
    """Runs over the whole list at least once, and again until `seconds` have passed."""
    count, start = 0, time.perf_counter()
    while not count or time.perf_counter() - start < seconds:
        for item in work:
            run(item)
        count += len(work)
    return count / (time.perf_counter() - start)


def throughput(seconds: float = 1.0) -> tuple[list[float], list[float], list[float], int]:
    """Rounds alternate between the engine and the baseline, so both see the same noise."""
    profiles = [parse_profile(p) for p in MIX]
    fresh = [parse_profile(p) for p in distinct_profiles()]
    docs = [plan_document(build_plan(p)) for p in profiles]  # warm-up, baseline's input
    plans, distinct, dumps = [], [], []
    for _ in range(ROUNDS):
        plans.append(rate(profiles, build_plan, seconds))
        distinct.append(rate(fresh, build_plan, 0))  # each distinct profile once
        dumps.append(rate(docs, json.dumps, seconds / 2))
    return plans, distinct, dumps, len(profiles)


def cold_start(runs: int = 15) -> tuple[float, float]:
    exe = Path(sys.executable).with_name("retrorun")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({**BASE, "experience": "trained", "weekly_minutes": 240, "goal": "economy"},
                  handle)
    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    try:
        return (median([str(exe), "plan", "--profile", handle.name, "--json"]),
                median([sys.executable, "-c", "pass"]))
    finally:
        Path(handle.name).unlink()


def main() -> None:
    # One core: the first of those allowed (so `taskset -c 1` picks core 1, not core 0).
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    plans, distinct, dumps, n = throughput()
    print(f"plan engine, one core, {ROUNDS} alternating rounds (median, best):")
    print(f"  build_plan, MIX of {n}     {statistics.median(plans):8.0f} {max(plans):8.0f} "
          "plans/s   (target >= 1000)")
    print(f"  build_plan, 1000 distinct {statistics.median(distinct):8.0f} "
          f"{max(distinct):8.0f} plans/s")
    print(f"  baseline json.dumps(doc)  {statistics.median(dumps):8.0f} {max(dumps):8.0f} "
          "docs/s")
    plan_s, python_s = cold_start()
    print("cold start, median of 15 runs:")
    print(f"  retrorun plan --json      {plan_s * 1000:8.0f} ms      (target < 500)")
    print(f"  baseline python -c pass   {python_s * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
