"""`retrorun export`: the plan as PDF, calendar, watch workouts, intervals.icu text, CSV, JSON.

Every output path is checked before anything is rendered, and every file is written to a
temporary name first and then renamed, so a failed export leaves no half-written files.
A symbolic link is followed (the file it points to is replaced, the link stays); a path
that is not a regular file (a FIFO, /dev/stdout, a device) is written to directly.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from retrorun.cli._app import UserError, app

if TYPE_CHECKING:
    from retrorun.domain.model import Plan
    from retrorun.formats import ExportOptions, SessionLog
    from retrorun.services.views import LogView

# Which registry format each file option writes (see retrorun.formats.EXPORTERS).
FILE_OPTIONS = {
    "pdf": "pdf",
    "report": "report.pdf",
    "ics": "ics",
    "intervals": "intervals.txt",
    "csv": "csv",
    "json": "json",
}


@dataclass(frozen=True, slots=True)
class Output:
    fmt: str
    path: Path


def _probe(folder: Path, target: Path) -> None:
    """Create and remove a file in the folder: the only test that also holds for root,
    read-only mounts and pseudo file systems."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".retrorun-probe-"):
            pass
    except OSError as error:
        raise UserError(f"cannot write {target}: {error.strerror}") from error


def _is_special(path: Path) -> bool:
    """A path that exists and is not a regular file or folder: a FIFO, a terminal, a device."""
    return path.exists() and not path.is_file() and not path.is_dir()


def _check_file(path: Path) -> None:
    target = path.resolve()
    if target.is_dir():
        raise UserError(f"{path} is a directory; give a file name")
    if not target.parent.is_dir():
        # Name the folder as given, unless a link led somewhere else.
        shown = path.parent if target == path.absolute() else target.parent
        raise UserError(f"cannot write {path}: folder {shown} does not exist")
    if target.exists() and not os.access(target, os.W_OK):
        raise UserError(f"cannot write {path}: permission denied")
    if not _is_special(target):
        _probe(target.parent, path)


def _check_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--fit-dir {folder} is a file, not a folder")
    probe = folder if folder.exists() else folder.parent
    if not probe.is_dir():
        raise UserError(f"cannot create {folder}: folder {probe} does not exist")
    _probe(probe, folder)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    target = path.resolve()
    try:
        if _is_special(target):
            # Renaming over a FIFO or a device would replace it with a plain file.
            with target.open("wb") as stream:
                stream.write(data)
        else:
            _replace(target, data)
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror}") from error
    sys.stderr.write(f"wrote {path} ({len(data):,} bytes)\n")


def _replace(target: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                     delete=False) as temporary:
        temporary.write(data)
    try:
        # Temporary files are private (0600); the export gets the usual umask-based mode.
        Path(temporary.name).chmod(0o666 & ~_umask())
        Path(temporary.name).replace(target)
    except OSError:
        Path(temporary.name).unlink(missing_ok=True)
        raise


def _write_fit_dir(plan: Plan, folder: Path, options: ExportOptions) -> None:
    from retrorun.formats import fit
    from retrorun.formats._identity import plan_key
    from retrorun.formats._text import plan_units

    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create {folder}: {error.strerror}") from error
    key = options.plan_key or plan_key(plan)
    units = plan_units(plan, options.units)
    members = fit.fit_members(plan)
    for session, name in members:
        data = fit.session_fit(session, plan_key=key, units=units)
        write_atomically(folder / name, data)
    if not members:
        sys.stderr.write("the plan has no running sessions: no FIT files written\n")


def _profile_plan(profile: Path) -> tuple[Plan, ExportOptions]:
    from retrorun.cli.plan import read_profile
    from retrorun.domain.generator import build_plan
    from retrorun.formats import ExportOptions

    plan = build_plan(read_profile(profile))
    # The shell may read the clock; the exporters never do. Made "today" rather than now,
    # as the web's free plan: the same profile exports to the same bytes all day.
    today = dt.datetime.now(dt.UTC).date()
    return plan, ExportOptions(made_at=dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC))


def _stored_plan(athlete_id: str | None, plan_id: str | None = None
                 ) -> tuple[Plan, ExportOptions]:
    """A stored plan and its logs, by athlete or by plan id, through the services
    (database from settings)."""
    from retrorun.cli._athlete import athlete_id as named
    from retrorun.cli._athlete import opened
    from retrorun.formats import ExportOptions
    from retrorun.services import calendar_feed, logs, plans, progress
    from retrorun.services.errors import ServiceError

    given = f"--plan {plan_id}" if plan_id is not None else f"--athlete {athlete_id}"
    with opened() as services:
        settings = services.settings
        try:
            if plan_id is not None:
                athlete_id = plans.athlete_of_plan(services.uow(), plan_id=plan_id)
            else:
                assert athlete_id is not None  # noqa: S101  (one of the two is given)
                athlete_id = named(services, athlete_id)
            view = plans.get_plan(services.uow(), user_id=athlete_id)
            logged = logs.list_logs(services.uow(), user_id=athlete_id)
            calendar = calendar_feed.calendar_download(services.uow(), user_id=athlete_id)
            report = progress.report_inputs(services.uow(), user_id=athlete_id,
                                            clock=services.clock)
        except ServiceError as error:
            raise UserError(f"{given}: {error}") from error
    # The stored plan's key (its free preview's, else its id) keeps calendar UIDs and FIT
    # serials across plan versions and matches what the web served; its update time makes
    # an unchanged plan export to unchanged bytes. The calendar follows the athlete's own
    # settings, with the SEQUENCE the feed serves and the same link back to the plan, so
    # without calendar flags the file holds the feed's events, byte for byte.
    chosen = calendar.settings
    return view.plan, ExportOptions(
        made_at=calendar_feed.made_at(view.updated_at, chosen), plan_key=view.plan_key,
        logs=tuple(_session_log(log) for log in logged), timezone=chosen.timezone,
        start_time=chosen.start_time, reminder_minutes=chosen.reminder_minutes,
        url=settings.plan_url, previous_events=calendar.previous, today=report.today,
        changes=report.changes, field_tests=report.field_tests)


def _session_log(log: LogView) -> SessionLog:
    from retrorun.formats import LogStatus, SessionLog

    return SessionLog(
        session_id=log.session_id, date=log.session_date, status=LogStatus(log.status.value),
        forward_seconds=round(log.forward_minutes * 60),
        backward_seconds=round(log.backward_minutes * 60), rpe=log.rpe,
        pain_during=log.pain_during, pain_next_morning=log.pain_next_morning,
        events=tuple(event.value.replace("_", " ") for event in log.events), notes=log.notes,
    )


def _options(base: ExportOptions, *, units: str | None, timezone: str | None,
             start_time: str | None, reminder: int | None) -> ExportOptions:
    """The flags over the base options (a stored plan's base holds the athlete's calendar
    settings); the calendar flags are checked as the settings page checks them."""
    from dataclasses import replace

    from retrorun.domain.profile import Units
    from retrorun.services.calendar_feed import calendar_settings_problems

    if units is not None and units not in {u.value for u in Units}:
        raise UserError(f"--units: got {units!r}; allowed: metric, imperial")
    zone = timezone if timezone is not None else base.timezone
    time = start_time if start_time is not None else base.start_time
    minutes = reminder if reminder is not None else base.reminder_minutes
    settings, problems = calendar_settings_problems(
        zone, time.strftime("%H:%M") if isinstance(time, dt.time) else time, minutes)
    if problems:
        field, message = next(iter(problems.items()))
        raise UserError(f"{CALENDAR_FLAGS[field]}: {message}")
    return replace(base, units=Units(units) if units else base.units,
                   timezone=settings.timezone, start_time=settings.start_time,
                   reminder_minutes=settings.reminder_minutes)


CALENDAR_FLAGS = {"timezone": "--timezone", "start_time": "--start-time",
                  "reminder_minutes": "--reminder"}


@app.command()
def export(
    profile: Annotated[Path | None, typer.Option("--profile", "-p",
                       help="Profile JSON file (tests/contracts/profile.schema.json)")] = None,
    athlete: Annotated[str | None, typer.Option(
        help="Export the stored plan (and logs) of this athlete (email or user id) instead"
    )] = None,
    plan_id: Annotated[str | None, typer.Option(
        "--plan", help="Export the stored plan (and logs) with this plan id instead")] = None,
    pdf: Annotated[Path | None, typer.Option(help="Printable plan (PDF)")] = None,
    report: Annotated[Path | None, typer.Option(help="Progress report (PDF)")] = None,
    ics: Annotated[Path | None, typer.Option(help="Calendar file (ICS)")] = None,
    fit_dir: Annotated[Path | None, typer.Option("--fit-dir",
                       help="Folder for one Garmin FIT workout per running session")] = None,
    intervals: Annotated[Path | None, typer.Option(help="intervals.icu workout text")] = None,
    csv: Annotated[Path | None, typer.Option(help="Sessions as CSV")] = None,
    json: Annotated[Path | None, typer.Option("--json", help="Plan document (JSON)")] = None,
    units: Annotated[str | None, typer.Option(help="metric or imperial (default: profile)")
                     ] = None,
    timezone: Annotated[str | None, typer.Option(help="Calendar time zone, e.g. "
                                                 "Europe/Berlin")] = None,
    start_time: Annotated[str | None, typer.Option(help="Timed calendar events at HH:MM "
                                                   "(default: all-day)")] = None,
    reminder: Annotated[int | None, typer.Option(help="Calendar reminder, minutes before")
                        ] = None,
) -> None:
    """Export a plan to files, in any combination of formats.

    Example: retrorun export --profile me.json --pdf plan.pdf --ics plan.ics --fit-dir watch/

    With --plan or --athlete, the stored plan is read from the database of the settings
    (RETRORUN_DATABASE_URL or RETRORUN_DATA_DIR), with its logs for --report and --csv.
    """
    outputs = [Output(FILE_OPTIONS[name], path) for name, path in
               (("pdf", pdf), ("report", report), ("ics", ics), ("intervals", intervals),
                ("csv", csv), ("json", json)) if path is not None]
    if not outputs and fit_dir is None:
        raise UserError("nothing to export: give at least one of --pdf, --report, --ics, "
                        "--fit-dir, --intervals, --csv, --json")
    if sum(given is not None for given in (profile, athlete, plan_id)) != 1:
        raise UserError("give one of --profile FILE (a new plan), --plan ID or --athlete "
                        "EMAIL_OR_ID (a stored plan)")
    for output in outputs:
        _check_file(output.path)
    if fit_dir is not None:
        _check_dir(fit_dir)
    plan, base = (_profile_plan(profile) if profile is not None
                  else _stored_plan(athlete, plan_id))
    options = _options(base, units=units, timezone=timezone, start_time=start_time,
                       reminder=reminder)
    _render(plan, outputs, fit_dir, options)


def _render(plan: Plan, outputs: list[Output], fit_dir: Path | None,
            options: ExportOptions) -> None:
    from retrorun.formats import FormatError
    from retrorun.formats import export as run_export

    try:
        for output in outputs:
            write_atomically(output.path, run_export(plan, output.fmt, options).data)
        if fit_dir is not None:
            _write_fit_dir(plan, fit_dir, options)
    except FormatError as error:
        raise UserError(str(error)) from error
