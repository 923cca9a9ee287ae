"""Plans and their versions in the database: every save is a version, a new plan keeps the
old one (and its logs), one current plan per athlete; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from retrorun.services.records import CoachLimits, LogEntry, LogStatus, VersionKind
from retrorun.storage.tables import plans

if TYPE_CHECKING:
    from retrorun.storage import Database

AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
PROFILE = {"age": 34}


def _doc(n: int) -> dict[str, object]:
    return {"weeks": [], "n": n}


def test_every_save_is_a_version_and_a_new_plan_keeps_the_old_one(database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        first = uow.plans.save(athlete_id=ann.id, profile=PROFILE, limits=CoachLimits(),
                               document=_doc(1), at=AT, calendar_key=None)
        adapted = uow.plans.save(athlete_id=ann.id, profile=PROFILE, limits=CoachLimits(),
                                 document=_doc(2), at=AT + DAY)
        limited = uow.plans.save(athlete_id=ann.id, profile=PROFILE,
                                 limits=CoachLimits(pain_threshold=3), document=_doc(3),
                                 at=AT + 2 * DAY)
        log = uow.logs.add(athlete_id=ann.id, plan_id=first.id, session_id="w1-tue",
                           session_date=dt.date(2026, 11, 3),
                           entry=LogEntry(LogStatus.SKIPPED), by=ann.id, at=AT + DAY)
        new = uow.plans.save(athlete_id=ann.id, profile={"age": 35}, limits=CoachLimits(),
                             document=_doc(4), at=AT + 3 * DAY, calendar_key="f" * 16,
                             new_plan=True)
        uow.commit()
    assert (first.version, adapted.version, limited.version) == (1, 2, 3)
    assert adapted.id == limited.id == first.id
    assert new.id != first.id
    assert new.version == 1
    assert new.calendar_key == first.id  # the calendar keeps its UIDs, not the new key
    with database.unit_of_work() as uow:
        current = uow.plans.for_athlete(ann.id)
        assert current is not None
        assert (current.id, current.document) == (new.id, _doc(4))
        state = uow.plans.state(ann.id)
        assert state is not None
        assert (state.plan_id, state.version) == (new.id, 1)
        old = uow.plans.get(first.id)
        assert old is not None
        assert old.replaced_at == AT + 3 * DAY
        assert old.document == _doc(3)
        versions = uow.plans.versions(ann.id)
        assert [(v.plan_id, v.version, v.kind, v.document["n"]) for v in versions] == [
            (first.id, 1, VersionKind.KEPT, 1), (first.id, 2, VersionKind.ADAPTED, 2),
            (first.id, 3, VersionKind.LIMITS, 3), (new.id, 1, VersionKind.REPLACED, 4)]
        assert versions[2].limits == CoachLimits(pain_threshold=3)
        assert versions[3].profile == {"age": 35}
        one = uow.plans.version(first.id, 2)
        assert one is not None
        assert (one.document, one.created_at) == (_doc(2), AT + DAY)
        assert uow.plans.version(first.id, 4) is None
        kept_log = uow.logs.get(log.id)
        assert kept_log is not None
        assert kept_log.plan_id == first.id  # still attached to the plan it logged


def test_the_kind_given_wins_and_deleting_the_user_removes_the_history(
        database: Database) -> None:
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        uow.plans.save(athlete_id=ann.id, profile=PROFILE, limits=CoachLimits(),
                       document=_doc(1), at=AT)
        uow.plans.save(athlete_id=ann.id, profile=PROFILE, limits=CoachLimits(),
                       document=_doc(2), at=AT, kind=VersionKind.LIMITS)
        uow.plans.save(athlete_id=ann.id, profile=PROFILE, limits=CoachLimits(),
                       document=_doc(3), at=AT, new_plan=True)
        uow.commit()
    with database.unit_of_work() as uow:
        assert [v.kind for v in uow.plans.versions(ann.id)] == [
            VersionKind.KEPT, VersionKind.LIMITS, VersionKind.REPLACED]
        uow.users.delete(ann.id)
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.plans.versions(ann.id) == []
        assert uow.plans.for_athlete(ann.id) is None


def test_an_athlete_has_one_current_plan(database: Database) -> None:
    """Two requests racing past the check would both insert a current plan; the partial
    unique index refuses the second (`save` turns that into a Conflict)."""
    with database.unit_of_work() as uow:
        ann = uow.users.add(email="ann@example.com", password_hash="x", at=AT)
        kept = uow.plans.save(athlete_id=ann.id, profile=PROFILE, limits=CoachLimits(),
                              document=_doc(1), at=AT)
        uow.commit()
    row = {"athlete_id": ann.id, "version": 1, "profile": PROFILE, "limits": {},
           "document": _doc(2), "created_at": AT, "updated_at": AT}
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(insert(plans).values(id="b" * 32, **row))
    with database.engine.begin() as connection:  # a replaced plan is no second current one
        connection.execute(insert(plans).values(id="c" * 32, replaced_at=AT, **row))
    with database.unit_of_work() as uow:
        current = uow.plans.for_athlete(ann.id)
        assert current is not None
        assert current.id == kept.id
