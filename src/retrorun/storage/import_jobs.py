"""The SQL repository of import jobs and their waiting uploads
(`services.activity_records.ImportJobRepo`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from retrorun.services.activity_records import ImportJobRecord, UploadRecord
from retrorun.storage.repositories import _Repo
from retrorun.storage.tables import import_jobs, import_uploads

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Row


def job(row: Row[Any]) -> ImportJobRecord:
    return ImportJobRecord(
        id=row.id, athlete_id=row.athlete_id, status=row.status, total_files=row.total_files,
        files_done=row.files_done, imported=row.imported, duplicates=row.duplicates,
        refused=row.refused, outcomes=tuple(row.outcomes), message=row.message,
        heartbeat_at=row.heartbeat_at, created_at=row.created_at, updated_at=row.updated_at)


def _values(record: ImportJobRecord) -> dict[str, Any]:
    return {"status": record.status, "total_files": record.total_files,
            "files_done": record.files_done, "imported": record.imported,
            "duplicates": record.duplicates, "refused": record.refused,
            "outcomes": list(record.outcomes), "message": record.message,
            "heartbeat_at": record.heartbeat_at, "updated_at": record.updated_at}


class SqlImportJobRepo(_Repo):
    def add(self, record: ImportJobRecord, uploads: Sequence[tuple[str, bytes]]) -> None:
        self._db.execute(insert(import_jobs).values(
            id=record.id, athlete_id=record.athlete_id, created_at=record.created_at,
            **_values(record)))
        for position, (name, data) in enumerate(uploads):
            self._db.execute(insert(import_uploads).values(
                job_id=record.id, position=position, name=name, data=data, done=False))

    def get(self, job_id: str) -> ImportJobRecord | None:
        row = self._db.execute(select(import_jobs).where(import_jobs.c.id == job_id)).first()
        return job(row) if row else None

    def for_athlete(self, athlete_id: str) -> Sequence[ImportJobRecord]:
        rows = self._db.execute(select(import_jobs).where(
            import_jobs.c.athlete_id == athlete_id).order_by(import_jobs.c.created_at.desc(),
                                                             import_jobs.c.id))
        return [job(row) for row in rows]

    def save(self, record: ImportJobRecord) -> None:
        self._db.execute(update(import_jobs).where(import_jobs.c.id == record.id)
                         .values(**_values(record)))

    def pending_uploads(self, job_id: str) -> Sequence[UploadRecord]:
        rows = self._db.execute(select(import_uploads).where(
            import_uploads.c.job_id == job_id, import_uploads.c.done.is_(False))
            .order_by(import_uploads.c.position))
        return [UploadRecord(r.job_id, r.position, r.name, bytes(r.data), r.done) for r in rows]

    def upload_done(self, job_id: str, position: int) -> None:
        self._db.execute(update(import_uploads).where(
            import_uploads.c.job_id == job_id, import_uploads.c.position == position)
            .values(done=True, data=b""))

    def unfinished(self) -> Sequence[ImportJobRecord]:
        rows = self._db.execute(select(import_jobs).where(
            import_jobs.c.status.in_(("queued", "running"))).order_by(import_jobs.c.created_at))
        return [job(row) for row in rows]
