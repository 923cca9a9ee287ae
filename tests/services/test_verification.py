"""Issue 11 findings 1 and 9 at the service level: sign-up proves the address and tells
nothing about who has an account; an invitation gives access only once a verified
account with that email accepts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrorun.services import accounts, coaching, plans, verification
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

if TYPE_CHECKING:
    from tests.services.conftest import App

KEY = verification.signing_key("a test secret that is long enough to sign with")
LINK = "http://test/verify?token={token}"


def _register(app: App, email: str, password: str = "long enough pw") -> None:  # noqa: S107
    verification.register(app.uow(), email=email, password=password, hasher=app.hasher,
                          clock=app.clock, mailer=app.mailer, key=KEY, verify_link=LINK,
                          signin_link="http://test/signin")


def _verify(app: App, token: str) -> object:
    return verification.verify(app.uow(), token=token, key=KEY, clock=app.clock)


def test_sign_up_mails_a_link_that_verifies_once(app: App) -> None:
    _register(app, "New@Example.com")
    assert [m.to for m in app.mailer.sent] == ["new@example.com"]
    token = app.mailer.last_link_token()
    with app.uow() as uow:
        user = uow.users.by_email("new@example.com")
    assert user is not None
    assert user.email_verified_at is None
    assert verification.check_token(app.uow(), token=token, key=KEY, clock=app.clock)
    view = _verify(app, token)
    assert getattr(view, "email_verified_at", None) == app.clock.now()
    assert not verification.check_token(app.uow(), token=token, key=KEY, clock=app.clock)
    with pytest.raises(InvalidInput) as caught:
        _verify(app, token)
    assert caught.value.field == "token"


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
    accounts.authenticate(app.uow(), email="ann@example.com", password="correct horse battery",
                          hasher=app.hasher, clock=app.clock)
    assert accounts.get_user(app.uow(), user_id=owner.id).email_verified_at is not None


def test_an_unverified_owner_signing_up_again_gets_a_fresh_link(app: App) -> None:
    _register(app, "kim@example.com")
    app.clock.advance(hours=30)  # the first link has expired
    first = app.mailer.last_link_token()
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
@given(token=st.one_of(st.text(max_size=80), st.from_regex(r"[0-9a-f]{32}\.[0-9]{10}\.[\w-]{43}",
                                                           fullmatch=True)))
def test_no_forged_token_verifies(app: App, token: str) -> None:
    assert not verification.check_token(app.uow(), token=token, key=KEY, clock=app.clock)
    with pytest.raises(InvalidInput):
        _verify(app, token)


def test_a_token_signed_with_another_key_or_tampered_fails(app: App) -> None:
    _register(app, "max@example.com")
    token = app.mailer.last_link_token()
    other = verification.signing_key("another secret entirely, also long enough")
    assert not verification.check_token(app.uow(), token=token, key=other, clock=app.clock)
    user_id, stamp, mac = token.split(".")
    later = f"{user_id}.{int(stamp) + 86400}.{mac}"
    assert not verification.check_token(app.uow(), token=later, key=KEY, clock=app.clock)


def test_a_reset_request_does_the_same_work_for_an_unknown_address(app: App) -> None:
    app.user("ann@example.com")
    for email in ("ann@example.com", "nobody@example.com"):
        made = app.tokens.count
        accounts.request_password_reset(app.uow(), email=email, tokens=app.tokens,
                                        mailer=app.mailer, clock=app.clock,
                                        reset_link="http://test/reset?token={token}")
        assert app.tokens.count == made + 1, email
    assert [m.to for m in app.mailer.sent] == ["ann@example.com"]


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
    (invitation,) = coaching.list_invitations(app.uow(), user_id=physio.id)
    assert (invitation.athlete_email, invitation.status) == ("ann@example.com", "invited")
    with pytest.raises(NotFound):
        plans.get_plan(app.uow(), user_id=physio.id, athlete_id=ann.id)
    with pytest.raises(PermissionDenied):
        coaching.respond(app.uow(), user_id=physio.id, grant_id=grant, accept=True,
                         clock=app.clock)
    verification.mark_verified(app.uow(), user_id=physio.id, clock=app.clock)
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
