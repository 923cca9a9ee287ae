"""Accounts: sign up, sign in with a rate limit, passwords, reset links, deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrorun.services import accounts, coaching, logs
from retrorun.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    RateLimited,
)
from retrorun.services.views import LogInput
from tests.services.conftest import PASSWORD

if TYPE_CHECKING:
    from tests.services.conftest import App

LINK = "http://test/reset?token={token}"


def _sign_in(app: App, email: str = "ann@example.com", password: str = PASSWORD,
             client: str = "") -> str:
    return accounts.authenticate(app.uow(), email=email, password=password, hasher=app.hasher,
                                 clock=app.clock, client=client).id


def test_sign_up_stores_a_normalised_email_and_only_a_hash(app: App) -> None:
    user = accounts.sign_up(app.uow(), email="  Ann@Example.COM ", password=PASSWORD,
                            hasher=app.hasher, clock=app.clock)
    assert user.email == "ann@example.com"
    assert user.created_at == app.clock.now()
    with app.uow() as uow:
        record = uow.users.get(user.id)
    assert record is not None
    assert PASSWORD not in record.password_hash


def test_sign_up_twice_with_the_same_email_is_a_conflict(app: App) -> None:
    app.user("ann@example.com")
    with pytest.raises(Conflict) as caught:
        app.user("ANN@example.com")
    assert caught.value.field == "email"
    assert app.count("users") == 1


@pytest.mark.parametrize(("email", "password", "field"), [
    ("", PASSWORD, "email"),
    ("not-an-email", PASSWORD, "email"),
    ("a@b", PASSWORD, "email"),
    ("x" * 250 + "@example.com", PASSWORD, "email"),
    ("ann@example.com", "", "password"),
    ("ann@example.com", "short", "password"),
    ("ann@example.com", "x" * 1025, "password"),
])
def test_bad_sign_up_names_the_field_and_stores_nothing(
    app: App, email: str, password: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        accounts.sign_up(app.uow(), email=email, password=password, hasher=app.hasher,
                         clock=app.clock)
    assert caught.value.field == field
    assert field in str(caught.value)
    assert app.count("users") == 0


def test_authenticate_accepts_the_right_password_in_any_email_case(app: App) -> None:
    user = app.user()
    assert _sign_in(app, email="ANN@example.com") == user.id


@pytest.mark.parametrize(("email", "password"), [
    ("ann@example.com", "wrong password"),
    ("nobody@example.com", PASSWORD),
    ("", ""),
])
def test_authenticate_refuses_a_wrong_pair_without_saying_which_part(
    app: App, email: str, password: str
) -> None:
    app.user()
    with pytest.raises(InvalidCredentials, match="email or password is wrong"):
        _sign_in(app, email=email, password=password)


def test_unknown_email_still_costs_a_hash(app: App) -> None:
    before = app.hasher.hashed
    with pytest.raises(InvalidCredentials):
        _sign_in(app, email="nobody@example.com")
    assert app.hasher.hashed > before


def test_sign_in_is_rate_limited_per_email_then_recovers(app: App) -> None:
    app.user()
    for _ in range(accounts.DEFAULT_POLICY.sign_in_max_failures):
        with pytest.raises(InvalidCredentials):
            _sign_in(app, password="wrong password")
    with pytest.raises(RateLimited) as caught:
        _sign_in(app)  # even the right password is refused now
    assert 0 < caught.value.retry_after_seconds <= 15 * 60 + 1
    app.clock.advance(minutes=15, seconds=1)
    assert _sign_in(app)


def test_a_success_clears_earlier_failures(app: App) -> None:
    app.user()
    for _ in range(accounts.DEFAULT_POLICY.sign_in_max_failures - 1):
        with pytest.raises(InvalidCredentials):
            _sign_in(app, password="wrong password")
    _sign_in(app)
    with pytest.raises(InvalidCredentials):
        _sign_in(app, password="wrong password")
    assert _sign_in(app)


def test_one_client_trying_many_emails_is_rate_limited(app: App) -> None:
    app.user()
    limit = accounts.DEFAULT_POLICY.sign_in_max_failures_per_client
    for n in range(limit):
        with pytest.raises(InvalidCredentials):
            _sign_in(app, email=f"guess{n}@example.com", client="10.0.0.9")
    with pytest.raises(RateLimited):
        _sign_in(app, client="10.0.0.9")
    assert _sign_in(app, client="10.0.0.10")  # another client is not affected


def test_authenticate_upgrades_an_outdated_hash(app: App) -> None:
    user = app.user()
    with app.uow() as uow:
        record = uow.users.get(user.id)
        assert record is not None
        uow.users.set_password(user.id, "old" + record.password_hash,
                               record.credentials_changed_at)
        uow.commit()
    _sign_in(app)
    with app.uow() as uow:
        upgraded = uow.users.get(user.id)
    assert upgraded is not None
    assert not upgraded.password_hash.startswith("old")
    assert upgraded.credentials_changed_at == user.credentials_changed_at


def test_change_password_needs_the_current_one(app: App) -> None:
    user = app.user()
    with pytest.raises(InvalidCredentials, match="current_password"):
        accounts.change_password(app.uow(), user_id=user.id, current_password="nope",
                                 new_password="a new password", hasher=app.hasher,
                                 clock=app.clock)
    with pytest.raises(InvalidInput) as caught:
        accounts.change_password(app.uow(), user_id=user.id, current_password=PASSWORD,
                                 new_password="short", hasher=app.hasher, clock=app.clock)
    assert caught.value.field == "new_password"
    assert _sign_in(app)


def test_change_password_switches_passwords_and_bumps_the_credentials_time(app: App) -> None:
    user = app.user()
    app.clock.advance(hours=1)
    changed = accounts.change_password(app.uow(), user_id=user.id, current_password=PASSWORD,
                                       new_password="a new password", hasher=app.hasher,
                                       clock=app.clock)
    assert changed.credentials_changed_at == app.clock.now() > user.credentials_changed_at
    with pytest.raises(InvalidCredentials):
        _sign_in(app)
    assert _sign_in(app, password="a new password")


def test_reset_link_sets_a_new_password_once(app: App) -> None:
    user = app.user()
    accounts.request_password_reset(app.uow(), email="Ann@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock, reset_link=LINK)
    assert [m.to for m in app.mailer.sent] == ["ann@example.com"]
    token = app.mailer.last_link_token()
    reset = accounts.reset_password(app.uow(), token=token, new_password="brand new secret",
                                    hasher=app.hasher, clock=app.clock)
    assert reset.id == user.id
    assert _sign_in(app, password="brand new secret")
    with pytest.raises(InvalidInput) as caught:
        accounts.reset_password(app.uow(), token=token, new_password="another secret",
                                hasher=app.hasher, clock=app.clock)
    assert caught.value.field == "token"


def test_reset_link_expires(app: App) -> None:
    app.user()
    accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock, reset_link=LINK)
    app.clock.advance(hours=1, seconds=1)
    with pytest.raises(InvalidInput, match="expired"):
        accounts.reset_password(app.uow(), token=app.mailer.last_link_token(),
                                new_password="brand new secret", hasher=app.hasher,
                                clock=app.clock)
    assert _sign_in(app)


def test_a_password_change_voids_open_reset_links(app: App) -> None:
    user = app.user()
    accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock, reset_link=LINK)
    accounts.change_password(app.uow(), user_id=user.id, current_password=PASSWORD,
                             new_password="a new password", hasher=app.hasher, clock=app.clock)
    with pytest.raises(InvalidInput):
        accounts.reset_password(app.uow(), token=app.mailer.last_link_token(),
                                new_password="brand new secret", hasher=app.hasher,
                                clock=app.clock)


def test_reset_for_an_unknown_email_sends_nothing_and_says_nothing(app: App) -> None:
    accounts.request_password_reset(app.uow(), email="nobody@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock, reset_link=LINK)
    assert app.mailer.sent == []
    assert app.count("password_resets") == 0


@pytest.mark.parametrize("token", ["", "token-999", "x" * 500])
def test_made_up_reset_tokens_are_refused(app: App, token: str) -> None:
    app.user()
    with pytest.raises(InvalidInput) as caught:
        accounts.reset_password(app.uow(), token=token, new_password="brand new secret",
                                hasher=app.hasher, clock=app.clock)
    assert caught.value.field == "token"


def test_reset_tokens_are_stored_hashed(app: App) -> None:
    app.user()
    accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock, reset_link=LINK)
    token = app.mailer.last_link_token()
    with app.uow() as uow:
        assert uow.resets.get(token) is None
        assert uow.resets.get(accounts.hash_token(token)) is not None


def test_delete_account_needs_the_password(app: App) -> None:
    user = app.user()
    with pytest.raises(InvalidCredentials):
        accounts.delete_account(app.uow(), user_id=user.id, password="nope", hasher=app.hasher)
    assert app.count("users") == 1


def test_delete_account_removes_all_its_data_and_nobody_elses(app: App) -> None:
    ann, bob = app.user("ann@example.com"), app.user("bob@example.com")
    for user in (ann, bob):
        view = app.plan(user)
        session = view.plan.sessions[0]
        log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                               entry=LogInput(status="done", forward_minutes=20), clock=app.clock)
        logs.edit_log(app.uow(), user_id=user.id, log_id=log.id,
                      entry=LogInput(status="done", forward_minutes=25), clock=app.clock)
        accounts.request_password_reset(app.uow(), email=user.email, tokens=app.tokens,
                                        mailer=app.mailer, clock=app.clock, reset_link=LINK)
    coaching.invite_coach(app.uow(), user_id=ann.id, coach_email="coach@example.com",
                          clock=app.clock, mailer=app.mailer, link="http://test")
    coaching.invite_coach(app.uow(), user_id=bob.id, coach_email="ann@example.com",
                          clock=app.clock, mailer=app.mailer, link="http://test")

    accounts.delete_account(app.uow(), user_id=ann.id, password=PASSWORD, hasher=app.hasher)

    with pytest.raises(NotFound):
        accounts.get_user(app.uow(), user_id=ann.id)
    assert {t: app.count(t) for t in
            ("users", "plans", "session_logs", "log_revisions", "password_resets",
             "coach_grants")} == {"users": 1, "plans": 1, "session_logs": 1,
                                  "log_revisions": 2, "password_resets": 1, "coach_grants": 0}
    # A new account with Ann's address inherits nothing, not even Bob's invitation.
    again = app.user("ann@example.com")
    assert coaching.list_athletes(app.uow(), user_id=again.id) == ()
