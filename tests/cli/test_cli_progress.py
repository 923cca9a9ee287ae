"""`retrorun progress`: the demo athlete's progress as JSON and as a table, by email or id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

RETRORUN = str(Path(sys.executable).with_name("retrorun"))
WEEK_KEYS = ["index", "start", "planned_forward_min", "planned_backward_min",
             "done_forward_min", "done_backward_min", "sessions_planned", "sessions_done",
             "srpe_load", "pain_max"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A data folder holding the seeded demo athlete (a plan with a few weeks logged)."""
    from retrorun.bootstrap import DEMO_EMAIL, start
    from retrorun.config import load_settings

    data = tmp_path_factory.mktemp("progress") / "data"
    services = start(load_settings(data_dir=data, seed_demo=True, environment="development"))
    try:
        with services.uow() as uow:
            user = uow.users.by_email(DEMO_EMAIL)
    finally:
        services.close()
    assert user is not None
    return data, user.id


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
    return subprocess.run([RETRORUN, "progress", *args], capture_output=True, text=True,
                          timeout=120, check=False,
                          env={**clean, "RETRORUN_DATA_DIR": str(data), "COLUMNS": "80",
                               "RETRORUN_ENVIRONMENT": "development"})


def test_json_by_email_holds_exactly_the_week_keys(demo: tuple[Path, str]) -> None:
    from retrorun.bootstrap import DEMO_EMAIL

    data, user_id = demo
    result = run(data, "--athlete", DEMO_EMAIL, "--json")
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    assert all(list(week) == WEEK_KEYS for week in document["weeks"])
    assert document["weeks"][0]["index"] == 1
    assert sum(w["sessions_done"] for w in document["weeks"]) > 0  # the demo logged weeks
    assert any(w["srpe_load"] > 0 for w in document["weeks"])
    assert {"adherence", "load", "stages", "changes", "field_tests"} <= set(document)
    by_id = run(data, "--athlete", user_id, "--json")
    assert json.loads(by_id.stdout) == document


def test_the_table_is_readable(demo: tuple[Path, str]) -> None:
    data, user_id = demo
    result = run(data, "--athlete", user_id)
    assert result.returncode == 0, result.stderr
    for words in ("Progress of demo@retrorun.example", "fwd/bwd", "sRPE",
                  "Sessions done each week:", "adherence", "Session-RPE load",
                  "trend only", "Backward stage each week"):
        assert words in result.stdout, words


@pytest.mark.parametrize("who", ["nobody@example.com", "0" * 32, "not an email", " "])
def test_an_unknown_athlete_is_one_line_and_exit_2(demo: tuple[Path, str], who: str) -> None:
    data, _ = demo
    result = run(data, "--athlete", who, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: --athlete {who.strip()}".rstrip())


def test_an_athlete_without_a_plan_is_one_line(demo: tuple[Path, str]) -> None:
    from retrorun.bootstrap import DEMO_COACH_EMAIL

    data, _ = demo
    result = run(data, "--athlete", DEMO_COACH_EMAIL)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: --athlete {DEMO_COACH_EMAIL}: has no plan yet"
