"""Sign-up that proves the address, and says nothing about who already has an account.

`register` answers the same for a new and a taken address (the web shows one "check
your mail" page): a new address gets an account, not yet verified, and a verification
link; the owner of a taken address gets a mail saying someone tried to sign up with it
(or, while their own address is still unverified, a fresh verification link). The
password is hashed in both cases, outside the transaction, so timing tells nothing.

The link carries a signed token (HMAC-SHA256 under a key derived from the app secret)
naming the account, the address and an expiry: nothing is stored, and a token for an
address that changed owner (account deleted, new sign-up) does not verify the new one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from retrorun.services import _validate
from retrorun.services.accounts import DEFAULT_POLICY, AccountPolicy
from retrorun.services.errors import Conflict, InvalidInput, NotFound
from retrorun.services.ports import Clock, Email, Mailer, PasswordHasher, UnitOfWork
from retrorun.services.records import UserRecord
from retrorun.services.views import UserView

# [A] A day to open the mail; a later sign-up with the same address sends a fresh link.
VERIFY_TOKEN_TTL = dt.timedelta(hours=24)
_PURPOSE = b"retrorun email verification v1"
INVALID_LINK = "this verification link is no longer valid"


def signing_key(secret: str) -> bytes:
    """A key for verification tokens only, so they cannot be confused with the cookie's."""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def make_token(key: bytes, user: UserRecord, expires: dt.datetime) -> str:
    stamp = str(int(expires.timestamp()))
    return f"{user.id}.{stamp}.{_mac(key, user.id, user.email, stamp)}"


def _mac(key: bytes, user_id: str, email: str, stamp: str) -> str:
    digest = hmac.new(key, f"{user_id}|{email}|{stamp}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _token_user(uow: UnitOfWork, key: bytes, token: object, now: dt.datetime
                ) -> UserRecord | None:
    """The account a genuine, unexpired token names, or None (garbage, expired, stale)."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    user_id, _, rest = token.partition(".")
    stamp, _, mac = rest.partition(".")
    if not (user_id and stamp.isdigit() and mac):
        return None
    if int(stamp) <= int(now.timestamp()):
        return None
    user = uow.users.get(user_id)
    if user is None or not hmac.compare_digest(mac, _mac(key, user.id, user.email, stamp)):
        return None
    return user


def register(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    hasher: PasswordHasher,
    clock: Clock,
    mailer: Mailer,
    key: bytes,
    verify_link: str,
    signin_link: str,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> None:
    """Sign up without telling whether the address has an account (see the module).

    `verify_link` contains "{token}". InvalidInput names the field for a malformed email
    or a password outside the policy; those answers do not depend on the address's owner.
    """
    if "{token}" not in verify_link:
        raise ValueError("verify_link must contain {token}")
    address = _validate.email(email)
    secret = _validate.password(password, field="password",
                                min_length=policy.min_password_length,
                                max_length=policy.max_password_length)
    password_hash = hasher.hash(secret)  # always, and before the write lock is taken
    now = clock.now()
    with uow:
        user = uow.users.by_email(address)
        if user is None:
            try:
                user = uow.users.add(email=address, password_hash=password_hash, at=now)
                uow.commit()
            except Conflict:  # signed up at the same moment by another request
                user = None
    if user is None:
        with uow.read_only():
            user = uow.users.by_email(address)
        if user is None:  # deleted in between: nothing to tell anyone
            return
    if user.email_verified_at is None:
        mailer.send(_verification_mail(user, key, now, verify_link))
    else:
        mailer.send(Email(
            to=user.email,
            subject="Someone tried to sign up to retrorun with your address",
            body=(
                "Someone tried to create a retrorun account with this email address, which "
                "already has one.\nIf it was you, sign in (or reset your password from "
                f"the sign-in page): {signin_link}\n\nIf it was not you, ignore this mail; "
                "your account is unchanged.\n"
            ),
        ))


def _verification_mail(user: UserRecord, key: bytes, now: dt.datetime, link: str) -> Email:
    token = make_token(key, user, now + VERIFY_TOKEN_TTL)
    hours = int(VERIFY_TOKEN_TTL.total_seconds() // 3600)
    return Email(
        to=user.email,
        subject="Confirm your retrorun email address",
        body=(
            "Someone created a retrorun account with this email address.\n"
            f"Open this link within {hours} hours to confirm it is yours:\n\n"
            f"{link.replace('{token}', token)}\n\n"
            "If it was not you, ignore this mail; the account stays unconfirmed.\n"
        ),
    )


def resend(uow: UnitOfWork, *, user_id: str, clock: Clock, mailer: Mailer, key: bytes,
           verify_link: str) -> bool:
    """Mail the signed-in user a fresh link; False if the address is verified already."""
    with uow.read_only():
        user = uow.users.get(user_id)
    if user is None:
        raise NotFound("user")
    if user.email_verified_at is not None:
        return False
    mailer.send(_verification_mail(user, key, clock.now(), verify_link))
    return True


def check_token(uow: UnitOfWork, *, token: object, key: bytes, clock: Clock) -> bool:
    """Whether the link can still verify an address (the confirm page shows its button)."""
    with uow.read_only():
        user = _token_user(uow, key, token, clock.now())
        return user is not None and user.email_verified_at is None


def verify(uow: UnitOfWork, *, token: object, key: bytes, clock: Clock) -> UserView:
    """Mark the address verified; InvalidInput("token") if the link is no longer valid."""
    with uow:
        now = clock.now()
        user = _token_user(uow, key, token, now)
        if user is None or user.email_verified_at is not None:
            raise InvalidInput("token", INVALID_LINK)
        uow.users.mark_verified(user.id, now)
        uow.commit()
        updated = uow.users.get(user.id)
        assert updated is not None  # noqa: S101  (read in the same transaction)
        return UserView.of(updated)


def mark_verified(uow: UnitOfWork, *, user_id: str, clock: Clock) -> None:
    """For accounts an operator makes (demo seeding, the CLI): the address is trusted."""
    with uow:
        uow.users.mark_verified(user_id, clock.now())
        uow.commit()
