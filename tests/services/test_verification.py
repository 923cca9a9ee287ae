"""Issue 11 findings 1 and 9 at the service level: sign-up proves the address and tells
nothing about who has an account; an invitation gives access only once a verified
account with that email accepts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrorun.services import accounts, coaching, plans, verification
from retrorun.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unconfirmed,
)

if TYPE_CHECKING:
    from retrorun.services.views import UserView
    from tests.services.conftest import App

LINK = "http://test/verify?token={token}"
SQUATTER_PASSWORD = "the squatter's own"
OWNER_PASSWORD = "the physio's real one"


def _register(app: App, email: str, password: str = "long enough pw") -> None:  # noqa: S107
    verification.register(app.uow(), email=email, password=password, hasher=app.hasher,
                          clock=app.clock, mailer=app.mailer, tokens=app.tokens,
                          verify_link=LINK, signin_link="http://test/signin")


def _verify(app: App, token: str) -> UserView:
    return verification.verify(app.uow(), token=token, clock=app.clock)


def _sign_in(app: App, email: str, password: str) -> UserView:
    return accounts.authenticate(app.uow(), email=email, password=password,
                                 hasher=app.hasher, clock=app.clock)


def test_sign_up_mails_a_link_that_verifies_once(app: App) -> None:
    _register(app, "New@Example.com")
    assert [m.to for m in app.mailer.sent] == ["new@example.com"]
    token = app.mailer.last_link_token()
    with app.uow() as uow:
        user = uow.users.by_email("new@example.com")
    assert user is not None
    assert user.email_verified_at is None
    assert verification.check_token(app.uow(), token=token, clock=app.clock)
    view = _verify(app, token)
    assert view.email_verified_at == app.clock.now()
    assert not verification.check_token(app.uow(), token=token, clock=app.clock)
    with pytest.raises(InvalidInput) as caught:
        _verify(app, token)
    assert caught.value.field == "token"


def test_an_unconfirmed_account_cannot_sign_in(app: App) -> None:
    _register(app, "kim@example.com", "kim's password")
    with pytest.raises(Unconfirmed) as caught:
        _sign_in(app, "kim@example.com", "kim's password")
    assert caught.value.email == "kim@example.com"
    with pytest.raises(InvalidCredentials):  # a wrong password says only that
        _sign_in(app, "kim@example.com", "not kim's password")
    _verify(app, app.mailer.last_link_token())
    assert _sign_in(app, "kim@example.com", "kim's password").email == "kim@example.com"


def test_a_squatter_cannot_take_over_the_owners_sign_up(app: App) -> None:
    """Outside audit: the attacker signs up first with the coach's address and waits; the
    coach's own sign-up mailed a link that confirmed the attacker's account, with the
    attacker's password. Now the coach's link sets the coach's password."""
    ann = app.user()
    app.plan(ann)
    grant = coaching.invite_coach(app.uow(), user_id=ann.id, coach_email="physio@clinic.test",
                                  clock=app.clock, mailer=app.mailer, link="http://test/inv")
    _register(app, "physio@clinic.test", SQUATTER_PASSWORD)
    squatter_link = app.mailer.last_link_token()  # goes to the physio's mailbox anyway
    app.clock.advance(minutes=5)
    _register(app, "physio@clinic.test", OWNER_PASSWORD)
    physio = _verify(app, app.mailer.last_link_token())
    with pytest.raises(InvalidCredentials):
        _sign_in(app, "physio@clinic.test", SQUATTER_PASSWORD)
    assert _sign_in(app, "physio@clinic.test", OWNER_PASSWORD).id == physio.id
    with pytest.raises(InvalidInput):  # every other link of the account ended
        _verify(app, squatter_link)
    coaching.respond(app.uow(), user_id=physio.id, grant_id=grant.id, accept=True,
                     clock=app.clock)
    with pytest.raises(InvalidCredentials):
        _sign_in(app, "physio@clinic.test", SQUATTER_PASSWORD)


def test_each_link_sets_the_password_of_its_own_sign_up(app: App) -> None:
    _register(app, "kim@example.com", "first password")
    first = app.mailer.last_link_token()
    _register(app, "kim@example.com", "second password")
    assert app.count("users") == 1
    _verify(app, first)  # the older link, followed: its own password
    assert _sign_in(app, "kim@example.com", "first password")
    with pytest.raises(InvalidCredentials):
        _sign_in(app, "kim@example.com", "second password")


def test_a_taken_address_gets_a_mail_and_nothing_changes(app: App) -> None:
    owner = app.user("ann@example.com")
    before = app.count("users")
    hashed = app.hasher.hashed
    _register(app, "ann@example.com", "another password")
    assert app.count("users") == before
    assert app.hasher.hashed == hashed + 1  # the same work as a new sign-up
    (mail,) = app.mailer.sent
    assert mail.to == "ann@example.com"
    assert "already has one" in mail.body
    assert "token=" not in mail.body
    # the password typed by whoever tried is not the account's now
    _sign_in(app, "ann@example.com", "correct horse battery")
    assert accounts.get_user(app.uow(), user_id=owner.id).email_verified_at is not None


def test_sign_ups_mail_one_address_only_a_few_times_an_hour(app: App) -> None:
    for _ in range(verification.SIGN_UP_MAILS.events + 3):
        _register(app, "victim@example.com")
    assert len(app.mailer.sent) == verification.SIGN_UP_MAILS.events
    app.clock.advance(hours=1, minutes=1)
    _register(app, "victim@example.com")
    assert len(app.mailer.sent) == verification.SIGN_UP_MAILS.events + 1


def test_an_expired_link_fails_and_a_new_sign_up_mails_a_fresh_one(app: App) -> None:
    _register(app, "kim@example.com")
    app.clock.advance(hours=30)  # the first link has expired
    first = app.mailer.last_link_token()
    assert not verification.check_token(app.uow(), token=first, clock=app.clock)
    _register(app, "kim@example.com")
    assert app.count("users") == 1
    with pytest.raises(InvalidInput):
        _verify(app, first)
    _verify(app, app.mailer.last_link_token())


def test_a_link_of_a_deleted_account_does_not_verify_a_new_one(app: App) -> None:
    _register(app, "lee@example.com")
    old = app.mailer.last_link_token()
    with app.uow() as uow:
        user = uow.users.by_email("lee@example.com")
    assert user is not None
    accounts.delete_account(app.uow(), user_id=user.id, password="long enough pw",
                            hasher=app.hasher)
    _register(app, "lee@example.com")
    with pytest.raises(InvalidInput):
        _verify(app, old)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.one_of(st.text(max_size=300), st.from_regex(r"token-[0-9]{1,3}",
                                                            fullmatch=True)))
def test_no_forged_token_verifies(app: App, token: str) -> None:
    assert not verification.check_token(app.uow(), token=token, clock=app.clock)
    with pytest.raises(InvalidInput):
        _verify(app, token)


def test_reset_and_confirmation_links_do_not_stand_in_for_each_other(app: App) -> None:
    app.user("ann@example.com")
    accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock,
                                    reset_link="http://test/reset?token={token}")
    reset = app.mailer.last_link_token()
    assert not verification.check_token(app.uow(), token=reset, clock=app.clock)
    _register(app, "kim@example.com")
    confirm = app.mailer.last_link_token()
    assert not accounts.reset_token_valid(app.uow(), token=confirm, clock=app.clock)
    assert accounts.reset_token_valid(app.uow(), token=reset, clock=app.clock)


def test_a_reset_request_does_the_same_work_for_an_unknown_address(app: App) -> None:
    app.user("ann@example.com")
    for email in ("ann@example.com", "nobody@example.com"):
        made = app.tokens.count
        accounts.request_password_reset(app.uow(), email=email, tokens=app.tokens,
                                        mailer=app.mailer, clock=app.clock,
                                        reset_link="http://test/reset?token={token}")
        assert app.tokens.count == made + 1, email
    assert [m.to for m in app.mailer.sent] == ["ann@example.com"]


def test_a_reset_to_the_current_password_is_refused(app: App) -> None:
    app.user("ann@example.com")
    accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock,
                                    reset_link="http://test/reset?token={token}")
    token = app.mailer.last_link_token()
    with pytest.raises(InvalidInput) as caught:
        accounts.reset_password(app.uow(), token=token, new_password="correct horse battery",
                                hasher=app.hasher, clock=app.clock)
    assert caught.value.field == "new_password"
    assert accounts.reset_token_valid(app.uow(), token=token, clock=app.clock)  # still usable
    accounts.reset_password(app.uow(), token=token, new_password="a brand new one",
                            hasher=app.hasher, clock=app.clock)
    assert _sign_in(app, "ann@example.com", "a brand new one")


def test_changing_the_password_to_the_same_one_is_refused(app: App) -> None:
    ann = app.user()
    with pytest.raises(InvalidInput) as caught:
        accounts.change_password(app.uow(), user_id=ann.id,
                                 current_password="correct horse battery",
                                 new_password="correct horse battery", hasher=app.hasher,
                                 clock=app.clock)
    assert caught.value.field == "new_password"


def _invite(app: App, athlete_id: str, email: str) -> str:
    return coaching.invite_coach(app.uow(), user_id=athlete_id, coach_email=email,
                                 clock=app.clock, mailer=app.mailer,
                                 link="http://test/invitations").id


def test_an_invitation_gives_access_only_once_a_verified_coach_accepts(app: App) -> None:
    ann = app.user()
    app.plan(ann)
    grant = _invite(app, ann.id, "physio@clinic.test")
    physio = app.user("physio@clinic.test", verified=False)
    # an unconfirmed account is not told who invited its address
    assert coaching.list_invitations(app.uow(), user_id=physio.id) == ()
    with pytest.raises(NotFound):
        plans.get_plan(app.uow(), user_id=physio.id, athlete_id=ann.id)
    with pytest.raises(PermissionDenied):
        coaching.respond(app.uow(), user_id=physio.id, grant_id=grant, accept=True,
                         clock=app.clock)
    verification.mark_verified(app.uow(), user_id=physio.id, clock=app.clock)
    (invitation,) = coaching.list_invitations(app.uow(), user_id=physio.id)
    assert (invitation.athlete_email, invitation.status) == ("ann@example.com", "invited")
    with pytest.raises(NotFound):  # verified, but not accepted yet
        plans.get_plan(app.uow(), user_id=physio.id, athlete_id=ann.id)
    assert coaching.list_athletes(app.uow(), user_id=physio.id) == ()
    coaching.respond(app.uow(), user_id=physio.id, grant_id=grant, accept=True,
                     clock=app.clock)
    assert plans.get_plan(app.uow(), user_id=physio.id, athlete_id=ann.id) is not None
    (coach,) = coaching.list_coaches(app.uow(), user_id=ann.id)
    assert (coach.status, coach.responded_at) == ("active", app.clock.now())
    with pytest.raises(Conflict):
        coaching.respond(app.uow(), user_id=physio.id, grant_id=grant, accept=False,
                         clock=app.clock)


def test_a_declined_invitation_gives_nothing_and_can_still_be_accepted(app: App) -> None:
    ann, coach = app.user(), app.user("coach@example.com")
    grant = _invite(app, ann.id, coach.email)
    coaching.respond(app.uow(), user_id=coach.id, grant_id=grant, accept=False,
                     clock=app.clock)
    assert [c.status for c in coaching.list_coaches(app.uow(), user_id=ann.id)] == ["declined"]
    with pytest.raises(NotFound):
        coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=ann.id,
                            max_backward_minutes_per_week=5, pain_threshold=None,
                            planner=app.planner, clock=app.clock)
    app.clock.advance(days=1)
    coaching.respond(app.uow(), user_id=coach.id, grant_id=grant, accept=True,
                     clock=app.clock)
    assert [c.status for c in coaching.list_coaches(app.uow(), user_id=ann.id)] == ["active"]


def test_only_the_invited_address_can_answer(app: App) -> None:
    ann, eve = app.user(), app.user("eve@example.com")
    grant = _invite(app, ann.id, "coach@example.com")
    with pytest.raises(NotFound):
        coaching.respond(app.uow(), user_id=eve.id, grant_id=grant, accept=True,
                         clock=app.clock)
    assert coaching.list_invitations(app.uow(), user_id=eve.id) == ()
