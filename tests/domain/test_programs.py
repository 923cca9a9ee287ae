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


def test_the_catalogue_has_the_six_programs_with_sources() -> None:
    catalogue = load_catalogue()
    assert list(catalogue) == ["starter-8", "economy-10", "speed-power-8", "knee-friendly-6",
                               "walk-only-6", "maintenance"]
    assert all(p.sources and p.rationale for p in catalogue.values())


def test_starter_8_climbs_walk_jog_run_with_lighter_weeks_4_and_8() -> None:
    result = plan(goal="general", program="starter-8")
    # Stages advance on their tests: 2 walks, then 3 and 5 min of jogging (5-6 min twice).
    assert [w.stage for w in result.weeks] == ["walk", "jog", "jog", "run", "run", "run",
                                               "run", "run"]
    assert [w.index for w in result.weeks if w.lighter] == [4, 8]
    for week in result.weeks:
        # B2: 2 a week (the track intervals may add a 2-min backward jog to the warm-up)
        assert sum(s.kind is SessionKind.BACKWARD for s in week.sessions) == 2
        assert sum(s.kind is SessionKind.CORE for s in week.sessions) == 2  # B8
    week1 = backward_sessions(result.weeks[0].sessions)[0]
    assert 4 * 60 <= week1.backward_seconds <= 10 * 60  # B2 stage 1: 5-10 min
    jog = [s for s in backward_sessions(result.weeks[2].sessions)[0].flat_steps
           if s.direction is Direction.BACKWARD]
    assert {s.seconds for s in jog} == {60}  # B2 stage 2: 1-min segments
    longest = max(s.prescribed_backward_running_seconds for s in result.sessions)
    assert 10 * 60 <= longest <= 15 * 60  # B2 stage 3 by the last weeks: 10-15 min


def test_economy_10_paces_backward_running_at_065_then_075_of_easy_speed() -> None:
    result = plan(goal="economy")
    assert result.program == "economy-10"
    assert len(result.weeks) == 10
    easy_speed = 1000 / 330

    def ratios(week: int) -> set[float]:
        steps = [s for ses in result.weeks[week - 1].sessions for s in ses.flat_steps
                 if s.direction is Direction.BACKWARD and s.gait is Gait.RUN
                 and s.meters is None]
        assert steps, f"week {week} has backward running"
        assert all(s.target.type == "pace" for s in steps)
        return {round(1000 / ((s.target.low + s.target.high) / 2) / easy_speed, 2)
                for s in steps if s.target.low and s.target.high}

    # Derived from Ordway 2016: 0.62 of the economy-check speed in the run-in, then 0.75.
    assert all(0.59 <= r <= 0.65 for w in (4, 5) for r in ratios(w))
    assert all(0.72 <= r <= 0.78 for w in (6, 7, 8, 9, 10) for r in ratios(w))
    tests = [w.index for w in result.weeks for s in w.sessions if s.kind is SessionKind.TEST]
    assert tests == [1, 5, 10]  # economy check at weeks 0, 5, 10


def test_economy_needs_a_trained_runner_else_starter() -> None:
    assert plan(goal="economy", experience="recreational").program == "starter-8"


def test_speed_power_8_sets_of_7_by_20_m_with_effort_steps() -> None:
    result = plan(goal="speed_power", age=15, surfaces=["grass"])
    assert result.program == "speed-power-8"
    efforts = {}
    for week in result.weeks:
        days = sorted(s.date for s in week.sessions if s.backward_seconds)
        # Two a week, never on consecutive days; the field tests take an easy run's day.
        assert len(days) == 2
        assert all((b - a).days >= 2 for a, b in itertools.pairwise(days))
        reps = [s for ses in week.sessions for s in ses.flat_steps
                if s.direction is Direction.BACKWARD and s.target.type == "effort"
                and "Build-up" not in s.name]
        assert all(s.meters == 20 for s in reps)
        efforts[week.index] = {(s.target.low, s.target.high) for s in reps}
    # One week each at 40-55 % and 60-75 % (Uthoff 2018's familiarisation), then >= 90 %.
    assert [w.stage for w in result.weeks] == ["jog", "run"] + ["sprint"] * 6
    assert efforts[1] == {(40, 55)}
    assert efforts[2] == {(60, 75)}
    assert all(efforts[w] == {(90, 100)} for w in range(3, 9))
    sprint_week = result.weeks[4]
    reps = [s for ses in sprint_week.sessions for s in ses.flat_steps
            if s.direction is Direction.BACKWARD and s.target.low == 90]
    assert len(reps) % 7 == 0  # whole sets of 7
    assert [w.index for w in result.weeks for s in w.sessions
            if "Field tests" in s.title] == [1, 8]  # field tests at weeks 0 and 8
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
        assert all(s.backward_seconds == 10 * 60 for s in sessions)  # 10 min each
    assert any("not a treatment" in s.why for s in result.sessions)


def test_a_yes_on_the_screen_means_walking_indoors_and_a_clinician() -> None:
    result = plan(screen={"vertigo": True}, goal="speed_power")
    assert result.program == "walk-only-6"
    assert all(s.surface in ("treadmill", "indoor") for s in result.sessions
               if s.backward_seconds)
    assert any("clinician" in n for n in result.notices)


def test_maintenance_reduces_forward_volume_to_one_backward_session() -> None:
    result = plan(goal="maintenance")
    assert result.program == "maintenance"
    assert all(len(backward_sessions(w.sessions)) == 1 for w in result.weeks)
    assert result.weeks[0].running_seconds <= 0.75 * 300 * 60
    assert any(s.kind is SessionKind.INTERVALS for s in result.sessions)  # keeps intensity


def test_road_only_gets_backward_walking_indoors_with_a_reason() -> None:
    result = plan(surfaces=["road", "trail"])
    assert all(s.surface == "indoor" and s.backward_gaits == {Gait.WALK}
               and not s.holds_running for s in result.sessions if s.backward_seconds)
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
           "stages": [{"stage": "walk", "format": "walk_bouts", "advance_when": "x",
                       "sources": []},
                      {"stage": "run", "format": "continuous", "advance_when": "x",
                       "sources": []}]}
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
    assert plan(goal="general", screen={"vertigo": True}).program == "walk-only-6"


def test_a_stage_is_held_until_its_test_is_met() -> None:
    # One backward session a week: the walk test (2 sessions) takes two weeks.
    result = plan(goal="general", available_days=["mon", "tue"], runs_per_week=2)
    assert [w.stage.value for w in result.weeks][:3] == ["walk", "walk", "jog"]


def test_maintenance_keeps_the_stage_the_athlete_has_reached() -> None:
    result = plan(goal="maintenance", backward_stage="run")
    assert {w.stage.value for w in result.weeks} == {"run"}
    assert plan(goal="general", backward_stage="jog").weeks[0].stage.value == "jog"


def test_sessions_stop_growing_at_the_athletes_longest_run_or_two_and_a_half_hours() -> None:
    long_plan = plan(weekly_minutes=900, available_days=["sat", "tue"], long_run_day="sat",
                     goal="general", weeks=52)
    assert max(s.running_seconds for s in long_plan.sessions) <= 150 * 60
    ultra = plan(weekly_minutes=900, longest_run_minutes=240, available_days=["sat", "tue"],
                 long_run_day="sat", goal="general", weeks=52)
    assert max(s.running_seconds for s in ultra.sessions) <= 240 * 60


def test_a_backward_warm_up_jog_keeps_48_hours_from_a_jogging_week() -> None:
    # A plan starting on a Wednesday: week 2's Tuesday backward jog is followed by week 3's
    # Wednesday track intervals, whose warm-up jog must not break the 48 h rule (it did).
    from retrorun.domain.generator import build_plan_in_context
    from retrorun.domain.invariants import check

    result, ctx = build_plan_in_context(parse_profile({
        **TRAINED, "weekly_minutes": 190, "goal": "economy", "age": 43,
        "available_days": ["tue", "wed", "thu", "fri", "sat"], "long_run_day": "sat",
        "surfaces": ["road", "treadmill", "track"], "start_date": "2028-08-09",
        "longest_run_minutes": 118, "easy_pace_s_per_km": 339, "backward_stage": "jog"}))
    assert check(result, ctx) == []
    early = {s.date for w in result.weeks if w.stage in (Gait.WALK, Gait.JOG)
             for s in w.sessions if s.backward_seconds}
    days = sorted({s.date for s in result.sessions if s.backward_seconds})
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(days) if {a, b} & early)
