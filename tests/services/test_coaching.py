"""Coaches: invited by email, see plans and logs, set limits the plan honours, revocable."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from retrorun.services import coaching, logs, plans
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from retrorun.services.records import CoachLimits
from retrorun.services.views import LogInput

if TYPE_CHECKING:
    from retrorun.services.views import GrantView, UserView
    from tests.services.conftest import App


def _invite(app: App, athlete: UserView, email: str = "coach@example.com", *,
            accept: bool = True) -> GrantView:
    """Invite; when the coach has an account already, they accept (unless told not to)."""
    grant = coaching.invite_coach(app.uow(), user_id=athlete.id, coach_email=email,
                                  clock=app.clock, mailer=app.mailer,
                                  link="http://test/invitations")
    with app.uow() as uow:
        coach = uow.users.by_email(grant.coach_email)
    if accept and coach is not None:
        coaching.respond(app.uow(), user_id=coach.id, grant_id=grant.id, accept=True,
                         clock=app.clock)
    return grant


def _limit(app: App, coach: UserView, athlete: UserView, minutes: int | None,
           pain: int | None = None) -> None:
    coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=athlete.id,
                        max_backward_minutes_per_week=minutes, pain_threshold=pain,
                        planner=app.planner, clock=app.clock)


def test_invite_mails_the_coach_and_lists_them_for_the_athlete(app: App) -> None:
    athlete = app.user()
    grant = _invite(app, athlete, "Coach@Example.com")
    assert grant.coach_email == "coach@example.com"
    assert grant.status == "invited"
    assert app.mailer.sent[-1].to == "coach@example.com"
    assert "ann@example.com" in app.mailer.sent[-1].body
    assert "http://test/invitations" in app.mailer.sent[-1].body
    coach = app.user("coach@example.com")
    (listed,) = coaching.list_coaches(app.uow(), user_id=athlete.id)
    assert listed.status == "invited"  # an account is not an acceptance
    assert coaching.list_athletes(app.uow(), user_id=coach.id) == ()
    coaching.respond(app.uow(), user_id=coach.id, grant_id=grant.id, accept=True,
                     clock=app.clock)
    (listed,) = coaching.list_coaches(app.uow(), user_id=athlete.id)
    assert listed.status == "active"


@pytest.mark.parametrize(("email", "error", "field"), [
    ("not an email", InvalidInput, "coach_email"),
    ("ann@example.com", InvalidInput, "coach_email"),
])
def test_bad_invitations_name_the_field(
    app: App, email: str, error: type[Exception], field: str
) -> None:
    athlete = app.user()
    with pytest.raises(error) as caught:
        _invite(app, athlete, email)
    assert caught.value.field == field  # type: ignore[attr-defined]
    assert app.count("coach_grants") == 0
    assert app.mailer.sent == []


def test_inviting_the_same_coach_twice_is_a_conflict(app: App) -> None:
    athlete = app.user()
    _invite(app, athlete)
    with pytest.raises(Conflict):
        _invite(app, athlete, "COACH@example.com")
    assert app.count("coach_grants") == 1


def test_the_coach_sees_the_athletes_plan_and_logs_but_cannot_change_logs(app: App) -> None:
    athlete, coach = app.user(), app.user("coach@example.com")
    plan = app.plan(athlete)
    session = plan.plan.sessions[0]
    log = logs.log_session(app.uow(), user_id=athlete.id, session_id=session.id,
                           entry=LogInput(status="done", forward_minutes=20), clock=app.clock)
    _invite(app, athlete)

    (seen,) = coaching.list_athletes(app.uow(), user_id=coach.id)
    assert (seen.athlete_id, seen.email, seen.has_plan) == (athlete.id, athlete.email, True)
    view = plans.get_plan(app.uow(), user_id=coach.id, athlete_id=athlete.id)
    assert view.id == plan.id
    assert not view.owned
    session_view = plans.get_session(app.uow(), user_id=coach.id, session_id=session.id,
                                     athlete_id=athlete.id)
    assert not session_view.can_log
    assert logs.list_logs(app.uow(), user_id=coach.id, athlete_id=athlete.id) == (log,)
    assert logs.get_log(app.uow(), user_id=coach.id, log_id=log.id) == log
    assert len(logs.log_history(app.uow(), user_id=coach.id, log_id=log.id)) == 1
    with pytest.raises(PermissionDenied):
        logs.edit_log(app.uow(), user_id=coach.id, log_id=log.id,
                      entry=LogInput(status="skipped"), clock=app.clock)


def test_limits_rebuild_the_plan_and_the_plan_honours_them(app: App) -> None:
    athlete, coach = app.user(), app.user("coach@example.com")
    before = app.plan(athlete)
    assert max(w.backward_seconds for w in before.plan.weeks) > 8 * 60
    _invite(app, athlete)
    _limit(app, coach, athlete, 8, 3)
    after = plans.get_plan(app.uow(), user_id=athlete.id)
    assert after.version == before.version + 1
    assert after.limits == CoachLimits(8, 3)
    assert all(w.backward_seconds <= 8 * 60 for w in after.plan.weeks)
    # A plan the athlete makes later honours the limits too.
    again = app.plan(athlete, weekly_minutes=150)
    assert all(w.backward_seconds <= 8 * 60 for w in again.plan.weeks)


def test_two_coaches_limits_combine_to_the_strictest(app: App) -> None:
    athlete = app.user()
    physio, coach = app.user("physio@example.com"), app.user("coach@example.com")
    app.plan(athlete)
    _invite(app, athlete, physio.email)
    _invite(app, athlete, coach.email)
    _limit(app, physio, athlete, 20, 5)
    _limit(app, coach, athlete, 30, 2)
    assert plans.get_plan(app.uow(), user_id=athlete.id).limits == CoachLimits(20, 2)


@pytest.mark.parametrize(("minutes", "pain", "field"), [
    (0, None, "max_backward_minutes_per_week"),
    (601, None, "max_backward_minutes_per_week"),
    (None, 11, "pain_threshold"),
    (None, -1, "pain_threshold"),
])
def test_bad_limits_name_the_field_and_change_nothing(
    app: App, minutes: int | None, pain: int | None, field: str
) -> None:
    athlete, coach = app.user(), app.user("coach@example.com")
    plan = app.plan(athlete)
    _invite(app, athlete)
    with pytest.raises(InvalidInput) as caught:
        _limit(app, coach, athlete, minutes, pain)
    assert caught.value.field == field
    assert plans.get_plan(app.uow(), user_id=athlete.id).version == plan.version


def test_revoking_ends_access_and_lifts_the_limits(app: App) -> None:
    athlete, coach = app.user(), app.user("coach@example.com")
    app.plan(athlete)
    grant = _invite(app, athlete)
    _limit(app, coach, athlete, 15)
    coaching.revoke_coach(app.uow(), user_id=athlete.id, grant_id=grant.id,
                          planner=app.planner, clock=app.clock)
    assert coaching.list_athletes(app.uow(), user_id=coach.id) == ()
    with pytest.raises(NotFound):
        plans.get_plan(app.uow(), user_id=coach.id, athlete_id=athlete.id)
    assert plans.get_plan(app.uow(), user_id=athlete.id).limits == CoachLimits()


def test_a_failing_rebuild_leaves_the_limits_unchanged(app: App) -> None:
    """One transaction per use case: the limits and the plan change together or not at all."""
    athlete, coach = app.user(), app.user("coach@example.com")
    app.plan(athlete)
    _invite(app, athlete)

    class ClockThatFailsDuringTheRebuild:
        """Answers the limits' timestamp, then fails when the rebuild asks for today."""

        calls = 0

        def now(self) -> dt.datetime:
            self.calls += 1
            if self.calls > 1:
                raise RuntimeError("rebuild failed")
            return app.clock.now()

    with pytest.raises(RuntimeError):
        coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=athlete.id,
                            max_backward_minutes_per_week=15, pain_threshold=None,
                            planner=app.planner, clock=ClockThatFailsDuringTheRebuild())
    (seen,) = coaching.list_athletes(app.uow(), user_id=coach.id)
    assert seen.limits == CoachLimits()


# --- who needs a look (flags) and the coach's note -------------------------------------

def _log_on_its_day(app: App, athlete: UserView, session_id: str, day: dt.date,
                    **fields: object) -> None:
    app.clock.current = dt.datetime(day.year, day.month, day.day, 20, tzinfo=dt.UTC)
    entry = LogInput(**{"status": "done", "forward_minutes": 20, "backward_minutes": 0,
                        **fields})  # type: ignore[arg-type]
    logs.log_session(app.uow(), user_id=athlete.id, session_id=session_id, entry=entry,
                     clock=app.clock)


def test_the_list_flags_who_needs_a_look_first_and_the_page_says_why(app: App) -> None:
    calm, hurt = app.user("calm@example.com"), app.user("hurt@example.com")
    coach = app.user("coach@example.com")
    for athlete in (calm, hurt):
        _invite(app, athlete)
        app.plan(athlete, start_date="2026-11-02")
    _limit(app, coach, hurt, None, pain=3)
    plan = plans.get_plan(app.uow(), user_id=hurt.id).plan
    first = plan.weeks[0].sessions[0]
    for athlete in (calm, hurt):
        for session in plan.weeks[0].sessions:
            if session.date == first.date:
                sore = athlete is hurt and session is first
                _log_on_its_day(app, athlete, session.id, session.date,
                                pain_during=4 if sore else 1,
                                events=["dizziness"] if sore else [])
    app.clock.current = dt.datetime.combine(first.date, dt.time(21), tzinfo=dt.UTC)
    listed = coaching.flagged_athletes(app.uow(), user_id=coach.id, clock=app.clock)
    assert [a.athlete.email for a in listed] == ["hurt@example.com", "calm@example.com"]
    assert listed[0].badges == ("Pain", "Dizziness, stumble or neck pain")
    assert listed[1].badges == ()
    page = coaching.athlete_flags(app.uow(), user_id=coach.id, athlete_id=hurt.id,
                                  clock=app.clock)
    assert page.flags[0].day == first.date
    assert "over the 3/10 threshold your coach or physio set" in page.flags[0].what
    # Two days later with nothing logged since: the calm athlete missed sessions too.
    app.clock.current += dt.timedelta(days=5)
    later = coaching.flagged_athletes(app.uow(), user_id=coach.id, clock=app.clock)
    assert all("Missed sessions" in a.badges for a in later)


def test_flags_are_the_coachs_own_athletes_only(app: App) -> None:
    athlete, coach, other = app.user(), app.user("coach@example.com"), app.user("o@x.org")
    _invite(app, athlete)
    with pytest.raises(NotFound):
        coaching.athlete_flags(app.uow(), user_id=other.id, athlete_id=athlete.id,
                               clock=app.clock)
    with pytest.raises(NotFound):
        coaching.set_note(app.uow(), user_id=other.id, athlete_id=athlete.id, note="hi",
                          clock=app.clock)
    assert coaching.flagged_athletes(app.uow(), user_id=other.id, clock=app.clock) == ()
    assert coaching.flagged_athletes(app.uow(), user_id=coach.id, clock=app.clock)


def test_a_coach_leaves_a_short_note_the_athlete_sees(app: App) -> None:
    athlete, coach = app.user(), app.user("coach@example.com")
    _invite(app, athlete)
    coaching.set_note(app.uow(), user_id=coach.id, athlete_id=athlete.id,
                      note="  Easy this week, see you Thursday.  ", clock=app.clock)
    (note,) = coaching.coach_notes(app.uow(), user_id=athlete.id)
    assert note.note == "Easy this week, see you Thursday."
    assert note.coach_email == "coach@example.com"
    assert note.note_at is not None
    with pytest.raises(InvalidInput) as error:
        coaching.set_note(app.uow(), user_id=coach.id, athlete_id=athlete.id,
                          note="x" * (coaching.NOTE_MAX_CHARS + 1), clock=app.clock)
    assert error.value.field == "note"
    assert "501" in error.value.message
    assert coaching.coach_notes(app.uow(), user_id=athlete.id)[0].note == note.note
    coaching.set_note(app.uow(), user_id=coach.id, athlete_id=athlete.id, note="",
                      clock=app.clock)
    assert coaching.coach_notes(app.uow(), user_id=athlete.id) == ()
