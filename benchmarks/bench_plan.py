"""Plan engine benchmark: plans per second on one core, and cold start of `retrorun plan`.

Run: .venv/bin/python benchmarks/bench_plan.py
Baselines measured in the same run: `json.dumps` of each plan document (what printing a
plan costs anyway) for throughput; a bare `python -c pass` for the cold start.
"""

from __future__ import annotations

import itertools
import json
import os
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


def rate(work: list[Any], run: Any, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in work:
            run(item)
        count += len(work)
    return count / (time.perf_counter() - start)


def throughput(seconds: float = 1.0) -> tuple[list[float], list[float], int]:
    """Rounds alternate between the engine and the baseline, so both see the same noise."""
    profiles = [parse_profile(p) for p in MIX]
    docs = [plan_document(build_plan(p)) for p in profiles]  # warm-up, baseline's input
    plans, dumps = [], []
    for _ in range(ROUNDS):
        plans.append(rate(profiles, build_plan, seconds))
        dumps.append(rate(docs, json.dumps, seconds / 2))
    return plans, dumps, len(profiles)


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
    os.sched_setaffinity(0, {0})  # one core
    plans, dumps, n = throughput()
    print(f"plan engine, one core, mix of {n} profiles, {ROUNDS} alternating rounds "
          "(median, best):")
    print(f"  build_plan                {statistics.median(plans):8.0f} {max(plans):8.0f} "
          "plans/s   (target >= 1000)")
    print(f"  baseline json.dumps(doc)  {statistics.median(dumps):8.0f} {max(dumps):8.0f} "
          "docs/s")
    plan_s, python_s = cold_start()
    print("cold start, median of 15 runs:")
    print(f"  retrorun plan --json      {plan_s * 1000:8.0f} ms      (target < 500)")
    print(f"  baseline python -c pass   {python_s * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
