"""Plans from the real generator (every program, random profiles) and random sessions.

`random_sessions` builds sessions straight from the model, so the round-trip properties
also cover shapes the generator does not make today (distance steps, HR and pace targets
on any step, long repeat blocks).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from retrorun.domain.catalogue import PROGRAM_IDS
from retrorun.domain.errors import DomainError
from retrorun.domain.generator import build_plan
from retrorun.domain.model import (
    Direction,
    Gait,
    Intensity,
    Plan,
    Repeat,
    Session,
    SessionKind,
    Step,
    StepKind,
    StepOrRepeat,
    Surface,
    Target,
    TargetType,
    TargetUnit,
)
from retrorun.domain.profile import WEEKDAYS, parse_profile

DEMO_PROFILE: dict[str, Any] = {
    "experience": "recreational",
    "weekly_minutes": 150,
    "runs_per_week": 3,
    "longest_run_minutes": 60,
    "available_days": ["tue", "thu", "sat", "sun"],
    "long_run_day": "sun",
    "goal": "general",
    "age": 34,
    "surfaces": ["track", "grass", "road", "treadmill"],
    "start_date": "2026-01-05",
    "hr_max": 185,
    "hr_rest": 55,
    "screen": {},
}


def profile_for(program: str, **changes: Any) -> dict[str, Any]:
    profile = {**DEMO_PROFILE, "program": program, **changes}
    if program == "speed-power-8":
        profile.setdefault("age", 16)
    return profile


def plan_for(program: str, **changes: Any) -> Plan:
    return build_plan(parse_profile(profile_for(program, **changes)))


def every_program_plan() -> list[Plan]:
    return [plan_for(program) for program in PROGRAM_IDS]


@st.composite
def generated_plans(draw: st.DrawFn) -> Plan:
    """A plan from the generator for a random, valid profile."""
    profile = {
        "experience": draw(
            st.sampled_from(["new_to_running", "recreational", "trained", "highly_trained"])
        ),
        "weekly_minutes": draw(st.integers(0, 600)),
        "available_days": draw(
            st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True)
        ),
        "goal": draw(
            st.sampled_from(["general", "economy", "speed_power", "knee_friendly", "maintenance"])
        ),
        "age": draw(st.integers(12, 80)),
        "surfaces": draw(
            st.lists(
                st.sampled_from(["track", "treadmill", "grass", "turf", "road"]),
                min_size=1,
                unique=True,
            )
        ),
        "start_date": draw(st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31))).isoformat(),
        "screen": draw(st.sampled_from([{}, {"vertigo": True}, {"leg_pain": False}])),
        "units": draw(st.sampled_from(["metric", "imperial"])),
        "weeks": draw(st.integers(1, 12)),
    }
    if draw(st.booleans()):
        profile["hr_max"] = draw(st.integers(150, 210))
    try:
        return build_plan(parse_profile(profile))
    except DomainError:
        # The generator's own property tests own its rules; here we need plans to export.
        reject()


_targets = st.one_of(
    st.just(Target(TargetType.OPEN)),
    st.builds(
        lambda lo, hi: Target(TargetType.HR, lo, lo + hi, TargetUnit.BPM),
        st.integers(90, 170),
        st.integers(0, 25),
    ),
    st.builds(
        lambda lo, hi: Target(TargetType.PACE, lo, lo + hi, TargetUnit.S_PER_KM),
        st.integers(200, 500),
        st.integers(1, 60),
    ),
    st.builds(lambda lo: Target(TargetType.RPE, lo, lo + 1, TargetUnit.CR10), st.integers(1, 8)),
    st.builds(
        lambda lo: Target(TargetType.EFFORT, lo, lo + 15, TargetUnit.PERCENT_MAX_EFFORT),
        st.integers(40, 85),
    ),
)
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


@st.composite
def steps(draw: st.DrawFn) -> Step:
    direction = draw(st.sampled_from([Direction.FORWARD, Direction.BACKWARD]))
    gait = draw(st.sampled_from([Gait.WALK, Gait.JOG, Gait.RUN, Gait.SPRINT]))
    meters = draw(st.one_of(st.none(), st.integers(10, 5000)))
    return Step(
        kind=draw(
            st.sampled_from([StepKind.WARMUP, StepKind.WORK, StepKind.RECOVERY, StepKind.COOLDOWN])
        ),
        seconds=draw(st.integers(1, 7200)),
        direction=direction,
        gait=gait,
        intensity=draw(st.sampled_from(list(Intensity))),
        meters=meters,
        target=draw(_targets),
        name=draw(st.one_of(st.just(""), st.sampled_from(["Easy run", "Walk back", "Fast"]))),
        cue=draw(_text),
    )


@st.composite
def random_sessions(draw: st.DrawFn) -> Session:
    items: list[StepOrRepeat] = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            items.append(
                Repeat(
                    draw(st.integers(1, 12)), tuple(draw(st.lists(steps(), min_size=1, max_size=4)))
                )
            )
        else:
            items.append(draw(steps()))
    return Session(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)),
        date=draw(st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31))),
        kind=draw(
            st.sampled_from(
                [
                    SessionKind.EASY,
                    SessionKind.BACKWARD,
                    SessionKind.INTERVALS,
                    SessionKind.BACKWARD_SPRINTS,
                ]
            )
        ),
        title=draw(_text.filter(str.strip)),
        surface=draw(st.sampled_from(list(Surface))),
        steps=tuple(items),
        cues=tuple(draw(st.lists(_text, max_size=2))),
    )
