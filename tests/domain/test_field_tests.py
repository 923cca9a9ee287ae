"""Field tests: which sessions measure what, plausible values, change against the SWC."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from retrorun.domain.field_tests import (
    SPECS,
    SWC_FACTOR,
    Better,
    FieldTestResult,
    Measure,
    Verdict,
    consistency_problem,
    measure_trends,
    measures_of,
    range_problem,
    verdict,
)
from retrorun.domain.generator import build_plan
from retrorun.domain.model import SessionKind
from retrorun.domain.profile import parse_profile
from tests.formats.plans import plan_for

DAY = dt.date(2026, 1, 5)


def test_the_generated_test_sessions_are_found_by_what_their_steps_measure() -> None:
    # The step names domain/forward.py gives: if they change, this fails (not the page).
    youth = plan_for("speed-power-8")
    sprint = [s for s in youth.sessions if measures_of(s)]
    assert sprint, "the speed-power plan has field tests"
    assert all(measures_of(s) == (Measure.SPRINT_10M, Measure.SPRINT_20M, Measure.JUMP)
               for s in sprint)
    assert {s.kind for s in youth.sessions if "field-test" in s.id} <= {SessionKind.TEST}
    assert all(measures_of(s) for s in youth.sessions if s.id.endswith("field-test"))
    example = Path(__file__).parents[2] / "docs" / "examples" / "trained-economy.json"
    economy = build_plan(parse_profile(json.loads(example.read_text())))
    checks = [s for s in economy.sessions if s.id.endswith("economy-check")]
    assert checks
    assert all(measures_of(s) == (Measure.EASY_HR,) for s in checks)
    starter = plan_for("starter-8")
    assert not any(measures_of(s) for s in starter.sessions)


def test_every_smallest_worthwhile_change_is_small_and_positive() -> None:
    for spec in SPECS.values():
        assert 0 < spec.swc < (spec.high - spec.low) / 10, spec
        assert spec.low < spec.high
    assert SPECS[Measure.SPRINT_10M].swc == pytest.approx(SWC_FACTOR * 0.10)
    assert SPECS[Measure.JUMP].better is Better.HIGHER


@pytest.mark.parametrize(("measure", "value", "ok"), [
    (Measure.SPRINT_10M, 2.05, True), (Measure.SPRINT_10M, 20.5, False),
    (Measure.SPRINT_20M, 0.36, False), (Measure.JUMP, 0.32, False), (Measure.JUMP, 32, True),
    (Measure.EASY_HR, 142, True), (Measure.EASY_HR, 14, False)])
def test_implausible_values_are_named_in_words(measure: Measure, value: float,
                                               ok: bool) -> None:
    problem = range_problem(measure, value)
    assert (problem is None) is ok
    if problem:
        assert SPECS[measure].unit_words in problem
        assert "plausible" in problem


def test_the_20_m_time_must_be_longer_than_the_10_m_time() -> None:
    assert consistency_problem({Measure.SPRINT_10M: 3.0, Measure.SPRINT_20M: 2.9}) is not None
    assert consistency_problem({Measure.SPRINT_10M: 2.0, Measure.SPRINT_20M: 3.5}) is None
    assert consistency_problem({Measure.SPRINT_20M: 3.5}) is None


def test_results_are_set_against_the_first_and_the_swc() -> None:
    results = [
        FieldTestResult("w1", DAY, ((Measure.SPRINT_10M, 2.10), (Measure.JUMP, 30.0))),
        FieldTestResult("w8", DAY + dt.timedelta(days=49),
                        ((Measure.SPRINT_10M, 2.05), (Measure.JUMP, 30.5))),
        FieldTestResult("later", DAY + dt.timedelta(days=99), ((Measure.JUMP, 60.0),)),
    ]
    trends = {t.spec.measure: t for t in measure_trends(
        results, today=DAY + dt.timedelta(days=60), tested=(Measure.SPRINT_20M,))}
    assert set(trends) == {Measure.SPRINT_10M, Measure.SPRINT_20M, Measure.JUMP}
    sprint = trends[Measure.SPRINT_10M]
    assert [p.verdict for p in sprint.points] == [Verdict.BASELINE, Verdict.BETTER]
    assert sprint.points[1].change == pytest.approx(-0.05)
    jump = trends[Measure.JUMP]
    assert [p.verdict for p in jump.points] == [Verdict.BASELINE, Verdict.NO_CLEAR_CHANGE]
    assert trends[Measure.SPRINT_20M].points == ()  # tested, nothing entered yet


@given(st.sampled_from(list(Measure)), st.floats(-5, 5, allow_nan=False))
def test_a_verdict_is_symmetric_around_the_swc(measure: Measure, change: float) -> None:
    spec = SPECS[measure]
    gain = -change if spec.better is Better.LOWER else change
    # Right at the SWC, float tolerance decides (0.03 typed as 0.0299999 counts): the
    # property is about changes clearly on one side of it.
    assume(abs(abs(gain) - spec.swc) > 1e-6)
    result = verdict(spec, change)
    if abs(gain) < spec.swc:
        assert result is Verdict.NO_CLEAR_CHANGE
    elif gain > 0:
        assert result is Verdict.BETTER
    else:
        assert result is Verdict.WORSE
