"""An activity file as a watch writes it after running one of our exported workouts:
written with the official FIT SDK's Encoder, one lap per workout step carrying that
step's `wkt_step_index` (as `formats.fit.fit_steps` numbers them), a record a second.

Tests import it to prove that the backward minutes come from the laps by themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from garmin_fit_sdk import Encoder, Profile

from retrorun.domain.model import Repeat, Session, Step
from retrorun.formats.fit import workout_step_directions

FILE_TYPE_ACTIVITY = 4  # FIT profile `file`: activity
SPORT_RUNNING = 1
MANUFACTURER_DEVELOPMENT = 255
EVENT_TIMER, EVENT_LAP, EVENT_SESSION, EVENT_ACTIVITY = 0, 9, 8, 26
EVENT_TYPE_START, EVENT_TYPE_STOP = 0, 4
FORWARD_SPEED_MPS, BACKWARD_SPEED_MPS = 2.8, 1.6  # [A] an easy run and a backward jog


@dataclass(frozen=True)
class Lap:
    index: int  # the workout step's message_index
    seconds: int
    speed_mps: float


def laps_of(session: Session) -> list[Lap]:
    """The laps a watch records running the session: every step of every repeat."""
    directions = workout_step_directions(session)
    out: list[Lap] = []
    index = 0
    for item in session.steps:
        steps: tuple[Step, ...] = item.steps if isinstance(item, Repeat) else (item,)
        first = index
        for _ in range(item.count if isinstance(item, Repeat) else 1):
            for offset, step in enumerate(steps):
                if step.on_foot and step.seconds:
                    backward = directions[first + offset] is not None and (
                        directions[first + offset].value == "backward")
                    out.append(Lap(first + offset, step.seconds,
                                   BACKWARD_SPEED_MPS if backward else FORWARD_SPEED_MPS))
        index = first + len(steps) + (1 if isinstance(item, Repeat) else 0)
    return out


def activity_fit(session: Session, start: dt.datetime, *, with_step_index: bool = True
                 ) -> bytes:
    """The FIT activity of running `session` from `start` (UTC), lap by workout step."""
    mesg = Profile["mesg_num"]
    encoder = Encoder()
    encoder.on_mesg(mesg["FILE_ID"], {
        "type": FILE_TYPE_ACTIVITY, "manufacturer": MANUFACTURER_DEVELOPMENT, "product": 0,
        "serial_number": 12345, "time_created": start})
    encoder.on_mesg(mesg["EVENT"], {"timestamp": start, "event": EVENT_TIMER,
                                    "event_type": EVENT_TYPE_START})
    now, distance = start, 0.0
    lap_fields = []
    for lap in laps_of(session):
        lap_start, lap_distance = now, distance
        for _ in range(lap.seconds):
            now += dt.timedelta(seconds=1)
            distance += lap.speed_mps
            encoder.on_mesg(mesg["RECORD"], {"timestamp": now, "distance": distance,
                                             "speed": lap.speed_mps, "heart_rate": 140})
        fields = {"timestamp": now, "start_time": lap_start, "event": EVENT_LAP,
                  "event_type": EVENT_TYPE_STOP, "total_elapsed_time": float(lap.seconds),
                  "total_timer_time": float(lap.seconds),
                  "total_distance": distance - lap_distance, "avg_heart_rate": 140,
                  "avg_speed": lap.speed_mps, "sport": SPORT_RUNNING}
        if with_step_index:
            fields["wkt_step_index"] = lap.index
        lap_fields.append(fields)
    for fields in lap_fields:
        encoder.on_mesg(mesg["LAP"], fields)
    total = (now - start).total_seconds()
    encoder.on_mesg(mesg["SESSION"], {
        "timestamp": now, "start_time": start, "event": EVENT_SESSION,
        "event_type": EVENT_TYPE_STOP, "sport": SPORT_RUNNING, "total_elapsed_time": total,
        "total_timer_time": total, "total_distance": distance, "first_lap_index": 0,
        "num_laps": len(lap_fields)})
    encoder.on_mesg(mesg["ACTIVITY"], {
        "timestamp": now, "total_timer_time": total, "num_sessions": 1, "type": 0,
        "event": EVENT_ACTIVITY, "event_type": EVENT_TYPE_STOP,
        "local_timestamp": now})
    data: bytes = encoder.close()
    return data
