"""SQL repositories of signed-in sessions and wizard drafts (`services.ports.SessionRepo`,
`services.ports.DraftRepo`). A module of its own beside `repositories.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from retrorun.storage import mapping
from retrorun.storage.repositories import _Repo, new_id
from retrorun.storage.tables import USER_AGENT, user_sessions, wizard_drafts

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from retrorun.services.records import DraftRecord, JSONObject, SessionRecord

# Built once: every signed-in request reads its session.
_BY_TOKEN_HASH = select(user_sessions).where(
    user_sessions.c.token_hash == bindparam("token_hash", type_=user_sessions.c.token_hash.type))


class SqlSessionRepo(_Repo):
    def add(self, *, user_id: str, token_hash: str, user_agent: str,
            at: dt.datetime) -> SessionRecord:
        session_id = new_id()
        self._db.execute(insert(user_sessions).values(
            id=session_id, user_id=user_id, token_hash=token_hash,
            user_agent=user_agent[:USER_AGENT], created_at=at, last_seen_at=at))
        row = self._db.execute(select(user_sessions).where(
            user_sessions.c.id == session_id)).one()
        return mapping.session(row)

    def by_token_hash(self, token_hash: str) -> SessionRecord | None:
        row = self._db.execute(_BY_TOKEN_HASH, {"token_hash": token_hash}).first()
        return mapping.session(row) if row else None

    def touch(self, session_id: str, at: dt.datetime) -> None:
        self._db.execute(update(user_sessions).where(
            user_sessions.c.id == session_id).values(last_seen_at=at))

    def end(self, user_id: str, session_id: str, at: dt.datetime) -> bool:
        ended = self._db.execute(update(user_sessions).where(
            user_sessions.c.id == session_id, user_sessions.c.user_id == user_id,
            user_sessions.c.ended_at.is_(None)).values(ended_at=at))
        return bool(ended.rowcount)

    def end_all(self, user_id: str, at: dt.datetime, *, keep: str | None = None) -> int:
        query = update(user_sessions).where(
            user_sessions.c.user_id == user_id, user_sessions.c.ended_at.is_(None))
        if keep is not None:
            query = query.where(user_sessions.c.id != keep)
        return int(self._db.execute(query.values(ended_at=at)).rowcount)

    def active_for(self, user_id: str) -> Sequence[SessionRecord]:
        rows = self._db.execute(select(user_sessions).where(
            user_sessions.c.user_id == user_id, user_sessions.c.ended_at.is_(None)).order_by(
            user_sessions.c.last_seen_at.desc(), user_sessions.c.id))
        return [mapping.session(r) for r in rows]

    def purge_ended(self, before: dt.datetime) -> None:
        self._db.execute(delete(user_sessions).where(user_sessions.c.ended_at < before))


class SqlDraftRepo(_Repo):
    def get(self, draft_id: str) -> DraftRecord | None:
        row = self._db.execute(select(wizard_drafts).where(
            wizard_drafts.c.id == draft_id)).first()
        return mapping.draft(row) if row else None

    def save(self, draft_id: str, answers: JSONObject, at: dt.datetime) -> None:
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(wizard_drafts).values(
            id=draft_id, answers=dict(answers), created_at=at, updated_at=at)
        self._db.execute(statement.on_conflict_do_update(
            index_elements=["id"], set_={"answers": statement.excluded.answers,
                                         "updated_at": statement.excluded.updated_at}))

    def delete(self, draft_id: str) -> None:
        self._db.execute(delete(wizard_drafts).where(wizard_drafts.c.id == draft_id))

    def purge(self, before: dt.datetime) -> None:
        self._db.execute(delete(wizard_drafts).where(wizard_drafts.c.updated_at < before))
