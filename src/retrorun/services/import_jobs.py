"""Import jobs: an upload of one or many files, read and imported in the background
(issue 12), with its state in our own table so a worker that dies loses nothing.

`submit` stores the job and its files in one transaction and hands the job's id to the
queue. `run` (what a worker calls) reads the files not read yet, one at a time: each
file's activities are imported (`imports`, idempotent by file hash) and, in the same
step, its outcomes and counts are saved, the file marked read and the heartbeat renewed.
Run twice, or after a crash, it goes on where it stopped. `stale` names the jobs whose
heartbeat is older than `STALE_AFTER`, for the worker to enqueue again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from retrorun.formats.activities import iter_upload
from retrorun.services import _access, _validate, imports
from retrorun.services.activity_records import ImportJobRecord
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.imports import ImportOutcome
from retrorun.services.ports import Clock, UnitOfWork

# [A] A worker renews the heartbeat after every file; a big FIT takes seconds to read
# (fitdecode: ~10 s for 100,000 records), so two minutes of silence is a dead worker.
STALE_AFTER = dt.timedelta(minutes=2)
MAX_FILES_PER_UPLOAD = 500  # [A] more at once: send a zip (one file, its members inside)
MAX_NAME = 300


class JobQueue(Protocol):
    """Runs an import job (`run`) now or in a worker process."""

    def enqueue(self, job_id: str) -> None: ...


def outcome_json(outcome: ImportOutcome) -> dict[str, Any]:
    """One file's outcome as stored and as `retrorun import --json` prints it."""
    return {"file": outcome.file, "status": outcome.status, "sport": outcome.sport,
            "start": outcome.start.isoformat() if outcome.start is not None else None,
            "distance_m": outcome.distance_m, "elapsed_s": outcome.elapsed_s,
            "records": outcome.records, "session_id": outcome.session_id,
            "backward_minutes": outcome.backward_minutes, "message": outcome.message,
            "activity_id": outcome.activity_id}


def submit(uow: UnitOfWork, *, user_id: str, uploads: Sequence[tuple[str, bytes]],
           clock: Clock, queue: JobQueue) -> ImportJobRecord:
    """Store the upload as a queued job and enqueue it. InvalidInput("files") for no
    files or too many."""
    if not uploads:
        raise InvalidInput("files", "choose at least one file")
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput("files", f"at most {MAX_FILES_PER_UPLOAD} files at once; "
                                    "put more in a zip")
    named = [(_validate.text(name, "files", MAX_NAME) or "upload", data)
             for name, data in uploads]
    with uow:
        athlete = _access.acting_user(uow, user_id)
        now = clock.now()
        job = ImportJobRecord(uuid.uuid4().hex, athlete.id, "queued", len(named), 0, 0, 0, 0,
                              (), "", None, now, now)
        uow.import_jobs.add(job, named)
        uow.commit()
    queue.enqueue(job.id)
    return job


def run(uow: UnitOfWork, *, job_id: str, clock: Clock) -> ImportJobRecord | None:
    """Read and import the job's unread files (see the module); None if it is gone."""
    job = _start(uow, job_id, clock)
    if job is None:
        return None
    while True:
        with uow.read_only():
            pending = uow.import_jobs.pending_uploads(job_id)
        if not pending:
            break
        upload = pending[0]
        # One activity at a time (a bulk export holds a thousand): each outcome is saved
        # as it comes, so the progress moves and a crash loses at most one activity.
        try:
            for result in iter_upload(upload.name, upload.data):
                outcome = imports.import_result(uow, user_id=job.athlete_id, result=result,
                                                clock=clock)
                job = _record_outcome(uow, job_id, upload.position, outcome, clock) or job
        except Exception as error:  # a bug must not make the file a poison pill: say so
            failed = ImportOutcome(upload.name, "refused", f"{upload.name}: could not be "
                                   f"imported ({type(error).__name__})")
            job = _record_outcome(uow, job_id, upload.position, failed, clock) or job
        _upload_done(uow, job_id, upload.position, clock)
    return _finish(uow, job_id, clock)


def _start(uow: UnitOfWork, job_id: str, clock: Clock) -> ImportJobRecord | None:
    with uow:
        job = uow.import_jobs.get(job_id)
        if job is None or job.status in ("done", "failed"):
            return None
        now = clock.now()
        job = dataclasses.replace(job, status="running", heartbeat_at=now, updated_at=now)
        uow.import_jobs.save(job)
        uow.commit()
    return job


def _record_outcome(uow: UnitOfWork, job_id: str, position: int, outcome: ImportOutcome,
                    clock: Clock) -> ImportJobRecord | None:
    """Count one activity's outcome and renew the heartbeat. After a crash the same file
    is read again: what this job already reported is not reported twice."""
    with uow:
        job = uow.import_jobs.get(job_id)
        if job is None:
            return None
        now = clock.now()
        seen = {(o.get("upload"), o.get("file")) for o in job.outcomes}
        if (position, outcome.file) in seen:
            job = dataclasses.replace(job, heartbeat_at=now, updated_at=now)
        else:
            job = dataclasses.replace(
                job, imported=job.imported + (outcome.status == "imported"),
                duplicates=job.duplicates + (outcome.status == "duplicate"),
                refused=job.refused + (outcome.status == "refused"),
                outcomes=(*job.outcomes, {**outcome_json(outcome), "upload": position}),
                heartbeat_at=now,
                updated_at=now)
        uow.import_jobs.save(job)
        uow.commit()
    return job


def _upload_done(uow: UnitOfWork, job_id: str, position: int, clock: Clock) -> None:
    with uow:
        job = uow.import_jobs.get(job_id)
        if job is None:
            return
        now = clock.now()
        uow.import_jobs.save(dataclasses.replace(job, files_done=job.files_done + 1,
                                                 heartbeat_at=now, updated_at=now))
        uow.import_jobs.upload_done(job_id, position)
        uow.commit()


def _finish(uow: UnitOfWork, job_id: str, clock: Clock) -> ImportJobRecord | None:
    with uow:
        job = uow.import_jobs.get(job_id)
        if job is None:
            return None
        now = clock.now()
        job = dataclasses.replace(job, status="done", heartbeat_at=now, updated_at=now)
        uow.import_jobs.save(job)
        uow.commit()
    return job


def get_job(uow: UnitOfWork, *, user_id: str, job_id: str) -> ImportJobRecord:
    """The user's own job; NotFound for anyone else's."""
    with uow.read_only():
        athlete = _access.acting_user(uow, user_id)
        job = uow.import_jobs.get(job_id) if isinstance(job_id, str) else None
        if job is None or job.athlete_id != athlete.id:
            raise NotFound("import")
        return job


def list_jobs(uow: UnitOfWork, *, user_id: str) -> tuple[ImportJobRecord, ...]:
    with uow.read_only():
        athlete = _access.acting_user(uow, user_id)
        return tuple(uow.import_jobs.for_athlete(athlete.id))


def stale(uow: UnitOfWork, *, clock: Clock, after: dt.timedelta = STALE_AFTER
          ) -> tuple[str, ...]:
    """Jobs queued or running whose heartbeat (or creation) is older than `after`."""
    limit = clock.now() - after
    with uow.read_only():
        return tuple(job.id for job in uow.import_jobs.unfinished()
                     if (job.heartbeat_at or job.created_at) < limit)
