"""Plans: preview, create and replace, read the plan and one session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from retrorun.domain.profile import parse_profile
from retrorun.services import coaching, logs, plans
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.records import CoachLimits
from retrorun.services.views import LogInput
from tests.services.conftest import PROFILE

if TYPE_CHECKING:
    from tests.services.conftest import App


def test_preview_generates_a_plan_without_storing_anything(app: App) -> None:
    preview = plans.preview_plan(profile_data=PROFILE, planner=app.planner)
    assert preview.plan.weeks
    assert preview.document["schema"] == "retrorun.plan/1"
    assert app.count("plans") == 0


def test_preview_honours_limits(app: App) -> None:
    preview = plans.preview_plan(profile_data=PROFILE, planner=app.planner,
                                 limits=CoachLimits(max_backward_minutes_per_week=12))
    assert all(week.backward_seconds <= 12 * 60 for week in preview.plan.weeks)


def test_create_plan_stores_profile_and_document_and_reads_back_the_same_plan(app: App) -> None:
    user = app.user()
    created = app.plan(user)
    assert created.version == 1
    assert created.owned
    read = plans.get_plan(app.uow(), user_id=user.id)
    assert read.id == created.id
    assert read.profile == PROFILE
    # The stored document, with the contract's version and changes (a plan never adapted:
    # version 1, no changes).
    assert read.document == {**app.planner.document(
        app.planner.build(parse_profile(PROFILE), CoachLimits())), "version": 1, "changes": []}
    # The typed plan is rebuilt from the stored document: same weeks, sessions, steps.
    assert [s.id for s in read.plan.sessions] == [s.id for s in created.plan.sessions]
    assert {**app.planner.document(read.plan), "version": 1, "changes": []} == read.document


def test_replacing_a_plan_makes_a_new_plan_and_keeps_the_old_one(app: App) -> None:
    user = app.user()
    first = app.plan(user)
    second = app.plan(user, weekly_minutes=150)
    assert second.id != first.id  # a new plan; the old one stays in the history
    assert second.version == 1
    assert second.profile["weekly_minutes"] == 150
    assert app.count("plans") == 2
    assert app.count("plan_versions") == 2
    # Reads are cached per (id, version): the new plan is what is read back.
    read = plans.get_plan(app.uow(), user_id=user.id)
    assert read.document == second.document != first.document
    assert {**app.planner.document(read.plan), "version": 1, "changes": []} == second.document


@pytest.mark.parametrize(("change", "field"), [
    ({"age": 3}, "age"),
    ({"experience": "elite"}, "experience"),
    ({"available_days": []}, "available_days"),
    ({"start_date": "next tuesday"}, "start_date"),
    ({"screen": {"vertigo": "maybe"}}, "screen.vertigo"),
    ({"program": "no-such-program"}, "program"),
    ({"favourite_colour": "red"}, "favourite_colour"),
])
def test_a_bad_profile_names_the_field_and_keeps_the_old_plan(
    app: App, change: dict[str, Any], field: str
) -> None:
    user = app.user()
    old = app.plan(user)
    with pytest.raises(InvalidInput) as caught:
        app.plan(user, **change)
    assert caught.value.field == field
    kept = plans.get_plan(app.uow(), user_id=user.id)
    assert (kept.version, kept.profile) == (old.version, old.profile)


def test_a_missing_field_is_named(app: App) -> None:
    user = app.user()
    profile = {k: v for k, v in PROFILE.items() if k != "goal"}
    with pytest.raises(InvalidInput) as caught:
        plans.create_plan(app.uow(), user_id=user.id, profile_data=profile,
                          planner=app.planner, clock=app.clock)
    assert caught.value.field == "goal"
    assert app.count("plans") == 0


def test_no_plan_yet_is_not_found(app: App) -> None:
    user = app.user()
    with pytest.raises(NotFound):
        plans.get_plan(app.uow(), user_id=user.id)
    with pytest.raises(NotFound):
        plans.get_session(app.uow(), user_id=user.id, session_id="anything")


def test_get_session_finds_the_session_and_its_week(app: App) -> None:
    user = app.user()
    plan = app.plan(user).plan
    week = plan.weeks[1]
    session = week.sessions[0]
    view = plans.get_session(app.uow(), user_id=user.id, session_id=session.id)
    assert view.session == session
    assert (view.week.index, view.week.stage) == (week.index, week.stage)
    assert view.log is None
    assert view.can_log


def test_an_unknown_session_is_not_found(app: App) -> None:
    user = app.user()
    app.plan(user)
    with pytest.raises(NotFound):
        plans.get_session(app.uow(), user_id=user.id, session_id="no-such-session")


def test_create_plan_for_a_deleted_user_is_not_found(app: App) -> None:
    with pytest.raises(NotFound):
        plans.create_plan(app.uow(), user_id="0" * 32, profile_data=PROFILE,
                          planner=app.planner, clock=app.clock)


def test_a_stored_plan_id_names_its_athlete_and_an_unknown_one_is_not_found(app: App) -> None:
    user = app.user()
    created = app.plan(user)
    assert plans.athlete_of_plan(app.uow(), plan_id=created.id) == user.id
    with pytest.raises(NotFound, match="plan 'nope'"):
        plans.athlete_of_plan(app.uow(), plan_id="nope")


def test_plan_state_changes_with_every_write_the_plan_page_shows(app: App) -> None:
    user = app.user()
    assert plans.plan_state(app.uow(), user_id=user.id) is None
    view = app.plan(user)
    seen = [plans.plan_state(app.uow(), user_id=user.id)]
    assert seen[0] is not None
    assert (seen[0].plan_id, seen[0].version, seen[0].log_count) == (view.id, 1, 0)
    assert plans.plan_state(app.uow(), user_id=user.id) == seen[0]  # reading changes nothing
    session = view.plan.sessions[0]
    # The clock stands still: the state must move even when timestamps do not.
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                           entry=LogInput(status="done", forward_minutes=20), clock=app.clock)
    seen.append(plans.plan_state(app.uow(), user_id=user.id))
    logs.edit_log(app.uow(), user_id=user.id, log_id=log.id,
                  entry=LogInput(status="partial", forward_minutes=10), clock=app.clock)
    seen.append(plans.plan_state(app.uow(), user_id=user.id))
    app.plan(user, weekly_minutes=150)
    seen.append(plans.plan_state(app.uow(), user_id=user.id))
    coach = app.user("coach@example.com")
    app.invite(athlete_id=user.id, coach_email=coach.email)
    coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=user.id,
                        max_backward_minutes_per_week=5, pain_threshold=3,
                        planner=app.planner, clock=app.clock)
    seen.append(plans.plan_state(app.uow(), user_id=user.id))
    assert len(set(seen)) == len(seen), seen
    # Another user's state is their own (the coach has no plan).
    assert plans.plan_state(app.uow(), user_id=coach.id) is None
