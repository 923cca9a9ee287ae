"""The background queue of import jobs (issue 12) on huey 3.5: an adapter behind the
services' `JobQueue` port, like `retrorun.mail` behind `Mailer`.

`make_huey(settings)` builds the queue: `SqliteHuey` in a file of its own beside the
database (`data_dir/jobs.sqlite3`: huey on the app's own SQLite file reports "database is
locked", research/import.md section 1), or `RedisHuey` when several processes share a
PostgreSQL database. `HueyJobQueue.enqueue` hands a job's id to whichever consumer takes
it first; the consumer runs `services.import_jobs.run` against the database.

huey forgets a task once a worker has taken it, so a worker killed mid-job (`kill -9`)
would lose the job (huey issues #418, #559, #844). The job's state is ours
(`import_jobs`, with a heartbeat renewed after every file), so a sweep, at a consumer's
start and then every minute, enqueues again the jobs whose heartbeat is stale, and `run`
goes on where the dead worker stopped. Several consumers sweep, so one stale job may be
enqueued more than once: a task first claims the job's current heartbeat in huey's
key-value store (atomic on SQLite and Redis), and a job another worker is running (a
fresh heartbeat) or has claimed is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrorun.config import JobsBackend
from retrorun.services import import_jobs

if TYPE_CHECKING:
    from retrorun.config import Settings
    from retrorun.services.ports import Clock
    from retrorun.storage import Database

QUEUE_FILE_NAME = "jobs.sqlite3"
# [A] huey waits for SQLite's lock this long before "database is locked"; the research's
# configuration that worked (research/import.md section 1).
SQLITE_TIMEOUT_S = 10
# An idle consumer polls at most this far apart: the research's `-m 1` (huey's default
# is 10 s, which a user watching an upload's progress would feel).
MAX_POLL_DELAY_S = 1.0
# [A] A consumer asked to stop waits this long for the job in hand; a job cut short is
# picked up again by the sweep, so waiting longer only delays a restart.
SHUTDOWN_TIMEOUT_S = 5.0
# huey's periodic tasks are checked on the minute (its scheduler wakes every 60 s).
SWEEP_MINUTES = "*"
CLAIM_PREFIX = "retrorun.claim"

log = logging.getLogger("retrorun.jobs")


def queue_name(settings: Settings) -> str:
    """The queue's name, one per database: web processes and workers that share a
    database share its queue, and two installs sharing one Redis never swap jobs."""
    digest = hashlib.sha256(settings.resolved_database_url.encode()).hexdigest()[:12]
    return f"retrorun-{digest}"


def make_huey(settings: Settings) -> Any:
    """The huey instance the settings ask for (`RETRORUN_JOBS`: sqlite or redis).
    Imported here: huey imports redis and psycopg (0.46 s), which a command that never
    enqueues should not pay for."""
    from huey import RedisHuey, SqliteHuey  # type: ignore[import-untyped]

    backend = settings.resolved_jobs
    if backend is JobsBackend.SQLITE:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = (settings.data_dir / QUEUE_FILE_NAME).resolve()
        return SqliteHuey(queue_name(settings), filename=str(path), timeout=SQLITE_TIMEOUT_S,
                          results=False)
    if backend is JobsBackend.REDIS:
        return RedisHuey(queue_name(settings), url=settings.redis_url, results=False)
    raise ValueError(f"RETRORUN_JOBS={backend.value} runs jobs inline, without huey")


@dataclass(frozen=True)
class JobWork:
    """What the tasks do, bound to one process's database and clock."""

    database: Database
    clock: Clock
    stale_after: dt.timedelta

    def run(self, job_id: str) -> object:
        return import_jobs.run(self.database.unit_of_work(), job_id=job_id, clock=self.clock)

    def stale(self) -> tuple[str, ...]:
        return import_jobs.stale(self.database.unit_of_work(), clock=self.clock,
                                 after=self.stale_after)

    def claim_key(self, job_id: str) -> str | None:
        """The key a task claims before running the job: its id and its heartbeat now.
        None when there is nothing to run: the job is gone or finished, or it is
        running with a fresh heartbeat (another worker is at it)."""
        uow = self.database.unit_of_work()
        with uow.read_only():
            job = uow.import_jobs.get(job_id)
        if job is None or job.status not in ("queued", "running"):
            return None
        beat = job.heartbeat_at or job.created_at
        if job.status == "running" and beat > self.clock.now() - self.stale_after:
            return None
        return f"{CLAIM_PREFIX}.{job_id}.{beat.isoformat()}"


class HueyJobQueue:
    """`JobQueue` on huey. Build it with `build`; `consumer` makes what runs the jobs.
    The huey instance is made on first use (`huey`), with its two tasks."""

    def __init__(self, settings: Settings, work: JobWork) -> None:
        self.settings = settings
        self.work = work
        self._huey: Any = None
        self._import_job: Any = None

    @classmethod
    def build(cls, settings: Settings, database: Database, clock: Clock, *,
              stale_after: dt.timedelta = import_jobs.STALE_AFTER) -> HueyJobQueue:
        return cls(settings, JobWork(database, clock, stale_after))

    @property
    def huey(self) -> Any:
        if self._huey is None:
            from huey import crontab

            huey = make_huey(self.settings)
            self._import_job = huey.task(name="import_job")(self._run_job)
            huey.periodic_task(crontab(minute=SWEEP_MINUTES), name="sweep_stale_jobs")(
                self.sweep)
            self._huey = huey
        return self._huey

    def enqueue(self, job_id: str) -> None:
        self.huey  # noqa: B018  (makes the task)
        self._import_job(job_id)

    def sweep(self) -> tuple[str, ...]:
        """Enqueue again every job whose heartbeat is stale; their ids."""
        stale = self.work.stale()
        for job_id in stale:
            log.warning("import job %s: stale heartbeat, enqueued again", job_id)
            self.enqueue(job_id)
        return stale

    def _run_job(self, job_id: str) -> None:
        key = self.work.claim_key(job_id)
        if key is None or not self.huey.put_if_empty(key, "1"):
            return  # finished, or another worker has it
        log.info("import job %s: running", job_id)
        try:
            self.work.run(job_id)
            log.info("import job %s: done", job_id)
        finally:
            self.huey.delete(key)

    def consumer(self, *, workers: int = 1, embedded: bool = False) -> Any:
        """A huey consumer of thread workers. `embedded`: inside another server's process
        (`retrorun serve`): it leaves that server's SIGINT and SIGTERM handlers alone."""
        from huey.consumer import Consumer  # type: ignore[import-untyped]

        class EmbeddedConsumer(Consumer):  # type: ignore[misc]
            def _set_signal_handlers(self) -> None:
                return

        kind = EmbeddedConsumer if embedded else Consumer
        return kind(self.huey, workers=workers, worker_type="thread",
                    max_delay=MAX_POLL_DELAY_S, shutdown_timeout=SHUTDOWN_TIMEOUT_S)


@dataclass
class RunningConsumer:
    """A consumer started in this process, with its start-up sweep done."""

    consumer: Any
    stop: Callable[[], None]


def start_embedded(queue: object, *, workers: int = 1) -> RunningConsumer | None:
    """Start jobs in this process when the queue is huey's (`retrorun serve`): a
    consumer's threads, after one sweep for jobs left by a process that died. None for
    an inline queue, which needs no consumer."""
    if not isinstance(queue, HueyJobQueue):
        return None
    consumer = queue.consumer(workers=workers, embedded=True)
    queue.sweep()
    consumer.start()
    return RunningConsumer(consumer, lambda: consumer.stop(graceful=True))
