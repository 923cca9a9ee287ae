"""Import jobs (issue 12) through the services, on every database: a queued upload runs
file by file, survives a worker that dies mid-job, and is only its owner's."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from retrorun.services import import_jobs
from retrorun.services.errors import InvalidInput, NotFound
from tests.services.test_imports import _athlete, _backward_session, _morning
from tests.services.watch_run import activity_fit

if TYPE_CHECKING:
    from tests.services.conftest import App


class Recorder:
    """A queue that only remembers: the test decides when (and how often) a job runs."""

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    def enqueue(self, job_id: str) -> None:
        self.enqueued.append(job_id)


def _uploads(app: App) -> tuple[str, list[tuple[str, bytes]]]:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    run = activity_fit(session, _morning(session))
    return user.id, [("run.fit", run), ("notes.txt", b"not an activity"), ("again.fit", run)]


def test_a_job_runs_its_files_in_order_and_counts_them(app: App) -> None:
    user_id, uploads = _uploads(app)
    queue = Recorder()
    job = import_jobs.submit(app.uow(), user_id=user_id, uploads=uploads, clock=app.clock,
                             queue=queue)
    assert queue.enqueued == [job.id]
    assert import_jobs.get_job(app.uow(), user_id=user_id, job_id=job.id).status == "queued"
    done = import_jobs.run(app.uow(), job_id=job.id, clock=app.clock)
    assert done is not None
    assert (done.status, done.files_done, done.imported, done.duplicates, done.refused) == (
        "done", 3, 1, 1, 1)
    assert [o["file"] for o in done.outcomes] == ["run.fit", "notes.txt", "again.fit"]
    assert import_jobs.run(app.uow(), job_id=job.id, clock=app.clock) is None  # done once


def test_a_job_cut_short_goes_on_where_it_stopped(app: App) -> None:
    user_id, uploads = _uploads(app)
    job = import_jobs.submit(app.uow(), user_id=user_id, uploads=uploads, clock=app.clock,
                             queue=Recorder())
    # A worker read the first file, then died: its job is running with an old heartbeat.
    with app.uow() as uow:
        (first, *_rest) = uow.import_jobs.pending_uploads(job.id)
    import_jobs._start(app.uow(), job.id, app.clock)
    import_jobs._upload_done(app.uow(), job.id, first.position, app.clock)
    assert import_jobs.stale(app.uow(), clock=app.clock) == ()
    app.clock.advance(minutes=3)
    assert import_jobs.stale(app.uow(), clock=app.clock) == (job.id,)
    done = import_jobs.run(app.uow(), job_id=job.id, clock=app.clock)
    assert done is not None
    assert done.files_done == 3
    assert [o["file"] for o in done.outcomes] == ["notes.txt", "again.fit"]
    assert app.count("activities") == 1


def test_only_the_owner_sees_a_job_and_an_empty_upload_is_refused(app: App) -> None:
    user_id, uploads = _uploads(app)
    job = import_jobs.submit(app.uow(), user_id=user_id, uploads=uploads, clock=app.clock,
                             queue=Recorder())
    other = app.user("other@example.com")
    with pytest.raises(NotFound):
        import_jobs.get_job(app.uow(), user_id=other.id, job_id=job.id)
    assert import_jobs.list_jobs(app.uow(), user_id=other.id) == ()
    with pytest.raises(InvalidInput) as refused:
        import_jobs.submit(app.uow(), user_id=user_id, uploads=[], clock=app.clock,
                           queue=Recorder())
    assert refused.value.field == "files"
    assert dt.timedelta(minutes=1) < import_jobs.STALE_AFTER
