"""Printable PDFs: the plan, and a progress report for a coach or physiotherapist.

HTML from Jinja2 templates (`formats/templates/`) with print CSS, laid out by WeasyPrint.
The date printed on the cover is passed in (`generated_on`), never read from a clock, and
WeasyPrint is told not to stamp its own creation date, so the same plan and date give the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2

from retrorun.domain.model import Plan
from retrorun.domain.profile import Units
from retrorun.formats._pdf_view import WEEKDAY_NAMES, plan_view
from retrorun.formats._report_view import report_view
from retrorun.formats._text import plan_units
from retrorun.formats.logs import SessionLog


@dataclass(frozen=True, slots=True)
class PdfOptions:
    generated_on: dt.date  # printed on the cover; pass the plan's date, not "now", to cache
    units: Units | None = None  # default: the athlete's choice


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("retrorun.formats", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _stylesheet() -> str:
    return (resources.files("retrorun.formats") / "templates" / "print.css").read_text("utf-8")


def render_html(template: str, **context: object) -> str:
    """The HTML a PDF is made from; tests and the web app can look at it directly."""
    return _environment().get_template(template).render(**context)


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint is heavy to import; only PDF rendering pays for it.
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=".").render(stylesheets=[CSS(string=_stylesheet())])
    data: bytes = document.write_pdf(uncompressed_pdf=False)
    return data


def plan_html(plan: Plan, options: PdfOptions) -> str:
    units = plan_units(plan, options.units)
    return render_html(
        "plan.html.j2", v=plan_view(plan, units, options.generated_on), weekday_names=WEEKDAY_NAMES
    )


def plan_pdf(plan: Plan, options: PdfOptions) -> bytes:
    """The printable plan: cover, safety, overview chart, week grids, cards, core, log sheet."""
    return html_to_pdf(plan_html(plan, options))


def progress_html(plan: Plan, logs: Sequence[SessionLog], options: PdfOptions) -> str:
    units = plan_units(plan, options.units)
    return render_html("report.html.j2", v=report_view(plan, logs, units, options.generated_on))


def progress_pdf(plan: Plan, logs: Sequence[SessionLog], options: PdfOptions) -> bytes:
    """Planned vs done per week, pain and RPE trends, flagged events, and every log."""
    return html_to_pdf(progress_html(plan, logs, options))
