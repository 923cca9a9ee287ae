"""The running-efficiency section of /progress and its JSON twin (issue 12, item 5), on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from retrorun.formats.activities import Imported
from retrorun.services import imports, progress
from tests.services.test_efficiency import _steady_run
from tests.web.helpers import api_headers, make_client, profile, sign_up


def test_an_imported_steady_run_shows_on_the_progress_page_and_in_json(app: Any) -> None:
    client = make_client(app)
    sign_up(client, "ann@example.com")
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
    kept = client.put("/api/v1/plan", json=profile(start_date=start.isoformat()),
                      headers=api_headers(client))
    assert kept.status_code in (200, 201), kept.text
    services = app.state.services
    user_id = progress.athlete_named(services.uow(), who="ann@example.com")
    run_start = dt.datetime.combine(start + dt.timedelta(days=2), dt.time(7), tzinfo=dt.UTC)
    imports.import_results(services.uow(), user_id=user_id, clock=services.clock, results=[
        Imported("run.fit", "b" * 64, _steady_run(run_start, speed=3.0, heart=150,
                                                       with_backward=False))])
    body = client.get("/api/v1/progress/efficiency").json()
    assert [p["efficiency_factor"] for p in body["points"]] == [1.2]
    assert body["before"] == 1.2
    page = client.get("/progress")
    assert page.status_code == 200
    assert 'id="efficiency"' in page.text
    other = make_client(app)
    sign_up(other, "eve@example.com")
    assert other.get(f"/api/v1/athletes/{user_id}/progress/efficiency").status_code == 404
