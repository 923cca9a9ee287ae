"""Printable PDFs: the plan, and a progress report for a coach or physiotherapist.

HTML from the shared Jinja2 templates (`formats.templating`) with print CSS, laid out by
WeasyPrint. The date printed on the cover is passed in (`generated_on`), never read from
a clock, and WeasyPrint is told not to stamp its own creation date, so the same plan and
date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrorun.domain.field_tests import FieldTestResult
from retrorun.domain.model import Plan
from retrorun.domain.profile import Units
from retrorun.domain.progress import PlanChange
from retrorun.formats import templating
from retrorun.formats.logs import SessionLog

if TYPE_CHECKING:
    from weasyprint import CSS


@dataclass(frozen=True, slots=True)
class PdfOptions:
    generated_on: dt.date  # printed on the cover; pass the plan's date, not "now", to cache
    units: Units | None = None  # default: the athlete's choice


@functools.cache
def _stylesheet() -> CSS:
    from weasyprint import CSS

    return CSS(string=templating.print_stylesheet())


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint is heavy to import; only PDF rendering pays for it.
    from weasyprint import HTML

    document = HTML(string=html, base_url=".").render(stylesheets=[_stylesheet()])
    data: bytes = document.write_pdf(uncompressed_pdf=False)
    return data


def plan_html(plan: Plan, options: PdfOptions) -> str:
    return templating.plan_html(plan, generated_on=options.generated_on, units=options.units)


def plan_pdf(plan: Plan, options: PdfOptions) -> bytes:
    """The printable plan: cover, safety, overview chart, week grids, cards, core, log sheet."""
    return html_to_pdf(plan_html(plan, options))


def progress_pdf(plan: Plan, logs: Sequence[SessionLog], options: PdfOptions, *,
                 today: dt.date | None = None, changes: Sequence[PlanChange] = (),
                 field_tests: Sequence[FieldTestResult] = ()) -> bytes:
    """Planned vs done per week, the progress page's charts, flagged events, every log."""
    html = templating.progress_html(plan, logs, generated_on=options.generated_on,
                                    units=options.units, today=today, changes=changes,
                                    field_tests=field_tests)
    return html_to_pdf(html)
