"""Datetimes come back timezone-aware UTC on SQLite and PostgreSQL; SQLite is set up."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from retrorun.storage.tables import users

if TYPE_CHECKING:
    from retrorun.storage import Database

PLUS_TWO = dt.timezone(dt.timedelta(hours=2))


def test_aware_datetime_round_trips_as_the_same_instant_in_utc(database: Database) -> None:
    written = dt.datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=PLUS_TWO)
    with database.unit_of_work() as uow:
        user = uow.users.add(email="a@example.com", password_hash="h", at=written)
        uow.commit()
    with database.unit_of_work() as uow:
        read = uow.users.get(user.id)
    assert read is not None
    assert read.created_at == written
    assert read.created_at.tzinfo is dt.UTC
    assert read.created_at.hour == 23  # 01:30 at +02:00 is 23:30 UTC the day before


def test_raw_row_is_aware_too(database: Database) -> None:
    at = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with database.unit_of_work() as uow:
        uow.users.add(email="b@example.com", password_hash="h", at=at)
        uow.commit()
    with database.engine.connect() as connection:
        value = connection.execute(select(users.c.created_at)).scalar_one()
    assert value == at
    assert value.utcoffset() == dt.timedelta(0)


def test_naive_datetime_is_refused(database: Database) -> None:
    naive = dt.datetime(2026, 1, 1, 12)  # noqa: DTZ001  (the point of the test)
    with database.unit_of_work() as uow, pytest.raises(StatementError, match="naive"):
        uow.users.add(email="c@example.com", password_hash="h", at=naive)


def test_sqlite_connections_use_wal_and_foreign_keys(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_uncommitted_work_is_rolled_back(database: Database) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with database.unit_of_work() as uow:
        uow.users.add(email="d@example.com", password_hash="h", at=at)
    with database.unit_of_work() as uow:
        assert uow.users.by_email("d@example.com") is None


def test_nested_unit_of_work_commits_only_at_the_outermost_block(database: Database) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    uow = database.unit_of_work()
    with uow, uow:
        uow.users.add(email="e@example.com", password_hash="h", at=at)
        uow.commit()  # inner: deferred to the outer block
        # the outer block ends without commit: nothing is written
    with database.unit_of_work() as check:
        assert check.users.by_email("e@example.com") is None


def test_a_racing_duplicate_insert_becomes_a_conflict(database: Database) -> None:
    """The services check first; the unique constraint catches the request that raced."""
    from retrorun.services.errors import Conflict

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with database.unit_of_work() as uow:
        uow.users.add(email="f@example.com", password_hash="h", at=at)
        uow.commit()
    with database.unit_of_work() as uow, pytest.raises(Conflict) as caught:
        uow.users.add(email="f@example.com", password_hash="h", at=at)
    assert caught.value.field == "email"


def test_json_documents_keep_their_key_order(database: Database) -> None:
    """The plan document promises a fixed key order; PostgreSQL's jsonb would sort it."""
    from retrorun.services.records import CoachLimits

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    document = {"schema": "x", "program": "p", "a": 1, "zz": {"b": 2, "a": 1}}
    with database.unit_of_work() as uow:
        user = uow.users.add(email="g@example.com", password_hash="h", at=at)
        uow.plans.save(athlete_id=user.id, profile={"z": 1, "a": 2}, limits=CoachLimits(),
                       document=document, at=at)
        uow.commit()
    with database.unit_of_work() as uow:
        plan = uow.plans.for_athlete(user.id)
    assert plan is not None
    assert list(plan.document) == ["schema", "program", "a", "zz"]
    assert list(plan.document["zz"]) == ["b", "a"]
    assert list(plan.profile) == ["z", "a"]


def test_a_read_only_unit_of_work_does_not_wait_for_a_writer(database: Database) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with database.unit_of_work() as writer:
        # SQLite: the writer holds the database's write lock (BEGIN IMMEDIATE) until it ends.
        writer.users.add(email="w@example.com", password_hash="h", at=at)
        with database.unit_of_work().read_only() as reader:
            assert reader.users.by_email("w@example.com") is None  # the last commit only
        writer.commit()
    with database.unit_of_work().read_only() as reader:
        assert reader.users.by_email("w@example.com") is not None
