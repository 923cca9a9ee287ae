"""The in-memory activity repository (`services.activity_records.ActivityRepo`), beside
`memory` so that module stays readable."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from retrorun.services.activity_records import UploadRecord
from retrorun.services.errors import Conflict

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrorun.services.activity_records import (
        ActivityLap,
        ActivityRecord,
        ImportJobRecord,
    )


class Activities:
    def __init__(self, store: dict[str, ActivityRecord]) -> None:
        self.s = store

    def add(self, record: ActivityRecord) -> None:
        if self.by_hash(record.athlete_id, record.file_hash) is not None:
            raise Conflict("file", "this file was imported already")
        self.s[record.id] = record

    def get(self, athlete_id: str, activity_id: str) -> ActivityRecord | None:
        found = self.s.get(activity_id)
        return found if found is not None and found.athlete_id == athlete_id else None

    def by_hash(self, athlete_id: str, file_hash: str) -> ActivityRecord | None:
        return next((a for a in self.s.values()
                     if a.athlete_id == athlete_id and a.file_hash == file_hash), None)

    def starting_between(self, athlete_id: str, first: dt.datetime, last: dt.datetime
                         ) -> Sequence[ActivityRecord]:
        return sorted((a for a in self.s.values()
                       if a.athlete_id == athlete_id and first <= a.start <= last),
                      key=lambda a: a.start)

    def for_athlete(self, athlete_id: str) -> Sequence[ActivityRecord]:
        mine = [a for a in self.s.values() if a.athlete_id == athlete_id]
        return sorted(sorted(mine, key=lambda a: a.id), key=lambda a: a.start, reverse=True)

    def set_match(self, activity_id: str, session_id: str | None,
                  session_date: dt.date | None) -> None:
        self.s[activity_id] = dataclasses.replace(self.s[activity_id], session_id=session_id,
                                                  session_date=session_date)

    def set_laps(self, activity_id: str, laps: Sequence[ActivityLap]) -> None:
        self.s[activity_id] = dataclasses.replace(self.s[activity_id], laps=tuple(laps))

    def delete(self, activity_id: str) -> None:
        self.s.pop(activity_id, None)


class ImportJobs:
    def __init__(self, jobs: dict[str, ImportJobRecord],
                 uploads: dict[tuple[str, int], UploadRecord]) -> None:
        self.jobs, self.uploads = jobs, uploads

    def add(self, job: ImportJobRecord, uploads: Sequence[tuple[str, bytes]]) -> None:
        self.jobs[job.id] = job
        for position, (name, data) in enumerate(uploads):
            self.uploads[(job.id, position)] = UploadRecord(job.id, position, name, data, False)

    def get(self, job_id: str) -> ImportJobRecord | None:
        return self.jobs.get(job_id)

    def for_athlete(self, athlete_id: str) -> Sequence[ImportJobRecord]:
        mine = [j for j in self.jobs.values() if j.athlete_id == athlete_id]
        return sorted(sorted(mine, key=lambda j: j.id), key=lambda j: j.created_at,
                      reverse=True)

    def save(self, job: ImportJobRecord) -> None:
        self.jobs[job.id] = dataclasses.replace(job, created_at=self.jobs[job.id].created_at)

    def pending_uploads(self, job_id: str) -> Sequence[UploadRecord]:
        return sorted((u for (j, _), u in self.uploads.items() if j == job_id and not u.done),
                      key=lambda u: u.position)

    def upload_done(self, job_id: str, position: int) -> None:
        self.uploads[(job_id, position)] = dataclasses.replace(
            self.uploads[(job_id, position)], done=True, data=b"")

    def unfinished(self) -> Sequence[ImportJobRecord]:
        return sorted((j for j in self.jobs.values() if j.status in ("queued", "running")),
                      key=lambda j: j.created_at)
