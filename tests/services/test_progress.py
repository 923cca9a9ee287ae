"""Progress and field tests as use cases, on the in-memory store and every SQL database."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from retrorun.domain.field_tests import Measure, Verdict
from retrorun.services import field_tests, progress
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.records import LogEntry, LogStatus

if TYPE_CHECKING:
    from retrorun.services.views import PlanView, UserView
    from tests.services.conftest import App

YOUTH = {"goal": "speed_power", "age": 15}  # speed-power-8: field tests in weeks 1 and 8


def _log(app: App, user: UserView, plan: PlanView, index: int, **entry: object) -> None:
    """A log written straight through the repository: this file tests progress, not the
    log form's rules."""
    session = plan.plan.sessions[index]
    with app.uow() as uow:
        uow.logs.add(athlete_id=user.id, plan_id=plan.id, session_id=session.id,
                     session_date=session.date, entry=LogEntry(**entry),  # type: ignore[arg-type]
                     by=user.id, at=app.clock.now())
        uow.commit()


def test_progress_sums_the_logs_of_the_plan_up_to_the_athletes_today(app: App) -> None:
    ann = app.user()
    plan = app.plan(ann)
    _log(app, ann, plan, 0, status=LogStatus.DONE, forward_seconds=1800,
         backward_seconds=300, rpe=4, pain_during=2)
    _log(app, ann, plan, 1, status=LogStatus.SKIPPED)
    app.clock.advance(days=8)
    view = progress.get_progress(app.uow(), user_id=ann.id, clock=app.clock)
    assert view.owned
    assert view.athlete_email == "ann@example.com"
    assert view.progress.today == dt.date(2026, 11, 10)
    week = view.progress.weeks[0]
    assert (week.done_forward_seconds, week.done_backward_seconds) == (1800, 300)
    assert week.srpe_load == pytest.approx(4 * 35)
    assert (week.sessions_done, week.sessions_skipped) == (1, 1)
    assert week.pain_max == 2
    assert view.progress.sessions_due == sum(
        1 for s in plan.plan.sessions if s.date <= dt.date(2026, 11, 10))


def test_a_coach_sees_an_inviting_athletes_progress_and_a_stranger_does_not(app: App) -> None:
    ann = app.user()
    app.plan(ann)
    coach = app.user("coach@example.com")
    eve = app.user("eve@example.com")
    app.invite(athlete_id=ann.id, coach_email="coach@example.com")
    seen = progress.get_progress(app.uow(), user_id=coach.id, clock=app.clock,
                                 athlete_id=ann.id)
    assert not seen.owned
    assert seen.athlete_id == ann.id
    with pytest.raises(NotFound):
        progress.get_progress(app.uow(), user_id=eve.id, clock=app.clock, athlete_id=ann.id)
    with pytest.raises(NotFound):
        progress.get_progress(app.uow(), user_id=eve.id, clock=app.clock)  # no plan


def test_the_plan_documents_changes_reach_the_stage_timeline(app: App) -> None:
    ann = app.user()
    plan = app.plan(ann)
    document = {**plan.document, "changes": [{
        "version": 2, "decided_on": "2026-11-08", "effective_from": "2026-11-09",
        "rule": "pain-above-5", "reason": "Pain 7/10: backward minutes halved for a week.",
        "evidence": "B6 [E*]", "by": "rules", "sessions": []}]}
    with app.uow() as uow:
        uow.plans.save(athlete_id=ann.id, profile=plan.profile, limits=plan.limits,
                       document=document, at=app.clock.now())
        uow.commit()
    view = progress.get_progress(app.uow(), user_id=ann.id, clock=app.clock)
    assert [c.rule for c in view.progress.changes] == ["pain-above-5"]
    assert [c.version for c in view.progress.weeks[1].changes] == [2]
    extra = progress.report_inputs(app.uow(), user_id=ann.id, clock=app.clock)
    assert [c.version for c in extra.changes] == [2]


def test_field_tests_are_entered_on_their_session_from_its_day(app: App) -> None:
    ann = app.user()
    plan = app.plan(ann, **YOUTH)
    test = next(s for s in plan.plan.sessions if s.id.endswith("w01-field-test"))
    tests = field_tests.session_tests(app.uow(), user_id=ann.id, session_id=test.id,
                                      clock=app.clock)
    assert tests is not None
    assert tests.measures == (Measure.SPRINT_10M, Measure.SPRINT_20M, Measure.JUMP)
    app.clock.current = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)  # two days before
    with pytest.raises(InvalidInput) as early:
        field_tests.record_field_test(app.uow(), user_id=ann.id, session_id=test.id,
                                      values={"sprint_10m_s": 2.1}, clock=app.clock)
    assert early.value.field == "session_id"
    app.clock.current = dt.datetime(2026, 11, 3, 18, tzinfo=dt.UTC)
    saved = field_tests.record_field_test(
        app.uow(), user_id=ann.id, session_id=test.id,
        values={"sprint_10m_s": "2,10", "sprint_20m_s": 3.6, "cmj_cm": None}, clock=app.clock)
    assert saved is not None
    assert saved.values == {"sprint_10m_s": 2.1, "sprint_20m_s": 3.6}
    # Saving again replaces; the progress shows it against the SWC.
    field_tests.record_field_test(app.uow(), user_id=ann.id, session_id=test.id,
                                  values={"sprint_10m_s": 2.08, "cmj_cm": 31}, clock=app.clock)
    assert app.count("field_tests") == 1
    trends = {t.spec.measure: t for t in progress.get_progress(
        app.uow(), user_id=ann.id, clock=app.clock).progress.field_tests}
    assert [p.value for p in trends[Measure.SPRINT_10M].points] == [2.08]
    assert trends[Measure.SPRINT_10M].points[0].verdict is Verdict.BASELINE
    assert trends[Measure.SPRINT_20M].points == ()
    # Saving none removes them.
    assert field_tests.record_field_test(app.uow(), user_id=ann.id, session_id=test.id,
                                         values={}, clock=app.clock) is None
    assert app.count("field_tests") == 0


@pytest.mark.parametrize(("values", "field"), [
    ({"sprint_10m_s": 25}, "sprint_10m_s"),  # seconds typed without the point
    ({"cmj_cm": 0.32}, "cmj_cm"),  # metres for centimetres
    ({"sprint_10m_s": 3.0, "sprint_20m_s": 2.9}, "sprint_20m_s"),
    ({"easy_hr_bpm": 140}, "easy_hr_bpm"),  # not a measure of this session
    ({"sprint_10m_s": "fast"}, "sprint_10m_s"),
    ({"sprint_10m_s": True}, "sprint_10m_s"),
    ({"sprint_10m_s": float("nan")}, "sprint_10m_s"),
    ({"bogus": 1}, "bogus"),
    ({}, "sprint_10m_s"),  # nothing given and nothing to remove
])
def test_bad_field_test_values_name_the_field_and_store_nothing(
        app: App, values: dict[str, object], field: str) -> None:
    ann = app.user()
    plan = app.plan(ann, **YOUTH)
    test = next(s for s in plan.plan.sessions if s.id.endswith("w01-field-test"))
    app.clock.current = dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput) as error:
        field_tests.record_field_test(app.uow(), user_id=ann.id, session_id=test.id,
                                      values=values, clock=app.clock)
    assert error.value.field == field
    assert app.count("field_tests") == 0


def test_a_session_without_tests_takes_no_results(app: App) -> None:
    ann = app.user()
    plan = app.plan(ann)
    session = plan.plan.sessions[0]
    assert field_tests.session_tests(app.uow(), user_id=ann.id, session_id=session.id,
                                     clock=app.clock) is None
    with pytest.raises(InvalidInput):
        field_tests.record_field_test(app.uow(), user_id=ann.id, session_id=session.id,
                                      values={"cmj_cm": 30}, clock=app.clock)
    with pytest.raises(NotFound):
        field_tests.record_field_test(app.uow(), user_id=ann.id, session_id="nope",
                                      values={"cmj_cm": 30}, clock=app.clock)


def test_a_coach_may_enter_an_athletes_results_and_a_stranger_may_not(app: App) -> None:
    ann = app.user()
    plan = app.plan(ann, **YOUTH)
    test = next(s for s in plan.plan.sessions if s.id.endswith("w01-field-test"))
    coach = app.user("coach@example.com")
    eve = app.user("eve@example.com")
    app.invite(athlete_id=ann.id, coach_email="coach@example.com")
    app.clock.current = dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC)
    saved = field_tests.record_field_test(app.uow(), user_id=coach.id, athlete_id=ann.id,
                                          session_id=test.id, values={"cmj_cm": 28},
                                          clock=app.clock)
    assert saved is not None
    assert saved.recorded_by == coach.id
    with pytest.raises(NotFound):
        field_tests.record_field_test(app.uow(), user_id=eve.id, athlete_id=ann.id,
                                      session_id=test.id, values={"cmj_cm": 99},
                                      clock=app.clock)
    assert [r.values for r in progress.report_inputs(
        app.uow(), user_id=ann.id, clock=app.clock).field_tests] != []


def test_deleting_the_account_deletes_its_field_tests(app: App) -> None:
    from retrorun.services import accounts
    from tests.services.conftest import PASSWORD

    ann = app.user()
    plan = app.plan(ann, **YOUTH)
    test = next(s for s in plan.plan.sessions if s.id.endswith("w01-field-test"))
    app.clock.current = dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC)
    field_tests.record_field_test(app.uow(), user_id=ann.id, session_id=test.id,
                                  values={"cmj_cm": 28}, clock=app.clock)
    accounts.delete_account(app.uow(), user_id=ann.id, password=PASSWORD, hasher=app.hasher)
    assert app.count("field_tests") == 0


def test_an_athlete_is_found_by_email_or_by_id(app: App) -> None:
    ann = app.user()
    assert progress.athlete_named(app.uow(), who=" ANN@example.com ") == ann.id
    assert progress.athlete_named(app.uow(), who=ann.id) == ann.id
    for who in ("nobody@example.com", "not-an-id", "a@b"):
        with pytest.raises(NotFound):
            progress.athlete_named(app.uow(), who=who)
    with pytest.raises(InvalidInput):
        progress.athlete_named(app.uow(), who="  ")
