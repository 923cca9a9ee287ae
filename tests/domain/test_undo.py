"""Undo and lift, pure: over random log histories, taking back any change in force never
changes a session before the open day, marks only that change, records who did it, and
keeps every invariant; what may be undone is decided by the rule alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrorun.domain.adaptation import Inputs, decide, open_day, paused
from retrorun.domain.context import Limits
from retrorun.domain.generator import build_plan_in_context
from retrorun.domain.invariants import check
from retrorun.domain.logbook import SAFETY_RULES, By, Change, Event, SessionLog
from retrorun.domain.model import Plan
from retrorun.domain.profile import WEEKDAYS, Profile, parse_profile
from retrorun.domain.revision import revise, week_index
from retrorun.domain.undo import (
    LIFT_RULE,
    NOT_UNDOABLE,
    UNDO_RULE,
    UNDOABLE_RULES,
    why_not_liftable,
    why_not_undoable,
    without,
)

START = dt.date(2026, 11, 2)
PROFILE = {"experience": "recreational", "weekly_minutes": 120, "runs_per_week": 3,
           "longest_run_minutes": 50, "available_days": ["tue", "thu", "sat", "sun"],
           "long_run_day": "sun", "goal": "general", "age": 34,
           "surfaces": ["track", "grass", "road"], "screen": {},
           "start_date": START.isoformat(), "backward_stage": "jog"}
LIMITS = Limits(None, None)


def _change(rule: str, undone_by: int | None = None) -> Change:
    return Change(2, START, START, rule, "why", "B6", By.RULES, (), undone_by=undone_by)


@pytest.mark.parametrize("rule", sorted(UNDOABLE_RULES))
def test_the_athlete_may_undo_what_the_logs_said_about_effort_and_time(rule: str) -> None:
    assert why_not_undoable(_change(rule)) is None
    assert why_not_liftable(_change(rule)) is not None


@pytest.mark.parametrize("rule", sorted(SAFETY_RULES))
def test_safety_is_lifted_never_undone(rule: str) -> None:
    assert "about safety" in (why_not_undoable(_change(rule)) or "")
    assert why_not_liftable(_change(rule)) is None
    assert "already" in (why_not_liftable(_change(rule, undone_by=3)) or "")


@pytest.mark.parametrize("rule", sorted(NOT_UNDOABLE))
def test_rules_of_every_plan_say_why_they_stay(rule: str) -> None:
    assert why_not_undoable(_change(rule)) == NOT_UNDOABLE[rule]


# --- random histories --------------------------------------------------------------------

DAY_LOG = st.one_of(st.none(), st.tuples(
    st.sampled_from(["done", "done", "done", "partial", "skipped"]),
    st.integers(0, 10),                      # RPE
    st.sampled_from([0, 1, 2, 4, 6, 7]),      # pain during
    st.sampled_from([frozenset(), frozenset(), frozenset({Event.STUMBLE})])))


Drawn = tuple[str, int, int, frozenset[Event]] | None


def _live(profile: Profile, plan: Plan, days: list[Drawn]) -> tuple[
        Plan, tuple[Change, ...], tuple[SessionLog, ...], dt.date]:
    """Each day: log that day's sessions as drawn, then adapt as the services do."""
    changes: tuple[Change, ...] = ()
    logs: list[SessionLog] = []
    weekdays = frozenset(WEEKDAYS.index(d) for d in profile.available_days)
    today = START
    for offset, drawn in enumerate(days):
        today = START + dt.timedelta(days=offset)
        if drawn is not None:
            status, rpe, pain, events = drawn
            for session in plan.sessions:
                if session.date == today:
                    logs.append(SessionLog(
                        session.id, today, status,
                        session.running_seconds - session.backward_seconds,
                        session.backward_seconds, rpe, pain, None,
                        events if session.backward_seconds else frozenset()))
        decisions = decide(Inputs(plan, tuple(logs), today, changes, None, weekdays,
                                  tracked_since=START, judge_time_off=True))
        if decisions:
            version = max((c.version for c in changes), default=1)
            revision = revise(profile, LIMITS, plan, decisions, changes, tuple(logs), today,
                              version)
            if revision is not None:
                plan, changes = revision.plan, revision.changes
    return plan, changes, tuple(logs), today


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(DAY_LOG, min_size=8, max_size=24), st.data())
def test_taking_a_change_back_keeps_the_past_and_every_rule(days: list[Drawn],
                                                            data: st.DataObject) -> None:
    profile = parse_profile(PROFILE)
    original, ctx = build_plan_in_context(profile, LIMITS)
    plan, changes, logs, today = _live(profile, original, days)
    in_force = [c for c in changes if c.undone_by is None
                and (why_not_undoable(c) is None or why_not_liftable(c) is None)]
    if not in_force:
        return
    target = data.draw(st.sampled_from(in_force))
    version = max(c.version for c in changes)
    rule = UNDO_RULE if not target.safety else LIFT_RULE
    by = By.ATHLETE if not target.safety else By.COACH
    revision = without(profile, LIMITS, plan, changes, frozenset({(target.version,
                                                                   target.rule)}),
                       logs, today, version, rule=rule, reason="taken back", by=by)
    if revision is None:
        return  # no version keeps every rule: the plan stays as it is
    start = open_day(plan, logs, today)
    before = [s for s in plan.sessions if s.date < start]
    assert [s for s in revision.plan.sessions if s.date < start] == before
    *kept, made = revision.changes
    assert [replace(c, undone_by=None) for c in kept] == \
        [replace(c, undone_by=None) for c in changes]
    # A version may hold the same rule twice (two logs of one day): (version, rule)
    # names them together, and both are taken back.
    assert [c for c in kept if c.undone_by == version + 1] == [
        replace(c, undone_by=version + 1) for c in changes if c.undone_by is None
        and (c.version, c.rule) == (target.version, target.rule)]
    assert (made.rule, made.by, made.version) == (rule, by, version + 1)
    assert made.effective_from == start
    if target.rule == "pain-again-pause" and paused(tuple(kept)) is None:
        later = [w for w in revision.plan.weeks if w.sessions
                 and w.sessions[0].date >= start + dt.timedelta(days=7)]
        assert any(w.backward_seconds for w in later) or not later
    waived = frozenset(i for c in revision.changes
                       for i in (week_index(plan, c.effective_from),
                                 week_index(plan, c.effective_from) + 1))
    assert check(revision.plan, replace(ctx, waived_lighter_floor=waived)) == []
