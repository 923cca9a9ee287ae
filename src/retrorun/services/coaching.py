"""Coaches and physiotherapists: invited by the athlete, limits per athlete, revocable.

An invitation is keyed by the coach's email, so a coach can be invited before they have
an account. It gives no access until a verified account with that email accepts it on
its Invitations page (`respond`); the athlete sees invited / active / declined, never
whether the address has an account. A coach reads an athlete's plan and logs through
`plans.get_plan` and `logs.list_logs` with `athlete_id=`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from retrorun.domain.adaptation import paused
from retrorun.domain.flags import FLAG_WINDOW_DAYS, Flag, badges, flags
from retrorun.services import _access, _document, _validate, adapting, plans
from retrorun.services._today import athlete_today
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from retrorun.services.ports import Clock, Email, Mailer, Planner, UnitOfWork
from retrorun.services.records import CoachLimits, GrantRecord, GrantStatus
from retrorun.services.views import AthleteView, GrantView, InvitationView

# Evidence B2 keeps backward work to a small share of the week; 600 minutes a week is
# far beyond any plan, so a larger number can only be a typing slip.
MAX_BACKWARD_MINUTES_PER_WEEK = 600


def invite_coach(
    uow: UnitOfWork,
    *,
    user_id: str,
    coach_email: str,
    clock: Clock,
    mailer: Mailer,
    link: str,
) -> GrantView:
    """Invite the coach with this email to see the user's plan and logs once they accept.

    `link` is the Invitations page, where the coach signs in and accepts (no secret in it).
    """
    address = _validate.email(coach_email, "coach_email")
    with uow:
        athlete = _access.acting_user(uow, user_id)
        if address == athlete.email:
            raise InvalidInput("coach_email", "you cannot invite yourself")
        if uow.grants.find(athlete.id, address) is not None:
            raise Conflict("coach_email", "this coach is already invited")
        now = clock.now()
        grant = uow.grants.add(athlete_id=athlete.id, coach_email=address, at=now,
                               status=GrantStatus.INVITED)
        uow.commit()
    mailer.send(Email(
        to=address,
        subject="An athlete shared their retrorun plan with you",
        body=(
            f"{athlete.email} invited you to see their backward-running plan and logs on "
            f"retrorun, and to set limits for it.\n\nSign in (or create an account with "
            f"this email address and confirm it), then accept or decline on your "
            f"Invitations page: {link}\nNothing is shared until you accept.\n"
        ),
    ))
    return _grant_view(grant)


def list_coaches(uow: UnitOfWork, *, user_id: str) -> tuple[GrantView, ...]:
    """The coaches the user invited, oldest first, each invited, active or declined."""
    with uow:
        athlete = _access.acting_user(uow, user_id)
        return tuple(_grant_view(g) for g in uow.grants.for_athlete(athlete.id))


def list_invitations(uow: UnitOfWork, *, user_id: str) -> tuple[InvitationView, ...]:
    """The invitations to this user's address, oldest first, whatever their status; none
    until the address is confirmed (who invited whom is the athletes' business)."""
    with uow.read_only():
        coach = _access.acting_user(uow, user_id)
        if coach.email_verified_at is None:
            return ()
        found = []
        for grant in uow.grants.for_coach(coach.email):
            athlete = uow.users.get(grant.athlete_id)
            if athlete is not None:
                found.append(InvitationView(grant.id, athlete.email, grant.status,
                                            grant.created_at))
        return tuple(found)


def respond(uow: UnitOfWork, *, user_id: str, grant_id: str, accept: bool,
            clock: Clock) -> InvitationView:
    """Accept or decline an invitation to this user's address.

    NotFound unless the invitation is to this user's email; PermissionDenied while the email is
    unverified (an account is not proof of the address); Conflict once answered (a
    declined invitation can still be accepted: the athlete asked and the coach changed
    their mind; an accepted one ends by the athlete's revoking it).
    """
    with uow:
        coach = _access.acting_user(uow, user_id)
        grant = uow.grants.get(grant_id)
        if grant is None or grant.coach_email != coach.email:
            raise NotFound("invitation")
        athlete = uow.users.get(grant.athlete_id)
        if athlete is None:
            raise NotFound("invitation")
        if coach.email_verified_at is None:
            raise PermissionDenied("confirm your email address first: open the link we mailed "
                            "you (or send it again from this page)")
        status = GrantStatus.ACTIVE if accept else GrantStatus.DECLINED
        if grant.status == GrantStatus.ACTIVE:
            raise Conflict("invitation", "this invitation is already accepted")
        if grant.status == status:
            raise Conflict("invitation", "this invitation is already declined")
        uow.grants.set_status(grant.id, status, clock.now())
        uow.commit()
        return InvitationView(grant.id, athlete.email, status, grant.created_at)


def revoke_coach(
    uow: UnitOfWork, *, user_id: str, grant_id: str, planner: Planner, clock: Clock
) -> None:
    """Withdraw a coach's access; their limits stop applying and the plan is rebuilt."""
    with uow:
        athlete = _access.acting_user(uow, user_id)
        grant = uow.grants.get(grant_id)
        if grant is None or grant.athlete_id != athlete.id:
            raise NotFound("coach")
        uow.grants.delete(grant.id)
        if not grant.limits.empty:
            plans.regenerate(uow, athlete_id=athlete.id, planner=planner, clock=clock,
                             reason=f"{grant.coach_email} no longer coaches you: their "
                             "limits stop applying from today.")
        uow.commit()


def list_athletes(uow: UnitOfWork, *, user_id: str) -> tuple[AthleteView, ...]:
    """The athletes who invited this user as their coach."""
    with uow:
        coach = _access.acting_user(uow, user_id)
        views = []
        for grant in _access.coach_grants(uow, coach):
            athlete = uow.users.get(grant.athlete_id)
            if athlete is not None:
                views.append(_athlete_view(uow, grant, athlete.email))
        return tuple(views)


def set_limits(
    uow: UnitOfWork,
    *,
    user_id: str,
    athlete_id: str,
    max_backward_minutes_per_week: int | None,
    pain_threshold: int | None,
    planner: Planner,
    clock: Clock,
) -> AthleteView:
    """Set this coach's limits for an athlete (None clears one); the plan is rebuilt.

    NotFound unless the athlete invited this coach. InvalidInput names the field.
    """
    limits = CoachLimits(
        _validate.whole(max_backward_minutes_per_week, "max_backward_minutes_per_week",
                        1, MAX_BACKWARD_MINUTES_PER_WEEK, optional=True),
        _validate.whole(pain_threshold, "pain_threshold", 0, 10, optional=True),
    )
    with uow:
        coach = _access.acting_user(uow, user_id)
        grant = _access.coach_grant(uow, coach=coach, athlete_id=athlete_id)
        athlete = uow.users.get(athlete_id)
        if grant is None or athlete is None:
            raise NotFound("athlete")
        now = clock.now()
        uow.grants.set_limits(grant.id, limits, now)
        plans.regenerate(uow, athlete_id=athlete_id, planner=planner, clock=clock,
                         reason=_limits_reason(coach.email, limits))
        uow.commit()
        updated = uow.grants.get(grant.id)
        assert updated is not None  # noqa: S101  (written two lines above)
        return _athlete_view(uow, updated, athlete.email)


def _limits_reason(coach: str, limits: CoachLimits) -> str:
    parts = []
    if limits.max_backward_minutes_per_week is not None:
        parts.append(f"at most {limits.max_backward_minutes_per_week} backward minutes a week")
    if limits.pain_threshold is not None:
        parts.append(f"pain above {limits.pain_threshold}/10 backs the plan off")
    what = " and ".join(parts) if parts else "no limits"
    return f"{coach} set {what}; the plan follows from today."


def _grant_view(grant: GrantRecord) -> GrantView:
    return GrantView(grant.id, grant.coach_email, grant.status, grant.created_at,
                     grant.limits, grant.responded_at)


def _athlete_view(uow: UnitOfWork, grant: GrantRecord, email: str) -> AthleteView:
    return AthleteView(grant.athlete_id, email, grant.created_at, grant.limits,
                       uow.plans.for_athlete(grant.athlete_id, with_document=False) is not None)


# --- who needs a look, and the coach's note ---------------------------------------------

# [A] A note is a line or two for the athlete, not a message thread.
NOTE_MAX_CHARS = 500


@dataclass(frozen=True, slots=True)
class FlaggedAthlete:
    """An athlete on the coach's list, with every reason to look at them now."""

    athlete: AthleteView
    flags: tuple[Flag, ...]
    note: str | None = None
    note_at: dt.datetime | None = None

    @property
    def badges(self) -> tuple[str, ...]:
        return badges(self.flags)


@dataclass(frozen=True, slots=True)
class CoachNote:
    """A coach's note, as the athlete sees it on their plan page."""

    coach_email: str
    note: str
    note_at: dt.datetime | None


def flagged_athletes(uow: UnitOfWork, *, user_id: str, clock: Clock
                     ) -> tuple[FlaggedAthlete, ...]:
    """The coach's athletes, those who need a look first (otherwise in invitation order)."""
    with uow.read_only():
        coach = _access.acting_user(uow, user_id)
        found = []
        for grant in _access.coach_grants(uow, coach):
            athlete = uow.users.get(grant.athlete_id)
            if athlete is not None:
                found.append(FlaggedAthlete(_athlete_view(uow, grant, athlete.email),
                                            _flags_of(uow, grant.athlete_id, clock),
                                            grant.note, grant.note_at))
        return tuple(sorted(found, key=lambda a: not a.flags))


def athlete_flags(uow: UnitOfWork, *, user_id: str, athlete_id: str, clock: Clock
                  ) -> FlaggedAthlete:
    """One athlete of this coach with why they need a look, newest first; NotFound unless
    the athlete invited this coach."""
    with uow.read_only():
        coach = _access.acting_user(uow, user_id)
        grant = _access.coach_grant(uow, coach=coach, athlete_id=athlete_id)
        athlete = uow.users.get(athlete_id)
        if grant is None or athlete is None:
            raise NotFound("athlete")
        return FlaggedAthlete(_athlete_view(uow, grant, athlete.email),
                              _flags_of(uow, athlete_id, clock), grant.note, grant.note_at)


def _flags_of(uow: UnitOfWork, athlete_id: str, clock: Clock) -> tuple[Flag, ...]:
    today = athlete_today(uow, athlete_id, clock)
    since = today - dt.timedelta(days=FLAG_WINDOW_DAYS)
    logs = adapting.domain_logs(uow.logs.for_athlete(athlete_id, between=(since, today)))
    current = _document.current_plan(uow, athlete_id)
    if current is None:
        threshold = _access.effective_limits(uow, athlete_id).pain_threshold
        return flags(None, logs, today, threshold, None)
    record, plan = current
    # The threshold the rules use: the plan's limits (`adapting.refresh` reads the same).
    return flags(plan, logs, today, record.limits.pain_threshold,
                 paused(adapting.changes_of(record.document)),
                 tracked_since=record.created_at.date())


def set_note(uow: UnitOfWork, *, user_id: str, athlete_id: str, note: str | None,
             clock: Clock) -> FlaggedAthlete:
    """The coach's short note the athlete sees (empty clears it); NotFound unless the
    athlete invited this coach; InvalidInput on `note` when longer than 500 characters."""
    text = (note or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise InvalidInput("note", f"at most {NOTE_MAX_CHARS} characters (this one has "
                           f"{len(text)})")
    with uow:
        coach = _access.acting_user(uow, user_id)
        grant = _access.coach_grant(uow, coach=coach, athlete_id=athlete_id)
        if grant is None or uow.users.get(athlete_id) is None:
            raise NotFound("athlete")
        uow.grants.set_note(athlete_id, coach.email, text or None, clock.now())
        uow.commit()
    return athlete_flags(uow, user_id=user_id, athlete_id=athlete_id, clock=clock)


def coach_notes(uow: UnitOfWork, *, user_id: str) -> tuple[CoachNote, ...]:
    """The notes the athlete's coaches left them, newest first."""
    with uow.read_only():
        athlete = _access.acting_user(uow, user_id)
        notes = [CoachNote(g.coach_email, g.note, g.note_at)
                 for g in uow.grants.for_athlete(athlete.id)
                 if g.note and g.status == GrantStatus.ACTIVE]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return tuple(sorted(notes, key=lambda n: n.note_at or epoch, reverse=True))
