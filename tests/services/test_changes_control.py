"""The athlete undoes a change, a coach or a cleared athlete lifts a safety one (issue 10
point 3): through the services, on the in-memory store and every SQL database."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from retrorun.services import changes, coaching, logs, plans
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from retrorun.services.views import LogInput

if TYPE_CHECKING:
    from retrorun.domain.model import Plan, Session
    from retrorun.services.views import PlanView, UserView
    from tests.services.conftest import App

STARTED = {"start_date": "2026-11-02", "backward_stage": "jog"}


def _on(app: App, day: dt.date, hour: int = 20) -> None:
    app.clock.current = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _log(app: App, user: UserView, session: Session, **fields: Any) -> None:
    """Logged on its own day, in the evening, as a runner does."""
    _on(app, session.date)
    forward = (session.running_seconds - session.backward_seconds) / 60
    entry = LogInput(**{"status": "done", "forward_minutes": forward,
                        "backward_minutes": session.backward_seconds / 60, "rpe": 3,
                        **fields})
    logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=entry,
                     clock=app.clock)


def _current(app: App, user: UserView) -> PlanView:
    return plans.get_plan(app.uow(), user_id=user.id)


def _backward(plan: Plan, week: int) -> list[Session]:
    return [s for s in plan.weeks[week - 1].sessions if s.backward_seconds]


def _change(view: PlanView, rule: str) -> dict[str, Any]:
    return next(c for c in reversed(view.document["changes"]) if c["rule"] == rule)


def _hard_week_one(app: App) -> tuple[UserView, Plan]:
    """Week 1 logged on its days with both backward sessions far too hard (RPE 9): the
    stage is held; then the first backward session of week 2 too: it regresses."""
    user = app.user()
    plan = app.plan(user, **STARTED).plan
    for session in plan.weeks[0].sessions:
        _log(app, user, session, rpe=9 if session.backward_seconds else 3)
    _log(app, user, _backward(plan, 2)[0], rpe=9)
    _on(app, _backward(plan, 2)[0].date + dt.timedelta(days=1), hour=7)
    return user, plan


def test_undo_makes_the_next_version_from_the_open_day_past_unchanged(app: App) -> None:
    user, original = _hard_week_one(app)
    adapted = _current(app, user)
    regress = _change(adapted, "rpe-high-3")
    today = app.clock.now().date()
    edited = [s for s in _backward(adapted.plan, 2) if s.date >= today]
    assert edited
    assert edited[0] != original.session(edited[0].id)  # the regress capped it
    made = changes.undo_change(app.uow(), user_id=user.id, version=regress["version"],
                               rule="rpe-high-3", clock=app.clock)
    after = _current(app, user)
    assert made.version == regress["version"] + 1 == after.document["version"]
    assert made.change["rule"] == "undone-by-athlete"
    assert made.change["by"] == "athlete"
    assert "Undone by the athlete" in made.change["reason"]
    assert made.change["effective_from"] == today.isoformat()
    assert _change(after, "rpe-high-3")["undone_by"] == made.version
    assert [c["rule"] for c in after.document["changes"] if c.get("undone_by")] == \
        ["rpe-high-3"]  # only that one
    # The session of the week under way is as it was before the regress...
    assert after.plan.session(edited[0].id) == original.session(edited[0].id)
    assert edited[0].id in made.change["sessions"]
    # ...and nothing before today changed.
    before = {s.id: s for s in adapted.plan.sessions if s.date < today}
    assert {s.id: s for s in after.plan.sessions if s.date < today} == before


def test_a_change_undone_once_cannot_be_undone_again(app: App) -> None:
    user, _ = _hard_week_one(app)
    version = _change(_current(app, user), "rpe-high-3")["version"]
    changes.undo_change(app.uow(), user_id=user.id, version=version, rule="rpe-high-3",
                        clock=app.clock)
    with pytest.raises(Conflict, match="already undone"):
        changes.undo_change(app.uow(), user_id=user.id, version=version,
                            rule="rpe-high-3", clock=app.clock)
    with pytest.raises(NotFound):
        changes.undo_change(app.uow(), user_id=user.id, version=99, rule="rpe-high-3",
                            clock=app.clock)


def _hurt(app: App, twice: bool = False) -> tuple[UserView, Plan]:
    """Week 1 fine; the first backward session of week 2 at pain 7/10 (and, `twice`, the
    second one too: the plan pauses backward work)."""
    user = app.user()
    plan = app.plan(user, **STARTED).plan
    for session in plan.weeks[0].sessions:
        _log(app, user, session)
    hurt = _backward(plan, 2)
    _log(app, user, hurt[0], pain_during=7)
    if twice:
        _log(app, user, hurt[1], pain_during=7)
    return user, plan


def test_a_safety_change_is_not_undone_by_the_athlete(app: App) -> None:
    user, _ = _hurt(app)
    view = _current(app, user)
    pain = _change(view, "pain-above-5")
    assert pain["safety"]
    with pytest.raises(PermissionDenied, match="about safety"):
        changes.undo_change(app.uow(), user_id=user.id, version=pain["version"],
                            rule="pain-above-5", clock=app.clock)
    assert _current(app, user).document == view.document  # nothing written


def test_the_athlete_lifts_a_pause_only_when_cleared(app: App) -> None:
    user, _ = _hurt(app, twice=True)
    view = _current(app, user)
    pause = _change(view, "pain-again-pause")
    with pytest.raises(InvalidInput) as refused:
        changes.lift_change(app.uow(), user_id=user.id, rule="pain-again-pause",
                            clock=app.clock)
    assert refused.value.field == "cleared"
    assert "A clinician has cleared me to go on" in refused.value.message
    assert _current(app, user).document == view.document
    made = changes.lift_change(app.uow(), user_id=user.id, rule="pain-again-pause",
                               clock=app.clock, cleared=True)
    after = _current(app, user)
    assert made.change["by"] == "athlete"
    assert made.change["rule"] == "safety-lifted"
    assert "the athlete, confirming a clinician cleared them" in made.change["reason"]
    assert _change(after, "pain-again-pause")["undone_by"] == made.version
    assert pause["version"] < made.version


def test_a_coach_lifts_the_pause_and_backward_work_comes_back(app: App) -> None:
    user, _ = _hurt(app, twice=True)
    paused = _current(app, user)
    later = [w for w in paused.plan.weeks if w.sessions[0].date > app.clock.now().date()]
    assert later
    assert all(w.backward_seconds == 0 for w in later)  # the pause holds
    coach = app.user("physio@example.com")
    app.invite(athlete_id=user.id, coach_email=coach.email)
    made = changes.lift_change(app.uow(), user_id=coach.id, athlete_id=user.id,
                               rule="pain-again-pause", clock=app.clock)
    after = _current(app, user)
    assert made.athlete_id == user.id
    assert made.change["by"] == "coach"
    assert "physio@example.com" in made.change["reason"]
    assert any(w.backward_seconds for w in after.plan.weeks
               if w.sessions and w.sessions[0].date > app.clock.now().date())
    today = app.clock.now().date()
    assert [s for s in after.plan.sessions if s.date < today] == \
        [s for s in paused.plan.sessions if s.date < today]


def test_a_coach_of_another_athlete_gets_not_found(app: App) -> None:
    user, _ = _hurt(app, twice=True)
    other = app.user("other@example.com")
    coach = app.user("coach@example.com")
    app.invite(athlete_id=other.id, coach_email=coach.email)
    with pytest.raises(NotFound):
        changes.lift_change(app.uow(), user_id=coach.id, athlete_id=user.id,
                            rule="pain-again-pause", clock=app.clock)
    with pytest.raises(NotFound):  # not even the athlete's own button for a stranger
        changes.lift_change(app.uow(), user_id=other.id, athlete_id=user.id,
                            rule="pain-again-pause", clock=app.clock, cleared=True)


def test_a_rule_of_every_plan_is_not_undone(app: App) -> None:
    user, _ = _hurt(app)
    with pytest.raises(NotFound):
        changes.lift_change(app.uow(), user_id=user.id, rule="no-such-rule",
                            clock=app.clock, cleared=True)
    with pytest.raises(NotFound):
        changes.undo_change(app.uow(), user_id=user.id, version=2,
                            rule="advance-test-not-met", clock=app.clock)


def test_one_painful_session_backs_off_once_and_a_fine_log_after_it_does_not_pause(
        app: App) -> None:
    """The log that backed the plan off is read again on every later refresh: it must
    not count as the second time (which pauses backward work)."""
    user, plan = _hurt(app)
    _log(app, user, next(s for s in plan.weeks[1].sessions if not s.backward_seconds))
    rules = [c["rule"] for c in _current(app, user).document["changes"]]
    assert "pain-above-5" in rules
    assert "pain-again-pause" not in rules


def test_a_coach_limit_the_same_week_keeps_the_back_off_of_next_week(app: App) -> None:
    """A physio who sets a threshold after seeing the pain flag must not undo the plan's
    answer to that pain: the rebuilt next week keeps its halved backward minutes."""
    user, plan = _hurt(app)
    backed_off = _current(app, user)
    next_week = week_of_today(app, plan) + 1
    halved = backed_off.plan.weeks[next_week - 1].backward_seconds
    assert halved <= plan.weeks[1].backward_seconds * 0.5 + 1
    coach = app.user("physio@example.com")
    app.invite(athlete_id=user.id, coach_email=coach.email)
    coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=user.id,
                        max_backward_minutes_per_week=None, pain_threshold=4,
                        planner=app.planner, clock=app.clock)
    after = _current(app, user)
    assert after.document["changes"][-1]["rule"] == "limits-changed"
    assert after.plan.weeks[next_week - 1].backward_seconds <= halved


def week_of_today(app: App, plan: Plan) -> int:
    return (app.clock.now().date() - plan.start_date).days // 7 + 1
