"""Reading `--profile FILE` (plan, explain and export share the reader) through the installed
command: hostile or odd files end in one line and exit 2, never a traceback or a hang."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RETRORUN = str(Path(sys.executable).with_name("retrorun"))
PROFILE = {
    "experience": "recreational", "weekly_minutes": 150, "available_days": ["mon", "wed"],
    "goal": "general", "age": 35, "surfaces": ["road"], "start_date": "2026-11-30",
    "screen": {},
}
LIMIT = 1_000_000  # retrorun.cli.plan.MAX_PROFILE_BYTES
# Every command that reads a profile file, with what it needs besides the file.
COMMANDS = {
    "plan": ["plan", "--json", "--profile"],
    "explain": ["explain", "starter-8-w03-backward-1", "--profile"],
    "export": ["export", "--json", "/dev/null", "--profile"],
}


def run(*args: str | Path, stdin: bytes | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([RETRORUN, *map(str, args)], input=stdin, capture_output=True,
                          timeout=timeout, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode,
                                       done.stdout.decode(errors="replace"),
                                       done.stderr.decode(errors="replace"))


def assert_refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_deeply_nested_json_is_refused_in_one_line(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "me.json"
    path.write_text("[" * 1000 + "]" * 1000)
    assert_refused(run(*command, path), f"profile {path} is JSON nested too deeply")


def test_a_nested_value_is_shown_shortened(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(PROFILE)[:-1] + ', "weeks": ' + "[" * 500 + "]" * 500 + "}")
    assert_refused(run("plan", "--profile", path),
                   "weeks: got " + "[" * 59 + "…; must be an integer")


def test_an_endless_stream_stops_at_the_size_limit() -> None:
    # A regression (reading the whole stream) fails on the timeout instead of hanging.
    result = run("plan", "--profile", "/dev/zero", timeout=20)
    assert_refused(result, f"profile /dev/zero is larger than the limit of {LIMIT:,} bytes")


def test_a_pipe_is_read_up_to_the_limit_and_no_further() -> None:
    text = json.dumps(PROFILE)
    exactly = (text + " " * (LIMIT - len(text))).encode()
    assert len(exactly) == LIMIT
    accepted = run("plan", "--json", "--profile", "/dev/stdin", stdin=exactly)
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["program"] == "starter-8"
    refused = run("plan", "--profile", "/dev/stdin", stdin=exactly + b" ")
    assert_refused(refused, f"larger than the limit of {LIMIT:,} bytes")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(PROFILE).encode())
    result = run("plan", "--json", "--profile", path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["program"] == "starter-8"


def test_bytes_that_are_not_utf8_are_placed(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_bytes(b"\xef\xbb\xbf{\xff}")
    assert_refused(run("plan", "--profile", path), "is not UTF-8 text (byte 5 cannot be read)")


def test_a_number_too_long_to_read_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(PROFILE)[:-1] + ', "weeks": ' + "1" * 5000 + "}")
    assert_refused(run("plan", "--profile", path), "has a number with more than")


def test_a_huge_whole_number_is_out_of_range_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps({**PROFILE, "backward_walk_3m_seconds": 10**400}))
    assert_refused(run("plan", "--profile", path), "backward_walk_3m_seconds: got 1000")


@pytest.mark.parametrize(("change", "message"), [
    ({"age": None}, "age: got null; must be an integer"),
    ({"age": True}, "age: got true; must be an integer"),
    ({"screen": {"vertigo": None}}, "screen.vertigo: got null; must be true or false"),
    ({"goal": False}, "goal: got false; allowed: general"),
    ({"surfaces": {"road": True}}, 'surfaces: got {"road": true}; must be a list of'),
])
def test_values_are_spelled_as_json_spells_them(tmp_path: Path, change: dict[str, object],
                                                message: str) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps({**PROFILE, **change}))
    assert_refused(run("plan", "--profile", path), message)
