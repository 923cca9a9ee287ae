"""Hypothesis strategies: any profile that retrorun.profile/1 accepts; athletes and their logs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from retrorun.domain.logbook import Event, SessionLog
from retrorun.domain.model import Session
from retrorun.domain.profile import PROFILE_SURFACES, SCREEN_QUESTIONS, WEEKDAYS

PROGRAMS = ("starter-8", "economy-10", "speed-power-8", "knee-friendly-6", "maintenance")


def _optional(draw: st.DrawFn, key: str, strategy: st.SearchStrategy[Any],
              out: dict[str, Any]) -> None:
    if draw(st.booleans()):
        out[key] = draw(strategy)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "experience": draw(st.sampled_from(["new_to_running", "recreational", "trained",
                                            "highly_trained"])),
        "weekly_minutes": draw(st.one_of(st.just(0), st.integers(0, 1500),
                                         st.floats(0, 1500, allow_nan=False))),
        "available_days": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7,
                                        unique=True)),
        "goal": draw(st.sampled_from(["general", "economy", "speed_power", "knee_friendly",
                                      "maintenance"])),
        "age": draw(st.integers(8, 100)),
        "surfaces": draw(st.lists(st.sampled_from(PROFILE_SURFACES), max_size=6, unique=True)),
        "start_date": draw(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))).isoformat(),
        "screen": draw(st.dictionaries(st.sampled_from(list(SCREEN_QUESTIONS)),
                                       st.booleans(), max_size=len(SCREEN_QUESTIONS))),
    }
    _optional(draw, "runs_per_week", st.integers(0, 14), profile)
    _optional(draw, "longest_run_minutes", st.floats(0, 400, allow_nan=False), profile)
    _optional(draw, "long_run_day", st.sampled_from(WEEKDAYS), profile)
    _optional(draw, "easy_pace_s_per_km", st.floats(150, 1200), profile)
    _optional(draw, "race", st.fixed_dictionaries({
        "distance_m": st.floats(1, 100_000, allow_nan=False),
        "time_s": st.floats(1, 100_000, allow_nan=False)}), profile)
    _optional(draw, "hr_max", st.integers(100, 230), profile)
    _optional(draw, "hr_rest", st.integers(25, 120), profile)
    _optional(draw, "program", st.sampled_from(PROGRAMS), profile)
    _optional(draw, "weeks", st.integers(1, 52), profile)
    _optional(draw, "backward_walk_3m_seconds", st.floats(0.5, 30), profile)
    _optional(draw, "units", st.sampled_from(["metric", "imperial"]), profile)
    _optional(draw, "intensity_model", st.sampled_from(["polarized", "pyramidal"]), profile)
    _optional(draw, "backward_stage", st.sampled_from(["never", "walk", "jog", "run", "sprint"]),
              profile)
    _optional(draw, "poor_balance", st.booleans(), profile)
    return profile


# --- adaptation (issue 10): athletes and what they log -------------------------------

@st.composite
def realistic_athlete(draw: st.DrawFn) -> dict[str, Any]:
    """One of `realistic.realistic_profiles`: people a coach could meet."""
    from tests.domain.realistic import realistic_profiles

    seed = draw(st.integers(0, 2**32 - 1))
    return realistic_profiles(draw(st.integers(1, 24)), seed)[-1]


def athlete_profiles() -> st.SearchStrategy[dict[str, Any]]:
    """Mostly realistic athletes, sometimes any profile the contract accepts."""
    return st.one_of(realistic_athlete(), realistic_athlete(), profiles())


PAIN = st.one_of(st.none(), st.integers(0, 3), st.integers(0, 3), st.integers(0, 10))
RPE = st.one_of(st.none(), st.integers(1, 5), st.integers(0, 10))
NO_EVENTS: frozenset[Event] = frozenset()
EVENTS = st.one_of(st.just(NO_EVENTS), st.just(NO_EVENTS), st.just(NO_EVENTS),
                   st.frozensets(st.sampled_from(list(Event)), max_size=2))


@st.composite
def athlete_logs(draw: st.DrawFn, session: Session) -> SessionLog:
    """A log of `session` as an athlete writes it: done (the planned minutes, or fewer),
    partial or skipped, with a random RPE, pain during and next morning, and events."""
    status = draw(st.sampled_from(["done", "done", "done", "partial", "skipped"]))
    backward = session.backward_seconds
    forward = session.running_seconds - backward
    if status == "skipped":
        minutes = (0, 0)
    elif status == "done" and draw(st.booleans()):
        minutes = (forward, backward)
    else:
        minutes = (draw(st.integers(0, forward)), draw(st.integers(0, backward)))
    trained = status != "skipped"
    return SessionLog(
        session_id=session.id, date=session.date, status=status,
        forward_seconds=minutes[0], backward_seconds=minutes[1],
        rpe=draw(RPE) if trained else None, pain_during=draw(PAIN),
        pain_next_morning=draw(PAIN), events=draw(EVENTS) if trained else frozenset())
