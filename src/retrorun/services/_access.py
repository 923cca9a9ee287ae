"""Who may see whose data: the athlete, and coaches the athlete invited who accepted.

A grant counts only once it is active (accepted on the coach's Invitations page) and
the coach's email is verified: an invitation to an address nobody has proved is no access.

Everything else is NotFound, so a stranger cannot tell an existing id from a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrorun.services.errors import NotFound
from retrorun.services.records import (
    NO_LIMITS,
    CoachLimits,
    GrantRecord,
    GrantStatus,
    UserRecord,
)

if TYPE_CHECKING:
    from retrorun.services.ports import UnitOfWork


def acting_user(uow: UnitOfWork, user_id: str) -> UserRecord:
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound("user")
    return user


def readable_athlete(
    uow: UnitOfWork, *, user_id: str, athlete_id: str | None, what: str
) -> tuple[str, bool]:
    """The athlete whose data is asked for, and whether the user *is* that athlete."""
    user = acting_user(uow, user_id)
    if athlete_id is None or athlete_id == user.id:
        return user.id, True
    if coach_grant(uow, coach=user, athlete_id=athlete_id) is None:
        raise NotFound(what)
    return athlete_id, False


def coach_grant(uow: UnitOfWork, *, coach: UserRecord, athlete_id: str) -> GrantRecord | None:
    """The grant letting this coach read the athlete, if it is in force."""
    grant = uow.grants.find(athlete_id, coach.email)
    return grant if grant is not None and in_force(grant, coach) else None


def in_force(grant: GrantRecord, coach: UserRecord) -> bool:
    return (grant.status == GrantStatus.ACTIVE and coach.email_verified_at is not None
            and grant.coach_email == coach.email)


def coach_grants(uow: UnitOfWork, coach: UserRecord) -> list[GrantRecord]:
    """The grants in force for this coach, in invitation order."""
    return [g for g in uow.grants.for_coach(coach.email) if in_force(g, coach)]


def effective_limits(uow: UnitOfWork, athlete_id: str) -> CoachLimits:
    """Several coaches may set limits; the plan honours the strictest of each."""
    limits = NO_LIMITS
    for grant in uow.grants.for_athlete(athlete_id):
        if grant.status == GrantStatus.ACTIVE:
            limits = limits.strictest(grant.limits)
    return limits
