"""The CLI through the installed `retrorun` command, with real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

RETRORUN = str(Path(sys.executable).with_name("retrorun"))
CONTRACTS = Path(__file__).parents[1] / "contracts"
PROFILE = {
    "experience": "recreational", "weekly_minutes": 150, "longest_run_minutes": 60,
    "available_days": ["mon", "wed", "fri", "sun"], "long_run_day": "sun", "goal": "general",
    "age": 35, "surfaces": ["road", "track"], "start_date": "2026-11-30", "screen": {},
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RETRORUN, *args], capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILE))
    return path


def test_plan_json_matches_the_contract(profile_file: Path) -> None:
    result = run("plan", "--profile", str(profile_file), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    schema = json.loads((CONTRACTS / "plan.schema.json").read_text())
    jsonschema.validate(doc, schema)
    assert doc["program"] == "starter-8"
    assert len(doc["weeks"]) == 8


def test_plan_json_is_byte_identical_across_runs(profile_file: Path) -> None:
    first = run("plan", "--profile", str(profile_file), "--json").stdout
    second = run("plan", "--profile", str(profile_file), "--json").stdout
    assert first == second
    assert first.startswith("{")


def test_the_calendar_lists_every_week_and_session_id(profile_file: Path) -> None:
    result = run("plan", "--profile", str(profile_file))
    assert result.returncode == 0, result.stderr
    doc = json.loads(run("plan", "--profile", str(profile_file), "--json").stdout)
    for week in doc["weeks"]:
        assert f"Week {week['index']}" in result.stdout
        for session in week["sessions"]:
            assert session["id"] in result.stdout


def test_plan_from_flags(tmp_path: Path) -> None:
    result = run("plan", "--experience", "trained", "--weekly-minutes", "240", "--days",
                 "mon,tue,thu,sat,sun", "--goal", "economy", "--age", "30", "--surfaces",
                 "track,road", "--start", "2026-11-30", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["program"] == "economy-10"


FLAGS = ("plan", "--experience", "recreational", "--weekly-minutes", "150", "--days",
         "mon,wed,fri,sun", "--goal", "general", "--age", "35", "--surfaces", "track,road",
         "--start", "2026-11-30", "--json")


def test_the_backward_stage_poor_balance_and_vision_flags(tmp_path: Path) -> None:
    result = run(*FLAGS, "--backward-stage", "jog", "--poor-balance",
                 "--screen-yes", "uncorrected_vision")
    assert result.returncode == 0, result.stderr
    athlete = json.loads(result.stdout)["athlete"]
    assert (athlete["backward_stage"], athlete["poor_balance"]) == ("jog", True)
    assert athlete["screen"] == {"passed": False, "yes": ["uncorrected_vision"]}
    default = json.loads(run(*FLAGS).stdout)["athlete"]
    assert (default["backward_stage"], default["poor_balance"]) == ("never", False)
    off = json.loads(run(*FLAGS, "--no-poor-balance").stdout)["athlete"]
    assert off["poor_balance"] is False
    path = tmp_path / "me.json"  # the same answers from a profile file
    path.write_text(json.dumps({**PROFILE, "backward_stage": "sprint", "poor_balance": True}))
    from_file = json.loads(run("plan", "--profile", str(path), "--json").stdout)["athlete"]
    assert (from_file["backward_stage"], from_file["poor_balance"]) == ("sprint", True)


@pytest.mark.parametrize(("flags", "message"), [
    (("--backward-stage", "fly"),
     'backward_stage: got "fly"; allowed: never, walk, jog, run, sprint'),
    (("--screen-yes", "eyesight"), "screen.eyesight: unknown question; allowed: vertigo"),
])
def test_wrong_new_flags_get_one_line_naming_the_field(flags: tuple[str, ...],
                                                       message: str) -> None:
    result = run(*FLAGS, *flags)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "uncorrected_vision" in result.stderr or "backward_stage" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_plan_help_lists_the_new_flags() -> None:
    result = run("plan", "--help")
    for flag in ("--backward-stage", "--poor-balance", "--screen-yes"):
        assert flag in result.stdout


def test_explain_shows_steps_cues_why_and_sources(profile_file: Path) -> None:
    result = run("explain", "starter-8-w03-backward-1", "--profile", str(profile_file))
    assert result.returncode == 0, result.stderr
    for heading in ("Steps", "Cues", "Why", "Sources"):
        assert heading in result.stdout
    assert "alternating shoulders" in result.stdout
    assert "Backward jog" in result.stdout


def test_programs_lists_the_catalogue_with_sources() -> None:
    result = run("programs", "--json")
    assert result.returncode == 0, result.stderr
    programs = json.loads(result.stdout)
    assert [p["id"] for p in programs] == ["starter-8", "economy-10", "speed-power-8",
                                           "knee-friendly-6", "walk-only-6", "maintenance"]
    assert all(p["sources"] for p in programs)


@pytest.mark.parametrize(("content", "message"), [
    ("", "not valid JSON"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "profile: must be a JSON object"),
    (json.dumps({**PROFILE, "age": "old"}), 'age: got "old"; must be an integer'),
    (json.dumps({**PROFILE, "colour": "red"}), "colour: unknown field"),
    (json.dumps({**PROFILE, "goal": "fly"}), 'goal: got "fly"; allowed: general'),
    (json.dumps({**PROFILE, "available_days": ["funday"]}), 'available_days: got "funday"'),
    (json.dumps({k: v for k, v in PROFILE.items() if k != "screen"}), "screen: is required"),
    (json.dumps({**PROFILE, "program": "marathon-99"}), "unknown program 'marathon-99'"),
    (json.dumps({**PROFILE, "screen": {"vertigo": "maybe"}}), 'screen.vertigo: got "maybe"'),
    (json.dumps({**PROFILE, "backward_stage": 3}),
     "backward_stage: got 3; allowed: never, walk, jog, run, sprint"),
    (json.dumps({**PROFILE, "poor_balance": "yes"}),
     'poor_balance: got "yes"; must be true or false'),
    (json.dumps({**PROFILE, "screen": {"uncorrected_vision": 1}}),
     "screen.uncorrected_vision: got 1; must be true or false"),
])
def test_bad_profiles_get_one_clear_line_and_exit_2(tmp_path: Path, content: str,
                                                     message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = run("plan", "--profile", str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_profile_file_is_named(tmp_path: Path) -> None:
    result = run("plan", "--profile", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "nope.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_an_unknown_session(profile_file: Path) -> None:
    result = run("explain", "w99-nothing", "--profile", str(profile_file))
    assert result.returncode == 2
    assert "no session 'w99-nothing'" in result.stderr


def test_a_terminal_without_utf8_gets_the_plan_not_a_traceback(profile_file: Path) -> None:
    # Titles hold "·" and cues "≥": an ASCII terminal printed a UnicodeEncodeError.
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "120"}
    result = subprocess.run([RETRORUN, "plan", "--profile", str(profile_file)],
                            capture_output=True, text=True, timeout=60, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "starter-8-w01-backward-1" in result.stdout
