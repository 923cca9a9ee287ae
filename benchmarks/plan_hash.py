"""One sha256 over the plans of the benchmark's profiles and the 400 realistic ones.

Run: .venv/bin/python benchmarks/plan_hash.py
Speed work on the plan engine must leave this hash unchanged: it covers the plan
documents (sorted-key JSON) of MIX, the 1,000 distinct profiles of `bench_plan.py` and
`tests/domain/realistic.py`'s 400, and the message of every refusal, so a change to any
plan, or to which profiles are refused, changes it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from tests.domain.realistic import realistic_profiles  # noqa: E402

from bench_plan import MIX, distinct_profiles  # noqa: E402
from retrorun.domain.document import plan_document  # noqa: E402
from retrorun.domain.errors import DomainError  # noqa: E402
from retrorun.domain.generator import build_plan  # noqa: E402
from retrorun.domain.profile import parse_profile  # noqa: E402


def profiles() -> dict[str, list[dict[str, Any]]]:
    return {"mix": MIX, "distinct": distinct_profiles(), "realistic": realistic_profiles()}


def plan_text(raw: dict[str, Any]) -> str:
    try:
        return json.dumps(plan_document(build_plan(parse_profile(raw))), sort_keys=True)
    except DomainError as refusal:  # a refusal is part of the engine's answer too
        return f"refused: {type(refusal).__name__}: {refusal}"


def main() -> None:
    whole = hashlib.sha256()
    for name, group in profiles().items():
        part = hashlib.sha256()
        refused = 0
        for raw in group:
            text = plan_text(raw)
            refused += text.startswith("refused: ")
            part.update(text.encode())
            part.update(b"\n")
        whole.update(part.digest())
        print(f"{name:9} {len(group):5} profiles, {refused:3} refused  {part.hexdigest()}")
    print(f"all                                 {whole.hexdigest()}")


if __name__ == "__main__":
    main()
