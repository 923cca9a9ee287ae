"""A real huey consumer runs an import job (issue 12, item 7): on its own SQLite file,
and on PostgreSQL with Redis. The outcomes must be those of the same upload run inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrorun.bootstrap import build_services
from retrorun.jobs import HueyJobQueue, start_embedded
from retrorun.services import import_jobs
from retrorun.storage import upgrade
from tests.jobs.helpers import (
    POSTGRES,
    REAL_FILES,
    flush,
    job,
    new_athlete,
    queue_settings,
    real_uploads,
    wait_for,
)

BACKENDS = ["sqlite", *([pytest.param("postgres", marks=pytest.mark.postgres)]
                        if POSTGRES else [])]


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


def _inline_outcomes(tmp_path: Path) -> list[dict[str, object]]:
    """What the same upload gives when run at once, in this thread."""
    url = f"sqlite:///{tmp_path / 'inline.sqlite3'}"
    upgrade(url)
    services = build_services(queue_settings(url, tmp_path / "inline", "inline"))
    try:
        user_id = new_athlete(services)
        done = import_jobs.submit(services.uow(), user_id=user_id, uploads=real_uploads(),
                                  clock=services.clock, queue=services.jobs)
        return [_comparable(o) for o in job(services, user_id, done.id).outcomes]
    finally:
        services.close()


def _comparable(outcome: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in outcome.items() if k != "activity_id"}  # ids are random


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_consumer_takes_a_submitted_job_to_done(backend: str, tmp_path: Path,
                                                 request: pytest.FixtureRequest) -> None:
    url = _database(backend, tmp_path, request)
    jobs = "sqlite" if backend == "sqlite" else "redis"
    services = build_services(queue_settings(url, tmp_path / "data", jobs))
    queue = services.jobs
    assert isinstance(queue, HueyJobQueue)
    running = None
    try:
        user_id = new_athlete(services)
        submitted = import_jobs.submit(services.uow(), user_id=user_id,
                                       uploads=real_uploads(), clock=services.clock,
                                       queue=queue)
        assert job(services, user_id, submitted.id).status == "queued"  # not run inline
        assert len(queue.huey) == 1  # waiting in huey's queue
        running = start_embedded(queue)
        assert running is not None
        wait_for(lambda: job(services, user_id, submitted.id).status == "done", timeout=30,
                 what="the consumer to finish the job")
        done = job(services, user_id, submitted.id)
    finally:
        if running is not None:
            running.stop()
        if backend != "sqlite":
            flush(queue)
        services.close()
    assert (done.files_done, done.total_files) == (len(REAL_FILES), len(REAL_FILES))
    assert done.imported >= 1
    assert [_comparable(o) for o in done.outcomes] == _inline_outcomes(tmp_path)
    if backend == "sqlite":
        assert (tmp_path / "data" / "jobs.sqlite3").is_file()  # its own file, not the app's
