"""The SQL repository of field-test results (`services.ports.FieldTestRepo`).

A module of its own beside `repositories.py`: the row keeps one nullable column per
measure, and the record a mapping of only the measures entered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from retrorun.services.records import FieldTestRecord
from retrorun.storage.repositories import _Repo, _unique, new_id
from retrorun.storage.tables import FIELD_TEST_MEASURES, field_tests

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from sqlalchemy import Row


def field_test(row: Row[Any]) -> FieldTestRecord:
    values = {name: float(v) for name in FIELD_TEST_MEASURES
              if (v := row._mapping[name]) is not None}
    return FieldTestRecord(row.id, row.athlete_id, row.plan_id, row.session_id,
                           row.session_date, values, row.recorded_by, row.created_at,
                           row.updated_at)


def _columns(values: Mapping[str, float]) -> dict[str, float | None]:
    unknown = set(values) - set(FIELD_TEST_MEASURES)
    if unknown:
        raise ValueError(f"no field-test column for {sorted(unknown)}")
    return {name: values.get(name) for name in FIELD_TEST_MEASURES}


class SqlFieldTestRepo(_Repo):
    def find(self, athlete_id: str, session_id: str, session_date: dt.date
             ) -> FieldTestRecord | None:
        row = self._db.execute(select(field_tests).where(
            field_tests.c.athlete_id == athlete_id, field_tests.c.session_id == session_id,
            field_tests.c.session_date == session_date)).first()
        return field_test(row) if row else None

    def save(self, *, athlete_id: str, plan_id: str | None, session_id: str,
             session_date: dt.date, values: Mapping[str, float], by: str,
             at: dt.datetime) -> FieldTestRecord:
        existing = self.find(athlete_id, session_id, session_date)
        if existing is None:
            row_id = new_id()
            with _unique("session_id", "these results were just entered; reload the page"):
                self._db.execute(insert(field_tests).values(
                    id=row_id, athlete_id=athlete_id, plan_id=plan_id, session_id=session_id,
                    session_date=session_date, **_columns(values), recorded_by=by,
                    created_at=at, updated_at=at))
        else:
            row_id = existing.id
            self._db.execute(update(field_tests).where(field_tests.c.id == row_id).values(
                plan_id=plan_id, **_columns(values), recorded_by=by, updated_at=at))
        saved = self.find(athlete_id, session_id, session_date)
        assert saved is not None  # noqa: S101  (written above)
        return saved

    def delete(self, record_id: str) -> None:
        self._db.execute(delete(field_tests).where(field_tests.c.id == record_id))

    def for_athlete(self, athlete_id: str) -> Sequence[FieldTestRecord]:
        rows = self._db.execute(
            select(field_tests).where(field_tests.c.athlete_id == athlete_id)
            .order_by(field_tests.c.session_date, field_tests.c.created_at))
        return [field_test(row) for row in rows]
