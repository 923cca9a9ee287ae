"""The wizard filled in from imported runs (issue 12, item 4), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from retrorun.formats.activities import Imported
from retrorun.services import imports, progress
from tests.services.test_efficiency import _steady_run
from tests.web.helpers import make_client, sign_up


def test_the_wizard_proposes_answers_from_imported_runs(app: Any) -> None:
    client = make_client(app)
    sign_up(client, "ann@example.com")
    assert 'href="/plan/new?from_history=1"' in client.get("/plan/new").text
    empty = client.get("/plan/new?from_history=1").text
    assert "No runs imported in the last four weeks" in empty
    services = app.state.services
    user_id = progress.athlete_named(services.uow(), who="ann@example.com")
    today = services.clock.now()
    for n, days_ago in enumerate((2, 5, 9)):
        start = today - dt.timedelta(days=days_ago)
        imports.import_results(services.uow(), user_id=user_id, clock=services.clock,
                               results=[Imported(f"run{n}.fit", f"{n:064d}", _steady_run(
                                   start, speed=2.5, heart=150, with_backward=False))])
    page = client.get("/plan/new?from_history=1").text
    assert 'id="from-history"' in page
    assert "3 runs over 2 weeks" in page
    assert 'value="68"' in page  # 3 x 45 min over 2 weeks
    assert 'value="6:40"' in page  # 2.5 m/s
    stranger = make_client(app)
    assert 'id="from-history"' not in stranger.get("/plan/new?from_history=1").text
