"""`retrorun worker`: a process that runs import jobs from the queue, for scale-out.

`retrorun serve` runs jobs in its own threads already; workers beside it (on other
cores or hosts, against the same PostgreSQL and Redis) take jobs from the same queue.
A worker first enqueues again the jobs left behind by a process that died (stale
heartbeat), then does so every minute (`retrorun.jobs`). Ctrl-C (SIGINT) lets the job in
hand finish for a few seconds; SIGTERM stops at once: the job is picked up again.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from retrorun.cli._app import app, err_console, fail

# The stale age import_jobs.STALE_AFTER sets (2 minutes), as the option's default; the
# tests shorten it so a killed worker's job is picked up in seconds.
DEFAULT_STALE_AFTER_S = 120


@app.command()
def worker(
    workers: Annotated[int, typer.Option(min=1, max=32, help="Jobs run at once "
                                         "(threads)")] = 1,
    stale_after: Annotated[float, typer.Option(
        min=0.5, help="Seconds without a heartbeat after which a job is taken as "
                      "abandoned and run again")] = DEFAULT_STALE_AFTER_S,
) -> None:
    """Run import jobs from the queue (RETRORUN_JOBS: sqlite or redis) until stopped.

    Example: RETRORUN_DATABASE_URL=postgresql+psycopg://retrorun@db/retrorun retrorun worker
    """
    import logging

    from retrorun.bootstrap import build_services, migrate
    from retrorun.config import SettingsError, load_operator_settings
    from retrorun.jobs import HueyJobQueue

    try:
        settings = load_operator_settings()
    except SettingsError as error:
        raise fail(str(error)) from None
    if settings.resolved_jobs.value == "inline":
        raise fail("RETRORUN_JOBS=inline runs each job where it is submitted; a worker needs "
                   "RETRORUN_JOBS=sqlite or redis")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    migrate(settings)
    services = build_services(settings)
    queue = HueyJobQueue.build(settings, services.database, services.clock,
                               stale_after=dt.timedelta(seconds=stale_after))
    err_console.print(f"retrorun: worker on the {settings.resolved_jobs.value} queue, "
                      f"{workers} at once", markup=False, highlight=False, soft_wrap=True)
    consumer = queue.consumer(workers=workers)
    try:
        queue.sweep()
        consumer.run()  # until SIGINT or SIGTERM
    finally:
        services.close()
