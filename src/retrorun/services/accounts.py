"""Accounts: sign up, sign in (rate limited), passwords, reset links, deletion.

Signing out is the web layer's business (it forgets the cookie). Reset tokens are stored
only as SHA-256 hashes, expire, and work once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from retrorun.services import _validate
from retrorun.services.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    RateLimited,
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
    sign_in_max_failures: int = 5  # per email within the window
    sign_in_max_failures_per_client: int = 20  # per client address within the window
    sign_in_window: dt.timedelta = dt.timedelta(minutes=15)


DEFAULT_POLICY = AccountPolicy()


def sign_up(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    hasher: PasswordHasher,
    clock: Clock,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> UserView:
    """Create an account; Conflict("email") if the address is taken."""
    address = _validate.email(email)
    secret = _check_password(password, policy)
    with uow:
        if uow.users.by_email(address) is not None:
            raise Conflict("email", "an account with this email already exists")
        user = uow.users.add(email=address, password_hash=hasher.hash(secret), at=clock.now())
        uow.commit()
    return UserView.of(user)


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
    """Sign in. InvalidCredentials on a wrong pair, RateLimited after too many failures.

    `client` is the caller's address (or any key the shell chooses) for a second,
    looser limit that stops one client trying many emails. Pass a fresh unit of work:
    a failure is committed before the error is raised.
    """
    address = email.strip().lower() if isinstance(email, str) else ""
    keys = [(f"email:{address}", policy.sign_in_max_failures)]
    if client:
        keys.append((f"client:{client}", policy.sign_in_max_failures_per_client))
    with uow:
        now = clock.now()
        _refuse_if_limited(uow, keys, now, policy.sign_in_window)
        user = uow.users.by_email(address) if address else None
        if user is None or not hasher.verify(user.password_hash, password):
            if user is None:
                _spend_hash_time(hasher, password)
            for key, _ in keys:
                uow.sign_ins.add_failure(key, now)
            uow.commit()
            raise InvalidCredentials()
        uow.sign_ins.clear(keys[0][0])
        if hasher.needs_rehash(user.password_hash):
            uow.users.set_password(user.id, hasher.hash(password), user.credentials_changed_at)
        uow.commit()
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
) -> UserView:
    """Change the password; InvalidCredentials if the current one is wrong."""
    secret = _check_password(new_password, policy, field="new_password")
    with uow:
        user = _user(uow, user_id)
        if not hasher.verify(user.password_hash, current_password):
            raise InvalidCredentials("current_password: the current password is wrong")
        now = clock.now()
        uow.users.set_password(user.id, hasher.hash(secret), now)
        uow.resets.invalidate_for_user(user.id, now)
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
) -> None:
    """Mail a single-use reset link if the account exists; say nothing either way.

    `reset_link` is a URL template containing "{token}", e.g.
    "http://127.0.0.1:8000/reset?token={token}". The mail is sent after the commit.
    """
    if "{token}" not in reset_link:
        raise ValueError("reset_link must contain {token}")
    address = _validate.email(email)
    with uow:
        user = uow.users.by_email(address)
        if user is None:
            return
        token = tokens.new_token()
        now = clock.now()
        uow.resets.add(ResetRecord(hash_token(token), user.id, now,
                                   now + policy.reset_token_ttl, None))
        uow.commit()
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


def reset_password(
    uow: UnitOfWork,
    *,
    token: str,
    new_password: str,
    hasher: PasswordHasher,
    clock: Clock,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> UserView:
    """Set a new password with a reset token; InvalidInput("token") if expired or used."""
    secret = _check_password(new_password, policy, field="new_password")
    with uow:
        now = clock.now()
        reset = uow.resets.get(hash_token(token)) if token else None
        if reset is None or reset.used_at is not None or reset.expires_at <= now:
            raise InvalidInput("token", "this reset link has expired or was already used")
        user = _user(uow, reset.user_id)
        uow.users.set_password(user.id, hasher.hash(secret), now)
        uow.resets.invalidate_for_user(user.id, now)
        uow.sign_ins.clear(f"email:{user.email}")
        uow.commit()
        return UserView.of(_user(uow, user.id))


def delete_account(
    uow: UnitOfWork, *, user_id: str, password: str, hasher: PasswordHasher
) -> None:
    """Delete the account and all its data; the password confirms it is really them."""
    with uow:
        user = _user(uow, user_id)
        if not hasher.verify(user.password_hash, password):
            raise InvalidCredentials("password: the password is wrong")
        # Invitations *to* this address go too: a later account with the same email
        # must not inherit access to athletes.
        uow.grants.delete_for_coach(user.email)
        uow.sign_ins.clear(f"email:{user.email}")
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


def _refuse_if_limited(
    uow: UnitOfWork, keys: list[tuple[str, int]], now: dt.datetime, window: dt.timedelta
) -> None:
    for key, limit in keys:
        failures = uow.sign_ins.failures_since(key, now - window)
        if len(failures) >= limit:
            # The window slides: the oldest counted failure leaves it first.
            retry = min(failures) + window - now
            raise RateLimited(max(1, int(retry.total_seconds()) + 1))


def _spend_hash_time(hasher: PasswordHasher, password: str) -> None:
    """Hash anyway for an unknown email, so timing does not tell which emails exist."""
    hasher.hash(password if isinstance(password, str) else "")
