"""More in-memory repositories on `tests.services.memory`'s store (field tests, sessions,
wizard drafts), beside it to keep each module short."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from retrorun.services.records import DraftRecord, FieldTestRecord, SessionRecord

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from retrorun.services.records import JSONObject
    from tests.services.memory import Store


def _id() -> str:
    return uuid.uuid4().hex


class _Repo:
    def __init__(self, store: Store) -> None:
        self.s = store


class FieldTests(_Repo):
    def find(self, athlete_id: str, session_id: str, session_date: dt.date
             ) -> FieldTestRecord | None:
        return next((r for r in self.s.field_tests.values()
                     if (r.athlete_id, r.session_id, r.session_date)
                     == (athlete_id, session_id, session_date)), None)

    def save(self, *, athlete_id: str, plan_id: str | None, session_id: str,
             session_date: dt.date, values: Mapping[str, float], by: str,
             at: dt.datetime) -> FieldTestRecord:
        if not values or any(v <= 0 for v in values.values()):  # as the SQL checks
            raise ValueError("a field test holds at least one positive result")
        existing = self.find(athlete_id, session_id, session_date)
        record = FieldTestRecord(
            existing.id if existing else _id(), athlete_id, plan_id, session_id,
            session_date, dict(values), by, existing.created_at if existing else at, at)
        self.s.field_tests[record.id] = record
        return record

    def delete(self, record_id: str) -> None:
        self.s.field_tests.pop(record_id, None)

    def for_athlete(self, athlete_id: str) -> Sequence[FieldTestRecord]:
        return sorted((r for r in self.s.field_tests.values() if r.athlete_id == athlete_id),
                      key=lambda r: (r.session_date, r.created_at))


class Sessions(_Repo):
    def add(self, *, user_id: str, token_hash: str, user_agent: str,
            at: dt.datetime) -> SessionRecord:
        if token_hash in self.s.sessions:  # as the SQL unique constraint
            raise ValueError("a session with this token exists")
        record = SessionRecord(_id(), user_id, user_agent[:300], at, at)
        self.s.sessions[token_hash] = record
        return record

    def by_token_hash(self, token_hash: str) -> SessionRecord | None:
        return self.s.sessions.get(token_hash)

    def touch(self, session_id: str, at: dt.datetime) -> None:
        self._update(lambda r: r.id == session_id, last_seen_at=at)

    def end(self, user_id: str, session_id: str, at: dt.datetime) -> bool:
        return self._update(lambda r: (r.id, r.user_id) == (session_id, user_id)
                            and r.active, ended_at=at) > 0

    def end_all(self, user_id: str, at: dt.datetime, *, keep: str | None = None) -> int:
        return self._update(lambda r: r.user_id == user_id and r.active and r.id != keep,
                            ended_at=at)

    def active_for(self, user_id: str) -> Sequence[SessionRecord]:
        return sorted((r for r in self.s.sessions.values()
                       if r.user_id == user_id and r.active),
                      key=lambda r: (-r.last_seen_at.timestamp(), r.id))

    def purge_ended(self, before: dt.datetime) -> None:
        self.s.sessions = {k: r for k, r in self.s.sessions.items()
                           if r.ended_at is None or r.ended_at >= before}

    def _update(self, which: Callable[[SessionRecord], bool], **changes: dt.datetime) -> int:
        changed = {k: replace(r, **changes)  # type: ignore[arg-type]
                   for k, r in self.s.sessions.items() if which(r)}
        self.s.sessions = {**self.s.sessions, **changed}
        return len(changed)


class Drafts(_Repo):
    def get(self, draft_id: str) -> DraftRecord | None:
        found = self.s.drafts.get(draft_id)
        return replace(found, answers=copy.deepcopy(dict(found.answers))) if found else None

    def save(self, draft_id: str, answers: JSONObject, at: dt.datetime) -> None:
        old = self.s.drafts.get(draft_id)
        self.s.drafts[draft_id] = DraftRecord(draft_id, copy.deepcopy(dict(answers)),
                                              old.created_at if old else at, at)

    def delete(self, draft_id: str) -> None:
        self.s.drafts.pop(draft_id, None)

    def purge(self, before: dt.datetime) -> None:
        self.s.drafts = {k: d for k, d in self.s.drafts.items() if d.updated_at >= before}
