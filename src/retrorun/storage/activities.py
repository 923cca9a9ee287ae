"""The SQL repository of imported activities (`services.activity_records.ActivityRepo`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from retrorun.services.activity_records import ActivityLap, ActivityRecord
from retrorun.storage.repositories import _Repo, _unique
from retrorun.storage.tables import activities

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Row


def _lap_json(lap: ActivityLap) -> dict[str, Any]:
    return {"start": lap.start.isoformat(), "elapsed_s": lap.elapsed_s, "timer_s": lap.timer_s,
            "distance_m": lap.distance_m, "avg_heart_rate": lap.avg_heart_rate,
            "avg_speed_mps": lap.avg_speed_mps, "wkt_step_index": lap.wkt_step_index,
            "backward": lap.backward}


def _lap(data: dict[str, Any]) -> ActivityLap:
    return ActivityLap(dt.datetime.fromisoformat(data["start"]), data["elapsed_s"],
                       data["timer_s"], data["distance_m"], data["avg_heart_rate"],
                       data["avg_speed_mps"], data["wkt_step_index"], bool(data["backward"]))


def activity(row: Row[Any]) -> ActivityRecord:
    return ActivityRecord(
        id=row.id, athlete_id=row.athlete_id, file_name=row.file_name,
        file_hash=row.file_hash, source_format=row.source_format, sport=row.sport,
        sub_sport=row.sub_sport, on_foot=row.on_foot, start=row.start_at,
        utc_offset_s=row.utc_offset_s, elapsed_s=row.elapsed_s, moving_s=row.moving_s,
        distance_m=row.distance_m, records=row.records, avg_heart_rate=row.avg_heart_rate,
        laps=tuple(_lap(lap) for lap in row.laps), streams=bytes(row.streams),
        warnings=tuple(row.warnings), device=row.device, session_id=row.session_id,
        session_date=row.session_date, created_at=row.created_at)


class SqlActivityRepo(_Repo):
    def add(self, record: ActivityRecord) -> None:
        with _unique("file", "this file was imported already"):
            self._db.execute(insert(activities).values(
                id=record.id, athlete_id=record.athlete_id, file_name=record.file_name,
                file_hash=record.file_hash, source_format=record.source_format,
                sport=record.sport, sub_sport=record.sub_sport, on_foot=record.on_foot,
                start_at=record.start, utc_offset_s=record.utc_offset_s,
                elapsed_s=record.elapsed_s, moving_s=record.moving_s,
                distance_m=record.distance_m, records=record.records,
                avg_heart_rate=record.avg_heart_rate,
                laps=[_lap_json(lap) for lap in record.laps], streams=record.streams,
                warnings=list(record.warnings), device=record.device,
                session_id=record.session_id, session_date=record.session_date,
                created_at=record.created_at))

    def get(self, athlete_id: str, activity_id: str) -> ActivityRecord | None:
        row = self._db.execute(select(activities).where(
            activities.c.athlete_id == athlete_id, activities.c.id == activity_id)).first()
        return activity(row) if row else None

    def by_hash(self, athlete_id: str, file_hash: str) -> ActivityRecord | None:
        row = self._db.execute(select(activities).where(
            activities.c.athlete_id == athlete_id,
            activities.c.file_hash == file_hash)).first()
        return activity(row) if row else None

    def starting_between(self, athlete_id: str, first: dt.datetime, last: dt.datetime
                         ) -> Sequence[ActivityRecord]:
        rows = self._db.execute(select(activities).where(
            activities.c.athlete_id == athlete_id, activities.c.start_at >= first,
            activities.c.start_at <= last).order_by(activities.c.start_at))
        return [activity(row) for row in rows]

    def for_athlete(self, athlete_id: str) -> Sequence[ActivityRecord]:
        rows = self._db.execute(select(activities).where(
            activities.c.athlete_id == athlete_id).order_by(activities.c.start_at.desc(),
                                                            activities.c.id))
        return [activity(row) for row in rows]

    def set_match(self, activity_id: str, session_id: str | None,
                  session_date: dt.date | None) -> None:
        self._db.execute(update(activities).where(activities.c.id == activity_id).values(
            session_id=session_id, session_date=session_date))

    def set_laps(self, activity_id: str, laps: Sequence[ActivityLap]) -> None:
        self._db.execute(update(activities).where(activities.c.id == activity_id).values(
            laps=[_lap_json(lap) for lap in laps]))

    def delete(self, activity_id: str) -> None:
        self._db.execute(delete(activities).where(activities.c.id == activity_id))
