"""How long the exporters take for a 16-week plan, against a baseline measured in the same run.

Run: .venv/bin/python benchmarks/bench_exports.py [--repeat N]

Targets (issue 4): PDF under 2 s, ICS and FIT under 100 ms. The baseline is
`json.dumps(plan_document(plan))`, the cheapest export, so a slow machine shows up as a
slow baseline too. The PDF is timed twice: the first render in a fresh process (fonts and
WeasyPrint's import included) and then warm renders, as a server would do them. Wall and
CPU time are both printed; the verdict uses CPU time, which a busy machine does not inflate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Callable

from retrorun.domain.document import plan_document
from retrorun.domain.generator import build_plan
from retrorun.domain.profile import parse_profile
from retrorun.formats import ExportOptions, export

PROFILE = {
    "experience": "trained", "weekly_minutes": 240, "runs_per_week": 5,
    "longest_run_minutes": 90, "available_days": ["mon", "tue", "thu", "sat", "sun"],
    "long_run_day": "sun", "goal": "general", "age": 34,
    "surfaces": ["track", "grass", "road", "treadmill"], "start_date": "2026-01-05",
    "hr_max": 185, "hr_rest": 55, "screen": {}, "program": "starter-8", "weeks": 16,
}
TARGETS_S = {"pdf": 2.0, "ics": 0.1, "fit.zip": 0.1}


def timed(action: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall, cpu) seconds per run. CPU time is what the export costs; wall time also
    counts waiting for a busy machine's cores (other test suites, other users)."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plan = build_plan(parse_profile(PROFILE))
    options = ExportOptions(made_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    print(f"plan: {plan.program}, {len(plan.weeks)} weeks, {len(plan.sessions)} sessions; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rows = [("pdf, first render in this process", timed(lambda: export(plan, "pdf", options), 1),
             TARGETS_S["pdf"])]
    rows.append(("baseline: json.dumps(plan_document)",
                 timed(lambda: json.dumps(plan_document(plan)), args.repeat), None))
    eight = build_plan(parse_profile({**PROFILE, "weeks": 8}))
    rows.append(("pdf, the free 8-week plan", timed(lambda: export(eight, "pdf", options),
                                                    args.repeat), None))
    for fmt in ("pdf", "ics", "fit.zip", "intervals.txt", "csv", "json"):
        rows.append((fmt, timed(lambda fmt=fmt: export(plan, fmt, options), args.repeat),
                     TARGETS_S.get(fmt)))
    baseline = statistics.median(cpu for _, cpu in rows[1][1])
    header = f"{'export (median of runs, ms)':38} {'wall':>9} {'cpu':>9} {'cpu/base':>9}"
    print(f"{header}  target (cpu)")
    for name, times, target in rows:
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        verdict = "" if target is None else (
            f"< {target * 1000:.0f} ms {'ok' if cpu < target else 'MISSED'}")
        print(f"{name:38} {_ms(wall)} {_ms(cpu)} {cpu / baseline:8.0f}x  {verdict}")


if __name__ == "__main__":
    main()
