"""The coach's note on a grant: stored, read back, cleared, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrorun.storage import Database

AT = dt.datetime(2026, 11, 3, 8, 30, tzinfo=dt.UTC)
LATER = AT + dt.timedelta(days=1)


def test_a_note_is_set_on_its_grant_only_and_can_be_cleared(database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        bob = uow.users.add(email="bob@example.com", password_hash="x", at=AT)
        mine = uow.grants.add(athlete_id=ann.id, coach_email="coach@example.com", at=AT)
        other = uow.grants.add(athlete_id=bob.id, coach_email="coach@example.com", at=AT)
        assert (mine.note, mine.note_at) == (None, None)
        uow.grants.set_note(ann.id, "coach@example.com", "Easy week: sleep first.", LATER)
        uow.grants.set_note(ann.id, "nobody@example.com", "ignored", LATER)  # no grant
        uow.commit()
    with database.unit_of_work() as uow:
        got = uow.grants.get(mine.id)
        assert got is not None
        assert (got.note, got.note_at) == ("Easy week: sleep first.", LATER)
        untouched = uow.grants.get(other.id)
        assert untouched is not None
        assert untouched.note is None
        assert sorted(g.note or "" for g in uow.grants.for_coach("coach@example.com")) == [
            "", "Easy week: sleep first."]
        uow.grants.set_note(ann.id, "coach@example.com", None, LATER)
        uow.commit()
    with database.unit_of_work() as uow:
        cleared = uow.grants.get(mine.id)
        assert cleared is not None
        assert (cleared.note, cleared.note_at) == (None, LATER)
