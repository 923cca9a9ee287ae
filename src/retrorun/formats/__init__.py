"""Pure exporters: a plan in, bytes out, the same bytes for the same plan and options.

The registry (for the web's download buttons, the API and `retrorun export`)::

    from retrorun.formats import EXPORTERS, ExportOptions, export

    options = ExportOptions(made_at=plan_record.created_at)   # timezone-aware
    result = export(plan, "pdf", options)    # -> Export(media_type, filename, data)
    sorted(EXPORTERS)  # ['csv', 'fit.zip', 'ics', 'intervals.txt', 'json', 'logs.csv',
                       #  'pdf', 'report.pdf']

One session (a "send to watch" or "add to calendar" button)::

    export_session(plan, session_id, "fit", options)      # also "ics", "intervals.txt"

The calendar feed needs more than bytes, so it calls the ICS module directly::

    from retrorun.formats.ics import CalendarOptions, plan_calendar, etag, etag_matches
    result = plan_calendar(plan, CalendarOptions(stamp=...), previous=stored_versions)
    store(result.versions)            # session id -> EventVersion(hash, sequence, modified)
    tag = etag(result.data)           # answer 304 when etag_matches(if_none_match, tag)

The PDF is laid out from HTML that the web pages share: `formats.templating` renders
the printed plan (`plan_html`, also served at /plan/print) and gives the web app its
templates (`template_loader()`: "plan/card.html", "plan/safety.html", ...), filled with
the views `formats.plan_view` builds (`session_card`, `safety_view`, `core_exercises`).

`ExportOptions.made_at` is when this plan version was made, not "now": it becomes the
calendar DTSTAMP and the date on the PDF cover, so an unchanged plan exports to unchanged
bytes and a polled feed keeps its ETag. `plan_key` goes into calendar UIDs and FIT serial
numbers: a stored plan passes its key (the key of the free preview it was kept from, else
its id; it survives adaptation), the free preview its browser's key; without one a hash
of the plan's inputs is used (the stateless API export), which changes with any answer.

Errors: `retrorun.formats.errors` (FormatError and its subclasses).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from retrorun.domain.document import plan_document
from retrorun.domain.field_tests import FieldTestResult
from retrorun.domain.model import Plan, Session
from retrorun.domain.profile import Units
from retrorun.domain.progress import PlanChange
from retrorun.formats import fit, ics, intervals, pdf, tabular
from retrorun.formats._identity import plan_key, slug
from retrorun.formats._text import plan_units
from retrorun.formats.errors import FormatError, UnknownFormat
from retrorun.formats.ics import EventVersion
from retrorun.formats.logs import LogStatus, SessionLog

__all__ = [
    "EXPORTERS",
    "SESSION_EXPORTERS",
    "EventVersion",
    "Export",
    "ExportOptions",
    "FormatError",
    "LogStatus",
    "SessionLog",
    "UnknownFormat",
    "export",
    "export_session",
    "plan_file_stem",
    "session_file_stem",
]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    made_at: dt.datetime  # timezone-aware: when this plan version was made
    plan_key: str | None = None  # the plan's key (see the module docstring)
    units: Units | None = None  # default: the athlete's choice
    timezone: str | None = None  # IANA name, for timed calendar events
    start_time: dt.time | None = None  # None: all-day calendar events
    reminder_minutes: int | None = None
    url: str | None = None  # a link back, printed in calendar events
    logs: tuple[SessionLog, ...] = ()
    previous_events: Mapping[str, EventVersion] = field(default_factory=dict)
    # The progress report's: the athlete's today (what counts as due), the plan's
    # changes and the field-test results (see formats.progress_charts).
    today: dt.date | None = None
    changes: tuple[PlanChange, ...] = ()
    field_tests: tuple[FieldTestResult, ...] = ()


@dataclass(frozen=True, slots=True)
class Export:
    media_type: str
    filename: str
    data: bytes


Exporter = Callable[[Plan, ExportOptions], Export]
SessionExporter = Callable[[Plan, Session, ExportOptions], Export]


def plan_file_stem(plan: Plan) -> str:
    """The name every file of this plan starts with; the format adds its extension."""
    return f"retrorun-{slug(plan.program)}-{plan.start_date.isoformat()}"


def _calendar_options(plan: Plan, options: ExportOptions) -> ics.CalendarOptions:
    return ics.CalendarOptions(
        stamp=options.made_at,
        plan_key=options.plan_key,
        timezone=options.timezone,
        start_time=options.start_time,
        reminder_minutes=options.reminder_minutes,
        units=plan_units(plan, options.units),
        url=options.url,
    )


def _pdf_options(options: ExportOptions) -> pdf.PdfOptions:
    return pdf.PdfOptions(generated_on=options.made_at.date(), units=options.units)


def _pdf(plan: Plan, options: ExportOptions) -> Export:
    data = pdf.plan_pdf(plan, _pdf_options(options))
    return Export("application/pdf", f"{plan_file_stem(plan)}.pdf", data)


def _report(plan: Plan, options: ExportOptions) -> Export:
    data = pdf.progress_pdf(plan, options.logs, _pdf_options(options), today=options.today,
                            changes=options.changes, field_tests=options.field_tests)
    return Export("application/pdf", f"{plan_file_stem(plan)}-report.pdf", data)


def _ics(plan: Plan, options: ExportOptions) -> Export:
    result = ics.plan_calendar(plan, _calendar_options(plan, options), options.previous_events)
    return Export("text/calendar; charset=utf-8", f"{plan_file_stem(plan)}.ics", result.data)


def _fit_zip(plan: Plan, options: ExportOptions) -> Export:
    data = fit.plan_fit_zip(plan, plan_key=options.plan_key, units=plan_units(plan, options.units))
    return Export("application/zip", f"{plan_file_stem(plan)}-fit.zip", data)


def _intervals(plan: Plan, options: ExportOptions) -> Export:
    text = intervals.plan_intervals(plan, units=options.units)
    filename = f"{plan_file_stem(plan)}-intervals.txt"
    return Export("text/plain; charset=utf-8", filename, text.encode())


def _csv(plan: Plan, options: ExportOptions) -> Export:
    text = tabular.plan_csv(plan, options.logs, units=options.units)
    return Export("text/csv; charset=utf-8", f"{plan_file_stem(plan)}.csv", text.encode())


def _logs_csv(plan: Plan, options: ExportOptions) -> Export:
    text = tabular.logs_csv(options.logs)
    return Export("text/csv; charset=utf-8", f"{plan_file_stem(plan)}-logs.csv", text.encode())


def _json(plan: Plan, _options: ExportOptions) -> Export:
    text = json.dumps(plan_document(plan), indent=2, ensure_ascii=False) + "\n"
    return Export("application/json", f"{plan_file_stem(plan)}.json", text.encode())


EXPORTERS: Mapping[str, Exporter] = MappingProxyType(
    {
        "pdf": _pdf,
        "report.pdf": _report,
        "ics": _ics,
        "fit.zip": _fit_zip,
        "intervals.txt": _intervals,
        "csv": _csv,
        "logs.csv": _logs_csv,
        "json": _json,
    }
)


def session_file_stem(session: Session) -> str:
    """The name every file of one session starts with."""
    return f"retrorun-{session.date.isoformat()}-{slug(session.id)}"


def _session_fit(plan: Plan, session: Session, options: ExportOptions) -> Export:
    key = options.plan_key or plan_key(plan)
    data = fit.session_fit(session, plan_key=key, units=plan_units(plan, options.units))
    return Export("application/vnd.ant.fit", f"{session_file_stem(session)}.fit", data)


def _session_ics(plan: Plan, session: Session, options: ExportOptions) -> Export:
    result = ics.plan_calendar(
        plan, _calendar_options(plan, options), options.previous_events, session_ids={session.id}
    )
    return Export("text/calendar; charset=utf-8", f"{session_file_stem(session)}.ics", result.data)


def _session_intervals(plan: Plan, session: Session, options: ExportOptions) -> Export:
    text = intervals.session_intervals(
        session,
        units=plan_units(plan, options.units),
        hr_max=intervals.athlete_hr_max(plan.athlete),
    )
    return Export("text/plain; charset=utf-8", f"{session_file_stem(session)}.txt", text.encode())


SESSION_EXPORTERS: Mapping[str, SessionExporter] = MappingProxyType(
    {
        "fit": _session_fit,
        "ics": _session_ics,
        "intervals.txt": _session_intervals,
    }
)


def export(plan: Plan, fmt: str, options: ExportOptions) -> Export:
    """The plan in one format; raises UnknownFormat for a name not in EXPORTERS."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise UnknownFormat(f"unknown export format {fmt!r}; allowed: {', '.join(EXPORTERS)}")
    _check(options)
    return exporter(plan, options)


def _check(options: ExportOptions) -> None:
    if options.made_at.tzinfo is None:
        raise FormatError("ExportOptions.made_at must be timezone-aware")


def export_session(plan: Plan, session_id: str, fmt: str, options: ExportOptions) -> Export:
    """One session in one format ("fit", "ics", "intervals.txt")."""
    exporter = SESSION_EXPORTERS.get(fmt)
    if exporter is None:
        raise UnknownFormat(
            f"unknown session export format {fmt!r}; allowed: {', '.join(SESSION_EXPORTERS)}"
        )
    _check(options)
    session = plan.session(session_id)
    if session is None:
        raise FormatError(f"session {session_id!r} is not in this plan")
    return exporter(plan, session, options)
