"""Each program against the study it comes from (DESIGN §2, evidence B2-B8)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from retrorun.domain.catalogue import load_catalogue, parse_program
from retrorun.domain.errors import ProgramError
from retrorun.domain.generator import build_plan
from retrorun.domain.model import Direction, Gait, Plan, Session, SessionKind
from retrorun.domain.profile import parse_profile

TRAINED: dict[str, Any] = {
    "experience": "trained", "weekly_minutes": 300, "longest_run_minutes": 100,
    "available_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "long_run_day": "sun",
    "goal": "general", "age": 30, "surfaces": ["road", "track", "grass", "treadmill"],
    "start_date": "2026-11-30", "screen": {}, "easy_pace_s_per_km": 330,
}


def plan(**changes: Any) -> Plan:
    return build_plan(parse_profile({**TRAINED, **changes}))


def backward_sessions(week_sessions: tuple[Session, ...]) -> list[Session]:
    return [s for s in week_sessions if s.backward_seconds]


def test_the_catalogue_has_the_five_programs_with_sources() -> None:
    catalogue = load_catalogue()
    assert list(catalogue) == ["starter-8", "economy-10", "speed-power-8", "knee-friendly-6",
                               "maintenance"]
    assert all(p.sources and p.rationale for p in catalogue.values())


def test_starter_8_climbs_walk_jog_run_with_lighter_weeks_4_and_8() -> None:
    result = plan(goal="general", program="starter-8")
    assert [w.stage for w in result.weeks] == ["walk", "walk", "jog", "jog", "jog", "run",
                                               "run", "run"]
    assert [w.index for w in result.weeks if w.lighter] == [4, 8]
    for week in result.weeks:
        assert len(backward_sessions(week.sessions)) == 2  # B2: 2 a week
        assert sum(s.kind is SessionKind.CORE for s in week.sessions) == 2  # B8
    week1 = backward_sessions(result.weeks[0].sessions)[0]
    assert 4 * 60 <= week1.backward_seconds <= 10 * 60  # B2 stage 1: 5-10 min
    jog = [s for s in backward_sessions(result.weeks[2].sessions)[0].flat_steps
           if s.direction is Direction.BACKWARD]
    assert {s.seconds for s in jog} == {60}  # B2 stage 2: 1-min segments


def test_economy_10_paces_backward_running_at_065_then_075_of_easy_speed() -> None:
    result = plan(goal="economy")
    assert result.program == "economy-10"
    assert len(result.weeks) == 10
    easy_speed = 1000 / 330

    def ratios(week: int) -> set[float]:
        steps = [s for ses in result.weeks[week - 1].sessions for s in ses.flat_steps
                 if s.direction is Direction.BACKWARD and s.gait is not Gait.WALK]
        assert steps, f"week {week} has backward running"
        assert all(s.target.type == "pace" for s in steps)
        return {round(1000 / ((s.target.low + s.target.high) / 2) / easy_speed, 2)
                for s in steps if s.target.low and s.target.high}

    assert all(0.62 <= r <= 0.68 for w in (2, 3, 4, 5) for r in ratios(w))  # Ordway run-in
    assert all(0.72 <= r <= 0.78 for w in (6, 7, 8, 9, 10) for r in ratios(w))  # training
    tests = [w.index for w in result.weeks for s in w.sessions if s.kind is SessionKind.TEST]
    assert tests == [1, 5, 10]  # economy check at weeks 0, 5, 10


def test_economy_needs_a_trained_runner_else_starter() -> None:
    assert plan(goal="economy", experience="recreational").program == "starter-8"


def test_speed_power_8_sets_of_7_by_20_m_with_effort_steps() -> None:
    result = plan(goal="speed_power", age=15, surfaces=["grass"])
    assert result.program == "speed-power-8"
    efforts = {}
    for week in result.weeks:
        days = sorted(s.date for s in week.sessions if s.kind in (
            SessionKind.BACKWARD, SessionKind.BACKWARD_SPRINTS))
        assert all((b - a).days >= 2 for a, b in itertools.pairwise(days))
        steps = [s for ses in week.sessions for s in ses.flat_steps
                 if s.direction is Direction.BACKWARD]
        assert all(s.meters == 20 for s in steps)
        efforts[week.index] = {(s.target.low, s.target.high) for s in steps}
    # The study's effort steps by stage; week 1's field test takes a backward day, so the
    # walk stage is held a week until its two sessions are done (invariant 6).
    first = {stage: next(w.index for w in result.weeks if w.stage is stage)
             for stage in (Gait.JOG, Gait.RUN, Gait.SPRINT)}
    assert first == {Gait.JOG: 3, Gait.RUN: 5, Gait.SPRINT: 7}
    assert efforts[first[Gait.JOG]] == {(40, 55)}
    assert efforts[first[Gait.RUN]] == {(60, 75)}
    assert efforts[first[Gait.SPRINT]] == {(90, 100)}
    sprint_week = result.weeks[first[Gait.SPRINT] - 1]
    reps = [s for ses in sprint_week.sessions for s in ses.flat_steps
            if s.direction is Direction.BACKWARD]
    assert len(reps) % 7 == 0  # whole sets of 7
    assert [w.index for w in result.weeks for s in w.sessions
            if s.kind is SessionKind.TEST] == [1, 8]  # field tests at weeks 0 and 8
    assert all(s.surface in ("grass",) for w in result.weeks for s in w.sessions
               if s.kind is SessionKind.BACKWARD_SPRINTS)


def test_knee_friendly_6_is_backward_walking_about_10_min_3_a_week() -> None:
    result = plan(goal="knee_friendly")
    assert result.program == "knee-friendly-6"
    assert len(result.weeks) == 6
    for week in result.weeks:
        sessions = backward_sessions(week.sessions)
        assert len(sessions) == 3  # Alghadir 2019: 3 days a week
        assert all(s.backward_gaits == {Gait.WALK} for s in sessions)
        if not week.lighter:
            assert all(8 * 60 <= s.backward_seconds <= 11 * 60 for s in sessions)
    assert any("not a treatment" in s.why for s in result.sessions)


def test_a_yes_on_the_screen_means_walking_indoors_and_a_clinician() -> None:
    result = plan(screen={"vertigo": True}, goal="speed_power")
    assert result.program == "knee-friendly-6"
    assert all(s.surface in ("treadmill", "indoor") for s in result.sessions
               if s.backward_seconds)
    assert any("clinician" in n for n in result.notices)


def test_maintenance_reduces_forward_volume_to_one_backward_session() -> None:
    result = plan(goal="maintenance")
    assert result.program == "maintenance"
    assert all(len(backward_sessions(w.sessions)) == 1 for w in result.weeks)
    assert result.weeks[0].running_seconds <= 0.75 * 300 * 60


def test_road_only_gets_backward_walking_indoors_with_a_reason() -> None:
    result = plan(surfaces=["road", "trail"])
    assert all(s.surface == "indoor" and s.backward_gaits == {Gait.WALK}
               for s in result.sessions if s.backward_seconds)
    assert any("track, a treadmill or flat grass" in n for n in result.notices)


def test_a_novice_with_no_running_gets_the_walk_run_on_ramp() -> None:
    result = plan(experience="new_to_running", weekly_minutes=0, longest_run_minutes=0)
    first = result.weeks[0]
    assert sum(1 for s in first.sessions if s.running_seconds) == 3
    walks = [s for ses in first.sessions for s in ses.flat_steps if s.name == "Walk"]
    assert walks


def test_coach_limits_cap_backward_minutes() -> None:
    from retrorun.domain.context import Limits
    result = build_plan(parse_profile(TRAINED), Limits(max_backward_minutes_per_week=5))
    assert all(w.backward_seconds <= 5 * 60 for w in result.weeks)


def test_a_program_that_skips_a_stage_is_refused_at_load() -> None:
    raw = {"id": "bad", "version": "1", "title": "t", "audience": "a", "weeks": 2,
           "backward_sessions_per_week": 2, "core_sessions_per_week": 2,
           "strength_sessions_per_week": 0, "lighter_every": 4,
           "forward_volume_factor": 1.0, "forward_weekly_growth": 0.0,
           "quality_session": False, "long_run": False, "rationale": "r", "claims": [],
           "phases": [{"weeks": [1, 1], "stage": "walk", "format": "walk_bouts",
                       "advance_when": "x", "sources": []},
                      {"weeks": [2, 2], "stage": "run", "format": "continuous",
                       "advance_when": "x", "sources": []}]}
    with pytest.raises(ProgramError, match="ladder"):
        parse_program(raw)


def test_a_given_longest_run_caps_the_first_sessions_even_below_the_average_run() -> None:
    # Six runs of 50 min a week, but only three free days: no session may pass 66 min.
    result = plan(weekly_minutes=300, runs_per_week=6, longest_run_minutes=60,
                  available_days=["mon", "wed", "fri"], long_run_day="fri", goal="general")
    first_month = [s for s in result.sessions if (s.date - result.start_date).days < 7]
    assert max(s.running_seconds for s in first_month) <= 66 * 60


def test_without_a_longest_run_no_session_is_a_whole_week_on_one_day() -> None:
    result = plan(weekly_minutes=1500, available_days=["sat"], goal="general",
                  long_run_day="sat")
    assert max(s.running_seconds for s in result.sessions[:3]) <= 165 * 60


def test_a_forced_program_wins_over_the_goal_but_not_over_the_screen() -> None:
    assert plan(goal="knee_friendly", program="economy-10").program == "economy-10"
    screened = plan(goal="knee_friendly", program="economy-10", screen={"vertigo": True})
    assert screened.program == "knee-friendly-6"


def test_a_stage_is_held_until_its_two_sessions_are_done() -> None:
    # Maintenance has one backward session a week and one walking week in the study.
    result = plan(goal="maintenance", available_days=["mon", "wed"])
    assert [w.stage.value for w in result.weeks][:3] == ["walk", "walk", "jog"]


def test_sessions_stop_growing_at_the_athletes_longest_run_or_two_and_a_half_hours() -> None:
    long_plan = plan(weekly_minutes=900, available_days=["sat", "tue"], long_run_day="sat",
                     goal="general", weeks=52)
    assert max(s.running_seconds for s in long_plan.sessions) <= 150 * 60
    ultra = plan(weekly_minutes=900, longest_run_minutes=240, available_days=["sat", "tue"],
                 long_run_day="sat", goal="general", weeks=52)
    assert max(s.running_seconds for s in ultra.sessions) <= 240 * 60
