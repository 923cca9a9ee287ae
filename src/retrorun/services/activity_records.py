"""Imported activities as the services store them, and the port of their repository.

A module of its own beside `records` and `ports` (issue 12): an activity carries its laps
(each marked backward or not) and its per-second samples as one columnar blob
(`formats.activities.encode_streams`), never a row per second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ActivityLap:
    start: dt.datetime
    elapsed_s: float
    timer_s: float | None
    distance_m: float | None
    avg_heart_rate: int | None
    avg_speed_mps: float | None
    wkt_step_index: int | None
    backward: bool = False

    @property
    def seconds(self) -> float:
        """Time running the lap: the timer (pauses left out) where the file gives it."""
        return self.timer_s if self.timer_s is not None else self.elapsed_s


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    id: str
    athlete_id: str
    file_name: str
    file_hash: str  # sha256 of the activity file's bytes (after any gzip layer)
    source_format: str  # fit, gpx or tcx
    sport: str
    sub_sport: str | None
    on_foot: bool | None
    start: dt.datetime  # UTC
    utc_offset_s: int | None  # local - UTC, where the file gives it
    elapsed_s: float
    moving_s: float | None
    distance_m: float | None
    records: int
    avg_heart_rate: float | None
    laps: tuple[ActivityLap, ...]
    streams: bytes
    warnings: tuple[str, ...]
    device: str | None
    session_id: str | None  # the planned session it completed, if matched
    session_date: dt.date | None
    created_at: dt.datetime

    @property
    def local_start(self) -> dt.datetime:
        if self.utc_offset_s is None:
            return self.start
        return self.start.astimezone(dt.timezone(dt.timedelta(seconds=self.utc_offset_s)))

    @property
    def backward_seconds(self) -> float:
        return sum(lap.seconds for lap in self.laps if lap.backward)

    @property
    def running_seconds(self) -> float:
        """Time in motion: the moving time where known, else the elapsed time."""
        return self.moving_s if self.moving_s is not None else self.elapsed_s


class ActivityRepo(Protocol):
    """An athlete's imported activities; `file_hash` is unique per athlete."""

    def add(self, record: ActivityRecord) -> None:
        """Conflict("file") when the athlete has an activity with this file hash."""
        ...

    def get(self, athlete_id: str, activity_id: str) -> ActivityRecord | None: ...

    def by_hash(self, athlete_id: str, file_hash: str) -> ActivityRecord | None: ...

    def starting_between(self, athlete_id: str, first: dt.datetime, last: dt.datetime
                         ) -> Sequence[ActivityRecord]: ...

    def for_athlete(self, athlete_id: str) -> Sequence[ActivityRecord]:
        """Newest first."""
        ...

    def set_match(self, activity_id: str, session_id: str | None,
                  session_date: dt.date | None) -> None: ...

    def set_laps(self, activity_id: str, laps: Sequence[ActivityLap]) -> None: ...

    def delete(self, activity_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ImportJobRecord:
    """An upload's import: how far it got; `outcomes` one JSON object per file done
    (the keys of `retrorun import --json`)."""

    id: str
    athlete_id: str
    status: str  # queued, running, done or failed
    total_files: int
    files_done: int
    imported: int
    duplicates: int
    refused: int
    outcomes: tuple[dict[str, object], ...]
    message: str
    heartbeat_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class UploadRecord:
    job_id: str
    position: int
    name: str
    data: bytes
    done: bool


class ImportJobRepo(Protocol):
    def add(self, job: ImportJobRecord, uploads: Sequence[tuple[str, bytes]]) -> None: ...

    def get(self, job_id: str) -> ImportJobRecord | None: ...

    def for_athlete(self, athlete_id: str) -> Sequence[ImportJobRecord]:
        """Newest first."""
        ...

    def save(self, job: ImportJobRecord) -> None:
        """Store the job's status, counts, outcomes, message and times."""
        ...

    def pending_uploads(self, job_id: str) -> Sequence[UploadRecord]:
        """The uploads not read yet, in order."""
        ...

    def upload_done(self, job_id: str, position: int) -> None:
        """Mark it read and drop its bytes (the activities are stored by then)."""
        ...

    def unfinished(self) -> Sequence[ImportJobRecord]:
        """Jobs queued or running, oldest first (to re-enqueue stale ones)."""
        ...
