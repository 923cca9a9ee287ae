"""Schemathesis over the served OpenAPI, in-process, as a signed-in athlete.

Every generated request must get a documented status, a documented body (errors in
the one error shape) and never a 5xx. Schema-valid profiles may still be refused (422)
by domain rules the schema cannot express, so `positive_data_acceptance` is off.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.web.helpers import csrf, make_client, profile, sign_up

MAX_EXAMPLES = 8


@pytest.fixture
def signed_in_headers(app: Any) -> dict[str, str]:
    client = make_client(app)
    sign_up(client, "schema@example.com")
    token = csrf(client)
    client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": token})
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies.jar)
    return {"Cookie": cookie, "X-CSRF-Token": token}


def test_the_api_keeps_its_documented_contract(app: Any,
                                               signed_in_headers: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    seen: Counter[int] = Counter()
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            response = case.call_and_validate(headers=signed_in_headers,
                                              excluded_checks=[positive_data_acceptance])
            seen[response.status_code] += 1

        call()
    # the session was real (random ids get 404s, the fixed routes answer 200)
    assert sum(n for status, n in seen.items() if status < 300) >= 5, seen
    assert 401 not in seen, seen
    assert sum(seen.values()) >= 2 * len(operations), seen
