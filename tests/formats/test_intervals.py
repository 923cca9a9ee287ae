"""intervals.icu workout text: the syntax of peers.md §3.1, read back by a small parser."""

from __future__ import annotations

import re

from hypothesis import given, settings

from retrorun.domain.model import Direction, Repeat, Session, Step
from retrorun.domain.profile import Units
from retrorun.formats.intervals import (
    athlete_hr_max,
    duration_token,
    plan_intervals,
    session_intervals,
)

from .builders import demo_plan
from .plans import plan_for, random_sessions

DURATION = re.compile(r"^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)(mtr|km|mi)$")


def parse(text: str) -> list[object]:
    """Our subset of the syntax: "- words amount [press lap] [target]" and "Nx" blocks."""
    out: list[object] = []
    block: list[tuple[str, str, str]] | None = None
    for line in text.splitlines():
        if re.fullmatch(r"\d+x", line):
            block = []
            out.append((int(line[:-1]), block))
        elif not line:
            block = None
        else:
            step = split_step(line)
            (block if block is not None else out).append(step)
    return out


def is_amount(token: str) -> bool:
    return bool(token) and bool(DURATION.match(token) or DISTANCE.match(token))


def split_step(line: str) -> tuple[str, str, str]:
    """(cue words, duration or distance, the rest): the amount is the first such token."""
    assert line.startswith("- "), line
    tokens = line[2:].split(" ")
    index = next(i for i, token in enumerate(tokens) if is_amount(token))
    return " ".join(tokens[:index]), tokens[index], " ".join(tokens[index + 1 :])


def amount_of(step: Step, units: Units) -> str:
    if step.meters is None:
        return duration_token(step.seconds)
    if step.meters < 1000:
        return f"{step.meters}mtr"
    if units is Units.IMPERIAL:
        return f"{step.meters / 1609.344:.2f}mi"
    return f"{step.meters / 1000:g}km"


def expected(session: Session, units: Units) -> list[object]:
    def one(step: Step) -> str:
        return amount_of(step, units)

    return [
        (item.count, [one(s) for s in item.steps]) if isinstance(item, Repeat) else one(item)
        for item in session.steps
    ]


def amounts(parsed: list[object]) -> list[object]:
    return [
        (item[0], [s[1] for s in item[1]]) if isinstance(item[1], list) else item[1]  # type: ignore[index]
        for item in parsed
    ]


def test_durations_use_h_m_s_tokens() -> None:
    assert duration_token(30) == "30s"
    assert duration_token(60) == "1m"
    assert duration_token(90) == "1m30s"
    assert duration_token(3600) == "1h"
    assert duration_token(3900) == "1h5m"


def test_a_sprint_session_reads_as_intended() -> None:
    text = session_intervals(demo_plan().weeks[1].sessions[2])
    assert text == (
        "- Warm-up jog 10m 6:30/km-7:00/km Pace\n\n"
        "7x\n- BACKWARD sprint hard 20mtr press lap\n- Walk back easy 1m\n\n"
        "- Recovery walk easy 2m30s\n\n"
        "7x\n- BACKWARD sprint hard 20mtr press lap\n- Walk back easy 1m\n\n"
        "- Cool-down jog easy 5m\n"
    )


def test_heart_rate_targets_become_percent_of_max_when_max_is_known() -> None:
    plan = plan_for("starter-8")
    assert athlete_hr_max(plan.athlete) == 185
    text = session_intervals(plan.sessions[0], hr_max=185)
    assert "% HR" in text
    assert "bpm" not in text
    without = session_intervals(plan.sessions[0], hr_max=None)
    assert "HR" not in without.replace("BACKWARD", "")


def test_backward_steps_never_get_a_pace_and_cue_words_have_no_digits() -> None:
    for plan in (plan_for("starter-8"), plan_for("speed-power-8"), demo_plan()):
        for line in plan_intervals(plan).splitlines():
            if line.startswith("- BACKWARD"):
                assert "Pace" not in line
            if line.startswith("- "):
                words, _, _ = split_step(line)
                assert not re.search(r"\d", words)


def test_imperial_plans_use_miles_but_short_distances_stay_in_metres() -> None:
    text = plan_intervals(demo_plan(units="imperial"))
    assert "/mi Pace" in text
    assert "/km" not in text
    assert "- Fast km 0.62mi" in text
    assert "BACKWARD sprint hard 20mtr press lap" in text


def test_the_plan_file_has_a_block_per_running_session() -> None:
    plan = plan_for("starter-8")
    text = plan_intervals(plan)
    running = [s for s in plan.sessions if any(st.on_foot for st in s.flat_steps)]
    assert text.count("\n### ") + text.startswith("### ") == len(running)


@settings(max_examples=80, deadline=None)
@given(random_sessions())
def test_any_session_parses_back_to_its_structure(session: Session) -> None:
    text = session_intervals(session, hr_max=190)
    parsed = parse(text)
    assert amounts(parsed) == expected(session, Units.METRIC)
    for item, planned in zip(parsed, session.steps, strict=True):
        pairs = (
            zip(item[1], planned.steps, strict=True)
            if isinstance(planned, Repeat)
            else [(item, planned)]
        )
        for (words, _amount, rest), step in pairs:  # type: ignore[misc]
            assert words.startswith("BACKWARD") == (step.direction is Direction.BACKWARD)
            if step.direction is Direction.BACKWARD:
                assert "Pace" not in rest
            if step.direction is Direction.BACKWARD and step.meters is not None:
                assert rest.startswith("press lap")
