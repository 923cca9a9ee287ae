"""Field tests: the results of a plan's test sessions, entered on the session itself.

The athlete enters them, and so may a coach the athlete invited (a youth coach times the
squad's sprints, DESIGN §1). A session takes the measures its steps ask for
(`domain.field_tests.measures_of`), from its day on, each within a plausible range.
Saving replaces the session's results; saving none removes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrorun.domain.field_tests import (
    SPECS,
    FieldTestResult,
    Measure,
    consistency_problem,
    measures_of,
    range_problem,
)
from retrorun.services import _access, _document, _today
from retrorun.services.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from retrorun.domain.model import Session
    from retrorun.services.ports import Clock, UnitOfWork
    from retrorun.services.records import FieldTestRecord


@dataclass(frozen=True, slots=True)
class FieldTestView:
    session_id: str
    session_date: dt.date
    values: Mapping[str, float]  # measure id -> value, only those entered
    recorded_by: str
    updated_at: dt.datetime

    @classmethod
    def of(cls, record: FieldTestRecord) -> FieldTestView:
        return cls(record.session_id, record.session_date, dict(record.values),
                   record.recorded_by, record.updated_at)


@dataclass(frozen=True, slots=True)
class SessionTests:
    """What a test session measures, what was entered, and whether it can be yet."""

    session_id: str
    session_date: dt.date
    title: str
    measures: tuple[Measure, ...]
    result: FieldTestView | None
    open: bool  # the session's day has come: results may be entered


def result_of(record: FieldTestRecord) -> FieldTestResult:
    """A stored result as the domain's value (a measure this code no longer knows is
    left out rather than failing the page)."""
    known = {m.value: m for m in Measure}
    return FieldTestResult(record.session_id, record.session_date,
                           tuple((known[k], float(v)) for k, v in record.values.items()
                                 if k in known))


def check_values(measures: tuple[Measure, ...], values: Mapping[str, object]
                 ) -> tuple[dict[Measure, float], dict[str, str]]:
    """The numbers given, and every problem by measure id (an empty value is "not
    measured"). Problems are worded for the form, which puts the measure's label first."""
    given: dict[Measure, float] = {}
    problems: dict[str, str] = {}
    known = {m.value: m for m in Measure}
    for key, raw in values.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        measure = known.get(key)
        if measure is None or measure not in measures:
            problems[key] = "this session does not measure this"
            continue
        number = _number(raw)
        if number is None:
            problems[key] = f"enter a number of {SPECS[measure].unit_words}"
            continue
        problem = range_problem(measure, number)
        if problem is not None:
            problems[key] = problem
            continue
        given[measure] = number
    clash = consistency_problem(given)
    if clash is not None:
        problems[clash[0].value] = clash[1]
    return given, problems


def _number(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        try:
            raw = float(raw.strip().replace(",", "."))
        except ValueError:
            return None
    if not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    return float(raw)


def _test_session(uow: UnitOfWork, athlete: str, session_id: str) -> tuple[str, Session]:
    current = _document.current_plan(uow, athlete)
    session = current[1].session(session_id) if current else None
    if current is None or session is None:
        raise NotFound("session")
    return current[0].id, session


def session_tests(uow: UnitOfWork, *, user_id: str, session_id: str, clock: Clock,
                  athlete_id: str | None = None) -> SessionTests | None:
    """The session's field tests; None when the session measures nothing."""
    with uow.read_only():
        athlete, _ = _access.readable_athlete(uow, user_id=user_id, athlete_id=athlete_id,
                                              what="session")
        _, session = _test_session(uow, athlete, session_id)
        measures = measures_of(session)
        if not measures:
            return None
        record = uow.field_tests.find(athlete, session.id, session.date)
        return SessionTests(session.id, session.date, session.title, measures,
                            FieldTestView.of(record) if record else None,
                            session.date <= _today.latest_loggable_day(uow, athlete, clock))


def record_field_test(uow: UnitOfWork, *, user_id: str, session_id: str,
                      values: Mapping[str, object], clock: Clock,
                      athlete_id: str | None = None) -> FieldTestView | None:
    """Store the session's results (replacing earlier ones); None when none were given
    and earlier ones were removed. InvalidInput names the first wrong measure."""
    with uow:
        athlete, _ = _access.readable_athlete(uow, user_id=user_id, athlete_id=athlete_id,
                                              what="session")
        plan_id, session = _test_session(uow, athlete, session_id)
        measures = measures_of(session)
        if not measures:
            raise InvalidInput("session_id", "this session has no field tests")
        if session.date > _today.latest_loggable_day(uow, athlete, clock):
            raise InvalidInput("session_id", f"this test is on {session.date:%d %b %Y}: "
                               "enter its results on that day or later")
        given, problems = check_values(measures, values)
        if problems:
            field, message = next(iter(problems.items()))
            raise InvalidInput(field, message)
        existing = uow.field_tests.find(athlete, session.id, session.date)
        if not given:
            if existing is None:
                raise InvalidInput(measures[0].value, "enter at least one result")
            uow.field_tests.delete(existing.id)
            uow.commit()
            return None
        record = uow.field_tests.save(
            athlete_id=athlete, plan_id=plan_id, session_id=session.id,
            session_date=session.date, values={m.value: v for m, v in given.items()},
            by=user_id, at=clock.now())
        uow.commit()
    return FieldTestView.of(record)
