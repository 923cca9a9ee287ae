"""Session logs: validated field by field, one per session, edits keep history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrorun.services import logs, plans
from retrorun.services.errors import Conflict, InvalidInput, NotFound
from retrorun.services.records import LogEvent, LogStatus
from retrorun.services.views import LogInput
from tests.services.conftest import PROFILE

if TYPE_CHECKING:
    from retrorun.domain.model import Session
    from retrorun.services.views import UserView
    from tests.services.conftest import App

GOOD = LogInput(status="done", forward_minutes=30, backward_minutes=4.5, rpe=4,
                pain_during=1, pain_next_morning=0, events=["neck_pain", "stumble"],
                notes="  Felt good.  ")


def _first_session(app: App, user: UserView) -> Session:
    return app.plan(user).plan.sessions[0]


def test_log_session_stores_every_field(app: App) -> None:
    user = app.user()
    session = _first_session(app, user)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                           clock=app.clock)
    assert (log.session_id, log.session_date, log.revision) == (session.id, session.date, 1)
    assert log.status is LogStatus.DONE
    assert (log.forward_minutes, log.backward_minutes) == (30, 4.5)
    assert (log.rpe, log.pain_during, log.pain_next_morning) == (4, 1, 0)
    assert log.events == (LogEvent.STUMBLE, LogEvent.NECK_PAIN)
    assert log.notes == "Felt good."
    assert logs.get_log(app.uow(), user_id=user.id, log_id=log.id) == log


def test_the_log_shows_on_the_plan_and_the_session(app: App) -> None:
    user = app.user()
    session = _first_session(app, user)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                           clock=app.clock)
    assert plans.get_plan(app.uow(), user_id=user.id).logs == {session.id: log}
    assert plans.get_session(app.uow(), user_id=user.id, session_id=session.id).log == log


def test_logging_a_session_twice_is_the_same_log_or_a_conflict(app: App) -> None:
    # Issue 11: the same content again (a retry, a double submit) is the log already there;
    # other content is a conflict naming the session.
    user = app.user()
    session = _first_session(app, user)
    first = logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                             clock=app.clock)
    again = logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                             clock=app.clock)
    assert again == first
    with pytest.raises(Conflict) as conflict:
        logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                         entry=LogInput(status="skipped"), clock=app.clock)
    assert conflict.value.field == "session_id"
    assert app.count("session_logs") == 1


def test_logging_an_unknown_session_is_not_found(app: App) -> None:
    user = app.user()
    with pytest.raises(NotFound):  # no plan yet
        logs.log_session(app.uow(), user_id=user.id, session_id="x", entry=GOOD,
                         clock=app.clock)
    app.plan(user)
    with pytest.raises(NotFound):
        logs.log_session(app.uow(), user_id=user.id, session_id="x", entry=GOOD,
                         clock=app.clock)


BAD: list[tuple[dict[str, Any], str]] = [
    ({"status": "finished"}, "status"),
    ({"status": ""}, "status"),
    ({"forward_minutes": -1}, "forward_minutes"),
    ({"forward_minutes": float("nan")}, "forward_minutes"),
    ({"backward_minutes": 601}, "backward_minutes"),
    ({"backward_minutes": "ten"}, "backward_minutes"),
    ({"rpe": 11}, "rpe"),
    ({"rpe": 2.5}, "rpe"),
    ({"rpe": True}, "rpe"),
    ({"pain_during": -1}, "pain_during"),
    ({"pain_next_morning": 12}, "pain_next_morning"),
    ({"events": ["fell_over"]}, "events"),
    ({"events": "stumble"}, "events"),
    ({"notes": "x" * 2001}, "notes"),
    ({"status": "skipped", "forward_minutes": 10}, "forward_minutes"),
    ({"forward_minutes": [30]}, "forward_minutes"),
    ({"backward_minutes": 10**400}, "backward_minutes"),
    ({"rpe": [4]}, "rpe"),
    ({"pain_during": 10**5000}, "pain_during"),
    ({"pain_during": float("inf")}, "pain_during"),
    ({"notes": "fine\x00"}, "notes"),
    ({"notes": ["fine"]}, "notes"),
    ({"status": None}, "status"),
    ({"events": [["stumble"]]}, "events"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_a_bad_log_names_the_field_and_stores_nothing(
    app: App, change: dict[str, Any], field: str
) -> None:
    user = app.user()
    session = _first_session(app, user)
    entry = _with(GOOD, change)
    with pytest.raises(InvalidInput) as caught:
        logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=entry,
                         clock=app.clock)
    assert caught.value.field == field
    assert app.count("session_logs") == 0
    assert app.count("log_revisions") == 0


@pytest.mark.parametrize(("change", "field"), BAD[:3])
def test_a_bad_edit_keeps_the_log_as_it_was(
    app: App, change: dict[str, Any], field: str
) -> None:
    user = app.user()
    session = _first_session(app, user)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                           clock=app.clock)
    with pytest.raises(InvalidInput) as caught:
        logs.edit_log(app.uow(), user_id=user.id, log_id=log.id, entry=_with(GOOD, change),
                      clock=app.clock)
    assert caught.value.field == field
    assert logs.get_log(app.uow(), user_id=user.id, log_id=log.id) == log


def test_editing_keeps_every_revision(app: App) -> None:
    user = app.user()
    session = _first_session(app, user)
    first = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                             entry=LogInput(status="partial", forward_minutes=10),
                             clock=app.clock)
    app.clock.advance(hours=14)
    second = logs.edit_log(app.uow(), user_id=user.id, log_id=first.id,
                           entry=_with(GOOD, {"pain_next_morning": 3}), clock=app.clock)
    assert second.id == first.id
    assert second.revision == 2
    assert second.pain_next_morning == 3
    assert second.created_at == first.created_at < second.updated_at
    history = logs.log_history(app.uow(), user_id=user.id, log_id=first.id)
    assert [(r.revision, r.status, r.forward_minutes) for r in history] == [
        (1, LogStatus.PARTIAL, 10), (2, LogStatus.DONE, 30)]
    assert history[0].recorded_at < history[1].recorded_at


def test_list_logs_orders_by_session_date(app: App) -> None:
    user = app.user()
    sessions = app.plan(user).plan.sessions
    for session in reversed(sessions[:3]):
        logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                         clock=app.clock)
    listed = logs.list_logs(app.uow(), user_id=user.id)
    assert {log.session_id for log in listed} == {s.id for s in sessions[:3]}
    dates = [log.session_date for log in listed]
    assert dates == sorted(dates)


def test_logs_survive_replacing_the_plan(app: App) -> None:
    user = app.user()
    session = _first_session(app, user)
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=GOOD,
                           clock=app.clock)
    plans.create_plan(app.uow(), user_id=user.id,
                      profile_data={**PROFILE, "weekly_minutes": 150},
                      planner=app.planner, clock=app.clock, replace=True)
    assert logs.list_logs(app.uow(), user_id=user.id) == (log,)


def _with(entry: LogInput, change: dict[str, Any]) -> LogInput:
    fields = {name: getattr(entry, name) for name in LogInput.__dataclass_fields__}
    return LogInput(**{**fields, **change})


@given(
    status=st.sampled_from(["done", "partial", "skipped", "DONE", "bogus"]),
    forward=st.one_of(st.none(), st.floats(-5, 700), st.integers(-5, 700)),
    rpe=st.one_of(st.none(), st.integers(-2, 12), st.floats(-1, 11)),
    events=st.lists(st.sampled_from(["stumble", "dizziness", "neck_pain", "trip"])),
)
def test_validation_either_names_a_field_or_gives_values_in_range(
    status: str, forward: float | None, rpe: float | None, events: list[str]
) -> None:
    entry = LogInput(status=status, forward_minutes=forward or 0, rpe=rpe,  # type: ignore[arg-type]
                     events=events)
    try:
        checked = logs.validate_entry(entry)
    except InvalidInput as error:
        failed_field = error.field
    else:
        failed_field = ""
    if failed_field:
        assert failed_field in {"status", "forward_minutes", "rpe", "events"}
        return
    assert 0 <= checked.forward_seconds <= logs.MAX_SESSION_MINUTES * 60
    assert checked.rpe is None or 0 <= checked.rpe <= 10
    assert set(checked.events) <= set(LogEvent)
    assert checked.status is not LogStatus.SKIPPED or checked.forward_seconds == 0

