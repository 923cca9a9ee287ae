"""Better logs (issue 10.4): a log is checked against its session and its day, every
wrong field is reported at once, "done" means as planned, and every log change lets the
plan adapt at once. On the in-memory unit of work and on every SQL database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrorun.services import calendar_feed, logs, plans
from retrorun.services.errors import InvalidFields, InvalidInput
from retrorun.services.records import LogStatus
from retrorun.services.views import LogInput
from tests.services.conftest import PROFILE

if TYPE_CHECKING:
    from retrorun.domain.model import Session
    from retrorun.services.views import UserView
    from tests.services.conftest import App


def _first_session(app: App, user: UserView) -> Session:
    return app.plan(user).plan.sessions[0]


def _sessions(app: App, user: UserView) -> tuple[Session, ...]:
    return plans.get_plan(app.uow(), user_id=user.id).plan.sessions


def _refused(app: App, user: UserView, session: Session, entry: LogInput) -> InvalidFields:
    with pytest.raises(InvalidFields) as caught:
        logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=entry,
                         clock=app.clock)
    assert app.count("session_logs") == 0
    assert app.count("log_revisions") == 0
    return caught.value


@pytest.mark.parametrize("status", ["done", "partial", "skipped"])
def test_a_session_after_today_cannot_be_logged_at_all(app: App, status: str) -> None:
    user = app.user()
    app.plan(user)
    # The clock says Mon 2 Nov 09:00 UTC; with no time zone chosen Tue 3 Nov is allowed
    # (a day of grace for runners east of UTC), Thu 5 Nov is not.
    thursday = next(s for s in _sessions(app, user) if s.date.isoformat() == "2026-11-05")
    error = _refused(app, user, thursday, LogInput(status=status))
    assert [e.field for e in error.errors] == ["session_id"]
    assert error.message == "this session is on Thu 5 Nov; log it on or after that day"


def test_the_day_is_the_athletes_day_in_their_time_zone(app: App) -> None:
    user = app.user()
    app.plan(user)
    calendar_feed.set_calendar_settings(app.uow(), user_id=user.id,
                                        timezone="America/Los_Angeles", start_time=None,
                                        reminder_minutes=None, clock=app.clock)
    tuesday = _sessions(app, user)[0]
    assert tuesday.date.isoformat() == "2026-11-03"
    # Tue 3 Nov 07:00 UTC is still Mon 2 Nov 23:00 in Los Angeles.
    app.clock.current = app.clock.current.replace(day=3, hour=7)
    error = _refused(app, user, tuesday, LogInput(status="done"))
    assert "on Tue 3 Nov" in error.message
    app.clock.advance(hours=1, minutes=30)  # 00:30 on Tuesday there
    log = logs.log_session(app.uow(), user_id=user.id, session_id=tuesday.id,
                           entry=LogInput(status="done"), clock=app.clock)
    assert log.status is LogStatus.DONE


def test_minutes_far_above_the_plan_are_refused_naming_the_planned_minutes(app: App) -> None:
    user = app.user()
    session = _first_session(app, user)  # backward walking 6 min + easy run: 26 forward
    assert (session.backward_seconds, session.running_seconds) == (360, 1920)
    error = _refused(app, user, session, LogInput(status="done", forward_minutes=26,
                                                  backward_minutes=500))
    assert [(e.field, e.message) for e in error.errors] == [
        ("backward_minutes", "500 is far more than the 6 planned; at most 22")]
    assert logs.max_logged_minutes(360) == 6 * logs.LOGGED_MINUTES_FACTOR + 10
    _refused(app, user, session, LogInput(status="partial", forward_minutes=62.5))
    logged = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                              entry=LogInput(status="done", forward_minutes=62,
                                             backward_minutes=22), clock=app.clock)
    assert (logged.forward_minutes, logged.backward_minutes) == (62, 22)  # at most: allowed


def test_strength_minutes_typed_as_forward_minutes_are_not_refused(app: App) -> None:
    user = app.user()
    app.plan(user)
    strength = next(s for s in _sessions(app, user) if s.kind.value == "strength")
    assert strength.running_seconds == 0
    logged = logs.log_session(app.uow(), user_id=user.id, session_id=strength.id,
                              entry=LogInput(status="done", forward_minutes=22),
                              clock=app.clock)
    assert logged.forward_minutes == 22
    # ...but not an hour on a 10-minute core routine (at most 30.6).
    core = next(s for s in _sessions(app, user) if s.kind.value == "core")
    with pytest.raises(InvalidFields):
        logs.log_session(app.uow(), user_id=user.id, session_id=core.id,
                         entry=LogInput(status="done", forward_minutes=60), clock=app.clock)


@pytest.mark.parametrize("minutes", [{}, {"forward_minutes": None, "backward_minutes": None},
                                     {"forward_minutes": 0, "backward_minutes": 0}])
def test_done_without_minutes_is_done_as_planned(app: App, minutes: dict[str, Any]) -> None:
    user = app.user()
    session = _first_session(app, user)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                           entry=LogInput(status="done", **minutes), clock=app.clock)
    assert (log.forward_minutes, log.backward_minutes) == (26, 6)


def test_minutes_given_and_other_statuses_are_kept_as_typed(app: App) -> None:
    user = app.user()
    app.plan(user)
    first, core = _sessions(app, user)[:2]
    done = logs.log_session(app.uow(), user_id=user.id, session_id=first.id,
                            entry=LogInput(status="done", forward_minutes=20),
                            clock=app.clock)
    assert (done.forward_minutes, done.backward_minutes) == (20, 0)
    partial = logs.log_session(app.uow(), user_id=user.id, session_id=core.id,
                               entry=LogInput(status="partial"), clock=app.clock)
    assert (partial.forward_minutes, partial.backward_minutes) == (0, 0)


def test_every_wrong_field_is_reported_at_once_and_nothing_is_stored(app: App) -> None:
    user = app.user()
    app.plan(user)
    thursday = next(s for s in _sessions(app, user) if s.date.isoformat() == "2026-11-05")
    entry = LogInput(status="finished", forward_minutes="ten",  # type: ignore[arg-type]
                     backward_minutes=500, rpe=[], pain_during=11,  # type: ignore[arg-type]
                     pain_next_morning=-1, events=["trip"], notes="\x00")
    error = _refused(app, user, thursday, entry)
    assert [e.field for e in error.errors] == [
        "status", "session_id", "forward_minutes", "backward_minutes", "rpe", "pain_during",
        "pain_next_morning", "events", "notes"]
    assert isinstance(error, InvalidInput)
    assert (error.field, error.message) == ("status", "choose done, partial or skipped")
    assert "got" not in str(error)
    assert all(e.field in str(error) for e in error.errors)


def test_a_log_edit_is_checked_like_a_log_and_keeps_the_log_when_refused(app: App) -> None:
    user = app.user()
    session = _first_session(app, user)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                           entry=LogInput(status="done"), clock=app.clock)
    with pytest.raises(InvalidFields) as caught:
        logs.edit_log(app.uow(), user_id=user.id, log_id=log.id,
                      entry=LogInput(status="done", backward_minutes=23, rpe=11),
                      clock=app.clock)
    assert [e.field for e in caught.value.errors] == ["backward_minutes", "rpe"]
    assert logs.get_log(app.uow(), user_id=user.id, log_id=log.id) == log
    assert len(logs.log_history(app.uow(), user_id=user.id, log_id=log.id)) == 1


# Kept two weeks ago, as in test_adapting: the fake clock's today is then Mon 16 Nov.
STARTED = {"start_date": "2026-11-02", "backward_stage": "jog"}


def _stored_version(app: App, user: UserView) -> int:
    """The stored plan's version, read without any catch-up a reader might do."""
    uow = app.uow()
    with uow:
        record = uow.plans.for_athlete(user.id)
        assert record is not None
        return int(record.document.get("version", 1))


def _backward_session_of_week(app: App, user: UserView, week: int) -> Session:
    plan = plans.get_plan(app.uow(), user_id=user.id).plan
    return next(s for s in plan.weeks[week - 1].sessions if s.backward_seconds)


def test_a_log_at_pain_7_makes_the_next_plan_version_at_once(app: App) -> None:
    user = app.user()
    app.plan(user, **STARTED)
    app.clock.advance(days=14)
    assert _stored_version(app, user) == 1
    hurt = _backward_session_of_week(app, user, 2)
    logs.log_session(app.uow(), user_id=user.id, session_id=hurt.id,
                     entry=LogInput(status="done", pain_during=7), clock=app.clock)
    assert _stored_version(app, user) == 2
    document = plans.get_plan(app.uow(), user_id=user.id).document
    assert "pain-above-5" in {c["rule"] for c in document["changes"]}


def test_editing_a_log_to_pain_7_makes_the_next_plan_version_at_once(app: App) -> None:
    user = app.user()
    app.plan(user, **STARTED)
    app.clock.advance(days=14)
    hurt = _backward_session_of_week(app, user, 2)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=hurt.id,
                           entry=LogInput(status="done", rpe=3, pain_during=1),
                           clock=app.clock)
    before = _stored_version(app, user)
    document = plans.get_plan(app.uow(), user_id=user.id).document
    assert "pain-above-5" not in {c["rule"] for c in document.get("changes", ())}
    logs.edit_log(app.uow(), user_id=user.id, log_id=log.id,
                  entry=LogInput(status="done", rpe=3, pain_during=7), clock=app.clock)
    assert _stored_version(app, user) == before + 1
    document = plans.get_plan(app.uow(), user_id=user.id).document
    assert "pain-above-5" in {c["rule"] for c in document["changes"]}


@given(
    forward=st.one_of(st.none(), st.floats(allow_nan=True), st.integers(), st.text(),
                      st.lists(st.integers(), max_size=2), st.booleans()),
    backward=st.one_of(st.none(), st.floats(-1, 100), st.integers(-1, 10**30)),
    status=st.sampled_from(["done", "partial", "skipped", "", "x"]),
)
def test_a_checked_log_is_within_the_sessions_bounds_or_names_its_fields(
    forward: Any, backward: Any, status: str
) -> None:
    session = _PLAN_SESSION
    try:
        checked = logs.check_entry(
            LogInput(status=status, forward_minutes=forward, backward_minutes=backward),
            session=session, date=session.date, latest=session.date)
    except InvalidFields as error:
        problems = {(e.field, e.message) for e in error.errors}
    else:
        problems = set()
    if problems:
        assert {field for field, _ in problems} <= {"status", "forward_minutes",
                                                    "backward_minutes"}
        assert all(message and "got" not in message for _, message in problems)
        return
    assert checked.backward_seconds <= logs.max_logged_minutes(session.backward_seconds) * 60
    assert checked.forward_seconds <= logs.max_logged_minutes(
        session.running_seconds - session.backward_seconds) * 60
    if checked.status is LogStatus.DONE and not (forward or backward):
        assert checked.backward_seconds == session.backward_seconds


def _a_plan_session() -> Session:
    from retrorun.bootstrap import DomainPlanner
    from retrorun.domain.profile import parse_profile
    from retrorun.services.records import CoachLimits

    plan = DomainPlanner().build(parse_profile(PROFILE), CoachLimits())
    return plan.sessions[0]


_PLAN_SESSION = _a_plan_session()
