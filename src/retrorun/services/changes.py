"""The athlete's control over the plan's changes: undo one, lift a safety change (DESIGN §4).

An athlete undoes a change the rules made that is not about safety. A safety change
(pain, dizziness, a stumble, neck pain, a pause) is lifted by a coach or physio the
athlete invited, or by the athlete ticking that a clinician cleared them. Either makes a
new plan version from the open day, recorded with who did it. A coach of another
athlete, or anyone else, gets NotFound: they cannot tell the athlete exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrorun.domain.logbook import By, Change
from retrorun.domain.undo import LIFT_RULE, UNDO_RULE, why_not_liftable, why_not_undoable
from retrorun.services import _access, _document, adapting
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

if TYPE_CHECKING:
    from retrorun.services.ports import Clock, UnitOfWork

CLEARED_LABEL = "A clinician has cleared me to go on"
NO_VERSION = ("no plan version without it keeps every rule of the plan from today; "
              "it stays as it is")


@dataclass(frozen=True, slots=True)
class ChangeMade:
    """The plan version the undo or lift made, and the change recorded for it."""

    athlete_id: str
    version: int
    change: dict[str, Any]


def undo_change(uow: UnitOfWork, *, user_id: str, version: int, rule: str,
                clock: Clock) -> ChangeMade:
    """The athlete undoes the change of `rule` made in plan `version`.

    NotFound: no such change in their plan. PermissionDenied: it is about safety (see
    `lift_change`). Conflict: it cannot be undone (why is said) or was already undone."""
    with uow:
        athlete = _access.acting_user(uow, user_id)
        target = _find(uow, athlete.id, version, rule)
        why = why_not_undoable(target)
        if why is not None:
            if target.safety and target.undone_by is None:
                raise PermissionDenied(f"This change cannot be undone: {why}.")
            raise Conflict("change", f"this change cannot be undone: {why}")
        made = adapting.without_changes(
            uow, athlete_id=athlete.id, targets=frozenset({(target.version, target.rule)}),
            clock=clock, rule=UNDO_RULE, by=By.ATHLETE,
            reason=f"Undone by the athlete: {target.reason}")
        return _commit(uow, athlete.id, made)


def lift_change(uow: UnitOfWork, *, user_id: str, rule: str, clock: Clock,
                athlete_id: str | None = None, version: int | None = None,
                cleared: bool = False) -> ChangeMade:
    """Lift the safety change of `rule` in force (the one of `version`, or every one of that
    rule) in the plan of `athlete_id` (default: the user's own).

    The athlete must confirm a clinician cleared them (`cleared`), else InvalidInput on
    `cleared`; a coach or physio needs the athlete's invitation, else NotFound."""
    with uow:
        user = _access.acting_user(uow, user_id)
        if athlete_id is None or athlete_id == user.id:
            athlete, by = user.id, By.ATHLETE
            who = "the athlete, confirming a clinician cleared them"
            if not cleared:
                raise InvalidInput("cleared", f"tick “{CLEARED_LABEL}” to lift it")
        else:
            if _access.coach_grant(uow, coach=user, athlete_id=athlete_id) is None:
                raise NotFound("athlete")
            athlete, by, who = athlete_id, By.COACH, f"{user.email} (coach or physio)"
        changes = _changes(uow, athlete)
        matching = [c for c in changes if c.rule == rule
                    and (version is None or c.version == version)]
        if not matching:
            raise NotFound("change")
        liftable = [c for c in matching if why_not_liftable(c) is None]
        if not liftable:
            why = why_not_liftable(matching[-1])
            raise Conflict("change", f"this change cannot be lifted: {why}")
        reasons = "; ".join(dict.fromkeys(c.reason for c in liftable))
        made = adapting.without_changes(
            uow, athlete_id=athlete, targets=frozenset((c.version, c.rule) for c in liftable),
            clock=clock, rule=LIFT_RULE, by=by,
            reason=f"Lifted by {who}: backward work comes back from the next day not yet "
                   f"begun. It was: {reasons}")
        return _commit(uow, athlete, made)


@dataclass(frozen=True, slots=True)
class SessionChange:
    """A change of the plan that concerns one session: it changed the session, or the
    session's log set it off (or both)."""

    change: dict[str, Any]
    changed_it: bool
    set_off_by_it: bool


def session_changes(uow: UnitOfWork, *, user_id: str, session_id: str,
                    athlete_id: str | None = None) -> tuple[SessionChange, ...]:
    """What changed this session of the current plan, or what its log set off, newest
    first; for the athlete or a coach they invited (else NotFound)."""
    with uow.read_only():
        athlete, _owned = _access.readable_athlete(uow, user_id=user_id,
                                                   athlete_id=athlete_id, what="session")
        current = _document.current_plan(uow, athlete)
        if current is None or current[1].session(session_id) is None:
            raise NotFound("session")
        found = [SessionChange(c.as_json(), session_id in c.sessions, c.trigger == session_id)
                 for c in adapting.changes_of(current[0].document)
                 if session_id in c.sessions or c.trigger == session_id]
    return tuple(reversed(found))


def _changes(uow: UnitOfWork, athlete_id: str) -> tuple[Change, ...]:
    current = _document.current_plan(uow, athlete_id)
    if current is None:
        raise NotFound("plan")
    return adapting.changes_of(current[0].document)


def _find(uow: UnitOfWork, athlete_id: str, version: int, rule: str) -> Change:
    for change in _changes(uow, athlete_id):
        if change.version == version and change.rule == rule:
            return change
    raise NotFound("change")


def _commit(uow: UnitOfWork, athlete_id: str, made: Change | None) -> ChangeMade:
    if made is None:
        raise Conflict("change", NO_VERSION)
    uow.commit()
    return ChangeMade(athlete_id, made.version, made.as_json())
