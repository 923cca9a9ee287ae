"""The registry the web app and the CLI call: every format, every program, random plans."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace

import pytest
from hypothesis import given, settings

from retrorun import formats
from retrorun.domain.evidence import FORBIDDEN_CLAIMS
from retrorun.domain.model import Plan
from retrorun.formats import (
    EXPORTERS,
    SESSION_EXPORTERS,
    ExportOptions,
    FormatError,
    UnknownFormat,
    export,
    export_session,
)
from retrorun.formats.fit_reader import read_workout

from .builders import demo_plan
from .plans import every_program_plan, generated_plans

OPTIONS = ExportOptions(made_at=dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC))
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
QUICK = [fmt for fmt in EXPORTERS if not fmt.endswith("pdf")]


def test_the_public_surface_is_pinned() -> None:
    assert sorted(formats.__all__) == sorted([
        "EXPORTERS", "SESSION_EXPORTERS", "EventVersion", "Export", "ExportOptions",
        "FormatError", "LogStatus", "SessionLog", "UnknownFormat", "export", "export_session",
        "plan_file_stem", "session_file_stem",
    ])
    assert sorted(EXPORTERS) == ["csv", "fit.zip", "ics", "intervals.txt", "json", "logs.csv",
                                 "pdf", "report.pdf"]
    assert sorted(SESSION_EXPORTERS) == ["fit", "ics", "intervals.txt"]


def test_every_quick_format_on_every_program() -> None:
    for plan in every_program_plan():
        for fmt in QUICK:
            result = export(plan, fmt, OPTIONS)
            assert result.data, (plan.program, fmt)
            assert SAFE_NAME.match(result.filename), result.filename
            assert result.filename.endswith(fmt.rsplit(".", 1)[-1])
            assert export(plan, fmt, OPTIONS) == result  # deterministic


def test_media_types() -> None:
    plan = demo_plan(1)
    types = {fmt: export(plan, fmt, OPTIONS).media_type for fmt in QUICK}
    assert types == {
        "ics": "text/calendar; charset=utf-8",
        "fit.zip": "application/zip",
        "intervals.txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "logs.csv": "text/csv; charset=utf-8",
        "json": "application/json",
    }


def test_one_session_in_each_session_format() -> None:
    plan = demo_plan(1)
    session = plan.sessions[0]
    fit = export_session(plan, session.id, "fit", OPTIONS)
    assert fit.media_type == "application/vnd.ant.fit"
    assert fit.filename == "retrorun-2026-01-06-w1-tue.fit"
    archive = zipfile.ZipFile(io.BytesIO(export(plan, "fit.zip", OPTIONS).data))
    assert fit.data == archive.read("2026-01-06_w1-tue.fit")
    assert read_workout(fit.data).name == session.title
    assert b"BEGIN:VEVENT" in export_session(plan, session.id, "ics", OPTIONS).data
    assert b"BACKWARD" in export_session(plan, session.id, "intervals.txt", OPTIONS).data


def test_no_text_export_makes_a_forbidden_claim() -> None:
    for plan in every_program_plan():
        for fmt in ("ics", "intervals.txt", "csv", "json"):
            text = export(plan, fmt, OPTIONS).data.decode().lower()
            for claim in FORBIDDEN_CLAIMS:
                assert claim not in text, (plan.program, fmt, claim)


def test_a_naive_timestamp_is_refused() -> None:
    naive = ExportOptions(made_at=dt.datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(FormatError, match="timezone-aware"):
        export(demo_plan(1), "pdf", naive)


def test_unknown_formats_and_sessions_are_format_errors() -> None:
    plan = demo_plan(1)
    with pytest.raises(UnknownFormat, match="allowed: pdf"):
        export(plan, "docx", OPTIONS)
    with pytest.raises(UnknownFormat):
        export_session(plan, plan.sessions[0].id, "pdf", OPTIONS)
    with pytest.raises(FormatError, match="not in this plan"):
        export_session(plan, "nope", "fit", OPTIONS)


@settings(max_examples=10, deadline=None)
@given(generated_plans())
def test_every_quick_format_on_random_plans(plan: Plan) -> None:
    for fmt in QUICK:
        assert export(plan, fmt, OPTIONS).data


def test_an_empty_plan_exports_in_every_format() -> None:
    empty = Plan(program="starter-8", program_version="1", start_date=dt.date(2026, 1, 5),
                 weeks=())
    for fmt in EXPORTERS:
        assert export(empty, fmt, OPTIONS).data, fmt


def test_markup_in_titles_is_printed_as_text() -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from .builders import with_session

    plan = demo_plan(1)
    odd = replace(plan.sessions[0], title="<b>Bold</b> & </section>")
    data = export(with_session(plan, odd), "pdf", OPTIONS).data
    text = " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
    assert "<b>Bold</b> & </section>" in text
