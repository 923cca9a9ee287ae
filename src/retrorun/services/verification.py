"""Sign-up that proves the address, and says nothing about who already has an account.

`register` answers the same for a new and a taken address (the web shows one "check
your mail" page): a new address gets an account, not yet confirmed, and a confirmation
link; the owner of a confirmed address gets a mail saying someone tried to sign up with
it. The password is hashed in every case, outside the transaction, and every case
writes in one transaction, so timing tells little.

A confirmation link is stored like a reset link (only its SHA-256), single use, and
carries the hash of the password typed at the sign-up that mailed it: following it sets
that password. So when someone signs up first with another person's address and waits,
the owner's own sign-up mails the owner a link that sets the *owner's* password, and the
squatter's password stops working (issue 11, the pre-registration takeover). An account
whose address is not confirmed cannot sign in (`accounts.authenticate`).
"""

from __future__ import annotations

import datetime as dt

from retrorun.services import _validate, throttle
from retrorun.services.accounts import (
    DEFAULT_POLICY,
    MAX_TOKEN_LENGTH,
    AccountPolicy,
    hash_token,
)
from retrorun.services.errors import Conflict, InvalidInput, NotFound
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

# [A] A day to open the mail; a later sign-up with the same address sends a fresh link.
VERIFY_TOKEN_TTL = dt.timedelta(hours=24)
# [A] Mails one address receives from sign-ups (links, "someone tried" notices) an hour:
# enough for a person who lost the first mail, too few to make us a way to spam someone.
SIGN_UP_MAILS = throttle.Limit(5, dt.timedelta(hours=1))
INVALID_LINK = "this confirmation link is no longer valid"


def register(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    hasher: PasswordHasher,
    clock: Clock,
    mailer: Mailer,
    tokens: TokenFactory,
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
    token = tokens.new_token()
    try:
        user, may_mail = _record_sign_up(uow, address, password_hash, token, clock, policy)
    except Conflict:  # the same address signed up at the same moment by another request
        user, may_mail = _record_sign_up(uow, address, password_hash, token, clock, policy)
    if not may_mail:
        return
    if user.email_verified_at is None:
        mailer.send(_confirmation_mail(user.email, token, verify_link))
    else:
        mailer.send(_someone_tried_mail(user.email, signin_link))


def _record_sign_up(uow: UnitOfWork, address: str, password_hash: str, token: str,
                    clock: Clock, policy: AccountPolicy) -> tuple[UserRecord, bool]:
    """One transaction: count the mail, create the account if new, store the link."""
    check = (f"signup-mail:{address}", SIGN_UP_MAILS)
    with uow:
        now = clock.now()
        may_mail = _allows(uow, check, now, policy.limits.horizon)
        throttle.record(uow, [check], now)
        user = uow.users.by_email(address)
        if user is None:
            user = uow.users.add(email=address, password_hash=password_hash, at=now)
        if may_mail and user.email_verified_at is None:
            uow.resets.add(ResetRecord(hash_token(token), user.id, now, now + VERIFY_TOKEN_TTL,
                                       None, password_hash))
        uow.commit()
    return user, may_mail


def _allows(uow: UnitOfWork, check: throttle.Check, now: dt.datetime,
            horizon: dt.timedelta) -> bool:
    try:
        throttle.refuse_if_limited(uow, [check], now, horizon)
    except throttle.Throttled:
        return False
    return True


def _confirmation_mail(address: str, token: str, link: str) -> Email:
    hours = int(VERIFY_TOKEN_TTL.total_seconds() // 3600)
    return Email(
        to=address,
        subject="Confirm your retrorun email address",
        body=(
            "Someone signed up to retrorun with this email address.\n"
            f"If it was you, open this link within {hours} hours to confirm it; it also "
            "sets the password typed at that sign-up:\n\n"
            f"{link.replace('{token}', token)}\n\n"
            "If it was not you, ignore this mail; nothing happens without the link.\n"
        ),
    )


def _someone_tried_mail(address: str, signin_link: str) -> Email:
    return Email(
        to=address,
        subject="Someone tried to sign up to retrorun with your address",
        body=(
            "Someone tried to create a retrorun account with this email address, which "
            "already has one.\nIf it was you, sign in (or reset your password from "
            f"the sign-in page): {signin_link}\n\nIf it was not you, ignore this mail; "
            "your account is unchanged.\n"
        ),
    )


def resend(uow: UnitOfWork, *, user_id: str, clock: Clock, mailer: Mailer,
           tokens: TokenFactory, verify_link: str,
           policy: AccountPolicy = DEFAULT_POLICY) -> bool:
    """Mail a fresh link to an unconfirmed account whose password was just given at
    sign-in; the link keeps that (current) password. False when nothing was sent: the
    address is confirmed already, or had its share of mails this hour."""
    token = tokens.new_token()
    with uow:
        user = uow.users.get(user_id)
        if user is None:
            raise NotFound("user")
        now = clock.now()
        check = (f"signup-mail:{user.email}", SIGN_UP_MAILS)
        if user.email_verified_at is not None or not _allows(uow, check, now,
                                                             policy.limits.horizon):
            return False
        throttle.record(uow, [check], now)
        uow.resets.add(ResetRecord(hash_token(token), user.id, now, now + VERIFY_TOKEN_TTL,
                                   None, user.password_hash))
        uow.commit()
    mailer.send(_confirmation_mail(user.email, token, verify_link))
    return True


def _live_confirmation(uow: UnitOfWork, token: object, now: dt.datetime
                       ) -> ResetRecord | None:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = uow.resets.get(hash_token(token))
    if (link is None or link.password_hash is None or link.used_at is not None
            or link.expires_at <= now):
        return None
    return link


def check_token(uow: UnitOfWork, *, token: object, clock: Clock) -> bool:
    """Whether the link can still confirm an address (the confirm page shows its button)."""
    with uow.read_only():
        return _live_confirmation(uow, token, clock.now()) is not None


def verify(uow: UnitOfWork, *, token: object, clock: Clock) -> UserView:
    """Confirm the address and set the password of the sign-up that mailed the link;
    every other link and session of the account ends. InvalidInput("token") if the link
    is no longer valid."""
    with uow:
        now = clock.now()
        link = _live_confirmation(uow, token, now)
        user = uow.users.get(link.user_id) if link is not None else None
        if link is None or link.password_hash is None or user is None:
            raise InvalidInput("token", INVALID_LINK)
        uow.users.set_password(user.id, link.password_hash, now)
        if user.email_verified_at is None:
            uow.users.mark_verified(user.id, now)
        uow.resets.invalidate_for_user(user.id, now)
        uow.sessions.end_all(user.id, now)  # a squatter's, if one was ever signed in
        uow.commit()
        updated = uow.users.get(user.id)
        assert updated is not None  # noqa: S101  (read in the same transaction)
        return UserView.of(updated)


def mark_verified(uow: UnitOfWork, *, user_id: str, clock: Clock) -> None:
    """For accounts an operator makes (demo seeding, the CLI): the address is trusted."""
    with uow:
        uow.users.mark_verified(user_id, clock.now())
        uow.commit()
