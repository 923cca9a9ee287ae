"""Shared parts of the job-queue tests: settings for a queue on a real database, the
real activity files, an athlete, waiting for a job, and `retrorun` subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from retrorun.bootstrap import Services
from retrorun.config import Settings, load_settings
from retrorun.services import accounts, import_jobs
from retrorun.services.activity_records import ImportJobRecord

if TYPE_CHECKING:
    from retrorun.jobs import HueyJobQueue

ACTIVITIES = Path(__file__).parents[1] / "data" / "activities"
# Three runs and a FIT truncated before its CRC (NOTICE.md in that folder).
REAL_FILES = ("garmin-fenix-5-run.fit", "run_gpxtpx.gpx", "sample.tcx",
              "activity-unexpected-eof.fit")
SECRET = "jobs-test-secret-" + "q" * 40
POSTGRES = os.environ.get("RETRORUN_TEST_POSTGRES") == "1"
RETRORUN = str(Path(sys.executable).parent / "retrorun")


def real_uploads(copies: int = 1) -> list[tuple[str, bytes]]:
    """The real files, `copies` times each, each copy under a name of its own."""
    files = [(name, (ACTIVITIES / name).read_bytes()) for name in REAL_FILES]
    return [(f"{copy:03d}-{name}", data) for copy in range(copies) for name, data in files]


def queue_env(database_url: str, data_dir: Path, jobs: str) -> dict[str, str]:
    """The RETRORUN_* variables of a process on this database and queue."""
    return {"RETRORUN_ENVIRONMENT": "test", "RETRORUN_SECRET_KEY": SECRET,
            "RETRORUN_DATABASE_URL": database_url, "RETRORUN_DATA_DIR": str(data_dir),
            "RETRORUN_JOBS": jobs}


def queue_settings(database_url: str, data_dir: Path, jobs: str) -> Settings:
    return load_settings(environment="test", secret_key=SECRET, database_url=database_url,
                         data_dir=data_dir, jobs=jobs)


def new_athlete(services: Services, email: str = "runner@example.com") -> str:
    user = accounts.sign_up(services.uow(), email=email, password="run-backwards-1",
                            hasher=services.hasher, clock=services.clock)
    return user.id


def job(services: Services, user_id: str, job_id: str) -> ImportJobRecord:
    return import_jobs.get_job(services.uow(), user_id=user_id, job_id=job_id)


def wait_for(check: Callable[[], bool], *, timeout: float, what: str,
             every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(every)


def flush(queue: HueyJobQueue) -> None:
    """Remove the queue's keys (a Redis shared by every test)."""
    queue.huey.storage.flush_all()


@contextmanager
def retrorun(*args: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`retrorun ARGS` in a process of its own, its output in `log`; killed at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen([RETRORUN, *args], env={**os.environ, **env},
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
