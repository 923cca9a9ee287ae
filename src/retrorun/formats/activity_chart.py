"""The activity page's chart: pace above, heart rate below, over the activity's minutes,
the backward laps shaded in both (issue 12). Pure: samples in, an inline SVG and its
table fallback out, drawn in the progress charts' style (`_progress_svg`: 400 units wide,
12-unit text, readable at a phone's width) and shown by the same `chart_figure` macro.

The per-second samples are averaged into at most `MAX_POINTS` buckets, so a four-hour
run draws as lightly as a short one; the table lists `TABLE_ROWS` or fewer of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from retrorun.formats._chart import ticks
from retrorun.formats._progress_svg import GRID, LEFT, RIGHT, W, legend, n, svg, text
from retrorun.formats.activities import Streams

MAX_POINTS = 120  # [A] one point every 3.4 units of a 400-unit plot: a smooth line
TABLE_ROWS = 30  # [A] a table a screen reader can go through
# [A] below 0.5 m/s (33 min/km) the runner is standing: no pace, a gap in the line.
STANDING_MPS = 0.5
# [A] the pace axis runs from 3 to 15 min/km at most: faster is a GPS jump, slower a walk
# break; a backward jog is about 8 to 11 min/km (tests/services/watch_run.py, 1.6 m/s).
FASTEST_PACE, SLOWEST_PACE = 3.0, 15.0
PACE_TOP, PACE_BOTTOM = 30, 130  # the upper panel's plot, in SVG units
HEART_TOP, HEART_BOTTOM = 160, 240
HEIGHT = 300
PACE_COLOUR, HEART_COLOUR, BACKWARD_FILL = "#1f5fa8", "#b3261e", "#fde1cf"


@dataclass(frozen=True, slots=True)
class ActivityChart:
    """What `chart_figure` shows: the SVG, its summary, and its numbers as a table."""

    key: str
    title: str
    svg: str
    summary: str
    note: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Bucket:
    start_s: int
    pace: float | None  # min/km
    heart_rate: float | None


def pace_text(minutes_per_km: float | None) -> str:
    if minutes_per_km is None:
        return "–"
    seconds = round(minutes_per_km * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


def km(metres: float | None) -> str:
    return "–" if metres is None else f"{metres / 1000:.2f} km"


def duration(seconds: float | None) -> str:
    """h:mm:ss, or m:ss under an hour."""
    if seconds is None:
        return "–"
    hours, rest = divmod(round(seconds), 3600)
    minutes = f"{rest // 60:02d}" if hours else f"{rest // 60}"
    return f"{hours}:{minutes}:{rest % 60:02d}" if hours else f"{minutes}:{rest % 60:02d}"


def activity_chart(streams: Streams, backward_spans: Sequence[tuple[float, float]] = ()
                   ) -> ActivityChart | None:
    """The chart, or None when the file has neither speed, distance nor heart rate.
    `backward_spans` are (start, end) seconds from the activity's start."""
    buckets = bucketed(streams)
    if not any(b.pace is not None or b.heart_rate is not None for b in buckets):
        return None
    span = max(float(streams.time_s[-1]), 1.0)
    title = "Pace and heart rate"
    summary = _summary(buckets, span, len(backward_spans))
    out = [f"<desc>{escape(summary)}</desc>", *_bands(backward_spans, span)]
    out += _pace_panel(buckets, span)
    out += _heart_panel(buckets, span) + _time_axis(span)
    items = [("pace", PACE_COLOUR, "line"), ("heart rate", HEART_COLOUR, "line:5 3")]
    if backward_spans:
        items.append(("backward lap", BACKWARD_FILL, "box"))
    out += legend(items, rows_from=HEIGHT - 8)
    every = max(1, math.ceil(len(buckets) / TABLE_ROWS))
    rows = tuple((f"{b.start_s // 60}:{b.start_s % 60:02d}", pace_text(b.pace),
                  "–" if b.heart_rate is None else f"{b.heart_rate:.0f}")
                 for b in buckets[::every])
    return ActivityChart("activity", title, svg(title, out, height=HEIGHT,
                                                described_by="chart-activity-summary"),
                         summary, "Backward laps are shaded." if backward_spans else "",
                         ("Time (min:s)", "Pace (min/km)", "Heart rate (bpm)"), rows)


def bucketed(streams: Streams) -> list[Bucket]:
    """The samples averaged over equal spans of time, at most MAX_POINTS of them."""
    times = streams.time_s
    if not times:
        return []
    speeds = _speeds(streams)
    hearts = streams.heart_rate or (None,) * len(times)
    width = max(1, math.ceil((times[-1] + 1) / MAX_POINTS))
    groups: dict[int, tuple[list[float], list[float]]] = {}
    for t, speed, heart in zip(times, speeds, hearts, strict=True):
        moving, beats = groups.setdefault(t // width, ([], []))
        if speed is not None:
            moving.append(speed)
        if heart:
            beats.append(heart)
    return [Bucket(key * width, _pace(sum(s) / len(s)) if s else None,
                   sum(h) / len(h) if h else None)
            for key, (s, h) in sorted(groups.items())]


def _speeds(streams: Streams) -> Sequence[float | None]:
    """Speed a second: the file's own, else worked out from its distances."""
    times = streams.time_s
    if streams.speed_mps is not None and any(streams.speed_mps):
        return streams.speed_mps
    if streams.distance_m is None:
        return (None,) * len(times)
    out: list[float | None] = [None]
    for i in range(1, len(times)):
        a, b, dt = streams.distance_m[i - 1], streams.distance_m[i], times[i] - times[i - 1]
        out.append(None if a is None or b is None or dt <= 0 else (b - a) / dt)
    return out


def _pace(speed: float) -> float | None:
    return None if speed < STANDING_MPS else 1000 / speed / 60


def _x(seconds: float, span: float) -> float:
    return LEFT + (W - LEFT - RIGHT) * min(max(seconds / span, 0.0), 1.0)


def _bands(spans: Sequence[tuple[float, float]], span: float) -> list[str]:
    out = []
    for start, end in spans:
        x0, x1 = _x(start, span), _x(end, span)
        out.append(f'<rect x="{n(x0)}" y="{PACE_TOP}" width="{n(max(x1 - x0, 1.0))}" '
                   f'height="{HEART_BOTTOM - PACE_TOP}" fill="{BACKWARD_FILL}"/>')
    return out


def _line(points: Sequence[tuple[float, float] | None], colour: str, dash: str) -> list[str]:
    """Polylines through the points, broken where a point is missing."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    pattern = f' stroke-dasharray="{dash}"' if dash else ""
    return [f'<polyline points="{" ".join(f"{n(x)},{n(y)}" for x, y in run)}" fill="none" '
            f'stroke="{colour}" stroke-width="2"{pattern}/>' for run in runs if len(run) > 1]


def _grid(y: float, label: str) -> list[str]:
    return [f'<line x1="{LEFT}" y1="{n(y)}" x2="{W - RIGHT}" y2="{n(y)}" stroke="{GRID}" '
            f'stroke-width="1"/>', text(LEFT - 4, y + 4, label, "end")]


def _pace_panel(buckets: Sequence[Bucket], span: float) -> list[str]:
    """Pace with the faster pace up (a runner reads up as better); min/km labels."""
    paces = [min(max(b.pace, FASTEST_PACE), SLOWEST_PACE) for b in buckets
             if b.pace is not None]
    out = [text(2, PACE_TOP - 12, "pace, min/km")]
    if not paces:
        return [*out, text(W / 2, (PACE_TOP + PACE_BOTTOM) / 2, "no pace recorded",
                           "middle")]
    fast, slow = math.floor(min(paces)), math.ceil(max(paces))
    slow = max(slow, fast + 1)

    def y(pace: float) -> float:
        share = (min(max(pace, FASTEST_PACE), SLOWEST_PACE) - fast) / (slow - fast)
        return PACE_TOP + (PACE_BOTTOM - PACE_TOP) * share

    step = max(1, math.ceil((slow - fast) / 4))
    for minute in range(fast, slow + 1, step):
        out += _grid(y(minute), f"{minute}:00")
    points = [None if b.pace is None else (_x(b.start_s, span), y(b.pace)) for b in buckets]
    return out + _line(points, PACE_COLOUR, "")


def _heart_panel(buckets: Sequence[Bucket], span: float) -> list[str]:
    beats = [b.heart_rate for b in buckets if b.heart_rate is not None]
    out = [text(2, HEART_TOP - 10, "heart rate, bpm")]
    if not beats:
        return [*out, text(W / 2, (HEART_TOP + HEART_BOTTOM) / 2, "no heart rate recorded",
                           "middle")]
    low = 10 * math.floor(min(beats) / 10 - 0.5)
    high = max(10 * math.ceil(max(beats) / 10 + 0.5), low + 20)

    def y(heart: float) -> float:
        return HEART_BOTTOM - (HEART_BOTTOM - HEART_TOP) * (heart - low) / (high - low)

    step = 10 * max(1, math.ceil((high - low) / 40))
    for value in range(low, high + 1, step):
        out += _grid(y(value), f"{value}")
    points = [None if b.heart_rate is None else (_x(b.start_s, span), y(b.heart_rate))
              for b in buckets]
    return out + _line(points, HEART_COLOUR, "5 3")


def _time_axis(span: float) -> list[str]:
    minutes = span / 60
    out = []
    for value in ticks(minutes, floor=1.0):
        if value > minutes + 1e-9:
            break
        out.append(text(_x(value * 60, span), HEART_BOTTOM + 16, f"{value:g}", "middle"))
    out.append(text(W - RIGHT, HEART_BOTTOM + 32, "minutes", "end"))
    return out


def _summary(buckets: Sequence[Bucket], span: float, backward_laps: int) -> str:
    paces = [b.pace for b in buckets if b.pace is not None]
    beats = [b.heart_rate for b in buckets if b.heart_rate is not None]
    minutes = round(span / 60)
    parts = [f"{minutes} minutes" if minutes >= 2 else f"{span:.0f} seconds"]
    if paces:
        parts.append(f"pace from {pace_text(min(paces))} to {pace_text(max(paces))} min/km")
    if beats:
        parts.append(f"heart rate from {min(beats):.0f} to {max(beats):.0f} bpm")
    if backward_laps:
        parts.append(f"{backward_laps} backward lap{'s' if backward_laps != 1 else ''}")
    return "Over " + ", ".join(parts) + "."
