"""A job enqueued more than once (several processes sweep the same stale job) runs
once: a task claims the job's heartbeat in huey's store first, and leaves alone a job
that is finished, or running with a fresh heartbeat."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from retrorun.bootstrap import build_services
from retrorun.jobs import HueyJobQueue
from retrorun.services import import_jobs
from retrorun.storage import upgrade
from tests.jobs.helpers import REAL_FILES, job, new_athlete, queue_settings, real_uploads


class SteppedClock:
    def __init__(self) -> None:
        self.at = dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


def test_duplicate_tasks_run_a_job_once_and_a_stale_one_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'retrorun.sqlite3'}"
    upgrade(url)
    clock = SteppedClock()
    services = build_services(queue_settings(url, tmp_path, "sqlite"), clock=clock)
    queue = services.jobs
    assert isinstance(queue, HueyJobQueue)
    try:
        user_id = new_athlete(services)
        submitted = import_jobs.submit(services.uow(), user_id=user_id,
                                       uploads=real_uploads(), clock=clock, queue=queue)
        queue.enqueue(submitted.id)  # a second sweeper's copy
        queued_key = queue.work.claim_key(submitted.id)
        assert queued_key is not None
        assert queue.huey.put_if_empty(queued_key, "1")  # a worker holds this claim
        queue._run_job(submitted.id)  # the other copy: claimed elsewhere, left alone
        assert job(services, user_id, submitted.id).status == "queued"
        queue.huey.delete(queued_key)
        queue._run_job(submitted.id)
        done = job(services, user_id, submitted.id)
        assert (done.status, done.files_done) == ("done", len(REAL_FILES))
        assert queue.work.claim_key(submitted.id) is None  # finished: nothing to claim
        assert queue.huey.get(queued_key, peek=True) is None  # the claim is let go

        # A job left running: alone while its heartbeat is fresh, claimable when stale.
        second = import_jobs.submit(services.uow(), user_id=user_id,
                                    uploads=real_uploads(), clock=clock, queue=queue)
        import_jobs._start(services.uow(), second.id, clock)
        assert queue.work.claim_key(second.id) is None
        assert queue.sweep() == ()
        clock.at += import_jobs.STALE_AFTER + dt.timedelta(seconds=1)
        assert queue.work.claim_key(second.id) is not None
        assert queue.sweep() == (second.id,)
    finally:
        services.close()
