"""SQL implementations of the repository ports in `retrorun.services.ports`.

Each repository works on the unit of work's open connection; none commits.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from retrorun.formats.ics import EventVersion
from retrorun.services.errors import Conflict
from retrorun.services.records import GrantStatus
from retrorun.storage import mapping
from retrorun.storage.tables import (
    calendar_events,
    calendar_feeds,
    calendar_settings,
    coach_grants,
    log_revisions,
    password_resets,
    session_logs,
    sign_in_failures,
    users,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence

    from sqlalchemy import Connection, Table

    from retrorun.services.records import (
        CalendarSettings,
        CoachLimits,
        GrantRecord,
        LogEntry,
        LogRecord,
        LogRevisionRecord,
        ResetRecord,
        UserRecord,
    )


def new_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def _unique(field: str, message: str) -> Iterator[None]:
    """Two requests racing past the services' "already exists?" check both insert; the
    database's unique constraint stops the second, and it gets the same Conflict."""
    try:
        yield
    except IntegrityError as error:
        if not _is_unique_violation(error):
            raise
        raise Conflict(field, message) from error


def _is_unique_violation(error: IntegrityError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)  # psycopg
    if sqlstate is not None:
        return bool(sqlstate == "23505")
    return "UNIQUE constraint failed" in str(error.orig)  # sqlite3


class _Repo:
    def __init__(self, connection: Connection) -> None:
        self._db = connection


# Built once: every signed-in request reads its user (building it cost as much as running it).
_USER_BY_ID = select(users).where(users.c.id == bindparam("user_id", type_=users.c.id.type))


class SqlUserRepo(_Repo):
    def add(self, *, email: str, password_hash: str, at: dt.datetime) -> UserRecord:
        user_id = new_id()
        with _unique("email", "an account with this email already exists"):
            self._db.execute(insert(users).values(
                id=user_id, email=email, password_hash=password_hash, created_at=at,
                credentials_changed_at=at))
        found = self.get(user_id)
        assert found is not None  # noqa: S101  (inserted just above)
        return found

    def get(self, user_id: str) -> UserRecord | None:
        row = self._db.execute(_USER_BY_ID, {"user_id": user_id}).first()
        return mapping.user(row) if row else None

    def by_email(self, email: str) -> UserRecord | None:
        row = self._db.execute(select(users).where(users.c.email == email)).first()
        return mapping.user(row) if row else None

    def set_password(self, user_id: str, password_hash: str, at: dt.datetime) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(
            password_hash=password_hash, credentials_changed_at=at))

    def mark_verified(self, user_id: str, at: dt.datetime) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(
            email_verified_at=at))

    def delete(self, user_id: str) -> None:
        # Foreign keys cascade to plans, logs, revisions, grants and reset tokens.
        self._db.execute(delete(users).where(users.c.id == user_id))


class SqlResetRepo(_Repo):
    def add(self, reset: ResetRecord) -> None:
        self._db.execute(insert(password_resets).values(
            token_hash=reset.token_hash, user_id=reset.user_id, created_at=reset.created_at,
            expires_at=reset.expires_at, used_at=reset.used_at,
            password_hash=reset.password_hash))

    def get(self, token_hash: str) -> ResetRecord | None:
        row = self._db.execute(select(password_resets).where(
            password_resets.c.token_hash == token_hash)).first()
        return mapping.reset(row) if row else None

    def mark_used(self, token_hash: str, at: dt.datetime) -> None:
        self._db.execute(update(password_resets).where(
            password_resets.c.token_hash == token_hash).values(used_at=at))

    def invalidate_for_user(self, user_id: str, at: dt.datetime) -> None:
        self._db.execute(update(password_resets).where(
            password_resets.c.user_id == user_id,
            password_resets.c.used_at.is_(None)).values(used_at=at))


class SqlSignInRepo(_Repo):
    def add_failure(self, key: str, at: dt.datetime) -> None:
        self._db.execute(insert(sign_in_failures).values(key=key, at=at))

    def failures_since(self, key: str, since: dt.datetime) -> Sequence[dt.datetime]:
        # Failures older than the window no longer count for any key: prune them all
        # here, so the table holds one window's worth of failures at most.
        self._db.execute(delete(sign_in_failures).where(sign_in_failures.c.at < since))
        return list(self._db.execute(select(sign_in_failures.c.at).where(
            sign_in_failures.c.key == key)).scalars())

    def clear(self, key: str) -> None:
        self._db.execute(delete(sign_in_failures).where(sign_in_failures.c.key == key))


class SqlLogRepo(_Repo):
    def add(self, *, athlete_id: str, plan_id: str | None, session_id: str,
            session_date: dt.date, entry: LogEntry, by: str, at: dt.datetime) -> LogRecord:
        log_id = new_id()
        content = mapping.entry_values(entry)
        with _unique("session_id", "this session is already logged; edit its log"):
            self._db.execute(insert(session_logs).values(
                id=log_id, athlete_id=athlete_id, plan_id=plan_id, session_id=session_id,
                session_date=session_date, revision=1, created_at=at, updated_at=at,
                **content))
        self._db.execute(insert(log_revisions).values(
            log_id=log_id, revision=1, recorded_at=at, recorded_by=by, **content))
        return self._must_get(log_id)

    def get(self, log_id: str) -> LogRecord | None:
        row = self._db.execute(select(session_logs).where(session_logs.c.id == log_id)).first()
        return mapping.log(row) if row else None

    def find(self, athlete_id: str, session_id: str, session_date: dt.date) -> LogRecord | None:
        row = self._db.execute(select(session_logs).where(
            session_logs.c.athlete_id == athlete_id,
            session_logs.c.session_id == session_id,
            session_logs.c.session_date == session_date)).first()
        return mapping.log(row) if row else None

    def revise(self, log_id: str, entry: LogEntry, *, by: str, at: dt.datetime) -> LogRecord:
        content = mapping.entry_values(entry)
        # Lock the log row (PostgreSQL; SQLite's IMMEDIATE transaction already holds the
        # write lock), so two concurrent edits get revisions n+1 and n+2, not both n+1.
        latest = self._db.execute(select(session_logs.c.revision).where(
            session_logs.c.id == log_id).with_for_update()).scalar_one()
        number = latest + 1
        self._db.execute(insert(log_revisions).values(
            log_id=log_id, revision=number, recorded_at=at, recorded_by=by, **content))
        self._db.execute(update(session_logs).where(session_logs.c.id == log_id).values(
            revision=number, updated_at=at, **content))
        return self._must_get(log_id)

    def revisions(self, log_id: str) -> Sequence[LogRevisionRecord]:
        rows = self._db.execute(select(log_revisions).where(
            log_revisions.c.log_id == log_id).order_by(log_revisions.c.revision))
        return [mapping.revision(r) for r in rows]

    def for_athlete(
        self, athlete_id: str, *, between: tuple[dt.date, dt.date] | None = None
    ) -> Sequence[LogRecord]:
        query = select(session_logs).where(session_logs.c.athlete_id == athlete_id)
        if between is not None:
            query = query.where(session_logs.c.session_date.between(*between))
        rows = self._db.execute(query.order_by(
            session_logs.c.session_date, session_logs.c.created_at, session_logs.c.id))
        return [mapping.log(r) for r in rows]

    def _must_get(self, log_id: str) -> LogRecord:
        found = self.get(log_id)
        assert found is not None  # noqa: S101  (written by the caller just before)
        return found


class SqlGrantRepo(_Repo):
    def add(self, *, athlete_id: str, coach_email: str, at: dt.datetime,
            status: GrantStatus = GrantStatus.ACTIVE) -> GrantRecord:
        grant_id = new_id()
        with _unique("coach_email", "this coach is already invited"):
            self._db.execute(insert(coach_grants).values(
                id=grant_id, athlete_id=athlete_id, coach_email=coach_email, created_at=at,
                status=status.value))
        found = self.get(grant_id)
        assert found is not None  # noqa: S101  (inserted just above)
        return found

    def get(self, grant_id: str) -> GrantRecord | None:
        row = self._db.execute(select(coach_grants).where(coach_grants.c.id == grant_id)).first()
        return mapping.grant(row) if row else None

    def find(self, athlete_id: str, coach_email: str) -> GrantRecord | None:
        row = self._db.execute(select(coach_grants).where(
            coach_grants.c.athlete_id == athlete_id,
            coach_grants.c.coach_email == coach_email)).first()
        return mapping.grant(row) if row else None

    def for_athlete(self, athlete_id: str) -> Sequence[GrantRecord]:
        rows = self._db.execute(select(coach_grants).where(
            coach_grants.c.athlete_id == athlete_id).order_by(
            coach_grants.c.created_at, coach_grants.c.id))
        return [mapping.grant(r) for r in rows]

    def for_coach(self, coach_email: str, *,
                  status: GrantStatus | None = None) -> Sequence[GrantRecord]:
        query = select(coach_grants).where(coach_grants.c.coach_email == coach_email)
        if status is not None:
            query = query.where(coach_grants.c.status == status.value)
        rows = self._db.execute(query.order_by(coach_grants.c.created_at, coach_grants.c.id))
        return [mapping.grant(r) for r in rows]

    def set_status(self, grant_id: str, status: GrantStatus, at: dt.datetime) -> None:
        self._db.execute(update(coach_grants).where(coach_grants.c.id == grant_id).values(
            status=status.value, responded_at=at))

    def set_limits(self, grant_id: str, limits: CoachLimits, at: dt.datetime) -> None:
        self._db.execute(update(coach_grants).where(coach_grants.c.id == grant_id).values(
            max_backward_minutes_per_week=limits.max_backward_minutes_per_week,
            pain_threshold=limits.pain_threshold, limits_set_at=at))

    def set_note(self, athlete_id: str, coach_email: str, note: str | None,
                 at: dt.datetime) -> None:
        self._db.execute(update(coach_grants).where(
            coach_grants.c.athlete_id == athlete_id,
            coach_grants.c.coach_email == coach_email).values(note=note, note_at=at))

    def delete(self, grant_id: str) -> None:
        self._db.execute(delete(coach_grants).where(coach_grants.c.id == grant_id))

    def delete_for_coach(self, coach_email: str) -> None:
        self._db.execute(delete(coach_grants).where(coach_grants.c.coach_email == coach_email))


class SqlFeedRepo(_Repo):
    def has_token(self, user_id: str) -> bool:
        found = self._db.execute(select(calendar_feeds.c.user_id).where(
            calendar_feeds.c.user_id == user_id)).first()
        return found is not None

    def user_for(self, token_hash: str) -> str | None:
        user_id: str | None = self._db.execute(select(calendar_feeds.c.user_id).where(
            calendar_feeds.c.token_hash == token_hash)).scalar_one_or_none()
        return user_id

    def set_token(self, user_id: str, token_hash: str, at: dt.datetime) -> None:
        self._upsert(calendar_feeds, [{"user_id": user_id, "token_hash": token_hash,
                                       "created_at": at}], keys=("user_id",))

    def event_versions(self, user_id: str) -> Mapping[str, EventVersion]:
        rows = self._db.execute(select(calendar_events).where(
            calendar_events.c.user_id == user_id))
        return {r.session_id: EventVersion(r.content_hash, r.sequence, r.modified)
                for r in rows}

    def save_event_versions(self, user_id: str, versions: Mapping[str, EventVersion]) -> None:
        rows = [{"user_id": user_id, "session_id": session_id,
                 "content_hash": v.content_hash, "sequence": v.sequence,
                 "modified": v.modified} for session_id, v in versions.items()]
        if rows:
            self._upsert(calendar_events, rows, keys=("user_id", "session_id"))

    def settings_for(self, user_id: str) -> CalendarSettings | None:
        row = self._db.execute(select(calendar_settings).where(
            calendar_settings.c.user_id == user_id)).first()
        return mapping.calendar_settings(row) if row else None

    def save_settings(self, user_id: str, settings: CalendarSettings) -> None:
        self._upsert(calendar_settings, [{"user_id": user_id,
                                          **mapping.calendar_settings_values(settings)}],
                     keys=("user_id",))

    def _upsert(self, table: Table, rows: list[dict[str, Any]], *, keys: tuple[str, ...]) -> None:
        """Insert or overwrite by primary key in one statement.

        Delete-then-insert would race: two feed polls after a plan change both insert the
        same new version, and on PostgreSQL the second would fail on the primary key.
        """
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table).values(rows)
        changed = {c.name: statement.excluded[c.name] for c in table.c if c.name not in keys}
        self._db.execute(statement.on_conflict_do_update(index_elements=list(keys),
                                                         set_=changed))
