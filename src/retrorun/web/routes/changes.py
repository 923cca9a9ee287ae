"""Control over the plan's changes (undo, lift), the coach's flags and note: the forms the
plan and athlete pages post, and their JSON twins under /api/v1.

Undo is the athlete's, for a change that is not about safety; a safety change is lifted
by the athlete's coach or physio, or by the athlete ticking that a clinician cleared them
(`services.changes`). Every form carries the session's CSRF token (`check_csrf`).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from retrorun.domain.logbook import By, Change
from retrorun.domain.undo import why_not_liftable, why_not_undoable
from retrorun.services import changes, coaching
from retrorun.services.changes import ChangeMade
from retrorun.services.coaching import FlaggedAthlete
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.web.deps import Ctx, Form, User, flash, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES, ErrorResponse

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", tags=["changes"], responses={
    **ERROR_RESPONSES,
    409: {"model": ErrorResponse, "description": "The change cannot be undone or lifted "
          "(already undone, a rule of every plan, or no version keeps every rule)"}})

CHANGES_ANCHOR = "#changes"
# A plan version is a small whole number; a longer one names no change.
MAX_VERSION_DIGITS = 9


def install(app: FastAPI) -> None:
    """Register the routes and the template helper the plan pages use."""
    app.state.templates.env.globals["change_actions"] = change_actions
    app.include_router(router)
    app.include_router(api_router)


def change_actions(change: Mapping[str, Any]) -> dict[str, Any]:
    """What the page offers for a change of the plan document: undo (the athlete), lift
    (a safety change in force), or why not."""
    try:
        value = Change.from_json(dict(change))
    except (KeyError, ValueError, TypeError):
        return {"undo": False, "lift": False, "why": ""}
    why = why_not_undoable(value)
    # Why not, only for what the rules did: a person's change (an undo, a lift, new
    # limits) is not the athlete's to take back here, and needs no excuse.
    quiet = value.undone_by is not None or value.safety or value.by is not By.RULES
    return {"undo": why is None, "lift": why_not_liftable(value) is None,
            "why": "" if quiet else (why or "")}


def _version(raw: str) -> int:
    """The plan version in a change's URL; anything else names no change (404, as for an
    unknown one: the same answer whoever asks)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_VERSION_DIGITS:
        raise NotFound("change")
    return int(raw)


def _refused(request: Request, field: str, message: str) -> Response:
    """A form refused: the message names the field in the form's words."""
    text = message[:1].upper() + message[1:]
    return render(request, "error.html", {"status": 422, "message": f"{text}.",
                                          "field": field}, status=422)


def _done(request: Request, made: ChangeMade, what: str, back: str) -> Response:
    flash(request, f"{what} Your plan is now version {made.version}, changed from "
          f"{made.change['effective_from']}; days already begun stay as they were.")
    return RedirectResponse(back + CHANGES_ANCHOR, status_code=303)


@router.post("/plan/changes/{version}/{rule}/undo", response_class=HTMLResponse)
def undo_form(request: Request, ctx: Ctx, user: User, version: str, rule: str) -> Response:
    made = changes.undo_change(ctx.uow(), user_id=user.id, version=_version(version),
                               rule=rule, clock=ctx.clock)
    return _done(request, made, "Change undone.", "/plan")


@router.post("/plan/changes/{version}/{rule}/lift", response_class=HTMLResponse)
def lift_form(request: Request, ctx: Ctx, user: User, version: str, rule: str,
              body: Form) -> Response:
    try:
        made = changes.lift_change(ctx.uow(), user_id=user.id, rule=rule,
                                   version=_version(version), clock=ctx.clock,
                                   cleared=body.get("cleared") == "yes")
    except InvalidInput as error:
        return _refused(request, error.field, error.message)
    return _done(request, made, "Lifted: you confirmed a clinician cleared you.", "/plan")


@router.post("/athletes/{athlete_id}/changes/{version}/{rule}/lift",
             response_class=HTMLResponse)
def coach_lift_form(request: Request, ctx: Ctx, user: User, athlete_id: str, version: str,
                    rule: str) -> Response:
    made = changes.lift_change(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                               rule=rule, version=_version(version), clock=ctx.clock)
    return _done(request, made, "Lifted; the athlete sees that you did.",
                 f"/athletes/{athlete_id}")


@router.post("/athletes/{athlete_id}/note", response_class=HTMLResponse)
def note_form(request: Request, ctx: Ctx, user: User, athlete_id: str,
              body: Form) -> Response:
    raw = body.get("note")
    try:
        coaching.set_note(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                          note=raw if isinstance(raw, str) else None, clock=ctx.clock)
    except InvalidInput as error:
        return _refused(request, error.field, f"Note for the athlete: {error.message}")
    flash(request, "Note saved; the athlete sees it on their plan page."
          if isinstance(raw, str) and raw.strip() else "Note removed.")
    return RedirectResponse(f"/athletes/{athlete_id}#note", status_code=303)


@router.get("/plan/notes", response_class=HTMLResponse)
def notes_fragment(request: Request, ctx: Ctx, user: User) -> Response:
    """The coaches' notes on the plan page (loaded after the page: the page itself is
    cached by plan version, a note is not part of it)."""
    notes = coaching.coach_notes(ctx.uow(), user_id=user.id)
    fragment = request.headers.get("hx-request") == "true"
    return render(request, "_coach_notes.html" if fragment else "coach_notes.html",
                  {"notes": notes}, json_twin="/api/v1/plan/notes")


@router.get("/plan/sessions/{session_id}/changes", response_class=HTMLResponse)
def my_session_changes(request: Request, ctx: Ctx, user: User, session_id: str) -> Response:
    """The session page's "what changed and why" (loaded after the page)."""
    found = changes.session_changes(ctx.uow(), user_id=user.id, session_id=session_id)
    return render(request, "_session_changes.html", {"found": found, "plan_url": "/plan"},
                  json_twin=f"/api/v1/plan/sessions/{session_id}/changes")


@router.get("/athletes/{athlete_id}/sessions/{session_id}/changes",
            response_class=HTMLResponse)
def athlete_session_changes(request: Request, ctx: Ctx, user: User, athlete_id: str,
                            session_id: str) -> Response:
    found = changes.session_changes(ctx.uow(), user_id=user.id, session_id=session_id,
                                    athlete_id=athlete_id)
    return render(request, "_session_changes.html",
                  {"found": found, "plan_url": f"/athletes/{athlete_id}"})


# --- JSON -----------------------------------------------------------------------------

class ChangeModel(BaseModel):
    """One change of the plan, as in the plan document's `changes`."""

    version: int
    decided_on: dt.date
    effective_from: dt.date
    rule: str
    reason: str
    evidence: str
    by: str
    sessions: list[str]
    trigger: str
    safety: bool
    undone_by: int | None = None


class ChangeMadeModel(BaseModel):
    """The plan version an undo or a lift made, and the change recorded for it."""

    athlete_id: str
    version: int
    change: ChangeModel


class LiftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cleared: StrictBool = Field(False, description="The athlete confirms: a clinician has "
                                "cleared me to go on (required when the athlete lifts)")


class NoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(None, description="At most 500 characters; empty or null "
                             "removes the note")


class FlagModel(BaseModel):
    kind: str
    badge: str
    day: dt.date
    what: str
    session_id: str
    session_title: str


class FlaggedAthleteModel(BaseModel):
    athlete_id: str
    email: str
    has_plan: bool
    badges: list[str]
    flags: list[FlagModel]
    note: str | None
    note_at: dt.datetime | None


class FlagsPage(BaseModel):
    athletes: list[FlaggedAthleteModel]


class CoachNoteModel(BaseModel):
    coach_email: str
    note: str
    note_at: dt.datetime | None


class NotesPage(BaseModel):
    notes: list[CoachNoteModel]


class SessionChangeModel(BaseModel):
    change: ChangeModel
    changed_it: bool = Field(description="the change changed this session")
    set_off_by_it: bool = Field(description="this session's log set the change off")


class SessionChangesPage(BaseModel):
    changes: list[SessionChangeModel]


def _made(made: ChangeMade) -> ChangeMadeModel:
    return ChangeMadeModel(athlete_id=made.athlete_id, version=made.version,
                           change=ChangeModel.model_validate(made.change))


def flagged_model(found: FlaggedAthlete) -> FlaggedAthleteModel:
    return FlaggedAthleteModel(
        athlete_id=found.athlete.athlete_id, email=found.athlete.email,
        has_plan=found.athlete.has_plan, badges=list(found.badges),
        flags=[FlagModel(kind=f.kind.value, badge=f.badge, day=f.day, what=f.what,
                         session_id=f.session_id, session_title=f.session_title)
               for f in found.flags],
        note=found.note, note_at=found.note_at)


@api_router.post("/plan/changes/{version}/{rule}/undo")
def undo_change(version: str, rule: str, ctx: Ctx, user: User) -> ChangeMadeModel:
    """Undo a change of the signed-in athlete's plan that is not about safety: a new
    version from the first day not yet begun. A safety change: 403 (see lift)."""
    return _made(changes.undo_change(ctx.uow(), user_id=user.id, version=_version(version),
                                     rule=rule, clock=ctx.clock))


@api_router.post("/plan/changes/{version}/{rule}/lift")
def lift_my_change(version: str, rule: str, body: LiftBody, ctx: Ctx,
                   user: User) -> ChangeMadeModel:
    """The athlete lifts a safety change (a pause, a back-off for pain, dizziness, a
    stumble) once a clinician has cleared them: `cleared` must be true."""
    return _made(changes.lift_change(ctx.uow(), user_id=user.id, rule=rule,
                                     version=_version(version), clock=ctx.clock,
                                     cleared=body.cleared))


@api_router.post("/athletes/{athlete_id}/changes/{version}/{rule}/lift")
def lift_athlete_change(athlete_id: str, version: str, rule: str, ctx: Ctx,
                        user: User) -> ChangeMadeModel:
    """A coach or physio the athlete invited lifts a safety change of their plan."""
    return _made(changes.lift_change(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                                     rule=rule, version=_version(version), clock=ctx.clock))


@api_router.get("/flags")
def my_athletes_flags(ctx: Ctx, user: User) -> FlagsPage:
    """The coach's athletes, those who need a look first, each with why (newest first)."""
    return FlagsPage(athletes=[flagged_model(a) for a in
                               coaching.flagged_athletes(ctx.uow(), user_id=user.id,
                                                         clock=ctx.clock)])


@api_router.get("/athletes/{athlete_id}/flags")
def athlete_flags(athlete_id: str, ctx: Ctx, user: User) -> FlaggedAthleteModel:
    """Why one athlete needs a look, newest first (the coach's view)."""
    return flagged_model(coaching.athlete_flags(ctx.uow(), user_id=user.id,
                                                athlete_id=athlete_id, clock=ctx.clock))


@api_router.put("/athletes/{athlete_id}/note")
def put_note(athlete_id: str, ctx: Ctx, user: User,
             body: NoteBody | None = None) -> FlaggedAthleteModel:
    """The coach's short note the athlete sees on their plan page (no body, or a null or
    empty note, removes it)."""
    return flagged_model(coaching.set_note(ctx.uow(), user_id=user.id, athlete_id=athlete_id,
                                           note=body.note if body else None,
                                           clock=ctx.clock))


@api_router.get("/plan/notes")
def my_notes(ctx: Ctx, user: User) -> NotesPage:
    """The notes the signed-in athlete's coaches left them, newest first."""
    return NotesPage(notes=[CoachNoteModel(coach_email=n.coach_email, note=n.note,
                                           note_at=n.note_at)
                            for n in coaching.coach_notes(ctx.uow(), user_id=user.id)])


@api_router.get("/plan/sessions/{session_id}/changes")
def get_session_changes(session_id: str, ctx: Ctx, user: User) -> SessionChangesPage:
    """What changed one session of the signed-in athlete's plan and why, newest first."""
    found = changes.session_changes(ctx.uow(), user_id=user.id, session_id=session_id)
    return SessionChangesPage(changes=[SessionChangeModel(
        change=ChangeModel.model_validate(f.change), changed_it=f.changed_it,
        set_off_by_it=f.set_off_by_it) for f in found])
