"""`retrorun serve` runs import jobs by itself (issue 12, item 7): on the default SQLite
queue, with no worker, a submitted job gets done by the consumer in the server's own
threads, and the server still stops cleanly when told to."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from retrorun.bootstrap import build_services
from retrorun.services import import_jobs
from retrorun.storage import upgrade
from tests.jobs.helpers import (
    REAL_FILES,
    job,
    new_athlete,
    queue_env,
    queue_settings,
    real_uploads,
    retrorun,
    wait_for,
)
from tests.jobs.test_scale_out import _free_port, _up


def test_a_lone_web_server_runs_the_jobs_submitted_to_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'retrorun.sqlite3'}"
    upgrade(url)
    data_dir = tmp_path / "data"
    port = _free_port()
    env = {**queue_env(url, data_dir, "sqlite"), "RETRORUN_PORT": str(port)}
    services = build_services(queue_settings(url, data_dir, "sqlite"))
    try:
        user_id = new_athlete(services)
        with retrorun("serve", env=env, log=tmp_path / "web.log") as server:
            wait_for(lambda: _up(f"http://127.0.0.1:{port}"), timeout=60, every=0.2,
                     what="the web server")
            submitted = import_jobs.submit(services.uow(), user_id=user_id,
                                           uploads=real_uploads(), clock=services.clock,
                                           queue=services.jobs)
            wait_for(lambda: job(services, user_id, submitted.id).status == "done",
                     timeout=30, what="the server's own consumer to run the job")
            done = job(services, user_id, submitted.id)
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
            server.send_signal(signal.SIGTERM)
            # uvicorn shuts down, then raises the signal it caught again (its design).
            assert server.wait(timeout=20) == -signal.SIGTERM
    finally:
        services.close()
    assert done.files_done == len(REAL_FILES)
    assert "Application shutdown complete" in (tmp_path / "web.log").read_text()
