"""The Jinja2 templates of the printed plan, shared with the web pages.

`templates/plan/` holds the parts (a session card, the safety rules, the core routine,
the week grid) and the document that puts them together. WeasyPrint makes the PDF from
that document (`formats.pdf`); the web app loads the same files through
`template_loader()` (after its own templates), so its session page shows the very card
the PDF prints, and `/plan/print` is the PDF's own document in a browser.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2

from retrorun.domain.field_tests import FieldTestResult
from retrorun.domain.model import Plan
from retrorun.domain.profile import Units
from retrorun.domain.progress import PlanChange
from retrorun.formats._report_view import report_view
from retrorun.formats.logs import SessionLog
from retrorun.formats.plan_view import plan_units, plan_view

PLAN_DOCUMENT = "plan/document.html"
REPORT_DOCUMENT = "report.html.j2"


@dataclass(frozen=True, slots=True)
class OnScreen:
    """Links for the printable plan when a browser shows it rather than WeasyPrint."""

    stylesheet: str  # where the browser fetches `print_stylesheet()`
    back: str  # the plan's page
    pdf: str  # the same plan as a PDF download


def template_loader() -> jinja2.BaseLoader:
    """The shared templates, by names such as "plan/card.html"."""
    return jinja2.PackageLoader("retrorun.formats", "templates")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=template_loader(),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def print_stylesheet() -> str:
    """The print CSS: given to WeasyPrint directly, linked from the printable web page."""
    return (resources.files("retrorun.formats") / "templates" / "print.css").read_text("utf-8")


def render(template: str, **context: object) -> str:
    return _environment().get_template(template).render(**context)


def plan_html(plan: Plan, *, generated_on: dt.date, units: Units | None = None,
              screen: OnScreen | None = None) -> str:
    """The printable plan: the PDF is made from exactly this HTML (with `screen` None)."""
    view = plan_view(plan, plan_units(plan, units), generated_on)
    return render(PLAN_DOCUMENT, v=view, screen=screen)


def progress_html(plan: Plan, logs: Sequence[SessionLog], *, generated_on: dt.date,
                  units: Units | None = None, today: dt.date | None = None,
                  changes: Sequence[PlanChange] = (),
                  field_tests: Sequence[FieldTestResult] = ()) -> str:
    view = report_view(plan, logs, plan_units(plan, units), generated_on, today=today,
                       changes=changes, field_tests=field_tests)
    return render(REPORT_DOCUMENT, v=view)
