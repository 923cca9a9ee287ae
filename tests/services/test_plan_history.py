"""Plan versions and the history (issue 10 point 2), through the services, on every store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from retrorun.services import coaching, history, logs, plans
from retrorun.services.errors import Conflict, InvalidInput, NotFound
from retrorun.services.records import VersionKind
from retrorun.services.views import LogInput
from tests.services.conftest import PROFILE

if TYPE_CHECKING:
    from retrorun.domain.model import Session
    from retrorun.services.views import PlanView, UserView
    from tests.services.conftest import App

STARTED: dict[str, Any] = {"start_date": "2026-11-02", "backward_stage": "jog"}
LATER: dict[str, Any] = {"start_date": "2026-11-30", "weekly_minutes": 150}


def _keep(app: App, user: UserView, *, replace: bool = False, **changes: Any) -> PlanView:
    return plans.create_plan(app.uow(), user_id=user.id, profile_data={**PROFILE, **changes},
                             planner=app.planner, clock=app.clock, replace=replace)


def _log(app: App, user: UserView, session: Session, **fields: Any) -> None:
    entry = LogInput(**{"status": "done",
                        "forward_minutes": (session.running_seconds
                                            - session.backward_seconds) / 60,
                        "backward_minutes": session.backward_seconds / 60, "rpe": 3,
                        **fields})
    logs.log_session(app.uow(), user_id=user.id, session_id=session.id, entry=entry,
                     clock=app.clock)


def _first_run(view: PlanView) -> Session:
    return next(s for s in view.plan.sessions if s.running_seconds > 0)


def test_a_new_plan_over_a_kept_one_asks_first_and_changes_nothing(app: App) -> None:
    ann = app.user()
    kept = _keep(app, ann)
    with pytest.raises(Conflict) as caught:
        _keep(app, ann, weekly_minutes=150)
    assert caught.value.field == "plan"
    assert caught.value.message == (
        "you already have a plan; starting a new one keeps the old one in your history "
        "— confirm to replace it")
    now = plans.get_plan(app.uow(), user_id=ann.id)
    assert (now.id, now.version, now.profile) == (kept.id, kept.version, kept.profile)
    assert (app.count("plans"), app.count("plan_versions")) == (1, 1)


def test_a_bad_profile_is_named_before_asking_to_replace(app: App) -> None:
    ann = app.user()
    _keep(app, ann)
    with pytest.raises(InvalidInput) as caught:
        _keep(app, ann, age=3)
    assert caught.value.field == "age"


def test_a_replaced_plans_logs_stay_with_it_in_the_history(app: App) -> None:
    ann = app.user()
    old = _keep(app, ann, **STARTED)
    app.clock.advance(days=3)
    done = _first_run(old)
    assert done.date < app.clock.now().date()
    _log(app, ann, done, rpe=4)
    new = _keep(app, ann, replace=True, **LATER)
    assert new.id != old.id
    assert new.plan_key == old.plan_key  # the calendar keeps its UIDs
    assert new.logs == {}  # the new plan starts clean: the old log is not on its dates

    listed = history.list_versions(app.uow(), ann.id)
    assert listed.owned
    assert [(v.plan_id, v.version, v.kind, v.current) for v in listed.versions] == [
        (new.id, 1, VersionKind.REPLACED, True), (old.id, 1, VersionKind.KEPT, False)]
    assert listed.versions[1].sessions_logged == 1
    assert listed.versions[1].start_date == old.plan.start_date

    version = history.get_version(app.uow(), ann.id, old.id, 1)
    assert version.summary.kind is VersionKind.KEPT
    assert not version.summary.current
    assert [s.id for s in version.plan.sessions] == [s.id for s in old.plan.sessions]
    assert set(version.logs) == {done.id}
    assert version.logs[done.id].rpe == 4
    assert version.other_logs == ()
    assert version.document["version"] == 1
    assert version.document["changes"] == []


def test_every_save_is_a_version_that_stays_readable_as_it_was(app: App) -> None:
    ann, coach = app.user(), app.user("physio@example.com")
    kept = _keep(app, ann, **STARTED)
    app.invite(athlete_id=ann.id, coach_email=coach.email)
    app.clock.advance(days=8)
    coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=ann.id,
                        max_backward_minutes_per_week=4, pain_threshold=None,
                        planner=app.planner, clock=app.clock)
    limited = plans.get_plan(app.uow(), user_id=ann.id)
    assert limited.version == 2
    hurt = next(s for s in limited.plan.sessions
                if s.backward_seconds and s.date < app.clock.now().date())
    _log(app, ann, hurt, pain_during=7, events=["stumble"])
    adapted = plans.get_plan(app.uow(), user_id=ann.id)
    assert adapted.version >= 3

    listed = history.list_versions(app.uow(), ann.id)
    kinds = [v.kind for v in reversed(listed.versions)]
    assert kinds[:2] == [VersionKind.KEPT, VersionKind.LIMITS]
    assert set(kinds[2:]) == {VersionKind.ADAPTED}
    assert [v.version for v in reversed(listed.versions)] == list(
        range(1, adapted.version + 1))
    newest = listed.versions[0]
    assert newest.current
    assert newest.plan_version == adapted.document["version"]
    assert {c["rule"] for c in newest.changes} >= {"pain-above-5"}
    assert all(c["version"] == newest.plan_version for c in newest.changes)
    assert listed.versions[-1].changes == ()  # a kept plan changed nothing yet

    first = history.get_version(app.uow(), ann.id, kept.id, 1)
    assert first.plan == kept.plan  # the first version, not the current one
    assert first.limits.max_backward_minutes_per_week is None
    assert hurt.id in history.get_version(app.uow(), ann.id, kept.id, adapted.version).logs
    second = history.get_version(app.uow(), ann.id, kept.id, 2)
    assert second.limits.max_backward_minutes_per_week == 4
    assert second.plan == limited.plan

    # The invited coach reads the same history; the athlete's own flag is off.
    seen = history.list_versions(app.uow(), coach.id, athlete_id=ann.id)
    assert not seen.owned
    assert [v.version for v in seen.versions] == [v.version for v in listed.versions]
    assert history.get_version(app.uow(), coach.id, kept.id, 1, athlete_id=ann.id).plan \
        == kept.plan


def test_another_users_ids_and_impossible_ids_are_not_found(app: App) -> None:
    ann, bob = app.user(), app.user("bob@example.com")
    mine = _keep(app, ann)
    _keep(app, bob)
    with pytest.raises(NotFound):
        history.get_version(app.uow(), bob.id, mine.id, 1)
    with pytest.raises(NotFound):
        history.get_version(app.uow(), bob.id, mine.id, 1, athlete_id=ann.id)
    with pytest.raises(NotFound):
        history.list_versions(app.uow(), bob.id, athlete_id=ann.id)
    for plan_id, version in ((mine.id, 0), (mine.id, -1), (mine.id, 2), (mine.id, 2**31),
                             (mine.id, 10**20), ("abc", 1), ("x" * 33, 1), ("a\x00b", 1),
                             ("../../etc", 1), ("", 1)):
        with pytest.raises(NotFound):
            history.get_version(app.uow(), ann.id, plan_id, version)
    for athlete in ("abc", "\x00", "x" * 200):
        with pytest.raises(NotFound):
            history.list_versions(app.uow(), ann.id, athlete_id=athlete)


def test_no_plan_is_an_empty_history(app: App) -> None:
    ann = app.user()
    assert history.list_versions(app.uow(), ann.id).versions == ()
    with pytest.raises(NotFound):
        history.list_versions(app.uow(), "0" * 32)
