"""Regressions for what the adaptation properties found (test_adaptation_properties.py).

Each test is one case a random log history broke, rebuilt by hand and named after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from retrorun.domain.adaptation import PAUSE_RULE, Decision, Effect, Inputs, decide
from retrorun.domain.context import Limits, make_context
from retrorun.domain.generator import build_plan
from retrorun.domain.logbook import By, Event, SessionLog
from retrorun.domain.model import STAGE_LADDER, Gait, Plan, Session
from retrorun.domain.profile import Profile, parse_profile
from retrorun.domain.progression import plan_stage
from retrorun.domain.resume import Resume, WeekOverride, week_under
from retrorun.domain.revision import LEFT_OUT_RULE, Revision, revise
from retrorun.domain.session_edits import capped, without_backward

# Starts Monday 2026-11-02 at backward jogging; backward sessions Mon and Wed, a long run
# on Fri; 8 weeks.
JOGGER = {"experience": "recreational", "weekly_minutes": 150,
          "available_days": ["mon", "wed", "fri", "sun"], "goal": "general", "age": 35,
          "surfaces": ["track", "road"], "start_date": "2026-11-02", "screen": {},
          "backward_stage": "jog"}
WALKER = {k: v for k, v in JOGGER.items() if k != "backward_stage"}
# speed-power-8: jogging is its first stage (its walking is in the warm-ups); Tue/Thu/Sat.
SPRINTER = {"experience": "recreational", "weekly_minutes": 120,
            "available_days": ["tue", "thu", "sat"], "goal": "speed_power", "age": 15,
            "surfaces": ["track", "road"], "start_date": "2026-11-02", "screen": {}}
# speed-power-8 on 25 minutes a week: short easy runs once backward work is paused.
SMALL_SPRINTER = {"experience": "new_to_running", "weekly_minutes": 25,
                  "available_days": ["mon", "tue", "wed"], "goal": "speed_power", "age": 24,
                  "surfaces": ["turf", "road"], "start_date": "2028-12-27",
                  "runs_per_week": 1, "longest_run_minutes": 25, "long_run_day": "tue",
                  "backward_stage": "sprint", "screen": {}}


def _built(raw: dict[str, Any]) -> tuple[Profile, Plan]:
    profile = parse_profile(raw)
    return profile, build_plan(profile)


def _session(plan: Plan, suffix: str) -> Session:
    return next(s for s in plan.sessions if s.id.endswith(suffix))


def _pain(session: Session, during: int, morning: int | None = None,
          events: frozenset[Event] = frozenset()) -> SessionLog:
    return SessionLog(session.id, session.date, "done",
                      session.running_seconds - session.backward_seconds,
                      session.backward_seconds, rpe=3, pain_during=during,
                      pain_next_morning=morning, events=events)


def _past_kept(old: Plan, new: Plan, start: dt.date) -> None:
    assert [s for s in new.sessions if s.date < start] == \
        [s for s in old.sessions if s.date < start]


def test_a_hold_triggered_by_a_session_id_starting_with_w_is_not_read_as_a_week() -> None:
    """rpe-high-2 names the session that set it off; "walk-only-6-w02-backward-1" was
    parsed as week "alk" (ValueError in revise)."""
    profile, plan = _built(JOGGER)
    hold = Decision("rpe-high-2", "Two hard sessions: held.", "B6 [A]",
                    "walk-only-6-w02-backward-1", Effect.HOLD)
    revision = revise(profile, Limits(), plan, (hold,), (), (), dt.date(2026, 11, 10), 1)
    assert revision is not None
    assert [c.rule for c in revision.changes] == ["rpe-high-2"]
    assert revision.changes[0].trigger == "walk-only-6-w02-backward-1"


def test_a_back_off_that_changes_nothing_is_recorded_and_the_next_pain_pauses() -> None:
    """A neck-pain halving had already cut next week to half; the pain back-off asked for
    no more, so no version was made, and a second pain never found the first: no pause."""
    profile, plan = _built(WALKER)
    hurt, long_run = _session(plan, "w01-backward-2"), _session(plan, "w01-long")
    today = dt.date(2026, 11, 9)
    neck = (_pain(hurt, 1, 1, frozenset({Event.NECK_PAIN})),)
    first = decide(Inputs(plan, neck, today, judge_time_off=False))
    v2 = revise(profile, Limits(), plan, first, (), neck, today, 1)
    assert v2 is not None
    logs: tuple[SessionLog, ...] = (_pain(hurt, 7, 1, frozenset({Event.NECK_PAIN})),)
    back_off = decide(Inputs(v2.plan, logs, today, v2.changes, judge_time_off=False))
    assert [d.rule for d in back_off] == ["pain-above-5"]
    v3 = revise(profile, Limits(), v2.plan, back_off, v2.changes, logs, today, 2)
    assert v3 is not None
    assert v3.changes[-1].rule == "pain-above-5"
    logs += (_pain(long_run, 8),)
    again = decide(Inputs(v3.plan, logs, today, v3.changes, judge_time_off=False))
    assert [d.effect for d in again] == [Effect.PAUSE]


def test_pain_logged_late_within_three_weeks_of_an_earlier_pain_pauses() -> None:
    """Both sessions were logged on day 18: the first back-off was decided then, and the
    second session's day (2 days after the first's) came before it, so it "was not within
    three weeks" and only backed off again."""
    profile, plan = _built(JOGGER)
    one, two = _session(plan, "w01-backward-1"), _session(plan, "w01-backward-2")
    today = dt.date(2026, 11, 20)
    logs: tuple[SessionLog, ...] = (_pain(one, 7),)
    first = decide(Inputs(plan, logs, today, judge_time_off=False))
    v2 = revise(profile, Limits(), plan, first, (), logs, today, 1)
    assert v2 is not None
    logs += (_pain(two, 7),)
    second = decide(Inputs(v2.plan, logs, today, v2.changes, judge_time_off=False))
    assert [(d.rule, d.effect) for d in second] == [(PAUSE_RULE, Effect.PAUSE)]


def test_a_coach_cap_set_mid_week_keeps_the_past_and_caps_the_rest_of_the_week() -> None:
    """A cap of 5 min under a past week of 6: the new version was refused (the past
    "broke" the new cap) and the services rebuilt the whole plan, the past too; and the
    week under way kept its second 5-minute backward session."""
    profile, plan = _built(JOGGER)
    today = dt.date(2026, 11, 10)  # week 2's first backward session (5 min) is done
    note = Decision("limits-changed", "Your coach set a limit.", "", "t", Effect.NOTE)
    cap = Limits(max_backward_minutes_per_week=5.0)
    revision = revise(profile, cap, plan, (note,), (), (), today, 1, by=By.COACH)
    assert revision is not None
    _past_kept(plan, revision.plan, today)
    week2 = revision.plan.weeks[1]
    assert week2.backward_seconds <= 300 + 1
    assert all(w.backward_seconds <= 300 + 1 for w in revision.plan.weeks[2:])


def test_speed_power_drops_stop_at_jogging_its_first_stage() -> None:
    """Two stages down from running is walking, which speed-power-8 does not dose: the
    generator raised ValueError for the week after."""
    profile, plan = _built(SPRINTER)
    today = dt.date(2026, 11, 10)  # Tuesday of week 2 (running), nothing logged yet
    off = Decision("time-off-14-days", "14 days off.", "B2 [A]", "2026-10-26",
                   Effect.REGRESS, stages_down=2)
    revision = revise(profile, Limits(), plan, (off,), (), (), today, 1)
    assert revision is not None
    assert all(w.stage is not Gait.WALK for w in revision.plan.weeks)


def test_a_back_off_named_after_a_higher_week_never_lifts_a_lower_one() -> None:
    """A back-off a stage below a sprint week, applied after a jog week: the override
    forced "run" on a week the rules kept at jog, above the jog test (ladder broken, the
    version refused, the back-off lost)."""
    profile, plan = _built(JOGGER)
    ctx = make_context(profile)
    before = list(plan.weeks[:1])
    computed = plan_stage(ctx.program, ctx.start_stage, ctx.max_stage, before, False)
    assert computed.stage is Gait.JOG
    stage, _ = week_under(ctx, Resume(tuple(before), WeekOverride(stage=Gait.RUN)), 2,
                          computed, before)
    assert stage.stage is Gait.JOG


def test_a_pause_keeps_the_forward_running_of_a_backward_session() -> None:
    """A "backward" session is a run with a backward part: left out whole, the week's
    running time fell and its backward share rose over the cap (the pause refused)."""
    _, plan = _built(JOGGER)
    session = _session(plan, "w01-backward-1")
    edited = without_backward(session)
    assert edited is not None
    assert edited.backward_seconds == 0
    assert edited.running_seconds == session.running_seconds
    assert edited.id == session.id


def test_a_move_in_the_last_week_that_breaks_the_load_rule_is_dropped() -> None:
    """The last week's edits were never checked: a missed long run moved to Sunday added
    43 % to the week. Now it is dropped, and not moved or dropped again later."""
    profile, plan = _built(JOGGER)
    long_run = _session(plan, "w08-long")
    today = dt.date(2026, 12, 27)
    logs = (SessionLog(long_run.id, long_run.date, "skipped"),)
    move = Decision("missed-key-moved", f"Long run on {long_run.date:%a %d %b} was missed: "
                    "it moves to Sun 27 Dec.", "B4 [A]", long_run.id, Effect.MOVE,
                    session_id=long_run.id, move_to=today)
    revision = revise(profile, Limits(), plan, (move,), (), logs, today, 1)
    assert revision is not None
    assert [c.rule for c in revision.changes] == ["missed-key-dropped"]
    assert not any(s.id.endswith("-moved") for s in revision.plan.sessions)
    later = decide(Inputs(revision.plan, logs, today, revision.changes))
    assert not [d for d in later if d.rule.startswith("missed-key")]


def test_a_lift_that_fits_no_backward_session_leaves_it_out_and_says_so() -> None:
    """Paused after time off on 10-minute runs, then lifted: the first backward sprint
    session (30+ minutes) spiked, no version was made, and the services rebuilt the whole
    plan, the past too. Now the lift is recorded and backward work stays out, said so."""
    profile, plan = _built(SMALL_SPRINTER)
    today = dt.date(2029, 1, 15)
    pause = Decision(PAUSE_RULE, "Pain again: paused.", "B6 [E*]", "s", Effect.PAUSE)
    off = Decision("time-off-14-days", "14 days off.", "B2 [A]", "2029-01-01",
                   Effect.REGRESS, stages_down=2, restart_load=30 * 60)
    paused = revise(profile, Limits(), plan, (pause, off), (), (), today, 1)
    assert paused is not None
    lift_day = dt.date(2029, 2, 12)
    lifted = tuple(replace(c, undone_by=3) if c.rule == PAUSE_RULE else c
                   for c in paused.changes)
    note = Decision("pause-lifted", "Cleared by a clinician.", "", "t", Effect.NOTE)
    revision: Revision | None = revise(profile, Limits(), paused.plan, (note,), lifted, (),
                                       lift_day, 2, by=By.COACH, lifted=True)
    assert revision is not None
    _past_kept(paused.plan, revision.plan, lift_day)
    assert "pause-lifted" in [c.rule for c in revision.changes]
    if LEFT_OUT_RULE in [c.rule for c in revision.changes]:
        assert not any(s.backward_seconds for s in revision.plan.sessions
                       if s.date >= lift_day)
    assert all(w.stage in STAGE_LADDER for w in revision.plan.weeks)


# Six days a week at 810 minutes: from week 5 the intervals' warm-up holds a backward jog.
HIGH_VOLUME = {"experience": "highly_trained", "weekly_minutes": 810,
               "available_days": ["mon", "wed", "thu", "fri", "sat", "sun"],
               "goal": "general", "age": 37, "surfaces": ["track"],
               "start_date": "2027-02-05", "screen": {}, "runs_per_week": 6,
               "long_run_day": "sun"}


def test_a_drop_to_walking_takes_the_backward_part_out_of_a_runs_warm_up() -> None:
    """Fourteen days off in week 7 dropped the week under way to walking: the intervals'
    backward jog became a backward walk in the warm-up on Thursday, a day before the next
    week's Friday backward walk (48 h rule of stages 1-2); no version fitted."""
    _, plan = _built(HIGH_VOLUME)
    quality = _session(plan, "w07-quality")
    assert quality.backward_seconds
    edited = capped(quality, Gait.WALK)
    assert edited is not None
    assert edited.backward_seconds == 0
    assert edited.running_seconds == quality.running_seconds


def test_time_off_after_a_week_of_strength_only_restarts_from_a_real_load() -> None:
    """The last week "with training" held one strength session logged without minutes:
    the restart load was 0, the weeks ahead were squeezed to 13-minute runs without any
    backward work (time off must drop a stage, never below walking)."""
    _, plan = _built(JOGGER)
    strength = _session(plan, "w01-strength-1")
    logs = (SessionLog(strength.id, strength.date, "partial"),)
    today = strength.date + dt.timedelta(days=9)
    decisions = decide(Inputs(plan, logs, today, tracked_since=plan.start_date))
    off = next(d for d in decisions if d.rule.startswith("time-off"))
    assert off.restart_load is not None
    assert off.restart_load > 0


def _hurt_on_its_day(profile: Profile, plan: Plan, suffix: str) -> Revision:
    hurt = _session(plan, suffix)
    logs = (_pain(hurt, 7),)
    decisions = decide(Inputs(plan, logs, hurt.date, judge_time_off=False))
    revision = revise(profile, Limits(), plan, decisions, (), logs, hurt.date, 1)
    assert revision is not None
    assert [c.rule for c in revision.changes] == ["pain-above-5"]
    return revision


# speed-power-8 from no running at all, two days a week: 96 backward seconds in week 1,
# in drills the generator cannot dose below.
FIRST_SPRINTER = {"experience": "new_to_running", "weekly_minutes": 0,
                  "available_days": ["wed", "thu"], "goal": "speed_power", "age": 15,
                  "surfaces": ["track", "road", "treadmill", "grass"],
                  "start_date": "2027-08-26", "screen": {}, "long_run_day": "wed",
                  "hr_max": 194, "hr_rest": 52}


def test_a_back_off_holds_next_week_to_half_even_below_the_programs_smallest_dose() -> None:
    """Half of week 1's 96 s is 48 s, less than speed-power-8's drills: the generator
    built 152 s and nothing checked the back-off's cap. Now the week is trimmed to it."""
    profile, plan = _built(FIRST_SPRINTER)
    revision = _hurt_on_its_day(profile, plan, "w01-backward-1")
    assert revision.plan.weeks[1].backward_seconds <= plan.weeks[0].backward_seconds / 2


# Screened at 83 with a 52-week knee plan: no plan fits the profile's 11-minute longest
# session, so the generator counts from a 30-minute one (and says so).
ROOMIER = {"experience": "highly_trained", "weekly_minutes": 68,
           "available_days": ["tue", "fri", "wed", "sat", "thu", "mon", "sun"],
           "goal": "knee_friendly", "age": 83,
           "surfaces": ["road", "trail", "track", "treadmill", "turf"],
           "start_date": "2029-02-02",
           "screen": {"uncorrected_vision": True, "late_pregnancy": True,
                      "fall_last_year": True},
           "easy_pace_s_per_km": 1169.4, "hr_max": 103, "hr_rest": 83,
           "program": "knee-friendly-6", "weeks": 52, "intensity_model": "pyramidal"}


def test_a_plan_built_from_a_roomier_baseline_still_adapts() -> None:
    """Past its first 30 days, a rebuild fits under the profile's own 11-minute baseline,
    and the weeks kept were judged by it: week 1's 30-minute walks "spiked", every
    version was refused (a back-off, or a pause, lost for good)."""
    profile, plan = _built(ROOMIER)
    assert plan.athlete["baseline"] == {"weekly_seconds": 4080, "longest_session_seconds": 1800}
    revision = _hurt_on_its_day(profile, plan, "w21-backward-1")
    assert revision.plan.athlete["baseline"] == plan.athlete["baseline"]
    again = _session(revision.plan, "w30-backward-1")
    logs = (_pain(_session(plan, "w21-backward-1"), 7), _pain(again, 8))
    later = decide(Inputs(revision.plan, logs, again.date, revision.changes,
                          judge_time_off=False))
    assert later
    assert revise(profile, Limits(), revision.plan, later, revision.changes, logs, again.date,
                  2) is not None
