"""The engine and the unit of work.

SQLite (the embedded default) gets WAL, foreign keys and a busy timeout on every
connection, and its file and folder are created on first use. PostgreSQL needs nothing
special: pass a `postgresql+psycopg://` URL.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from retrorun.storage.activities import SqlActivityRepo
from retrorun.storage.field_tests import SqlFieldTestRepo
from retrorun.storage.import_jobs import SqlImportJobRepo
from retrorun.storage.plans import SqlPlanRepo
from retrorun.storage.repositories import (
    SqlFeedRepo,
    SqlGrantRepo,
    SqlLogRepo,
    SqlResetRepo,
    SqlSignInRepo,
    SqlUserRepo,
)
from retrorun.storage.sessions import SqlDraftRepo, SqlSessionRepo

if TYPE_CHECKING:
    from types import TracebackType

    from sqlalchemy import Connection

# How long a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str, *, foreign_keys: bool = True, **options: Any) -> Engine:
    """An engine for the URL; for a SQLite file, the folder is created first.

    `foreign_keys=False` is for migrations only: SQLite's batch mode copies tables, and
    with foreign keys on, dropping the old copy would cascade into other tables.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        options.setdefault("pool_pre_ping", True)
        # Room for a web server's worker threads (Starlette runs sync code on 40).
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 30)
        return create_engine(url, **options)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", partial(_sqlite_on_connect, foreign_keys=foreign_keys))
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any, *, foreign_keys: bool) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (the
    # module's own implicit BEGIN breaks SAVEPOINTs and defers too much).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    # Off by default in SQLite; on for the app so deletes cascade as on PostgreSQL.
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
    cursor.close()


# Execution option of a unit of work's connection that only reads (see `read_only`).
READ_ONLY = "retrorun_read_only"


def _sqlite_on_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        # A read-only unit of work: a deferred transaction never waits for the write lock
        # (in WAL mode readers see the last committed snapshot while a writer works).
        connection.exec_driver_sql("BEGIN")
        return
    # IMMEDIATE takes the write lock up front. A deferred transaction that reads and then
    # writes cannot wait for the lock (SQLITE_BUSY_SNAPSHOT ignores busy_timeout): 20
    # threads editing logs failed 251 of 400 times that way, none with IMMEDIATE. Reads
    # queue briefly instead; every unit of work here is short.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class SqlUnitOfWork:
    """One transaction on one connection; see `retrorun.services.ports.UnitOfWork`."""

    users: SqlUserRepo
    resets: SqlResetRepo
    sign_ins: SqlSignInRepo
    plans: SqlPlanRepo
    logs: SqlLogRepo
    grants: SqlGrantRepo
    feeds: SqlFeedRepo
    field_tests: SqlFieldTestRepo
    activities: SqlActivityRepo
    import_jobs: SqlImportJobRepo
    sessions: SqlSessionRepo
    drafts: SqlDraftRepo

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._depth = 0
        self._read_only = False

    def read_only(self) -> Self:
        if self._depth == 0:
            self._read_only = True
        return self

    def __enter__(self) -> Self:
        if self._depth == 0:
            connection = self._engine.connect()
            if self._read_only:
                connection = connection.execution_options(**{READ_ONLY: True})
            self._connection = connection
            self.users = SqlUserRepo(connection)
            self.resets = SqlResetRepo(connection)
            self.sign_ins = SqlSignInRepo(connection)
            self.plans = SqlPlanRepo(connection)
            self.logs = SqlLogRepo(connection)
            self.grants = SqlGrantRepo(connection)
            self.feeds = SqlFeedRepo(connection)
            self.field_tests = SqlFieldTestRepo(connection)
            self.activities = SqlActivityRepo(connection)
            self.import_jobs = SqlImportJobRepo(connection)
            self.sessions = SqlSessionRepo(connection)
            self.drafts = SqlDraftRepo(connection)
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0 and self._connection is not None:
            try:
                self._connection.rollback()  # whatever was not committed
            finally:
                self._connection.close()
                self._connection = None
                self._read_only = False

    def commit(self) -> None:
        if self._depth == 1 and self._connection is not None:
            self._connection.commit()

    def rollback(self) -> None:
        if self._connection is not None:
            self._connection.rollback()


class Database:
    """The engine plus a factory of units of work; built once by bootstrap."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_options)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
