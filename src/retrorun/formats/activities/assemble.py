"""Build an Activity from what a reader collected: summary messages, laps, points."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.limits import MAX_ELAPSED_S
from retrorun.formats.activities.model import Activity, Lap, Leg, RefusalReason, is_on_foot
from retrorun.formats.activities.track import (
    Point,
    cumulative_distance,
    moving_seconds,
    ordered,
    plausible_epoch,
    streams_of,
    utc,
)

FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z (FIT SDK, date_time)
FIT_RELATIVE_MAX = 0x10000000  # below: seconds since the device was switched on (FIT SDK)
MAX_UTC_OFFSET_S = 14 * 3600  # the widest time-zone offset in use (UTC+14, Kiribati)
OFFSET_STEP_S = 15 * 60  # every zone offset is a multiple of 15 minutes
TRANSITION = "transition"  # FIT sport of a multisport changeover


@dataclass
class FitSummary:
    sessions: list[dict[str, Any]]
    laps: list[dict[str, Any]]
    activity: dict[str, Any] | None
    points: list[Point]
    device: str | None
    warnings: list[str] = field(default_factory=list)


def _number(value: Any) -> float | None:
    """A field's number; a damaged file can give a tuple or bytes where a number belongs."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def _clock_shift(name: str, summary: FitSummary, notes: list[str]) -> float:
    """Seconds to add to FIT times: 0, unless the watch counted from power-on."""
    starts = (_number(s.get("start_time")) for s in summary.sessions)
    first = next((s for s in starts if s is not None),
                 summary.points[0].t - FIT_EPOCH if summary.points else None)
    if first is None or first >= FIT_RELATIVE_MAX:
        return 0.0
    act = summary.activity or {}
    stamp, local = _number(act.get("timestamp")), _number(act.get("local_timestamp"))
    if stamp is None or local is None or stamp >= FIT_RELATIVE_MAX:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} has only device-relative times and no clock time")
    notes.append("the watch recorded times since power-on and its local clock only: the "
                 "start is local time, stored as UTC (the time zone is unknown)")
    return float(local - stamp)


def _utc_offset(act: dict[str, Any] | None, shift: float) -> dt.timedelta | None:
    values = act or {}
    stamp, local = _number(values.get("timestamp")), _number(values.get("local_timestamp"))
    if shift or stamp is None or local is None:
        return None
    seconds = local - stamp
    if abs(seconds) > MAX_UTC_OFFSET_S:
        return None
    return dt.timedelta(seconds=round(seconds / OFFSET_STEP_S) * OFFSET_STEP_S)


def _fit_lap(values: dict[str, Any], shift: float) -> Lap | None:
    start = _number(values.get("start_time"))
    elapsed = _number(values.get("total_elapsed_time"))
    if start is None or elapsed is None or not plausible_epoch(FIT_EPOCH + start + shift):
        return None
    speed = values.get("enhanced_avg_speed")
    heart = values.get("avg_heart_rate")
    step = values.get("wkt_step_index")
    return Lap(start=utc(FIT_EPOCH + start + shift), elapsed_s=elapsed,
               timer_s=_number(values.get("total_timer_time")),
               distance_m=_number(values.get("total_distance")),
               avg_heart_rate=heart if isinstance(heart, int) else None,
               avg_speed_mps=_number(speed if speed is not None else values.get("avg_speed")),
               wkt_step_index=step if isinstance(step, int) else None)


def _legs(sessions: list[dict[str, Any]], shift: float) -> list[Leg]:
    legs = []
    for s in sessions:
        start, elapsed = _number(s.get("start_time")), _number(s.get("total_elapsed_time"))
        if start is None or elapsed is None or not plausible_epoch(FIT_EPOCH + start + shift):
            continue
        sport, sub = str(s.get("sport") or "generic"), s.get("sub_sport")
        sub = None if sub is None else str(sub)
        legs.append(Leg(sport=sport, sub_sport=sub, on_foot=is_on_foot(sport, sub),
                        start=utc(FIT_EPOCH + start + shift), elapsed_s=elapsed,
                        distance_m=_number(s.get("total_distance"))))
    return legs


def _sport_of(legs: Sequence[Leg]) -> tuple[str, str | None, bool | None]:
    moving = [leg for leg in legs if leg.sport != TRANSITION] or list(legs)
    if len({leg.sport for leg in moving}) == 1:
        return moving[0].sport, moving[0].sub_sport, moving[0].on_foot
    feet = [leg.on_foot for leg in moving]
    on_foot = False if False in feet else (True if all(feet) else None)
    return "multisport", None, on_foot


def _sum(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def check_span(name: str, start: float, elapsed: float) -> None:
    if not plausible_epoch(start):
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} has an implausible start time ({_iso(start)})")
    if not 0 <= elapsed <= MAX_ELAPSED_S:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} has an implausible duration ({elapsed:,.0f} s)")


def _iso(seconds: float) -> str:
    try:
        return utc(seconds).isoformat()
    except (OverflowError, OSError, ValueError):
        return f"{seconds:.0f} s since 1970"


def activity_from_fit(name: str, summary: FitSummary) -> Activity:
    notes = list(summary.warnings)
    shift = _clock_shift(name, summary, notes)
    points = [p._replace(t=p.t + shift) for p in summary.points] if shift else summary.points
    kept, dropped = ordered(points)
    if dropped:
        notes.append(f"dropped {dropped:,} record(s) whose time went backwards or was implausible")
    legs = _legs(summary.sessions, shift)
    if legs:
        start = min(leg.start for leg in legs).timestamp()
        elapsed = sum(leg.elapsed_s for leg in legs)
        distance = _sum([leg.distance_m for leg in legs])
        moving = _sum([_number(s.get("total_timer_time")) for s in summary.sessions])
        sport, sub_sport, on_foot = _sport_of(legs)
    elif kept:
        notes.append("no session summary in the file: figures are from its records")
        start, elapsed = kept[0].t, kept[-1].t - kept[0].t
        distance = next((p.distance_m for p in reversed(kept) if p.distance_m is not None), None)
        moving = moving_seconds(kept, [p.distance_m for p in kept])
        sport, sub_sport, on_foot = "generic", None, None
    else:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} holds no session and no records: nothing to import")
    check_span(name, start, elapsed)
    laps = tuple(lap for lap in (_fit_lap(v, shift) for v in summary.laps) if lap is not None)
    return Activity(
        source_format="fit", sport=sport, sub_sport=sub_sport, on_foot=on_foot,
        start=utc(start), utc_offset=_utc_offset(summary.activity, shift),
        elapsed_s=elapsed, moving_s=moving, distance_m=distance, laps=laps,
        streams=streams_of(kept, start), legs=tuple(legs) if len(legs) > 1 else (),
        warnings=tuple(notes), device=summary.device)


def activity_from_track(name: str, source_format: str, sport: str, sub_sport: str | None,
                        points: Sequence[Point], laps: Sequence[Lap],
                        warnings: Sequence[str], distance_m: float | None = None,
                        utc_offset: dt.timedelta | None = None) -> Activity:
    """GPX and TCX: figures from the points (and the file's own lap totals when it has them)."""
    notes = list(warnings)
    kept, dropped = ordered(points)
    if dropped:
        notes.append(f"dropped {dropped:,} point(s) whose time went backwards or was implausible")
    if not kept:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} has no track point with a plausible time")
    has_file_distance = any(p.distance_m is not None for p in kept)
    distance = ([p.distance_m for p in kept] if has_file_distance
                else cumulative_distance(kept))
    start = min([kept[0].t] + [lap.start.timestamp() for lap in laps])
    end = max([kept[-1].t] + [lap.start.timestamp() + lap.elapsed_s for lap in laps])
    elapsed = end - start
    if distance_m is None:
        distance_m = next((d for d in reversed(distance) if d is not None), None)
    check_span(name, start, elapsed)
    return Activity(
        source_format=source_format, sport=sport, sub_sport=sub_sport,
        on_foot=is_on_foot(sport, sub_sport), start=utc(start), utc_offset=utc_offset,
        elapsed_s=elapsed, moving_s=moving_seconds(kept, distance), distance_m=distance_m,
        laps=tuple(laps), streams=streams_of(kept, start, distance), warnings=tuple(notes))
