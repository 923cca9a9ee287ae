"""Read a GPX 1.0/1.1 track into an Activity, streaming, any namespace (or none).

Heart rate and cadence come from extensions by local name (Garmin's TrackPointExtension
`hr`/`cad`, others' `heartrate`/`cadence`), wherever they sit inside the point. Points whose
position is not a number in range keep their time but no position; a file with no track
point (only a route or waypoints) is refused as not an activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from retrorun.formats.activities.assemble import activity_from_track
from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.model import Activity, RefusalReason
from retrorun.formats.activities.track import Point
from retrorun.formats.activities.xmlsafe import events, local, number, position, timestamp

# GPX <type> values to FIT sport (and sub-sport): Garmin, Strava (names and Strava's
# old numeric codes: 9 run, 10 walk, 1 ride), Apple and OsmAnd spellings.
GPX_SPORTS: dict[str, tuple[str, str | None]] = {
    "running": ("running", None), "run": ("running", None), "9": ("running", None),
    "trail_running": ("running", "trail"), "trailrun": ("running", "trail"),
    "treadmill_running": ("running", "treadmill"), "walking": ("walking", None),
    "walk": ("walking", None), "10": ("walking", None), "hiking": ("hiking", None),
    "hike": ("hiking", None), "cycling": ("cycling", None), "biking": ("cycling", None),
    "ride": ("cycling", None), "1": ("cycling", None), "swimming": ("swimming", None),
    "swim": ("swimming", None),
}
_HEART = frozenset({"hr", "heartrate"})
_CADENCE = frozenset({"cad", "cadence"})


@dataclass
class _State:
    points: list[Point] = field(default_factory=list)
    sport: str | None = None
    route_points: int = 0
    waypoints: int = 0
    bad_positions: int = 0
    bad_times: int = 0


def _trackpoint(elem: Any, state: _State) -> None:
    lat, lon = position(number(elem.get("lat")), number(elem.get("lon")))
    if lat is None and (elem.get("lat") is not None or elem.get("lon") is not None):
        state.bad_positions += 1
    values: dict[str, float | None] = {}
    for child in elem.iter():
        name = local(child.tag)
        if name == "time":
            values["t"] = timestamp(child.text)
        elif name == "ele":
            values["altitude_m"] = number(child.text)
        elif name in _HEART:
            values["heart_rate"] = number(child.text)
        elif name in _CADENCE:
            values["cadence"] = number(child.text)
        elif name == "speed":
            values["speed_mps"] = number(child.text)
    t = values.pop("t", None)
    if t is None:
        state.bad_times += 1
        return
    state.points.append(Point(t=t, lat=lat, lon=lon, **values))


def _collect(name: str, data: bytes) -> _State:
    state = _State()
    depth_names: list[str] = []
    for event, elem in events(name, data):
        tag = local(elem.tag)
        if event == "start":
            if not depth_names and tag != "gpx":
                raise ActivityRefusal(RefusalReason.UNKNOWN_FORMAT,
                                      f"{name} is XML but not GPX (root <{tag}>)")
            depth_names.append(tag)
            continue
        depth_names.pop()
        if tag == "trkpt":
            _trackpoint(elem, state)
            elem.clear()
        elif tag == "type" and depth_names[-1:] == ["trk"] and state.sport is None:
            state.sport = (elem.text or "").strip().lower()
        elif tag == "rtept":
            state.route_points += 1
            elem.clear()
        elif tag == "wpt":
            state.waypoints += 1
            elem.clear()
        elif tag == "trkseg":
            elem.clear()
    return state


def read_gpx(name: str, data: bytes) -> Activity:
    state = _collect(name, data)
    if not state.points and not state.bad_times and not state.bad_positions:
        what = ("a route" if state.route_points else
                "waypoints only" if state.waypoints else "empty (no track points)")
        raise ActivityRefusal(RefusalReason.NOT_AN_ACTIVITY,
                              f"{name} is {what}, not an activity")
    notes = []
    if state.bad_positions:
        notes.append(f"{state.bad_positions:,} track points have no valid position")
    if state.bad_times:
        notes.append(f"{state.bad_times:,} track points have no valid time and were left out")
    if not any(p.lat is not None for p in state.points):
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} has no track point with a valid time and position")
    sport, sub_sport = GPX_SPORTS.get(state.sport or "", ("generic", None))
    if state.sport and state.sport not in GPX_SPORTS:
        notes.append(f"unknown activity type {state.sport!r}: stored as generic")
    return activity_from_track(name, "gpx", sport, sub_sport, state.points, (), notes)
