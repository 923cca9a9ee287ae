"""The free-plan wizard's answers, kept on the server by an opaque draft id (issue 11
finding 7): they include health answers (the safety screen), so the browser's cookie,
which is signed but readable, carries only the id."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retrorun.services.ports import Clock, UnitOfWork
    from retrorun.services.records import JSONObject

# A draft not changed for this long is gone [A]: long enough to come back to the preview
# the same day, short enough that abandoned health answers do not pile up.
DRAFT_TTL = dt.timedelta(days=1)
DRAFT_ID_BYTES = 24  # 192 random bits, URL-safe: as unguessable as a session token


def new_draft_id() -> str:
    return secrets.token_urlsafe(DRAFT_ID_BYTES)


def get_draft(uow: UnitOfWork, *, draft_id: str, clock: Clock) -> dict[str, Any] | None:
    """The answers of this draft, if it exists and changed within DRAFT_TTL (an older
    one, not purged yet, counts as gone: purging happens at the next write)."""
    with uow.read_only():
        draft = uow.drafts.get(draft_id)
    if draft is None or clock.now() - draft.updated_at >= DRAFT_TTL:
        return None
    return copy.deepcopy(dict(draft.answers))


def save_draft(uow: UnitOfWork, *, draft_id: str, answers: JSONObject, clock: Clock) -> None:
    """Insert or replace the draft's answers; drafts older than DRAFT_TTL are purged."""
    now = clock.now()
    with uow:
        uow.drafts.purge(now - DRAFT_TTL)
        uow.drafts.save(draft_id, answers, now)
        uow.commit()


def delete_draft(uow: UnitOfWork, *, draft_id: str) -> None:
    with uow:
        uow.drafts.delete(draft_id)
        uow.commit()
