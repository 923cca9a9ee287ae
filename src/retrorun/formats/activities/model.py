"""The one activity model every reader returns, and the per-file result of an upload."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

# FIT profile sports (and TCX/GPX names folded to them) done on foot. Trail, track, street
# and treadmill are sub-sports of running in FIT; indoor running/walking sit under
# fitness_equipment. Source: FIT SDK 21.218 Profile.xlsx, types `sport` and `sub_sport`.
ON_FOOT_SPORTS = frozenset({"running", "walking", "hiking", "mountaineering", "snowshoeing"})
ON_FOOT_SUB_SPORTS = frozenset({"treadmill", "indoor_running", "indoor_walking", "trail", "track"})
# sports that say nothing about the mode: the file must be looked at (or the athlete asked)
UNKNOWN_SPORTS = frozenset({"generic", "unknown", "all"})


def is_on_foot(sport: str, sub_sport: str | None) -> bool | None:
    """True on foot, False another sport, None when the file does not say (generic)."""
    if sport in ON_FOOT_SPORTS or sub_sport in ON_FOOT_SUB_SPORTS:
        return True
    if sport in UNKNOWN_SPORTS:
        return None
    return False


@dataclass(frozen=True, slots=True)
class Streams:
    """Per-record samples, columns of equal length; a column is None when the file has none.

    time_s are whole seconds since the activity's start. Values are already at the
    precision of the stored blob (see blob.py), so encode/decode is exact. cadence is as the
    file gives it (FIT running cadence is strides, i.e. one foot, per minute).
    """

    time_s: tuple[int, ...] = ()
    distance_m: tuple[float | None, ...] | None = None
    speed_mps: tuple[float | None, ...] | None = None
    heart_rate: tuple[float | None, ...] | None = None
    cadence: tuple[float | None, ...] | None = None
    altitude_m: tuple[float | None, ...] | None = None
    lat: tuple[float | None, ...] | None = None
    lon: tuple[float | None, ...] | None = None


@dataclass(frozen=True, slots=True)
class Lap:
    start: dt.datetime  # UTC
    elapsed_s: float
    timer_s: float | None
    distance_m: float | None
    avg_heart_rate: int | None
    avg_speed_mps: float | None
    wkt_step_index: int | None  # FIT: the workout step this lap ran, when the watch ran a workout


@dataclass(frozen=True, slots=True)
class Leg:
    """One session of a multisport file (FIT session message)."""

    sport: str
    sub_sport: str | None
    on_foot: bool | None
    start: dt.datetime
    elapsed_s: float
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class Activity:
    source_format: str  # "fit", "gpx" or "tcx"
    sport: str  # FIT profile names: running, walking, cycling, ..., multisport, generic
    sub_sport: str | None
    on_foot: bool | None  # None: the file does not say (GPX without a type, FIT generic)
    start: dt.datetime  # timezone-aware, UTC
    utc_offset: dt.timedelta | None  # local time - UTC where the file gives it
    elapsed_s: float
    moving_s: float | None
    distance_m: float | None
    laps: tuple[Lap, ...] = ()
    streams: Streams = field(default_factory=Streams)
    legs: tuple[Leg, ...] = ()  # sessions of a multisport file; empty for one sport
    warnings: tuple[str, ...] = ()
    device: str | None = None

    @property
    def records(self) -> int:
        return len(self.streams.time_s)

    @property
    def local_start(self) -> dt.datetime:
        """The start in the file's local time (UTC when the file gives no offset)."""
        if self.utc_offset is None:
            return self.start
        return self.start.astimezone(dt.timezone(self.utc_offset))


class RefusalReason(enum.StrEnum):
    EMPTY = "empty"
    UNKNOWN_FORMAT = "unknown_format"
    NOT_AN_ACTIVITY = "not_an_activity"  # workout, course, settings, route, waypoints...
    MALFORMED = "malformed"  # unreadable, or nothing usable in it
    HOSTILE_XML = "hostile_xml"  # entity declarations, external references
    TOO_LARGE = "too_large"  # upload or member over its limit
    BOMB = "bomb"  # compression ratio or decompressed size over its limit
    TOO_MANY_MEMBERS = "too_many_members"
    TOO_DEEP = "too_deep"  # zips nested beyond the limit


@dataclass(frozen=True, slots=True)
class Imported:
    file: str  # the file's own name, or zipname/member (base names only)
    sha256: str  # of the activity file's bytes after any gzip layer (same run, same hash)
    activity: Activity


@dataclass(frozen=True, slots=True)
class Refused:
    file: str
    reason: RefusalReason
    message: str  # for the user; names the file
    sha256: str | None = None


FileResult = Imported | Refused
