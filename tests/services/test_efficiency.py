"""The efficiency factor of imported runs through the services (issue 12, item 5), on
every database: steady forward running counts, backward laps are left out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import pytest

from retrorun.formats.activities import Activity, Imported, Lap, Streams
from retrorun.services import efficiency, imports
from retrorun.services.errors import NotFound

if TYPE_CHECKING:
    from tests.services.conftest import App

MINUTES = 45
BACKWARD_FROM, BACKWARD_TO = 30 * 60, 35 * 60  # five minutes backward, slower, higher HR


def _steady_run(start: dt.datetime, *, speed: float, heart: float,
                with_backward: bool = True) -> Activity:
    seconds = range(MINUTES * 60)
    backward = [with_backward and BACKWARD_FROM <= t < BACKWARD_TO for t in seconds]
    streams = Streams(
        time_s=tuple(seconds),
        distance_m=tuple(float(t) * speed for t in seconds),
        speed_mps=tuple(2.0 if b else speed for b in backward),
        heart_rate=tuple(165.0 if b else heart for b in backward))
    laps = (Lap(start, BACKWARD_FROM, BACKWARD_FROM, None, None, None, None),
            Lap(start + dt.timedelta(seconds=BACKWARD_FROM), BACKWARD_TO - BACKWARD_FROM,
                BACKWARD_TO - BACKWARD_FROM, None, None, None, None),
            Lap(start + dt.timedelta(seconds=BACKWARD_TO), MINUTES * 60 - BACKWARD_TO,
                MINUTES * 60 - BACKWARD_TO, None, None, None, None))
    return Activity("fit", "running", None, True, start, dt.timedelta(hours=1),
                    MINUTES * 60.0, MINUTES * 60.0, MINUTES * 60 * speed, laps, streams)


def test_steady_runs_give_an_efficiency_before_and_after_the_block(app: App) -> None:
    user = app.user()
    app.plan(user, start_date="2026-11-02")
    app.clock.advance(days=40)
    for day, speed in ((3, 3.0), (36, 3.3)):
        start = dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC) + dt.timedelta(days=day)
        imports.import_results(app.uow(), user_id=user.id, clock=app.clock, results=[
            Imported(f"run-{day}.fit", f"{day:064d}", _steady_run(start, speed=speed,
                                                                  heart=150))])
    # The backward lap of each run is marked: it is left out of the forward figure.
    with app.uow() as uow:
        for record in uow.activities.for_athlete(user.id):
            laps = list(record.laps)
            laps[1] = dataclasses.replace(laps[1], backward=True)
            uow.activities.set_laps(record.id, laps)
        uow.commit()
    trend = efficiency.get_efficiency(app.uow(), user_id=user.id, clock=app.clock)
    assert [p.value for p in trend.points] == [round(3.0 * 60 / 150, 3),
                                               round(3.3 * 60 / 150, 3)]
    assert trend.change == round((3.3 * 60 / 150) / (3.0 * 60 / 150) - 1, 4)


def test_an_unmarked_backward_part_breaks_steadiness_and_others_see_nothing(
        app: App) -> None:
    user = app.user()
    app.plan(user, start_date="2026-11-02")
    app.clock.advance(days=10)
    start = dt.datetime(2026, 11, 5, 7, tzinfo=dt.UTC)
    imports.import_results(app.uow(), user_id=user.id, clock=app.clock, results=[
        Imported("run.fit", "a" * 64, _steady_run(start, speed=3.0, heart=150))])
    trend = efficiency.get_efficiency(app.uow(), user_id=user.id, clock=app.clock)
    assert trend.points == ()  # five slower minutes in the middle: not a steady run
    other = app.user("other@example.com")
    with pytest.raises(NotFound):
        efficiency.get_efficiency(app.uow(), user_id=other.id, clock=app.clock,
                                  athlete_id=user.id)
