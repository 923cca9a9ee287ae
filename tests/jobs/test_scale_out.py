"""Scale-out, shown (issue 12, item 8): two `retrorun serve` web processes and one
`retrorun worker` on PostgreSQL with Redis. A bulk zip is submitted as web process 1
would (its services, its settings; the upload API is not built yet) while web process 2
serves the athlete's plan at /api/v1/plan; the job is done through the shared queue,
each member once, and web process 2 answered throughout."""

from __future__ import annotations

import io
import socket
import time
import zipfile
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from retrorun.bootstrap import build_services, demo_profile
from retrorun.jobs import HueyJobQueue
from retrorun.services import import_jobs, plans, verification
from retrorun.storage import upgrade
from retrorun.storage.tables import activities
from tests.jobs.helpers import (
    POSTGRES,
    flush,
    job,
    new_athlete,
    queue_env,
    queue_settings,
    real_uploads,
    retrorun,
    wait_for,
)

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not POSTGRES, reason="PostgreSQL and Redis runs only "
                                 "where scripts/test found PostgreSQL")]
COPIES = 60  # 240 zip members: a few seconds of work to serve pages beside
PASSWORD = "run-backwards-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _bulk_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in real_uploads(COPIES):
            archive.writestr(f"activities/{name}", data)
    return buffer.getvalue()


def _web_env(base: dict[str, str], port: int) -> dict[str, str]:
    # Development: plain-HTTP cookies for this client; no demo accounts.
    return {**base, "RETRORUN_ENVIRONMENT": "development", "RETRORUN_SEED_DEMO": "0",
            "RETRORUN_PORT": str(port)}


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _signed_in(url: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=10)
    page = client.get("/signin").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/signin", data={"csrf_token": token, "email": email,
                                          "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    return client


def test_two_web_processes_and_a_worker_share_the_jobs(tmp_path: Path) -> None:
    from tests.storage.database import PostgresSchemas

    schemas = PostgresSchemas()
    url = schemas.new()
    upgrade(url)
    data_dir = tmp_path / "data"
    base = queue_env(url, data_dir, "redis")
    services = build_services(queue_settings(url, data_dir, "redis"))
    queue = services.jobs
    assert isinstance(queue, HueyJobQueue)
    ports = _free_port(), _free_port()
    web_1, web_2 = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        email = "runner@example.com"
        user_id = new_athlete(services, email)
        verification.mark_verified(services.uow(), user_id=user_id, clock=services.clock)
        plans.create_plan(services.uow(), user_id=user_id,
                          profile_data=demo_profile(services.clock.now().date()),
                          planner=services.planner, clock=services.clock)
        with (retrorun("serve", env=_web_env(base, ports[0]), log=tmp_path / "web-1.log"),
              retrorun("serve", env=_web_env(base, ports[1]), log=tmp_path / "web-2.log"),
              retrorun("worker", env=base, log=tmp_path / "worker.log")):
            wait_for(lambda: _up(web_1) and _up(web_2), timeout=60, every=0.2,
                     what="both web processes")
            wait_for(lambda: "Huey consumer started" in
                     (tmp_path / "worker.log").read_text(), timeout=60, what="the worker")
            with closing(_signed_in(web_2, email)) as browser:
                submitted = import_jobs.submit(
                    services.uow(), user_id=user_id, uploads=[("export.zip", _bulk_zip())],
                    clock=services.clock, queue=queue)
                served_while_running = 0
                while job(services, user_id, submitted.id).status != "done":
                    started = time.monotonic()
                    plan = browser.get("/api/v1/plan")
                    assert plan.status_code == 200, plan.text
                    assert plan.json()["athlete_id"] == user_id, "the athlete's plan"
                    status = job(services, user_id, submitted.id).status
                    served_while_running += status == "running"
                    assert time.monotonic() - started < 60, "web process 2 kept answering"
                assert _up(web_1)
            done = job(services, user_id, submitted.id)
        with services.database.engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(activities).where(
                activities.c.athlete_id == user_id)).scalar_one()
    finally:
        flush(queue)
        services.close()
        schemas.drop_all()
    assert served_while_running >= 1, "the plan was served while the job ran"
    assert done.files_done == done.total_files == 1
    members = [o["file"] for o in done.outcomes]
    assert sorted(members) == sorted(f"export.zip/{name}"  # the member's own name
                                     for name, _ in real_uploads(COPIES))
    assert done.imported + done.duplicates + done.refused == len(members)
    assert stored == done.imported  # each distinct activity once, the copies duplicates
    assert 1 <= done.imported < len(members)
