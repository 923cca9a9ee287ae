"""`retrorun log`: log a session of an athlete's current plan (or edit its log).

A thin shell over `services.logs`: the checks (a session before its day, minutes against
the session, "done" filling in the planned minutes) and the adaptation a log causes are
the use case's; this command only turns options into a `LogInput` and errors into one
line naming the option.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from retrorun.cli._app import UserError, app

if TYPE_CHECKING:
    from retrorun.services.views import LogInput, LogView

# The log's fields in the words of this command's options (the form of the terminal).
OPTIONS = {
    "status": "--status", "forward_minutes": "--forward-minutes",
    "backward_minutes": "--backward-minutes", "rpe": "--rpe", "pain_during": "--pain-during",
    "pain_next_morning": "--pain-next-morning", "events": "--events", "notes": "--notes",
    "session_id": "SESSION_ID", "session": "SESSION_ID",
}


def _minutes(text: str | None) -> Any:
    """Minutes as typed: a number when it reads as one, else the text itself, which the
    use case refuses with its message, together with every other wrong field."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _whole(text: str | None) -> Any:
    """A whole number as typed; 7.5 or "abc" go on as they are, for the use case to name."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _events(text: str | None) -> list[str] | None:
    """"stumble,neck pain" -> ["stumble", "neck_pain"]; "" clears them (on an edit)."""
    if text is None:
        return None
    return [e.strip().lower().replace("-", "_").replace(" ", "_")
            for e in text.split(",") if e.strip()]


def entry_of(given: Mapping[str, Any], previous: LogView | None) -> LogInput:
    """The log to store: the options given and, on an edit, the earlier log's answers to
    the questions not asked again (as the web form comes filled in). Minutes carry over
    only while the status stays the same: "done" fills in the planned minutes."""
    from retrorun.services.views import LogInput

    fields = {k: v for k, v in given.items() if v is not None}
    if previous is not None:
        kept: dict[str, Any] = {
            "rpe": previous.rpe, "pain_during": previous.pain_during,
            "pain_next_morning": previous.pain_next_morning,
            "events": [e.value for e in previous.events], "notes": previous.notes}
        if previous.status.value == str(given["status"]).strip().lower():
            kept |= {"forward_minutes": previous.forward_minutes,
                     "backward_minutes": previous.backward_minutes}
        fields = {**{k: v for k, v in kept.items() if v is not None}, **fields}
    return LogInput(**fields)


def problem(error: Exception, session_id: str) -> str:
    """A service error as one line naming the option (every field at fault, if several)."""
    from retrorun.services.errors import NotFound

    if isinstance(error, NotFound):
        return f"SESSION_ID {session_id}: no such session in the athlete's current plan"
    # Several wrong fields (InvalidFields) each carry their field, as one does.
    errors = getattr(error, "errors", None) or (error,)
    said = [f"{OPTIONS.get(field, field)}: {getattr(one, 'message', one)}"
            for one in errors if isinstance(field := getattr(one, "field", None), str)]
    return "; ".join(said) if said else str(error)


def _said(log: LogView) -> str:
    parts = [log.status.value]
    if log.forward_minutes or log.backward_minutes:
        parts.append(f"forward {log.forward_minutes:g} min, backward "
                     f"{log.backward_minutes:g} min")
    for name, value in (("RPE", log.rpe), ("pain during", log.pain_during),
                        ("pain next morning", log.pain_next_morning)):
        if value is not None:
            parts.append(f"{name} {value}" + ("" if name == "RPE" else "/10"))
    if log.events:
        parts.append("events: " + ", ".join(e.value.replace("_", " ") for e in log.events))
    if log.notes:
        parts.append(f"notes: {log.notes}")
    return "; ".join(parts)


@app.command("log")
def log(
    session_id: Annotated[str, typer.Argument(metavar="SESSION_ID", help="A session id "
                                              "from `retrorun plan --athlete`")],
    athlete: Annotated[str | None, typer.Option(
        help="The athlete's email or user id (required)")] = None,
    status: Annotated[str | None, typer.Option(help="done, partial or skipped (required)")
                      ] = None,
    forward_minutes: Annotated[str | None, typer.Option(
        "--forward-minutes", metavar="M", help="Forward minutes (done: the planned ones "
                                               "when not given)")] = None,
    backward_minutes: Annotated[str | None, typer.Option(
        "--backward-minutes", metavar="M", help="Backward minutes")] = None,
    rpe: Annotated[str | None, typer.Option(metavar="N", help="Session RPE, 0-10 (CR-10)")
                   ] = None,
    pain_during: Annotated[str | None, typer.Option(
        "--pain-during", metavar="N", help="Pain during, 0-10")] = None,
    pain_next_morning: Annotated[str | None, typer.Option(
        "--pain-next-morning", metavar="N", help="Pain the next morning, 0-10")] = None,
    events: Annotated[str | None, typer.Option(
        help="Any of stumble,dizziness,neck_pain (\"\" for none)")] = None,
    notes: Annotated[str | None, typer.Option(help="A short note")] = None,
) -> None:
    """Log a session of the athlete's current plan; a logged one has its log edited.

    Example: retrorun log starter-8-w01-backward-1 --athlete me@example.com --status done
    --rpe 5 --pain-during 2

    On an edit, the questions not asked again keep their earlier answers. When the log
    changes the plan, each change is printed with its reason.
    """
    from retrorun.cli._athlete import athlete_id, opened
    from retrorun.services import logs, plans
    from retrorun.services.errors import ServiceError

    # Checked here rather than by Click, whose usage errors take a box of lines.
    if athlete is None:
        raise UserError("--athlete: give the athlete's email or user id")
    if status is None:
        raise UserError("--status: give done, partial or skipped")
    given = {
        "status": status,
        "forward_minutes": _minutes(forward_minutes),
        "backward_minutes": _minutes(backward_minutes),
        "rpe": _whole(rpe), "pain_during": _whole(pain_during),
        "pain_next_morning": _whole(pain_next_morning),
        "events": _events(events), "notes": notes}
    with opened() as services:
        user_id = athlete_id(services, athlete)
        try:
            before = plans.get_plan(services.uow(), user_id=user_id)
        except ServiceError as error:
            raise UserError(f"--athlete {athlete.strip()}: has no plan yet") from error
        previous = before.logs.get(session_id)
        try:
            entry = entry_of(given, previous)
            if previous is None:
                stored = logs.log_session(services.uow(), user_id=user_id,
                                          session_id=session_id, entry=entry,
                                          clock=services.clock)
            else:
                stored = logs.edit_log(services.uow(), user_id=user_id, log_id=previous.id,
                                       entry=entry, clock=services.clock)
            after = plans.get_plan(services.uow(), user_id=user_id)
        except ServiceError as error:
            raise UserError(problem(error, session_id)) from error
    done = "Logged" if previous is None else f"Edited the log (revision {stored.revision}) of"
    sys.stdout.write(f"{done} {session_id} ({stored.session_date:%a %d %b %Y}): "
                     f"{_said(stored)}\n")
    _changes(before.document, after.document, athlete.strip())


def _changes(before: Mapping[str, Any], after: Mapping[str, Any], who: str) -> None:
    """Each change the log caused, with its reason."""
    version = int(before.get("version", 1))
    new = [c for c in after.get("changes") or [] if int(c.get("version", 0)) > version]
    for change in new:
        sys.stdout.write(f"The plan changed: {change.get('reason')}\n")
    if new:
        sys.stdout.write(f"Now version {after.get('version')}: `retrorun plan --athlete "
                         f"{who}` shows it.\n")
