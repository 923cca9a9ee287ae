"""PDFs: every session printed, pages numbered, no blank pages, honest words only."""

from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from pypdf import PdfReader

from retrorun.domain.context import Limits
from retrorun.domain.evidence import FORBIDDEN_CLAIMS, SOURCES, STRENGTH_LEGEND
from retrorun.domain.generator import build_plan
from retrorun.domain.model import Plan, Session
from retrorun.domain.profile import parse_profile
from retrorun.formats._chart import Bar, weekly_minutes_svg
from retrorun.formats.logs import LogStatus, SessionLog
from retrorun.formats.pdf import PdfOptions, plan_pdf, progress_pdf
from retrorun.formats.plan_view import long_date
from tests.domain.strategies import profiles
from tests.domain.test_plan_invariants import plan_for as random_plan

from .builders import demo_plan
from .plans import every_program_plan, plan_for

OPTIONS = PdfOptions(generated_on=dt.date(2026, 1, 1))
# A page counts as blank when less than this share of its body (margins excluded) is ink;
# one three-line session card that spills onto its own page is about 0.0016.
MIN_INK = 0.0005


def page_range(plan: Plan) -> range:
    """How many pages a plan may print on: the cover, safety, overview, grid and log sheet
    take at least a page each, and the cards at least a page per 20 sessions (a card is at
    least 13 mm of the 263 mm page body); at most four pages a week and ten more."""
    least = 5 + math.ceil(len(plan.sessions) / 20)
    return range(least, 4 * len(plan.weeks) + 10 + 1)


def card_heading(session: Session) -> str:
    return f"{long_date(session.date)} · {session.title}"


def orphaned_week_headings(plan: Plan, texts: list[str]) -> list[tuple[int, int]]:
    """(week, page) for each page that shows a week's heading but none of its cards."""
    return [
        (week.index, number)
        for number, text in enumerate(texts, start=1)
        for week in plan.weeks
        if week.sessions
        and f"Week {week.index} · backward stage" in text
        and not any(card_heading(s) in text for s in week.sessions)
    ]


def page_texts(data: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(data)).pages
    ]


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary greyscale PGM (what pdftoppm -gray writes)."""
    data = path.read_bytes()
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields, path
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[fields.end() :]


def render_pages(data: bytes, folder: Path, dpi: int = 30) -> list[tuple[int, int, bytes]]:
    """Every page as greyscale pixels (width, height, bytes), rendered by poppler's pdftoppm."""
    pdf = folder / "doc.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return [read_pgm(path) for path in sorted(folder.glob("page-*.pgm"))]


def ink_per_page(data: bytes, folder: Path) -> list[float]:
    """The share of ink in each page's body (its margins left out)."""
    shares = []
    for width, height, pixels in render_pages(data, folder):
        top, bottom = int(height * 0.08), int(height * 0.92)
        body = pixels[top * width : bottom * width]
        shares.append(sum(1 for p in body if p < 200) / len(body))
    return shares


@pytest.fixture(scope="module")
def program_pdfs() -> list[tuple[Plan, bytes]]:
    return [(plan, plan_pdf(plan, OPTIONS)) for plan in every_program_plan()]


def test_every_session_of_every_program_is_printed(program_pdfs: list[tuple[Plan, bytes]]) -> None:
    for plan, data in program_pdfs:
        text = " ".join(page_texts(data))
        for session in plan.sessions:
            assert card_heading(session) in text, session.id


def test_pages_are_numbered_x_of_y_and_in_range(program_pdfs: list[tuple[Plan, bytes]]) -> None:
    for plan, data in program_pdfs:
        texts = page_texts(data)
        assert len(texts) in page_range(plan), plan.program
        for number, text in enumerate(texts, start=1):
            assert f"Page {number} of {len(texts)}" in text


def test_no_page_is_blank(program_pdfs: list[tuple[Plan, bytes]], tmp_path: Path) -> None:
    for index, (_plan, data) in enumerate(program_pdfs):
        folder = tmp_path / str(index)
        folder.mkdir()
        shares = ink_per_page(data, folder)
        assert len(shares) == len(PdfReader(BytesIO(data)).pages)
        assert min(shares) > MIN_INK, shares


def test_the_blank_page_check_can_fail(tmp_path: Path) -> None:
    from retrorun.formats.pdf import html_to_pdf

    data = html_to_pdf("<p>one</p><p style='break-before: page'></p>")
    shares = ink_per_page(data, tmp_path)
    assert len(shares) == 2
    assert shares[1] <= MIN_INK


def test_the_words_stay_honest(program_pdfs: list[tuple[Plan, bytes]]) -> None:
    for _plan, data in program_pdfs:
        text = " ".join(page_texts(data)).lower()
        for claim in FORBIDDEN_CLAIMS:
            assert claim not in text
        assert "not medical advice" in text
        assert "brain" not in text


def test_the_cover_and_safety_pages_say_what_matters(
    program_pdfs: list[tuple[Plan, bytes]],
) -> None:
    _plan, data = program_pdfs[0]
    texts = page_texts(data)
    cover = " ".join(texts[:2])
    assert "Your inputs" in cover
    assert "Safety screen clear" in cover
    assert "Why this program" in cover
    first_source = SOURCES["myatt1995"].citation[:40]
    assert first_source in cover
    for strength, meaning in STRENGTH_LEGEND:  # the registry's rule, as the landing page says
        assert f"{strength} ({meaning})" in cover, strength
    safety = next(t for t in texts if "Safety first" in t)
    for phrase in (
        "alternating shoulders",
        "safety key",
        "When to stop",
        "dizziness",
        "Never on roads",
    ):
        assert phrase in safety


def test_a_screened_out_plan_says_walking_indoors_and_clinician() -> None:
    plan = plan_for("starter-8", screen={"vertigo": True})
    safety = next(t for t in page_texts(plan_pdf(plan, OPTIONS)) if "Safety first" in t)
    assert "answered yes" in safety
    assert "see a clinician" in safety
    assert "only backward walking, on a treadmill with handrails or indoors" in safety
    assert "athletics track" not in safety


def test_imperial_plans_print_miles_and_yards() -> None:
    text = " ".join(page_texts(plan_pdf(demo_plan(2, units="imperial"), OPTIONS)))
    assert "/mi" in text
    assert "22 yd" in text
    assert "/km" not in text


def test_same_plan_and_date_give_the_same_bytes() -> None:
    plan = demo_plan(1)
    assert plan_pdf(plan, OPTIONS) == plan_pdf(plan, OPTIONS)


def test_the_progress_report_shows_planned_vs_done_and_flags(tmp_path: Path) -> None:
    plan = demo_plan(4)
    sessions = plan.sessions
    logs = [
        SessionLog(
            sessions[0].id,
            sessions[0].date,
            LogStatus.DONE,
            600,
            480,
            rpe=3,
            pain_during=1,
            pain_next_morning=0,
        ),
        SessionLog(sessions[1].id, sessions[1].date, LogStatus.SKIPPED),
        SessionLog(
            sessions[3].id,
            sessions[3].date,
            LogStatus.PARTIAL,
            1200,
            120,
            rpe=6,
            pain_during=6,
            pain_next_morning=7,
            events=("stumble",),
            notes="wet grass",
        ),
    ]
    data = progress_pdf(plan, logs, OPTIONS)
    text = " ".join(page_texts(data))
    assert "2 of 20 planned sessions done" in text
    assert "Planned and done" in text
    assert "stumble" in text
    assert "wet grass" in text
    assert "not medical advice" in text
    assert min(ink_per_page(data, tmp_path)) > MIN_INK


def test_an_empty_progress_report_still_prints() -> None:
    text = " ".join(page_texts(progress_pdf(demo_plan(1), [], OPTIONS)))
    assert "Nothing logged yet" in text
    assert "nothing logged yet" in text


def test_a_session_identical_to_one_earlier_that_week_points_to_it() -> None:
    from retrorun.domain.profile import Units
    from retrorun.formats.plan_view import plan_view

    plan = plan_for("starter-8")
    view = plan_view(plan, Units.METRIC, dt.date(2026, 1, 1))
    cards = {c.id: c for w in view.weeks for d in w.days for c in d.sessions}
    first, second = (s for s in plan.weeks[0].sessions if s.kind.value == "backward")
    assert cards[first.id].blocks
    assert not cards[first.id].same_as
    assert cards[second.id].same_as == long_date(first.date)
    assert not cards[second.id].blocks
    next_week = next(s for s in plan.weeks[1].sessions if s.kind.value == "backward")
    assert cards[next_week.id].blocks  # every week prints its sessions in full once


def test_printed_cards_cite_their_sources_by_number_on_the_cover() -> None:
    from retrorun.domain.profile import Units
    from retrorun.formats.plan_view import plan_view

    plan = plan_for("starter-8")
    view = plan_view(plan, Units.METRIC, dt.date(2026, 1, 1))
    numbers = {source.id: n for n, source in enumerate(view.story.sources, start=1)}
    card = next(c for w in view.weeks for d in w.days for c in d.sessions if c.refs)
    session = plan.session(card.id)
    assert session is not None
    assert card.refs == ", ".join(str(numbers[s]) for s in session.evidence)
    assert not card.sources  # the cover lists them in full, once


def test_every_page_of_the_log_sheet_names_its_columns(
    program_pdfs: list[tuple[Plan, bytes]],
) -> None:
    headings = "Done Fwd min Bwd min RPE Pain Next am Notes"
    for plan, data in program_pdfs:
        texts = page_texts(data)
        first = next(n for n, text in enumerate(texts) if "Log sheet" in text)
        sheet = texts[first:]
        assert len(sheet) >= 1, plan.program.id
        for text in sheet:
            assert headings in text, (plan.program.id, text[:200])


def _labels(svg: str) -> list[tuple[float, str, str]]:
    """(x, anchor, text) of each text of an SVG chart."""
    return [
        (float(x), anchor or "start", text)
        for x, anchor, text in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+"(?: text-anchor="(\w+)")?>([^<]*)</text>', svg
        )
    ]


def test_chart_labels_stay_inside_the_chart() -> None:
    from retrorun.formats import _progress_svg as progress_svg

    day = dt.date(2026, 11, 2)
    points = tuple((day + dt.timedelta(days=n), 5.0) for n in range(0, 25, 3))
    axis = progress_svg.DateAxis(day, points[-1][0])
    svg = progress_svg.dated_lines(axis, [progress_svg.Line("pain during", "#c2410c", points)],
                                   title="Pain", unit="pain", top=10.0)
    for x, anchor, text in _labels(svg):
        # DejaVu Sans at 12 units: about 7.2 units a glyph on average.
        width = progress_svg.GLYPH * len(text)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        assert left >= 0, (text, x, anchor)
        assert left + width <= progress_svg.W, (text, x, anchor)
    assert "26 Nov" in svg


@pytest.mark.parametrize("top", [9, 10, 37, 112.5, 150, 190, 256, 450, 1001, 2400])
def test_chart_axes_count_in_round_steps(top: float) -> None:
    svg = weekly_minutes_svg([Bar("W1", top * 0.8, top * 0.2)], "Minutes")
    values = [float(text) for _x, anchor, text in _labels(svg) if anchor == "end"]
    step = values[1] - values[0]
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 5), values
    assert values == [step * n for n in range(len(values))]
    assert values[-1] >= top
    assert len(values) <= 7


# The profile of the user audit whose printed plan ended a page with "Week 2 · backward
# stage: jog" and its intro line, the week's cards all on the next page.
AUDIT_PROFILE: dict[str, Any] = {
    "experience": "trained", "weekly_minutes": 240, "runs_per_week": 5,
    "longest_run_minutes": 90, "available_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
    "long_run_day": "sat", "goal": "economy", "age": 30, "surfaces": ["track", "road"],
    "start_date": "2026-11-02", "units": "imperial", "screen": {},
}


def test_the_cover_words_the_easy_pace_source_and_the_coach_limits() -> None:
    plan = build_plan(parse_profile(AUDIT_PROFILE), Limits(30, 4))
    cover = page_texts(plan_pdf(plan, OPTIONS))[0]
    assert "(default for trained runners, our assumption)" in cover
    assert "Coach limits at most 30 backward minutes a week; pain threshold 4/10" in cover
    assert "[A]" not in cover
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", cover), cover  # no raw field names


def test_a_week_heading_starts_the_page_of_its_first_card(
    program_pdfs: list[tuple[Plan, bytes]],
) -> None:
    audit = build_plan(parse_profile(AUDIT_PROFILE))
    for plan, data in [*program_pdfs, (audit, plan_pdf(audit, OPTIONS))]:
        assert orphaned_week_headings(plan, page_texts(data)) == [], plan.program


def test_the_log_sheet_closes_its_notes_column(tmp_path: Path) -> None:
    plan = plan_for("maintenance")
    data = plan_pdf(plan, OPTIONS)
    sheet = next(n for n, text in enumerate(page_texts(data)) if "Log sheet" in text)
    dpi = 100
    width, height, pixels = render_pages(data, tmp_path, dpi)[sheet]
    # The sheet is 182 mm wide between the 14 mm margins: its right edge ends at 196 mm.
    edge = range(round(194.5 * dpi / 25.4), round(196.5 * dpi / 25.4))
    dark = max(sum(1 for y in range(height) if pixels[y * width + x] < 160) for x in edge)
    assert dark > 0.3 * height  # a line down the sheet, not just the rows' bottom edges


@pytest.mark.parametrize("count", [13, 35])
def test_the_progress_reports_closing_note_keeps_company(count: int) -> None:
    plan = plan_for("starter-8")
    # Log tables that end at a page's foot: the note used to follow on a page of its own.
    sessions = plan.sessions[:count]
    logs = [
        SessionLog(s.id, s.date, LogStatus.DONE, 1800, 300, rpe=4, pain_during=1,
                   pain_next_morning=0)
        for s in sessions
    ]
    last = page_texts(progress_pdf(plan, logs, OPTIONS))[-1]
    assert "This report summarises what the athlete logged" in last
    assert sessions[-1].title in last  # with the last log's row


def test_grid_durations_never_break_across_lines() -> None:
    from retrorun.domain.profile import Units
    from retrorun.formats.plan_view import plan_view

    view = plan_view(plan_for("economy-10"), Units.METRIC, dt.date(2026, 1, 1))
    labels = [c.label for w in view.weeks for d in w.days for c in d.sessions]
    assert all("\u00a0min" in label for label in labels)
    for label in labels:
        duration = label.rsplit(" · ", 1)[1]
        assert " " not in duration, label


def test_a_plan_starting_on_a_sunday_prints_every_session_under_its_weekday() -> None:
    from retrorun.domain.profile import Units
    from retrorun.formats.plan_view import plan_view

    plan = plan_for("starter-8", start_date="2026-01-04")  # a Sunday
    view = plan_view(plan, Units.METRIC, dt.date(2026, 1, 1))
    assert view.weekday_names == ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
    printed = {c.id: (w.index, d.weekday) for w in view.weeks for d in w.days for c in d.sessions}
    assert printed == {
        s.id: (w.index, long_date(s.date)[:3]) for w in plan.weeks for s in w.sessions
    }


# PDF renders take about a second each: a few random plans, the same ones every run, and
# no shrinking (a failing example is reported as drawn; shrinking one took minutes).
RANDOM_PLANS = settings(max_examples=6, deadline=None, derandomize=True,
                        phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=[HealthCheck.too_slow])


@RANDOM_PLANS
@given(profiles())
def test_random_plans_print_every_session_on_numbered_pages(raw: dict[str, Any]) -> None:
    plan = random_plan(raw)
    data = plan_pdf(plan, OPTIONS)
    texts = page_texts(data)
    text = " ".join(texts)
    for session in plan.sessions:
        assert card_heading(session) in text, session.id
    assert len(texts) in page_range(plan)
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page
    assert orphaned_week_headings(plan, texts) == []
    with tempfile.TemporaryDirectory() as folder:
        assert min(ink_per_page(data, Path(folder))) > MIN_INK
