"""Accounts: sign up, sign in (rate limited), passwords, reset links, deletion.

Signing out is the web layer's business (it forgets the cookie). Reset tokens are stored
only as SHA-256 hashes, expire, and work once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass

from retrorun.services import _validate, throttle
from retrorun.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    Unconfirmed,
)
from retrorun.services.ports import (
    Clock,
    Email,
    Mailer,
    PasswordHasher,
    TokenFactory,
    UnitOfWork,
)
from retrorun.services.records import ResetRecord, UserRecord
from retrorun.services.views import UserView


@dataclass(frozen=True, slots=True)
class AccountPolicy:
    """Numbers bootstrap takes from the settings; the defaults are the documented ones."""

    min_password_length: int = 8  # NIST SP 800-63B minimum for user-chosen secrets
    max_password_length: int = 1024  # hashing megabytes of "password" is a cheap DoS
    reset_token_ttl: dt.timedelta = dt.timedelta(hours=1)
    sign_in_max_failures: int = 5  # per (account, address) within the window [A]
    sign_in_max_failures_per_client: int = 20  # per address, any account, in the window [A]
    sign_in_window: dt.timedelta = dt.timedelta(minutes=15)
    # Resets, sign-ups and password changes; the two sign-in limits come from above.
    other_limits: throttle.Limits = throttle.DEFAULT_LIMITS

    @property
    def limits(self) -> throttle.Limits:
        return dataclasses.replace(
            self.other_limits,
            sign_in_pair=throttle.Limit(self.sign_in_max_failures, self.sign_in_window),
            sign_in_address=throttle.Limit(self.sign_in_max_failures_per_client,
                                           self.sign_in_window))


DEFAULT_POLICY = AccountPolicy()
MAX_TOKEN_LENGTH = 200  # ours are 43 characters; anything far longer is not one of ours


def sign_up(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    hasher: PasswordHasher,
    clock: Clock,
    policy: AccountPolicy = DEFAULT_POLICY,
    client: str = "",
) -> UserView:
    """Create an account; Conflict("email") if the address is taken.

    RateLimited after too many sign-ups from `client` (the caller's address)."""
    address = _validate.email(email)
    secret = _check_password(password, policy)
    limit_sign_ups(uow, client=client, clock=clock, policy=policy)
    password_hash = hasher.hash(secret)  # before the transaction: see `passwords`
    with uow:
        if uow.users.by_email(address) is not None:
            raise Conflict("email", "an account with this email already exists")
        user = uow.users.add(email=address, password_hash=password_hash, at=clock.now())
        uow.commit()
    return UserView.of(user)


def limit_sign_ups(uow: UnitOfWork, *, client: str, clock: Clock,
                   policy: AccountPolicy = DEFAULT_POLICY) -> None:
    """Count a sign-up from `client`; RateLimited after too many (a transaction of its own)."""
    limits = policy.limits
    throttle.spend(uow, throttle.address_checks("signup", client, limits.sign_up_address),
                   clock=clock, horizon=limits.horizon, what="sign-ups")


def authenticate(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    hasher: PasswordHasher,
    clock: Clock,
    client: str = "",
    policy: AccountPolicy = DEFAULT_POLICY,
) -> UserView:
    """Sign in. InvalidCredentials on a wrong pair, RateLimited after too many failures,
    Unconfirmed for the right password of an account whose address is not confirmed.

    `client` is the caller's address. Failures count for the pair (account, client) and,
    more loosely, for the client across accounts (`throttle`): never for the account
    alone, so failures from elsewhere cannot lock the owner out. The password is checked
    with no transaction open (see `passwords`): one short transaction reads the limits
    and the user, another records the outcome.
    """
    address = email.strip().lower() if isinstance(email, str) else ""
    limits = policy.limits
    checks = throttle.sign_in_checks(address, client, limits)
    with uow:  # BEGIN IMMEDIATE on SQLite: the store purges old events as it reads
        throttle.refuse_if_limited(uow, checks, clock.now(), limits.horizon)
        user = uow.users.by_email(address) if address else None
        uow.commit()
    if user is None:
        _spend_hash_time(hasher, password)
    if user is None or not hasher.verify(user.password_hash, password):
        with uow:
            throttle.record(uow, checks, clock.now())
            uow.commit()
        raise InvalidCredentials()
    rehashed = hasher.hash(password) if hasher.needs_rehash(user.password_hash) else None
    with uow:
        uow.sign_ins.clear(checks[0][0])
        current = uow.users.get(user.id) if rehashed else None
        # Only if nobody changed the password while it was being hashed.
        if rehashed and current is not None and current.password_hash == user.password_hash:
            uow.users.set_password(user.id, rehashed, user.credentials_changed_at)
        uow.commit()
    if user.email_verified_at is None:  # nobody proved the address: no sign-in yet
        raise Unconfirmed(user.id, user.email)
    return UserView.of(user)


def get_user(uow: UnitOfWork, *, user_id: str) -> UserView:
    """The signed-in user; NotFound once the account is deleted."""
    with uow.read_only():
        return UserView.of(_user(uow, user_id))


def change_password(
    uow: UnitOfWork,
    *,
    user_id: str,
    current_password: str,
    new_password: str,
    hasher: PasswordHasher,
    clock: Clock,
    policy: AccountPolicy = DEFAULT_POLICY,
    client: str = "",
    keep_session: str | None = None,
) -> UserView:
    """Change the password; InvalidCredentials if the current one is wrong, RateLimited
    after too many attempts from `client`. Hashes with no transaction open. Every session
    of the user but `keep_session` (the browser that changed it) ends."""
    secret = _check_password(new_password, policy, field="new_password")
    limits = policy.limits
    throttle.spend(uow, throttle.address_checks("password", client, limits.password_address),
                   clock=clock, horizon=limits.horizon, what="password changes")
    with uow.read_only():
        user = _user(uow, user_id)
    if not hasher.verify(user.password_hash, current_password):
        raise InvalidCredentials("current_password: the current password is wrong")
    if secret == current_password:
        raise InvalidInput("new_password", SAME_PASSWORD)
    password_hash = hasher.hash(secret)
    with uow:
        if _user(uow, user_id).password_hash != user.password_hash:
            raise Conflict("current_password", "the password was changed meanwhile; "
                           "sign in again")
        now = clock.now()
        uow.users.set_password(user.id, password_hash, now)
        uow.resets.invalidate_for_user(user.id, now)
        uow.sessions.end_all(user.id, now, keep=keep_session)
        uow.commit()
        return UserView.of(_user(uow, user_id))


def request_password_reset(
    uow: UnitOfWork,
    *,
    email: str,
    tokens: TokenFactory,
    mailer: Mailer,
    clock: Clock,
    reset_link: str,
    policy: AccountPolicy = DEFAULT_POLICY,
    client: str = "",
) -> None:
    """Mail a single-use reset link if the account exists; say nothing either way.

    RateLimited after too many requests for the address typed or from `client`, whether
    or not an account has that address.

    `reset_link` is a URL template containing "{token}", e.g.
    "http://127.0.0.1:8000/reset?token={token}". The mail is sent after the commit.
    """
    if "{token}" not in reset_link:
        raise ValueError("reset_link must contain {token}")
    address = _validate.email(email)
    limits = policy.limits
    checks = throttle.reset_checks(address, client, limits)
    # The same work for an unknown address: a token made and hashed, and one transaction
    # that writes (the throttle's events; the link too for an account) and so waits for
    # the same flush to disk. Apart, the unknown address's read-only commit answered
    # 4.5 ms sooner on PostgreSQL (outside audit). The mailer sends in the background.
    token = tokens.new_token()
    token_hash = hash_token(token)
    with uow:
        now = clock.now()
        throttle.refuse_if_limited(uow, checks, now, limits.horizon, "reset requests")
        throttle.record(uow, checks, now)
        user = uow.users.by_email(address)
        if user is not None:
            uow.resets.add(ResetRecord(token_hash, user.id, now,
                                       now + policy.reset_token_ttl, None))
        uow.commit()
    if user is None:
        return
    minutes = int(policy.reset_token_ttl.total_seconds() // 60)
    mailer.send(Email(
        to=user.email,
        subject="Reset your retrorun password",
        body=(
            "Someone asked to reset the password of your retrorun account.\n"
            f"Open this link within {minutes} minutes to choose a new one:\n\n"
            f"{reset_link.replace('{token}', token)}\n\n"
            "If it was not you, ignore this mail; your password stays as it is.\n"
        ),
    ))


DEAD_RESET_LINK = "this reset link has expired or was already used"
SAME_PASSWORD = "choose a password different from the current one"  # noqa: S105


def _live_reset(uow: UnitOfWork, token: object, now: dt.datetime) -> ResetRecord | None:
    """The reset link a token names while it works; a sign-up's confirmation link (which
    carries its own password) is not one."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    reset = uow.resets.get(hash_token(token))
    if (reset is None or reset.password_hash is not None or reset.used_at is not None
            or reset.expires_at <= now):
        return None
    return reset


def reset_token_valid(uow: UnitOfWork, *, token: object, clock: Clock) -> bool:
    """Whether a reset link still works, so its page can say at once when it does not."""
    with uow.read_only():
        return _live_reset(uow, token, clock.now()) is not None


def reset_password(
    uow: UnitOfWork,
    *,
    token: str,
    new_password: str,
    hasher: PasswordHasher,
    clock: Clock,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> UserView:
    """Set a new password with a reset token; InvalidInput("token") if expired or used,
    InvalidInput("new_password") if it is the current password."""
    secret = _check_password(new_password, policy, field="new_password")
    with uow.read_only():
        reset = _live_reset(uow, token, clock.now())
        owner = uow.users.get(reset.user_id) if reset is not None else None
    if owner is None:  # no hashing for a dead link
        raise InvalidInput("token", DEAD_RESET_LINK)
    if hasher.verify(owner.password_hash, secret):  # with no transaction open
        raise InvalidInput("new_password", SAME_PASSWORD)
    password_hash = hasher.hash(secret)
    with uow:
        now = clock.now()
        if _live_reset(uow, token, now) is None:  # used meanwhile by another request
            raise InvalidInput("token", DEAD_RESET_LINK)
        user = _user(uow, owner.id)
        uow.users.set_password(user.id, password_hash, now)
        if user.email_verified_at is None:  # the mailed link proves the address
            uow.users.mark_verified(user.id, now)
        uow.resets.invalidate_for_user(user.id, now)
        uow.sessions.end_all(user.id, now)  # whoever knew the old password is signed out
        uow.commit()
        return UserView.of(_user(uow, user.id))


def delete_account(
    uow: UnitOfWork, *, user_id: str, password: str, hasher: PasswordHasher
) -> None:
    """Delete the account and all its data; the password confirms it is really them."""
    with uow.read_only():
        user = _user(uow, user_id)
    if not hasher.verify(user.password_hash, password):  # no transaction open
        raise InvalidCredentials("password: the password is wrong")
    with uow:
        user = _user(uow, user_id)
        # Invitations *to* this address go too: a later account with the same email
        # must not inherit access to athletes.
        uow.grants.delete_for_coach(user.email)
        uow.users.delete(user.id)
        uow.commit()


def hash_token(token: str) -> str:
    """Tokens are stored hashed, so a database leak does not leak live reset links."""
    return hashlib.sha256(token.encode()).hexdigest()


def _user(uow: UnitOfWork, user_id: str) -> UserRecord:
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound("user")
    return user


def _check_password(value: str, policy: AccountPolicy, field: str = "password") -> str:
    return _validate.password(value, field=field, min_length=policy.min_password_length,
                              max_length=policy.max_password_length)


def _spend_hash_time(hasher: PasswordHasher, password: str) -> None:
    """Hash anyway for an unknown email, so timing does not tell which emails exist."""
    hasher.hash(password if isinstance(password, str) else "")
