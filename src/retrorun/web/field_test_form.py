"""The field-test form of a test session (`templates/_field_tests.html`): its fields in
the words the page shows, the values to fill them with, and every problem at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from retrorun.domain.field_tests import SPECS, Measure
from retrorun.services import field_tests
from retrorun.services.field_tests import SessionTests, check_values

if TYPE_CHECKING:
    from retrorun.web.deps import Services

HINTS = {
    Measure.SPRINT_10M: "Seconds, e.g. 2.05: your best of the timed sprints, at 10 m.",
    Measure.SPRINT_20M: "Seconds, e.g. 3.60: the same sprint's time at 20 m.",
    Measure.JUMP: "Centimetres, e.g. 32: your best of the three jumps.",
    Measure.EASY_HR: "Beats a minute, e.g. 142: the average over the steady part.",
}


@dataclass(frozen=True, slots=True)
class FieldInput:
    name: str  # the measure id: the input's name and id
    label: str
    hint: str
    value: str


@dataclass(frozen=True, slots=True)
class FieldTestPanel:
    action: str
    session_date: str
    open: bool  # the session's day has come
    fields: tuple[FieldInput, ...]
    saved: tuple[tuple[str, str], ...]  # (label, value with unit) of what is stored
    progress_url: str
    errors: Mapping[str, str] = field(default_factory=dict)


def _shown(value: float) -> str:
    return f"{value:g}"


def panel(tests: SessionTests, action: str, progress_url: str,
          values: Mapping[str, str] | None = None,
          errors: Mapping[str, str] | None = None) -> FieldTestPanel:
    """The form for a test session: `values` as typed (after a refused post), else what
    is stored."""
    stored = tests.result.values if tests.result else {}
    fields = tuple(
        FieldInput(m.value, SPECS[m].label, HINTS[m],
                   values.get(m.value, "") if values is not None
                   else (_shown(stored[m.value]) if m.value in stored else ""))
        for m in tests.measures)
    saved = tuple((SPECS[m].label, SPECS[m].shown(stored[m.value]))
                  for m in tests.measures if m.value in stored)
    return FieldTestPanel(action, f"{tests.session_date:%A %d %B %Y}", tests.open, fields,
                          saved, progress_url, dict(errors or {}))


def read_values(tests: SessionTests, body: Mapping[str, object]) -> dict[str, str]:
    """The session's measures as typed (text fields), nothing else from the body."""
    values = {}
    for measure in tests.measures:
        raw = body.get(measure.value)
        values[measure.value] = raw.strip()[:40] if isinstance(raw, str) else ""
    return values


def form_errors(tests: SessionTests, values: Mapping[str, str]) -> dict[str, str]:
    """Every wrong field at once, each message led by the field's label."""
    _, problems = check_values(tests.measures, values)
    return {name: labelled(name, message) for name, message in problems.items()}


def labelled(name: str, message: str) -> str:
    known = {m.value: m for m in Measure}
    label = SPECS[known[name]].label if name in known else "Field tests"
    return f"{label}: {message}"


def urls(session_id: str, athlete_id: str | None = None) -> tuple[str, str, str]:
    """The session page, the form's action and the progress page, for the athlete (no
    `athlete_id`) or for their coach."""
    base = f"/athletes/{athlete_id}" if athlete_id else ""
    session = f"{base}/sessions/{session_id}" if athlete_id else f"/plan/sessions/{session_id}"
    return session, f"{session}/field-tests", f"{base}/progress" if athlete_id else "/progress"


def session_panel(ctx: Services, *, user_id: str, session_id: str,
                  athlete_id: str | None = None) -> FieldTestPanel | None:
    """The session page's field-test panel; None for a session that measures nothing."""
    tests = field_tests.session_tests(ctx.uow(), user_id=user_id, session_id=session_id,
                                      clock=ctx.clock, athlete_id=athlete_id)
    if tests is None:
        return None
    _, action, progress_url = urls(session_id, athlete_id)
    return panel(tests, action, progress_url)
