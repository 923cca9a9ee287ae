"""The plan reacts to logs (issue 10): through the services, on every database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retrorun.domain.model import STAGE_LADDER
from retrorun.services import adapting, coaching, logs, plans
from retrorun.services.views import LogInput

if TYPE_CHECKING:
    from retrorun.domain.model import Plan, Session
    from retrorun.services.views import PlanView, UserView
    from tests.services.conftest import App

# Kept two weeks ago (the fake clock's today is Mon 2026-11-16 after advancing 14 days).
STARTED = {"start_date": "2026-11-02", "backward_stage": "jog"}


def _backward_sessions(plan: Plan, week: int) -> list[Session]:
    return [s for s in plan.weeks[week - 1].sessions if s.backward_seconds]


def _log(app: App, user: UserView, session: Session, **fields: Any) -> None:
    forward = (session.running_seconds - session.backward_seconds) / 60
    entry = LogInput(**{"status": "done", "forward_minutes": forward,
                        "backward_minutes": session.backward_seconds / 60, "rpe": 3,
                        **fields})
    logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=entry,
                     clock=app.clock)
    # What the plan page does on the athlete's next look (the log service also refreshes).
    adapting.catch_up(app.uow(), athlete_id=user.id, clock=app.clock)


def _kept_two_weeks_ago(app: App) -> tuple[UserView, PlanView]:
    user = app.user()
    before = app.plan(user, **STARTED)
    app.clock.advance(days=14)
    return user, before


def _kept_late(app: App) -> tuple[UserView, PlanView]:
    """Kept today, two weeks after the plan's start date (no time off: nothing was due
    to be logged before the plan was kept)."""
    user = app.user()
    app.clock.advance(days=14)
    return user, app.plan(user, **STARTED)


def _current(app: App, user: UserView) -> PlanView:
    return plans.get_plan(app.uow(), user_id=user.id)


def test_pain_7_and_a_stumble_halve_next_week_a_stage_lower_past_unchanged(app: App) -> None:
    user, before = _kept_two_weeks_ago(app)
    plan = before.plan
    for session in plan.weeks[0].sessions:
        _log(app, user, session)
    hurt = _backward_sessions(plan, 2)[0]
    _log(app, user, hurt, pain_during=7, events=["stumble"])
    after = _current(app, user)
    rules = {c["rule"] for c in after.document["changes"]}
    assert {"pain-above-5", "event-stumble"} <= rules
    assert after.document["version"] == max(c["version"] for c in after.document["changes"])
    today = app.clock.now().date()
    old = {s.id: s for s in plan.sessions}
    for session in after.plan.sessions:
        if session.date < today:
            assert old[session.id] == session, session.id
    next_week = after.plan.weeks[2]
    assert next_week.backward_seconds <= plan.weeks[1].backward_seconds * 0.5 + 1
    assert STAGE_LADDER.index(next_week.stage) < STAGE_LADDER.index(plan.weeks[1].stage) \
        or next_week.stage is STAGE_LADDER[0]
    change = next(c for c in after.document["changes"] if c["rule"] == "pain-above-5")
    assert "7/10" in change["reason"]
    assert change["effective_from"] == today.isoformat()


def test_a_coach_threshold_of_3_with_pain_4_backs_the_plan_off(app: App) -> None:
    user, before = _kept_two_weeks_ago(app)
    coach = app.user("physio@example.com")
    app.invite(athlete_id=user.id, coach_email=coach.email)
    coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=user.id,
                        max_backward_minutes_per_week=None, pain_threshold=3,
                        planner=app.planner, clock=app.clock)
    plan = _current(app, user).plan
    assert plan.weeks[0] == before.plan.weeks[0]  # a new limit never rewrites the past
    _log(app, user, _backward_sessions(plan, 2)[0], pain_during=4, pain_next_morning=2)
    after = _current(app, user)
    assert "pain-over-threshold" in {c["rule"] for c in after.document["changes"]}
    assert after.plan.weeks[2].backward_seconds <= plan.weeks[1].backward_seconds * 0.5 + 1


def test_ten_days_without_logs_drops_a_stage(app: App) -> None:
    user = app.user()
    before = app.plan(user, **STARTED)
    plan = before.plan
    for session in plan.weeks[0].sessions[:2]:
        _log(app, user, session)
    last = plan.weeks[0].sessions[1].date
    app.clock.current = app.clock.current.replace(
        year=last.year, month=last.month, day=last.day) + __import__("datetime").timedelta(
        days=11)
    assert adapting.catch_up(app.uow(), athlete_id=user.id, clock=app.clock)
    after = _current(app, user)
    change = after.document["changes"][-1]
    assert change["rule"] == "time-off-7-days"
    week = (app.clock.now().date() - plan.start_date).days // 7 + 2
    projected = plan.weeks[week - 1].stage
    assert STAGE_LADDER.index(after.plan.weeks[week - 1].stage) <= max(
        0, STAGE_LADDER.index(projected) - 1)
    # Nothing more to decide on the same day: no second version.
    assert not adapting.catch_up(app.uow(), athlete_id=user.id, clock=app.clock)


def test_a_hold_is_released_once_the_logs_meet_the_stages_test(app: App) -> None:
    """A plan kept two weeks after its start is held at jog at once (no logs yet meet
    the jog test); logging those weeks done at the dose, easy and pain-free, meets the
    program's test (2 sessions of 5 min), so the plan moves on as written."""
    user, before = _kept_late(app)
    adapting.catch_up(app.uow(), athlete_id=user.id, clock=app.clock)
    held = _current(app, user)
    assert "advance-test-not-met" in {c["rule"] for c in held.document["changes"]}
    assert held.plan.weeks[2].stage is not before.plan.weeks[2].stage
    for week in (1, 2):
        for session in before.plan.weeks[week - 1].sessions:
            _log(app, user, session)
    after = _current(app, user)
    changes = {c["rule"]: c for c in after.document["changes"]}
    assert "advance-test-met" in changes, list(changes)
    assert changes["advance-test-not-met"].get("undone_by") == changes["advance-test-met"][
        "version"]
    assert "Jog test met" in changes["advance-test-met"]["reason"]
    assert changes["advance-test-met"]["by"] == "rules"
    assert changes["advance-test-met"]["evidence"] == "B2 [A]"
    # The plan goes on as written from the open day: week 3's stage is version 1's again.
    assert after.plan.weeks[2].stage is before.plan.weeks[2].stage
    today = app.clock.now().date()
    old = {s.id: s for s in before.plan.sessions}
    assert all(old[s.id] == s for s in after.plan.sessions if s.date < today)


def test_a_hold_stays_while_the_logs_fall_short_of_the_test(app: App) -> None:
    user, before = _kept_late(app)
    for week in (1, 2):
        for session in before.plan.weeks[week - 1].sessions:
            _log(app, user, session, rpe=9)  # far harder than the jog test allows
    rules = [c["rule"] for c in _current(app, user).document["changes"]]
    assert "advance-test-met" not in rules
