"""The wizard's answers stay on the server (issue 11 finding 7), SQLite and PostgreSQL.

The session cookie is signed, not encrypted: anyone holding it can base64-decode it. After
the wizard it holds an opaque draft id and the free calendar's key, no answer; the
answers (the safety screen among them) are in `wizard_drafts`, and go when the plan is
kept.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import create_engine, text

from retrorun.config import Settings
from retrorun.web.app import SESSION_COOKIE
from tests.web._client import TestClient
from tests.web.helpers import csrf, make_client, sign_up, wizard_form


def _cookie_contents(client: TestClient) -> dict[str, Any]:
    """What anyone can read in the session cookie without the key."""
    payload = client.cookies[SESSION_COOKIE].split(".", 1)[0]
    decoded: dict[str, Any] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def _drafts(settings: Settings) -> list[Any]:
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return [r[0] for r in connection.execute(text("SELECT answers FROM wizard_drafts"))]
    finally:
        engine.dispose()


def _wizard(client: TestClient, **changes: Any) -> None:
    answers = wizard_form(**{"screen.late_pregnancy": "yes", "age": "37", **changes})
    response = client.post("/plan/new", data={"csrf_token": csrf(client, "/plan/new"),
                                              **answers})
    assert response.status_code == 303, response.text


def test_the_cookie_shows_no_answer_after_the_wizard(
        client: TestClient, settings: Settings) -> None:
    _wizard(client)
    raw = json.dumps(_cookie_contents(client))
    # Words, not the age: "37" may well be in a random token (CSRF, draft id, key).
    for answer in ("late_pregnancy", "screen", "available_days", "recreational"):
        assert answer not in raw
    assert 37 not in _cookie_contents(client).values()
    assert set(_cookie_contents(client)) <= {"csrf", "wizard_draft", "free_calendar", "flash"}
    # The preview still shows the plan built from the answers kept on the server.
    preview = client.get("/plan/preview")
    assert preview.status_code == 200
    assert client.get("/api/v1/plans/preview").json()["document"]["athlete"]["age"] == 37
    assert 'value="37"' in client.get("/plan/new?edit=1").text
    [stored] = _drafts(settings)
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored["screen"]["late_pregnancy"] is True


def test_the_draft_id_is_no_way_into_another_browsers_answers(
        client: TestClient, app: Any) -> None:
    _wizard(client)
    other = make_client(app)
    assert other.get("/plan/preview").headers["location"] == "/plan/new"
    assert other.get("/api/v1/plans/preview").status_code == 404


def test_keeping_the_plan_deletes_the_draft(client: TestClient, settings: Settings) -> None:
    _wizard(client, **{"screen.late_pregnancy": "no"})
    assert len(_drafts(settings)) == 1
    sign_up(client, "kim@example.com")  # the confirmation link keeps the previewed plan
    assert client.get("/api/v1/plan").json()["document"]["athlete"]["age"] == 37
    assert _drafts(settings) == []
    assert "wizard_draft" not in _cookie_contents(client)
