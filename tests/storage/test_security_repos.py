"""Issue 11's repositories on both databases: verified emails, grant status, sessions,
wizard drafts, feed tokens by hash."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.exc import IntegrityError

from retrorun.services.records import GrantStatus

if TYPE_CHECKING:
    from retrorun.storage import Database

AT = dt.datetime(2026, 11, 3, 8, 30, tzinfo=dt.UTC)
LATER = AT + dt.timedelta(hours=1)


def test_an_email_is_marked_verified(database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        assert ann.email_verified_at is None
        uow.users.mark_verified(ann.id, LATER)
        uow.commit()
    with database.unit_of_work() as uow:
        found = uow.users.get(ann.id)
        assert found is not None
        assert found.email_verified_at == LATER


def test_grants_have_a_status_to_filter_by_and_a_response_time(database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        bob = uow.users.add(email="bob@example.com", password_hash="x", at=AT)
        old = uow.grants.add(athlete_id=ann.id, coach_email="coach@example.com", at=AT)
        new = uow.grants.add(athlete_id=bob.id, coach_email="coach@example.com", at=LATER,
                             status=GrantStatus.INVITED)
        assert (old.status, old.responded_at) == (GrantStatus.ACTIVE, None)
        assert new.status is GrantStatus.INVITED
        uow.commit()
    with database.unit_of_work() as uow:
        coach = "coach@example.com"
        assert [g.id for g in uow.grants.for_coach(coach)] == [old.id, new.id]
        assert [g.id for g in uow.grants.for_coach(coach, status=GrantStatus.INVITED)] == [
            new.id]
        uow.grants.set_status(new.id, GrantStatus.DECLINED, LATER)
        uow.commit()
    with database.unit_of_work() as uow:
        declined = uow.grants.get(new.id)
        assert declined is not None
        assert (declined.status, declined.responded_at) == (GrantStatus.DECLINED, LATER)
        assert uow.grants.for_coach("coach@example.com", status=GrantStatus.INVITED) == []


def test_sessions_are_found_by_token_hash_and_end(database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        bob = uow.users.add(email="bob@example.com", password_hash="x", at=AT)
        one = uow.sessions.add(user_id=ann.id, token_hash="a" * 64, user_agent="F" * 500,
                               at=AT)
        two = uow.sessions.add(user_id=ann.id, token_hash="b" * 64, user_agent="", at=AT)
        bobs = uow.sessions.add(user_id=bob.id, token_hash="c" * 64, user_agent="", at=AT)
        assert len(one.user_agent) == 300  # cut to the column
        uow.sessions.touch(two.id, LATER)
        uow.commit()
    with pytest.raises(IntegrityError), database.unit_of_work() as uow:
        uow.sessions.add(user_id=bob.id, token_hash="a" * 64, user_agent="", at=AT)
    with database.unit_of_work() as uow:
        found = uow.sessions.by_token_hash("a" * 64)
        assert found is not None
        assert found.id == one.id
        assert [s.id for s in uow.sessions.active_for(ann.id)] == [two.id, one.id]
        assert not uow.sessions.end(bob.id, one.id, LATER)  # not Bob's
        assert uow.sessions.end(ann.id, one.id, LATER)
        assert not uow.sessions.end(ann.id, one.id, LATER)  # ended already
        assert uow.sessions.end_all(ann.id, LATER, keep=two.id) == 0
        assert uow.sessions.end_all(ann.id, LATER) == 1
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.sessions.active_for(ann.id) == []
        ended = uow.sessions.by_token_hash("b" * 64)
        assert ended is not None
        assert ended.ended_at == LATER
        uow.sessions.purge_ended(LATER + dt.timedelta(seconds=1))
        assert uow.sessions.by_token_hash("b" * 64) is None
        assert [s.id for s in uow.sessions.active_for(bob.id)] == [bobs.id]


def test_drafts_are_upserted_and_purged_by_age(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.drafts.save("d1", {"screen": {"late_pregnancy": True}}, AT)
        uow.drafts.save("d2", {"age": 30}, AT)
        uow.drafts.save("d1", {"age": 41}, LATER)
        uow.commit()
    with database.unit_of_work() as uow:
        first = uow.drafts.get("d1")
        assert first is not None
        assert (dict(first.answers), first.created_at, first.updated_at) == (
            {"age": 41}, AT, LATER)
        uow.drafts.purge(LATER)
        assert uow.drafts.get("d2") is None
        assert uow.drafts.get("d1") is not None
        uow.drafts.delete("d1")
        assert uow.drafts.get("d1") is None


def test_feed_tokens_are_kept_by_hash_and_replaced(database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        assert not uow.feeds.has_token(ann.id)
        uow.feeds.set_token(ann.id, "1" * 64, AT)
        assert uow.feeds.has_token(ann.id)
        assert uow.feeds.user_for("1" * 64) == ann.id
        uow.feeds.set_token(ann.id, "2" * 64, LATER)
        assert uow.feeds.user_for("1" * 64) is None
        assert uow.feeds.user_for("2" * 64) == ann.id
