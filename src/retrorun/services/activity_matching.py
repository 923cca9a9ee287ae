"""Which planned session an imported activity completes, which of its laps were backward,
and the log it fills in (issue 12). Pure: plans, records and numbers in, answers out.

- An activity on foot completes a running session (one with steps on foot) of its local
  day, or of the day before or after, that has no log yet; the nearest day first, then the
  session whose planned running time is closest to the activity's.
- A lap that carries the workout step index of one of our exported workouts
  (`formats.fit.workout_step_directions`) says by itself whether it was backward. Indexes
  that do not fit the session's workout (another workout ran) attribute nothing.
- The log: done when the activity ran at least `DONE_SHARE` of the planned running time,
  else partial; forward and backward minutes from the laps, kept within what a log of
  that session may hold (`logs.max_logged_minutes`). RPE and pain stay for the athlete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from retrorun.domain.kinds import Direction
from retrorun.domain.model import Plan, Session
from retrorun.formats.fit import is_running_session, workout_step_directions
from retrorun.services.activity_records import ActivityLap, ActivityRecord
from retrorun.services.logs import max_logged_minutes
from retrorun.services.views import LogInput

MATCH_DAYS = 1  # issue 12: "the planned session of its day (plus or minus one day)"
# [A] Four fifths of the planned running time is the session done; less is partial.
DONE_SHARE = 0.8
# [A] A file that does not name its sport (GPX without a type) counts as on foot below this
# average speed: 6.5 m/s is a 2:34 min/km pace, faster than any training run; a bike is
# usually above it.
ON_FOOT_MAX_SPEED_MPS = 6.5


def counts_as_on_foot(record: ActivityRecord) -> bool:
    if record.on_foot is not None:
        return record.on_foot
    if not record.distance_m or record.running_seconds <= 0:
        return False
    return record.distance_m / record.running_seconds <= ON_FOOT_MAX_SPEED_MPS


def session_for(plan: Plan, record: ActivityRecord,
                logged: Collection[tuple[str, dt.date]]) -> Session | None:
    """The planned session this activity completes, or None (see the module)."""
    if not counts_as_on_foot(record):
        return None
    day = record.local_start.date()
    open_sessions = [s for s in plan.sessions
                     if abs((s.date - day).days) <= MATCH_DAYS and is_running_session(s)
                     and (s.id, s.date) not in logged]
    if not open_sessions:
        return None
    return min(open_sessions, key=lambda s: (abs((s.date - day).days), s.date != day,
                                             abs(s.running_seconds - record.running_seconds)))


def mark_backward(session: Session | None, laps: Sequence[ActivityLap]
                  ) -> tuple[ActivityLap, ...]:
    """The laps with `backward` set from their workout step index, where it fits."""
    if session is None or not any(lap.wkt_step_index is not None for lap in laps):
        return tuple(laps)
    directions = workout_step_directions(session)
    indexes = [lap.wkt_step_index for lap in laps if lap.wkt_step_index is not None]
    if any(index < 0 or index >= len(directions) for index in indexes):
        return tuple(laps)  # not our workout's numbering: attribute nothing
    return tuple(
        _with_backward(lap, lap.wkt_step_index is not None
                       and directions[lap.wkt_step_index] is Direction.BACKWARD)
        for lap in laps)


def _with_backward(lap: ActivityLap, backward: bool) -> ActivityLap:
    return ActivityLap(lap.start, lap.elapsed_s, lap.timer_s, lap.distance_m,
                       lap.avg_heart_rate, lap.avg_speed_mps, lap.wkt_step_index, backward)


def log_entry(session: Session, record: ActivityRecord) -> LogInput:
    """The log an activity fills in for its session (see the module)."""
    backward_s = record.backward_seconds
    forward_s = max(0.0, record.running_seconds - backward_s)
    done = record.running_seconds >= DONE_SHARE * session.running_seconds
    forward_planned = session.running_seconds - session.backward_seconds
    return LogInput(
        status="done" if done else "partial",
        forward_minutes=_within(forward_s / 60, forward_planned + session.exercise_seconds),
        backward_minutes=_within(backward_s / 60, session.backward_seconds),
    )


def _within(minutes: float, planned_seconds: int) -> float:
    return round(min(minutes, max_logged_minutes(planned_seconds)), 1)
