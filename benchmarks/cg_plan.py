"""Instructions a plan, for callgrind (stable on a shared machine, unlike wall time).

Run (the difference of two passes and one is the cost of one pass of 361 plans, without
imports and warm-up; a fixed hash seed keeps dict and set layouts the same):
  for n in 1 2; do PYTHONHASHSEED=0 valgrind --tool=callgrind \
    --callgrind-out-file=/tmp/cg.$n .venv/bin/python benchmarks/cg_plan.py $n 2>&1 \
    | grep Collected; done
  instructions a plan = (Collected(2) - Collected(1)) / 361
The profiles: bench_plan's MIX (161) and the first 200 of its distinct profiles.
"""

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from bench_plan import MIX, distinct_profiles  # noqa: E402
from retrorun.domain.generator import build_plan  # noqa: E402
from retrorun.domain.profile import parse_profile  # noqa: E402

profiles = [parse_profile(p) for p in MIX] + [parse_profile(p)
                                               for p in distinct_profiles()[:200]]
for _ in range(int(sys.argv[1])):
    for profile in profiles:
        build_plan(profile)
