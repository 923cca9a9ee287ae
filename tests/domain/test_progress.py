"""Progress, pure: hand-checked small cases and properties over random log histories."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrorun.domain.model import (
    Direction,
    Gait,
    Intensity,
    Plan,
    Session,
    SessionKind,
    Step,
    StepKind,
    Surface,
    Week,
)
from retrorun.domain.progress import (
    ACUTE_DAYS,
    CHRONIC_DAYS,
    PARTIAL_CREDIT,
    Completion,
    LoggedSession,
    PlanChange,
    WeekState,
    changes_of_document,
    done_hard_seconds,
    progress,
)
from tests.formats.plans import plan_for

MONDAY = dt.date(2026, 11, 2)


def _session(sid: str, day: int, forward: int, backward: int = 0, hard: int = 0,
             kind: SessionKind = SessionKind.EASY) -> Session:
    steps = [Step(StepKind.WORK, forward - hard)] if forward - hard else []
    if hard:
        steps.append(Step(StepKind.WORK, hard, intensity=Intensity.HARD))
    if backward:
        steps.append(Step(StepKind.WORK, backward, direction=Direction.BACKWARD, gait=Gait.WALK))
    return Session(sid, MONDAY + dt.timedelta(days=day), kind, sid, Surface.TRACK, tuple(steps))


def tiny_plan() -> Plan:
    """Two weeks: week 1 30 min forward and 6 min backward walking (Mon) and 40 min with
    10 hard (Thu); week 2 a 20 min run (Tue) and a rest day (Fri)."""
    week1 = Week(1, Gait.WALK, False, (_session("a", 0, 1800, 360),
                                        _session("b", 3, 2400, hard=600)))
    week2 = Week(2, Gait.JOG, True, (_session("c", 8, 1200),
                                      _session("rest", 11, 0, kind=SessionKind.REST)))
    return Plan("tiny", "1", MONDAY, (week1, week2))


def log(sid: str, day: int, completion: Completion = Completion.DONE, forward: int = 0,
        backward: int = 0, **more: Any) -> LoggedSession:
    return LoggedSession(sid, MONDAY + dt.timedelta(days=day), completion, forward, backward,
                         **more)


def test_a_small_history_adds_up_by_hand() -> None:
    logs = [log("a", 0, forward=1800, backward=360, rpe=4, pain_during=2, pain_next_morning=1),
            log("b", 3, Completion.PARTIAL, forward=1200, rpe=6, pain_during=5)]
    result = progress(tiny_plan(), logs, today=MONDAY + dt.timedelta(days=9))
    w1, w2 = result.weeks
    assert (w1.planned_forward_seconds, w1.planned_backward_seconds) == (1800 + 2400, 360)
    assert (w1.done_forward_seconds, w1.done_backward_seconds) == (3000, 360)
    assert (w1.sessions_planned, w1.sessions_due, w1.sessions_done) == (2, 2, 2)
    assert w1.sessions_partial == 1
    assert w1.adherence == pytest.approx((1 + PARTIAL_CREDIT) / 2)
    # Foster 2001: RPE x minutes, 4 x 36 + 6 x 20.
    assert w1.srpe_load == pytest.approx(4 * 36 + 6 * 20)
    assert w1.pain_max == 5
    # Session b: 10 of its 40 min hard, half of it done: an estimated 5 min hard.
    assert w1.planned_hard_seconds == 600
    assert w1.done_hard_seconds == 300
    assert w1.state is WeekState.PAST
    # Week 2: the rest day is not a session; its Tuesday run is due and not logged.
    assert (w2.sessions_planned, w2.sessions_due, w2.sessions_done) == (1, 1, 0)
    assert w2.state is WeekState.CURRENT
    assert result.sessions_unlogged == 1
    assert result.adherence == pytest.approx((1 + PARTIAL_CREDIT) / 3)
    assert result.planned_due_seconds == 1800 + 360 + 2400 + 1200


def test_rolling_load_averages_over_the_plan_days_so_far() -> None:
    logs = [log("a", 0, forward=600, rpe=5), log("b", 3, forward=1200, rpe=3)]
    days = progress(tiny_plan(), logs, today=MONDAY + dt.timedelta(days=9)).days
    assert [d.date for d in days] == [MONDAY + dt.timedelta(days=n) for n in range(10)]
    assert days[0].load == 50
    assert days[3].load == 60
    assert days[0].acute_mean == days[0].chronic_mean == 50  # one day of the plan so far
    assert days[3].acute_mean == pytest.approx(110 / 4)
    assert days[9].acute_mean == pytest.approx(60 / ACUTE_DAYS)  # day 3..9
    assert days[9].chronic_mean == pytest.approx(110 / 10)
    assert CHRONIC_DAYS > ACUTE_DAYS


def test_future_logs_and_logs_of_other_sessions_are_left_out() -> None:
    logs = [log("c", 8, forward=1200, rpe=5, pain_during=9),  # after today
            log("a", 1, forward=1800, rpe=5),  # a's id on another day: another plan's
            log("zzz", 0, forward=600, rpe=5)]
    result = progress(tiny_plan(), logs, today=MONDAY + dt.timedelta(days=5))
    assert result.sessions_done == 0
    assert all(w.srpe_load == 0 and w.pain_max is None for w in result.weeks)
    assert result.pain == ()
    assert result.weeks[1].state is WeekState.FUTURE
    assert [d.date for d in result.days][-1] == MONDAY + dt.timedelta(days=5)


def test_a_skipped_session_counts_as_due_not_done_and_adds_no_load() -> None:
    result = progress(tiny_plan(), [log("a", 0, Completion.SKIPPED, rpe=8, pain_during=3)],
                      today=MONDAY)
    week = result.weeks[0]
    assert (week.sessions_due, week.sessions_done, week.sessions_skipped) == (1, 0, 1)
    assert week.srpe_load == 0
    assert week.pain_max == 3
    assert week.adherence == 0


def test_a_session_logged_without_rpe_adds_no_load_and_is_counted() -> None:
    week = progress(tiny_plan(), [log("a", 0, forward=1800)], today=MONDAY).weeks[0]
    assert week.srpe_load == 0
    assert week.unrated_sessions == 1


def test_before_the_plan_starts_nothing_is_due() -> None:
    result = progress(tiny_plan(), [], today=MONDAY - dt.timedelta(days=3))
    assert result.days == ()
    assert result.adherence is None
    assert all(w.state is WeekState.FUTURE for w in result.weeks)


def test_the_stage_timeline_marks_each_change_in_the_week_it_takes_effect() -> None:
    document = {"changes": [
        {"version": 2, "decided_on": "2026-11-09", "effective_from": "2026-11-10",
         "rule": "pain-above-5", "reason": "Pain 7/10: backward minutes halved.",
         "evidence": "B6 [E*]", "by": "rules", "sessions": ["c"]},
        {"version": 3, "decided_on": "2026-11-02", "effective_from": "2026-11-03",
         "rule": "undo", "reason": "Undone.", "by": "athlete", "sessions": []},
        {"version": "x"},  # not this code's: left out, the page still shows
    ]}
    changes = changes_of_document(document)
    assert [c.version for c in changes] == [3, 2]
    result = progress(tiny_plan(), [], today=MONDAY, changes=changes)
    assert [c.version for c in result.weeks[0].changes] == [3]
    assert [c.version for c in result.weeks[1].changes] == [2]
    assert result.weeks[1].stage is Gait.JOG
    assert result.weeks[1].lighter
    assert changes_of_document({}) == ()


def test_the_done_hard_part_never_exceeds_what_was_done_or_planned() -> None:
    session = _session("b", 3, 2400, hard=600)
    assert done_hard_seconds(session, log("b", 3, forward=4800)) == 600
    assert done_hard_seconds(session, log("b", 3, forward=100)) == 25
    assert done_hard_seconds(session, log("b", 3, Completion.SKIPPED)) == 0


# Properties over a real plan and random histories.
STARTER = plan_for("starter-8")
SESSIONS = [s for s in STARTER.sessions if s.kind is not SessionKind.REST]


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[LoggedSession], dt.date]:
    chosen = draw(st.lists(st.sampled_from(SESSIONS), unique_by=lambda s: s.id, max_size=30))
    logs = [LoggedSession(
        s.id, s.date, draw(st.sampled_from(Completion)),
        draw(st.integers(0, 5400)), draw(st.integers(0, 1200)),
        draw(st.none() | st.integers(0, 10)), draw(st.none() | st.integers(0, 10)),
        draw(st.none() | st.integers(0, 10))) for s in chosen]
    logs = [x if x.completion is not Completion.SKIPPED
            else LoggedSession(x.session_id, x.date, x.completion) for x in logs]
    today = STARTER.start_date + dt.timedelta(days=draw(st.integers(-5, 70)))
    return logs, today


@settings(max_examples=150, deadline=None)
@given(histories())
def test_done_is_never_counted_for_sessions_after_today(case: Any) -> None:
    logs, today = case
    result = progress(STARTER, logs, today=today)
    counted = [x for x in logs if x.date <= today]
    assert result.sessions_done == sum(1 for x in counted if x.did_some)
    assert result.sessions_skipped == sum(1 for x in counted if not x.did_some)
    assert sum(w.done_forward_seconds for w in result.weeks) == sum(
        x.forward_seconds for x in counted if x.did_some)
    assert sum(w.srpe_load for w in result.weeks) == pytest.approx(
        sum(x.load or 0 for x in counted))
    for week in result.weeks:
        if week.state is WeekState.FUTURE:
            assert week.sessions_due == week.sessions_done == 0
            assert week.done_forward_seconds == week.done_backward_seconds == 0


@settings(max_examples=150, deadline=None)
@given(histories())
def test_sums_match_the_plan_and_shares_stay_in_range(case: Any) -> None:
    logs, today = case
    result = progress(STARTER, logs, today=today)
    assert sum(w.planned_forward_seconds + w.planned_backward_seconds for w in result.weeks) \
        == sum(s.running_seconds for s in SESSIONS)
    assert sum(w.sessions_planned for w in result.weeks) == len(SESSIONS)
    assert result.sessions_due == sum(1 for s in SESSIONS if s.date <= today)
    assert result.sessions_unlogged >= 0
    for week in result.weeks:
        assert 0 <= week.done_hard_seconds <= week.done_forward_seconds \
            + week.done_backward_seconds
        assert 0 <= week.planned_hard_seconds <= week.planned_forward_seconds \
            + week.planned_backward_seconds
        if week.adherence is not None:
            assert 0 <= week.adherence <= 1
    total = sum(d.load for d in result.days)
    assert total == pytest.approx(sum(w.srpe_load for w in result.weeks))
    for day in result.days:
        assert day.date <= today
        assert day.acute_mean >= 0
        assert day.chronic_mean >= 0


def test_changes_need_their_dates() -> None:
    change = PlanChange(2, MONDAY, MONDAY, "rule", "reason")
    assert change.by == "rules"
    assert change.sessions == ()
