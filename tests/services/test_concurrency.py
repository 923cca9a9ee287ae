"""Concurrent requests on one database: no lost revisions, no raw database errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from retrorun.services import accounts, logs
from retrorun.services.errors import Conflict
from retrorun.services.views import LogInput

if TYPE_CHECKING:
    from tests.services.conftest import App

THREADS = 12


def test_concurrent_edits_of_one_log_each_get_their_own_revision(app: App) -> None:
    user = app.user()
    session = app.plan(user).plan.sessions[0]
    log = logs.log_session(app.uow(), user_id=user.id, session_id=session.id,
                           entry=LogInput(status="done"), clock=app.clock)

    def edit(minutes: int) -> None:
        logs.edit_log(app.uow(), user_id=user.id, log_id=log.id,
                      entry=LogInput(status="done", forward_minutes=minutes), clock=app.clock)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(edit, range(1, 4 * THREADS + 1)))
    history = logs.log_history(app.uow(), user_id=user.id, log_id=log.id)
    assert [r.revision for r in history] == list(range(1, 4 * THREADS + 2))
    assert sorted(r.forward_minutes for r in history[1:]) == list(range(1, 4 * THREADS + 1))


def test_racing_sign_ups_with_one_email_make_one_account(app: App) -> None:
    def sign_up(_: int) -> str:
        try:
            accounts.sign_up(app.uow(), email="race@example.com", password="long enough",
                             hasher=app.hasher, clock=app.clock)
        except Conflict:
            return "conflict"
        return "created"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(sign_up, range(THREADS)))
    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["created"]
    assert app.count("users") == 1
