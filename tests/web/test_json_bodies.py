"""JSON request bodies the API cannot read (nested too deeply, not JSON) get a 4xx in the
one error shape, never a 500."""

from __future__ import annotations

import pytest

from tests.web._client import TestClient

DEEP = "[" * 1000 + "]" * 1000  # 2 kB; one level past Python's recursion limit
DEEPER = "[" * 100_000 + "]" * 100_000
IN_A_FIELD = '{"experience": ' + "[" * 500 + "]" * 500 + "}"  # parsed, then refused


@pytest.mark.parametrize("url", ["/api/v1/plans/preview", "/api/v1/plans/preview/export/ics"])
@pytest.mark.parametrize("body", [DEEP, DEEPER, IN_A_FIELD, "{not json"],
                         ids=["deep", "deeper", "deep-field", "not-json"])
def test_an_unreadable_body_is_refused_in_the_one_error_shape(client: TestClient, url: str,
                                                              body: str) -> None:
    response = client.post(url, content=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    error = response.json()
    assert set(error) == {"error"}
    assert set(error["error"]) == {"status", "message", "field"}
    assert error["error"]["status"] == response.status_code
    assert error["error"]["message"]
    assert "Traceback" not in response.text
