"""Read a TCX (Garmin Training Center v2) activity into an Activity, streaming.

Laps keep the file's own totals (TotalTimeSeconds, DistanceMeters, average heart rate);
trackpoints without a position are kept (tcxreader drops them, import.md section 3). A file
of courses or workouts is refused as not an activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from retrorun.formats.activities.assemble import activity_from_track
from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.model import Activity, Lap, RefusalReason, Streams
from retrorun.formats.activities.track import Point, utc
from retrorun.formats.activities.xmlsafe import (
    events,
    local,
    number,
    position,
    timestamp,
    utc_offset,
)

# TCX Sport attribute (schema: Running, Biking, Other) to FIT sport
TCX_SPORTS = {"running": "running", "biking": "cycling", "other": "generic"}
NOT_ACTIVITIES = {"Course": "a course", "Workout": "a workout"}


@dataclass
class _State:
    points: list[Point] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    sport: str | None = None
    activities: int = 0
    other: str | None = None  # "a course" when the file holds one
    bad_times: int = 0
    start_text: str | None = None  # the first activity's Id, for its UTC offset
    repeated_laps: int = 0


def _child_text(elem: Any, *path: str) -> str | None:
    node = elem
    for name in path:
        node = next((c for c in node if local(c.tag) == name), None)
        if node is None:
            return None
    text: str | None = node.text
    return text


def _trackpoint(elem: Any, state: _State) -> None:
    t = timestamp(_child_text(elem, "Time"))
    if t is None:
        state.bad_times += 1
        return
    lat, lon = position(number(_child_text(elem, "Position", "LatitudeDegrees")),
                        number(_child_text(elem, "Position", "LongitudeDegrees")))
    speed = cadence = None
    for child in elem.iter():
        name = local(child.tag)
        if name == "Speed":
            speed = number(child.text)
        elif name == "RunCadence":
            cadence = number(child.text)
    plain_cadence = number(_child_text(elem, "Cadence"))
    state.points.append(Point(
        t=t, distance_m=number(_child_text(elem, "DistanceMeters")), speed_mps=speed,
        heart_rate=number(_child_text(elem, "HeartRateBpm", "Value")),
        cadence=plain_cadence if plain_cadence is not None else cadence,
        altitude_m=number(_child_text(elem, "AltitudeMeters")), lat=lat, lon=lon))


def _lap(elem: Any, state: _State) -> None:
    start = timestamp(elem.get("StartTime"))
    elapsed = number(_child_text(elem, "TotalTimeSeconds"))
    if start is None or elapsed is None:
        return
    distance = number(_child_text(elem, "DistanceMeters"))
    heart = number(_child_text(elem, "AverageHeartRateBpm", "Value"))
    lap = Lap(
        start=utc(start), elapsed_s=elapsed, timer_s=elapsed, distance_m=distance,
        avg_heart_rate=round(heart) if heart is not None else None,
        avg_speed_mps=distance / elapsed if distance is not None and elapsed > 0 else None,
        wkt_step_index=None)
    if lap in state.laps:  # an exporter that wrote a lap twice (bad.tcx): count it once
        state.repeated_laps += 1
        return
    state.laps.append(lap)


def _collect(name: str, data: bytes) -> _State:
    state = _State()
    first = True
    for event, elem in events(name, data):
        tag = local(elem.tag)
        if event == "start":
            if first and tag != "TrainingCenterDatabase":
                raise ActivityRefusal(RefusalReason.UNKNOWN_FORMAT,
                                      f"{name} is XML but not TCX (root <{tag}>)")
            first = False
            if tag == "Activity":
                state.activities += 1
                if state.sport is None:
                    state.sport = (elem.get("Sport") or "other").lower()
            elif tag in NOT_ACTIVITIES:
                state.other = state.other or NOT_ACTIVITIES[tag]
            continue
        if tag == "Trackpoint":
            if state.activities:
                _trackpoint(elem, state)
            elem.clear()
        elif tag == "Lap" and state.activities:
            _lap(elem, state)
            elem.clear()
        elif tag == "Id" and state.start_text is None:
            state.start_text = elem.text
        elif tag in NOT_ACTIVITIES:
            elem.clear()
    return state


def read_tcx(name: str, data: bytes) -> Activity:
    state = _collect(name, data)
    if not state.activities:
        what = state.other or "empty (no activity)"
        raise ActivityRefusal(RefusalReason.NOT_AN_ACTIVITY, f"{name} is {what}, not an activity")
    notes = []
    if state.activities > 1:
        notes.append(f"{state.activities} activities in one TCX file: read as one")
    if state.repeated_laps:
        notes.append(f"{state.repeated_laps} lap(s) repeated in the file were counted once")
    if state.bad_times:
        notes.append(f"{state.bad_times:,} trackpoints have no valid time and were left out")
    sport = TCX_SPORTS.get(state.sport or "other", "generic")
    lap_distances = [lap.distance_m for lap in state.laps if lap.distance_m is not None]
    distance = sum(lap_distances) if lap_distances else None
    if not state.points and not state.laps:
        raise ActivityRefusal(RefusalReason.MALFORMED, f"{name} has no laps and no trackpoints")
    if not state.points:
        notes.append("no trackpoints: figures are from the laps")
        return _from_laps(name, sport, state.laps, notes, distance)
    return activity_from_track(name, "tcx", sport, None, state.points, state.laps, notes,
                               distance_m=distance, utc_offset=utc_offset(state.start_text))


def _from_laps(name: str, sport: str, laps: list[Lap], notes: list[str],
               distance: float | None) -> Activity:
    first = laps[0].start.timestamp()
    last = laps[-1].start.timestamp() + laps[-1].elapsed_s
    ends = [Point(t=first), Point(t=last)]  # the laps' span; no samples are kept
    activity = activity_from_track(name, "tcx", sport, None, ends, laps, notes,
                                   distance_m=distance)
    return replace(activity, streams=Streams(), moving_s=None)
