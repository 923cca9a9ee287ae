"""A worker killed mid-job (kill -9) loses nothing (issue 12, item 7): huey has
forgotten the task, but the job's heartbeat goes stale, the next worker's sweep enqueues
it again, and the job goes on from the first file not recorded, each file once and no
activity stored twice."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from retrorun.bootstrap import build_services
from retrorun.jobs import HueyJobQueue
from retrorun.services import import_jobs
from retrorun.storage import upgrade
from retrorun.storage.tables import activities
from tests.jobs.helpers import (
    POSTGRES,
    REAL_FILES,
    flush,
    job,
    new_athlete,
    queue_env,
    queue_settings,
    real_uploads,
    retrorun,
    wait_for,
)

BACKENDS = ["sqlite", *([pytest.param("postgres", marks=pytest.mark.postgres)]
                        if POSTGRES else [])]
COPIES = 60  # 240 files, about 20 ms each on SQLite: the kill lands mid-job
KILL_AFTER_FILES = 20
STALE_AFTER_S = 1


def _database(backend: str, folder: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'retrorun.sqlite3'}"
    else:
        from tests.storage.database import PostgresSchemas

        schemas = PostgresSchemas()
        request.addfinalizer(schemas.drop_all)
        url = schemas.new()
    upgrade(url)
    return url


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_workers_job_is_finished_by_the_next_without_duplicates(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = _database(backend, tmp_path, request)
    queue_kind = "sqlite" if backend == "sqlite" else "redis"
    env = queue_env(url, tmp_path / "data", queue_kind)
    services = build_services(queue_settings(url, tmp_path / "data", queue_kind))
    queue = services.jobs
    assert isinstance(queue, HueyJobQueue)
    try:
        user_id = new_athlete(services)
        uploads = real_uploads(COPIES)
        submitted = import_jobs.submit(services.uow(), user_id=user_id, uploads=uploads,
                                       clock=services.clock, queue=queue)
        with retrorun("worker", env=env, log=tmp_path / "worker-1.log") as first:
            wait_for(lambda: job(services, user_id, submitted.id).files_done
                     >= KILL_AFTER_FILES, timeout=60, what="the first worker to start")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        cut = job(services, user_id, submitted.id)
        assert cut.status == "running"
        assert KILL_AFTER_FILES <= cut.files_done < len(uploads), "killed mid-job"
        # huey forgot the task its worker took (a periodic sweep may be waiting).
        assert "import_job" not in [task.name for task in queue.huey.pending()]
        time.sleep(STALE_AFTER_S + 0.5)  # the dead worker's heartbeat goes stale
        with retrorun("worker", "--stale-after", str(STALE_AFTER_S), env=env,
                      log=tmp_path / "worker-2.log"):
            wait_for(lambda: job(services, user_id, submitted.id).status == "done",
                     timeout=90, what="the second worker to finish the job")
        done = job(services, user_id, submitted.id)
        with services.database.engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(activities).where(
                activities.c.athlete_id == user_id)).scalar_one()
    finally:
        if backend != "sqlite":
            flush(queue)
        services.close()
    second_log = (tmp_path / "worker-2.log").read_text()
    assert f"import job {submitted.id}: stale heartbeat, enqueued again" in second_log
    assert done.files_done == done.total_files == len(uploads)
    names = [o["file"] for o in done.outcomes]
    assert sorted(names) == sorted(name for name, _ in uploads)  # each file once
    assert done.imported + done.duplicates + done.refused == len(uploads)
    # Each distinct activity stored once, whoever read its copies.
    first_copies = {o["file"]: o["status"] for o in done.outcomes
                    if str(o["file"]).startswith("000-")}
    distinct = sum(status in ("imported", "duplicate") for status in first_copies.values())
    assert stored == distinct == done.imported
    assert len(first_copies) == len(REAL_FILES)
