"""Expected values worked out without our reader: fitdecode with its defaults, the FIT SDK's
Decoder, and minidom for GPX and TCX. Paths of the shared corpus and the copied files."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.dom import minidom

import fitdecode  # type: ignore[import-untyped]
import garmin_fit_sdk

REPO = Path(__file__).resolve().parents[3]


def _corpus() -> Path:
    """The shared corpus, read in place: RETRORUN_ACTIVITY_CORPUS if set, else beside the
    checkout (../shared), else the workplace's copy (a fresh clone elsewhere, as CI makes)."""
    named = os.environ.get("RETRORUN_ACTIVITY_CORPUS")
    for place in ([Path(named)] if named else []) + [
            REPO.parent / "shared" / "data" / "activities",
            Path("/work/shared/data/activities")]:
        if place.is_dir():
            return place
    return REPO.parent / "shared" / "data" / "activities"


CORPUS = _corpus()
LOCAL = REPO / "tests" / "data" / "activities"
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@dataclass
class FitOracle:
    file_types: list[str] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    record_times: list[Any] = field(default_factory=list)
    activity: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@functools.cache
def fitdecode_oracle(data: bytes) -> FitOracle:
    """fitdecode with its defaults (processor converts times), read as far as it goes."""
    import io

    out = FitOracle()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with fitdecode.FitReader(io.BytesIO(data)) as reader:
                for frame in reader:
                    if not isinstance(frame, fitdecode.FitDataMessage):
                        continue
                    values = {f.name: f.value for f in frame.fields}
                    if frame.name == "file_id":
                        out.file_types.append(values.get("type"))
                    elif frame.name == "session":
                        out.sessions.append(values)
                    elif frame.name == "record":
                        out.record_times.append(values.get("timestamp"))
                    elif frame.name == "activity":
                        out.activity = values
        except fitdecode.FitError as exc:
            out.error = str(exc)
    return out


def sdk_sessions(data: bytes) -> list[dict[str, Any]]:
    """The official FIT SDK's session messages (its Decoder, default options)."""
    decoder = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
    messages, _errors = decoder.read()
    sessions: list[dict[str, Any]] = messages.get("session_mesgs", [])
    return sessions


def monotonic_count(times: list[Any]) -> int:
    """Records whose time does not go backwards (None times are not records of a track)."""
    count, last = 0, None
    for t in times:
        if t is None:
            continue
        if last is None or t >= last:
            count, last = count + 1, t
    return count


def _text(node: Any, tag: str) -> str | None:
    found = node.getElementsByTagName(tag)
    if not found or not found[0].firstChild:
        return None
    value: str = found[0].firstChild.data
    return value


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


@dataclass
class TrackOracle:
    times: list[dt.datetime]
    start: dt.datetime
    distance_m: float


def gpx_oracle(data: bytes) -> TrackOracle:
    """minidom over the whole file: points with a float position and a time."""
    doc = minidom.parseString(data)  # noqa: S318 - our own corpus, not an upload
    positions, times = [], []
    for point in doc.getElementsByTagName("trkpt"):
        try:
            position = (float(point.getAttribute("lat")), float(point.getAttribute("lon")))
        except ValueError:
            continue
        time = _text(point, "time")
        if time is None:
            continue
        positions.append(position)
        times.append(dt.datetime.fromisoformat(time))
    distance = sum(_haversine(a, b) for a, b in itertools.pairwise(positions))
    return TrackOracle(times=times, start=min(times), distance_m=distance)


def tcx_oracle(data: bytes) -> TrackOracle:
    """The file's own figures: lap StartTime, sum of lap DistanceMeters, Trackpoint count."""
    doc = minidom.parseString(data)  # noqa: S318 - our own corpus, not an upload
    laps = doc.getElementsByTagName("Lap")
    starts = [dt.datetime.fromisoformat(lap.getAttribute("StartTime")) for lap in laps]
    distance = 0.0
    for lap in laps:
        direct = [c for c in lap.childNodes if getattr(c, "tagName", "") == "DistanceMeters"]
        distance += float(direct[0].firstChild.data)
    times = [dt.datetime.fromisoformat(_text(point, "Time") or "")
             for point in doc.getElementsByTagName("Trackpoint")]
    return TrackOracle(times=times, start=min(starts), distance_m=distance)
