"""Nobody reads or changes another user's plan, session, log or coaches.

Every use case that takes an id is called by a stranger with the athlete's ids; each
answers NotFound (so ids leak nothing) and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from retrorun.services import accounts, coaching, logs, plans
from retrorun.services.errors import InvalidCredentials, NotFound
from retrorun.services.views import LogInput
from tests.services.conftest import PASSWORD

if TYPE_CHECKING:
    from tests.services.conftest import App

ENTRY = LogInput(status="skipped")


@pytest.fixture
def world(app: App) -> dict[str, Any]:
    """Ann with a plan, a log and a coach; Mallory, a stranger with her own plan."""
    ann, mallory = app.user("ann@example.com"), app.user("mallory@example.com")
    coach = app.user("coach@example.com")
    plan = app.plan(ann)
    app.plan(mallory)
    session = plan.plan.sessions[0]
    log = logs.log_session(app.uow(), user_id=ann.id, session_id=session.id,
                           entry=LogInput(status="done", forward_minutes=20), clock=app.clock)
    grant = coaching.invite_coach(app.uow(), user_id=ann.id, coach_email="coach@example.com",
                                  clock=app.clock, mailer=app.mailer, link="http://test")
    coaching.respond(app.uow(), user_id=coach.id, grant_id=grant.id, accept=True,
                     clock=app.clock)
    return {"ann": ann.id, "mallory": mallory.id, "session": session.id, "log": log.id,
            "grant": grant.id}


CALLS: dict[str, Callable[[App, dict[str, Any]], object]] = {
    "get_plan": lambda app, w: plans.get_plan(app.uow(), user_id=w["mallory"],
                                              athlete_id=w["ann"]),
    "get_session": lambda app, w: plans.get_session(
        app.uow(), user_id=w["mallory"], session_id=w["session"], athlete_id=w["ann"]),
    "get_log": lambda app, w: logs.get_log(app.uow(), user_id=w["mallory"], log_id=w["log"]),
    "log_history": lambda app, w: logs.log_history(app.uow(), user_id=w["mallory"],
                                                   log_id=w["log"]),
    "edit_log": lambda app, w: logs.edit_log(app.uow(), user_id=w["mallory"], log_id=w["log"],
                                             entry=ENTRY, clock=app.clock),
    "list_logs": lambda app, w: logs.list_logs(app.uow(), user_id=w["mallory"],
                                               athlete_id=w["ann"]),
    "set_limits": lambda app, w: coaching.set_limits(
        app.uow(), user_id=w["mallory"], athlete_id=w["ann"], max_backward_minutes_per_week=5,
        pain_threshold=1, planner=app.planner, clock=app.clock),
    "revoke_coach": lambda app, w: coaching.revoke_coach(
        app.uow(), user_id=w["mallory"], grant_id=w["grant"], planner=app.planner,
        clock=app.clock),
}


def _snapshot(app: App, world: dict[str, Any]) -> tuple[object, ...]:
    return (plans.get_plan(app.uow(), user_id=world["ann"]),
            logs.log_history(app.uow(), user_id=world["ann"], log_id=world["log"]),
            coaching.list_coaches(app.uow(), user_id=world["ann"]))


@pytest.mark.parametrize("call", CALLS)
def test_a_stranger_gets_not_found_and_changes_nothing(
    app: App, world: dict[str, Any], call: str
) -> None:
    before = _snapshot(app, world)
    with pytest.raises(NotFound):
        CALLS[call](app, world)
    assert _snapshot(app, world) == before


def test_a_stranger_logging_the_session_id_logs_nothing_of_anns(
    app: App, world: dict[str, Any]
) -> None:
    """Session ids are deterministic, so Mallory may share one; she only logs her own."""
    mine = plans.get_plan(app.uow(), user_id=world["mallory"]).plan.session(world["session"])
    if mine is None:
        with pytest.raises(NotFound):
            logs.log_session(app.uow(), user_id=world["mallory"], session_id=world["session"],
                             entry=ENTRY, clock=app.clock)
    else:
        log = logs.log_session(app.uow(), user_id=world["mallory"],
                               session_id=world["session"], entry=ENTRY, clock=app.clock)
        assert log.athlete_id == world["mallory"]
    assert len(logs.list_logs(app.uow(), user_id=world["ann"])) == 1


def test_a_stranger_cannot_delete_someone_elses_account(app: App, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidCredentials):  # Mallory does not know Ann's password
        accounts.delete_account(app.uow(), user_id=world["ann"], password="guess",
                                hasher=app.hasher)
    # Ann's password on Mallory's id deletes Mallory's account only if it is hers.
    with pytest.raises(InvalidCredentials):
        accounts.delete_account(app.uow(), user_id=world["mallory"], password="wrong one",
                                hasher=app.hasher)
    assert accounts.get_user(app.uow(), user_id=world["ann"]).id == world["ann"]
    assert PASSWORD


def test_a_coach_only_sees_athletes_who_invited_them(app: App, world: dict[str, Any]) -> None:
    with app.uow() as uow:
        coach = uow.users.by_email("coach@example.com")
    assert coach is not None
    assert [a.athlete_id for a in coaching.list_athletes(app.uow(), user_id=coach.id)] == [
        world["ann"]]
    with pytest.raises(NotFound):
        plans.get_plan(app.uow(), user_id=coach.id, athlete_id=world["mallory"])
    with pytest.raises(NotFound):
        logs.list_logs(app.uow(), user_id=coach.id, athlete_id=world["mallory"])


def test_an_unknown_acting_user_is_not_found(app: App, world: dict[str, Any]) -> None:
    ghost = "f" * 32
    for call in (
        lambda: plans.get_plan(app.uow(), user_id=ghost),
        lambda: logs.list_logs(app.uow(), user_id=ghost),
        lambda: coaching.list_coaches(app.uow(), user_id=ghost),
        lambda: coaching.list_athletes(app.uow(), user_id=ghost),
        lambda: accounts.get_user(app.uow(), user_id=ghost),
    ):
        with pytest.raises(NotFound):
            call()
    assert world
