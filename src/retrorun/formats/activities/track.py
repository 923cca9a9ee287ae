"""From a reader's points to streams, distance and moving time; shared by every format."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import NamedTuple

from retrorun.formats.activities.blob import build_streams
from retrorun.formats.activities.limits import EARLIEST_START, LATEST_START, MAX_RECORDS
from retrorun.formats.activities.model import Streams

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), for haversine distances
# [A] a sample counts as moving when it covers at least this speed; a standing athlete's GPS
# drifts by well under 0.5 m/s, the slowest walk is about 0.8 m/s.
MOVING_SPEED_MPS = 0.5


class Point(NamedTuple):
    t: float  # seconds since the Unix epoch, UTC
    distance_m: float | None = None
    speed_mps: float | None = None
    heart_rate: float | None = None
    cadence: float | None = None
    altitude_m: float | None = None
    lat: float | None = None
    lon: float | None = None


def utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def plausible_epoch(seconds: float) -> bool:
    return EARLIEST_START.timestamp() <= seconds < LATEST_START.timestamp()


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def cumulative_distance(points: Sequence[Point]) -> list[float | None]:
    """Distance along the positions (for GPX, and TCX points without DistanceMeters)."""
    total, previous = 0.0, None
    out: list[float | None] = []
    for p in points:
        if p.lat is not None and p.lon is not None:
            if previous is not None:
                total += haversine_m(previous[0], previous[1], p.lat, p.lon)
            previous = (p.lat, p.lon)
        out.append(total)
    return out


def ordered(points: Sequence[Point]) -> tuple[list[Point], int]:
    """Points whose time does not go backwards (and are plausible), and how many were dropped."""
    kept: list[Point] = []
    for p in points:
        if plausible_epoch(p.t) and (not kept or p.t >= kept[-1].t):
            kept.append(p)
    return kept[:MAX_RECORDS], len(points) - min(len(kept), MAX_RECORDS)


def moving_seconds(points: Sequence[Point], distance: Sequence[float | None]) -> float | None:
    """Seconds between samples that covered ground at a moving speed (sparse GPX included:
    a long gap counts when the distance over it was covered at a moving speed)."""
    if len(points) < 2 or all(d is None for d in distance):
        return None
    moving = 0.0
    last_t, last_d = points[0].t, distance[0]
    for p, d in zip(points[1:], distance[1:], strict=True):
        gap = p.t - last_t
        if d is not None and last_d is not None and gap > 0 and (
                (d - last_d) / gap >= MOVING_SPEED_MPS):
            moving += gap
        last_t = p.t
        if d is not None:
            last_d = d
    return moving


def streams_of(points: Sequence[Point], start: float,
               distance: Sequence[float | None] | None = None) -> Streams:
    """Streams from ordered points, times as whole seconds since `start`."""
    time_s = [max(0, round(p.t - start)) for p in points]
    columns: dict[str, Sequence[float | None]] = {
        name: [getattr(p, name) for p in points]
        for name in ("speed_mps", "heart_rate", "cadence", "altitude_m", "lat", "lon")
    }
    columns["distance_m"] = distance if distance is not None else [p.distance_m for p in points]
    return build_streams(time_s, columns)
