"""Importing watch files (issue 12) through the services, on every database: an exported
workout run on a watch logs its session with the backward minutes from the laps, the
athlete's RPE and pain then adapt the plan, and nothing is stored twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from retrorun.formats.activities import Imported, read_upload
from retrorun.services import imports, logs, plans
from retrorun.services.views import LogInput
from tests.services.watch_run import activity_fit

if TYPE_CHECKING:
    from retrorun.domain.model import Plan, Session
    from retrorun.services.imports import ImportOutcome
    from retrorun.services.views import UserView
    from tests.services.conftest import App

STARTED = {"start_date": "2026-11-02", "backward_stage": "jog"}  # as test_adapting


def _athlete(app: App) -> tuple[UserView, Plan]:
    user = app.user()
    plan = app.plan(user, **STARTED).plan
    app.clock.advance(days=14)
    return user, plan


def _backward_session(plan: Plan) -> Session:
    return next(s for s in plan.weeks[0].sessions if s.backward_seconds)


def _morning(session: Session, hours: int = 7) -> dt.datetime:
    return dt.datetime.combine(session.date, dt.time(hours), tzinfo=dt.UTC)


def _import(app: App, user: UserView, name: str, data: bytes) -> ImportOutcome:
    (outcome,) = imports.import_results(app.uow(), user_id=user.id,
                                        results=read_upload(name, data), clock=app.clock)
    return outcome


def test_a_watch_run_of_our_workout_logs_its_session_with_backward_minutes(app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    outcome = _import(app, user, "run.fit", activity_fit(session, _morning(session)))
    assert outcome.status == "imported", outcome.message
    assert outcome.session_id == session.id
    assert outcome.backward_minutes == round(session.backward_seconds / 60, 1)
    with app.uow() as uow:
        log = uow.logs.find(user.id, session.id, session.date)
    assert log is not None
    assert log.entry.status.value == "done"
    assert log.entry.backward_seconds == session.backward_seconds
    assert log.entry.rpe is None  # the athlete's to add
    # The athlete adds RPE and pain: the plan adapts.
    view = logs.edit_log(app.uow(), user_id=user.id, log_id=log.id, clock=app.clock,
                         entry=LogInput(status="done", forward_minutes=log.entry.forward_seconds
                                        / 60, backward_minutes=log.entry.backward_seconds / 60,
                                        rpe=6, pain_during=7))
    assert view.pain_during == 7
    after = plans.get_plan(app.uow(), user_id=user.id)
    assert "pain-above-5" in {c["rule"] for c in after.document["changes"]}


def test_the_same_file_or_the_same_run_again_is_a_duplicate(app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    data = activity_fit(session, _morning(session))
    first = _import(app, user, "run.fit", data)
    again = _import(app, user, "copy-of-run.fit", data)
    assert again.status == "duplicate"
    assert "run.fit" in again.message
    # The same run from another device's file: started 40 s later, 1 % further.
    (read,) = read_upload("run.fit", data)
    assert isinstance(read, Imported)
    twin = dataclasses.replace(read.activity, start=read.activity.start
                               + dt.timedelta(seconds=40),
                               distance_m=(read.activity.distance_m or 0) * 1.01)
    (other,) = imports.import_results(app.uow(), user_id=user.id, clock=app.clock,
                                      results=[Imported("run.gpx", "f" * 64, twin)])
    assert other.status == "duplicate"
    assert app.count("activities") == 1
    with app.uow() as uow:
        assert len(uow.logs.for_athlete(user.id)) == 1
    assert first.activity_id == again.activity_id == other.activity_id


def test_laps_without_step_indexes_log_the_session_with_no_backward_minutes(
        app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    outcome = _import(app, user, "plain.fit",
                      activity_fit(session, _morning(session), with_step_index=False))
    assert outcome.session_id == session.id
    assert outcome.backward_minutes == 0


def test_a_run_a_day_late_completes_the_open_session_and_a_logged_one_is_left(
        app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    late = _morning(session) + dt.timedelta(days=1)
    outcome = _import(app, user, "late.fit", activity_fit(session, late))
    assert outcome.session_id == session.id
    # A second run that day: its session is logged now, and no other session is open
    # within a day unless the plan has one there.
    second = _import(app, user, "second.fit", activity_fit(session, late
                                                           + dt.timedelta(hours=5)))
    assert second.status == "imported"
    assert second.session_id != session.id


def test_a_ride_is_stored_but_not_matched(app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    (read,) = read_upload("run.fit", activity_fit(session, _morning(session)))
    assert isinstance(read, Imported)
    ride = dataclasses.replace(read.activity, sport="cycling", on_foot=False)
    (outcome,) = imports.import_results(app.uow(), user_id=user.id, clock=app.clock,
                                        results=[Imported("ride.fit", "e" * 64, ride)])
    assert outcome.status == "imported"
    assert outcome.session_id is None
    assert "only sessions on foot" in outcome.message
    assert app.count("activities") == 1


def test_without_a_plan_the_activity_is_kept_for_later(app: App) -> None:
    user = app.user("planless@example.com")
    _, plan = _athlete(app)  # another athlete's plan gives its dates only
    session = _backward_session(plan)
    outcome = _import(app, user, "run.fit", activity_fit(session, _morning(session)))
    assert (outcome.status, outcome.session_id) == ("imported", None)


def test_refusals_pass_through_with_their_message(app: App) -> None:
    user = app.user()
    outcome = _import(app, user, "notes.txt", b"not an activity at all")
    assert outcome.status == "refused"
    assert "notes.txt" in outcome.message
    assert app.count("activities") == 0
