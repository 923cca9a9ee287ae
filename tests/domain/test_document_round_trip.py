"""The plan document and its inverse: a stored plan reads back as the plan that was shown."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from retrorun.domain.document import plan_document, plan_from_document
from tests.domain.strategies import profiles
from tests.domain.test_plan_invariants import plan_for


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_a_document_reads_back_as_the_same_plan(raw: dict[str, Any]) -> None:
    plan = plan_for(raw)
    # Stored as JSON: read back from the text, as the database hands it over.
    document = json.loads(json.dumps(plan_document(plan)))
    back = plan_from_document(document)
    assert back.weeks == plan.weeks
    assert back.athlete == plan.athlete
    assert (back.program, back.start_date, back.notices) == (
        plan.program, plan.start_date, plan.notices)
    assert plan_document(back) == document


def test_nested_repeats_are_refused_by_name() -> None:
    step = {"kind": "work", "seconds": 60}
    nested = {"kind": "repeat", "count": 2, "steps": [{"kind": "repeat", "count": 2,
                                                      "steps": [step]}]}
    document = {"program": "starter-8", "start_date": "2026-01-05", "weeks": [{
        "index": 1, "stage": "walk", "sessions": [{
            "id": "s", "date": "2026-01-05", "kind": "easy", "surface": "road",
            "steps": [nested]}]}]}
    with pytest.raises(ValueError, match="nested repeats"):
        plan_from_document(document)
