"""Inline SVG for the progress charts: the web page and the report PDF draw the same ones.

A small canvas with large text, so a chart scaled to a phone's width stays readable
(400 units wide at 12-unit text: about 10 px type on a 360 px screen) and the PDF shows
it at column width. Every number in the markup is formatted here and every text goes
through `escape`. Shapes are told apart by their legend and by position, never by colour
alone (planned left, done right; lines differ in dash as well as colour).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from retrorun.formats._chart import nice_step, ticks

W, H = 400, 250
LEFT, RIGHT, TOP, BOTTOM = 42, 10, 28, 62  # the bottom holds axis labels and the legend
FONT = 12
GLYPH = 7.2  # the widest average glyph of DejaVu Sans at 12 units, for label spacing
PLOT_W, PLOT_H = W - LEFT - RIGHT, H - TOP - BOTTOM
BASE = H - BOTTOM
GRID = "#d5dadf"
INK = "#1b1f24"


def n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True, slots=True)
class Part:
    """One layer of a stacked bar: its name and its fill for planned and for done."""

    name: str
    planned: str
    done: str


@dataclass(frozen=True, slots=True)
class PairedGroup:
    label: str
    planned: tuple[float, ...]  # one value per part, bottom first
    done: tuple[float, ...] | None  # None: nothing can be done yet (a future week)


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    colour: str
    points: tuple[tuple[dt.date, float], ...]
    dash: str = ""  # an SVG dash pattern: lines differ by more than colour
    dots: bool = False


def svg(title: str, parts: Sequence[str], *, height: int = H, described_by: str = "") -> str:
    described = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" '
        f'role="img" aria-label="{escape(title)}"{described} '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="{FONT}" fill="{INK}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def text(x: float, y: float, words: str, anchor: str = "start", extra: str = "") -> str:
    middle = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{n(x)}" y="{n(y)}"{middle}{extra}>{escape(words)}</text>'


def value_axis(values: Sequence[float], unit: str, low: float = 0.0) -> list[str]:
    """Gridlines and labels of a value axis running from `low` to its last value."""
    top = values[-1]
    parts = []
    for value in values:
        y = BASE - PLOT_H * (value - low) / (top - low)
        parts.append(f'<line x1="{LEFT}" y1="{n(y)}" x2="{W - RIGHT}" y2="{n(y)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(text(LEFT - 4, y + 4, _tick_label(value), "end"))
    parts.append(text(2, 12, unit))  # above the top tick's label
    return parts


def _tick_label(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def legend(items: Sequence[tuple[str, str, str]], rows_from: int = H - 30) -> list[str]:
    """Swatches with names, wrapped onto a second row when the first is full.

    Each item is (name, colour, kind): kind "box" is a filled square, "line" a stroke
    (its dash pattern after a colon, e.g. "line:6 3")."""
    parts: list[str] = []
    x: float = LEFT
    y = rows_from
    for name, colour, kind in items:
        width = 22 + GLYPH * len(name)
        if x + width > W - RIGHT and x > LEFT:
            x, y = LEFT, y + 18
        if kind.startswith("line"):
            dash = kind.partition(":")[2]
            pattern = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="{n(x)}" y1="{n(y - 4)}" x2="{n(x + 14)}" y2="{n(y - 4)}" '
                         f'stroke="{colour}" stroke-width="3"{pattern}/>')
        else:
            parts.append(f'<rect x="{n(x)}" y="{n(y - 10)}" width="12" height="12" '
                         f'fill="{colour}" stroke="{INK}" stroke-width="0.5"/>')
        parts.append(text(x + 18, y, name))
        x += width + 10
    return parts


def label_every(count: int, widest: int) -> int:
    """Show every k-th category label so that labels never overlap."""
    slot = PLOT_W / max(count, 1)
    return max(1, math.ceil((GLYPH * widest + 6) / slot))


def paired_bars(groups: Sequence[PairedGroup], parts: Sequence[Part], *, title: str,
                unit: str, described_by: str = "") -> str:
    """Per group, a planned stack (left, pale) beside a done stack (right, dark)."""
    highest = max([sum(g.planned) for g in groups] + [sum(g.done or ()) for g in groups],
                  default=0.0)
    axis = ticks(highest, floor=10.0)
    top = axis[-1]
    out = value_axis(axis, unit)
    slot = PLOT_W / max(len(groups), 1)
    bar = min(slot * 0.36, 18.0)
    every = label_every(len(groups), max((len(g.label) for g in groups), default=1))
    for i, group in enumerate(groups):
        centre = LEFT + slot * (i + 0.5)
        out += _stack(centre - bar - 1, bar, group.planned, [p.planned for p in parts], top)
        if group.done is not None:
            out += _stack(centre + 1, bar, group.done, [p.done for p in parts], top)
        if i % every == 0:
            out.append(text(centre, BASE + 15, group.label, "middle"))
    items = [(f"planned {p.name}", p.planned, "box") for p in parts]
    items += [(f"done {p.name}", p.done, "box") for p in parts]
    out += legend(items)
    return svg(title, out, described_by=described_by)


def _stack(x: float, width: float, values: Sequence[float], fills: Sequence[str],
           top: float) -> list[str]:
    out, y = [], float(BASE)
    for value, fill in zip(values, fills, strict=True):
        height = PLOT_H * value / top
        if height <= 0:
            continue
        y -= height
        out.append(f'<rect x="{n(x)}" y="{n(y)}" width="{n(width)}" height="{n(height)}" '
                   f'fill="{fill}" stroke="{INK}" stroke-width="0.4"/>')
    return out


def percent_bars(bars: Sequence[tuple[str, float | None]], *, title: str, colour: str,
                 described_by: str = "") -> str:
    """A bar per category on a 0-100 % axis, its value written above it; None: no bar
    (nothing was due yet), shown as a dash."""
    out = value_axis((0, 25, 50, 75, 100), "%")
    slot = PLOT_W / max(len(bars), 1)
    width = min(slot * 0.6, 30.0)
    every = label_every(len(bars), max((len(label) for label, _ in bars), default=1))
    show_values = slot >= GLYPH * 4
    for i, (label, value) in enumerate(bars):
        centre = LEFT + slot * (i + 0.5)
        if value is not None:
            height = PLOT_H * min(max(value, 0.0), 1.0)
            out.append(f'<rect x="{n(centre - width / 2)}" y="{n(BASE - height)}" '
                       f'width="{n(width)}" height="{n(height)}" fill="{colour}"/>')
        if show_values:
            words = "–" if value is None else f"{round(value * 100)}"
            y = BASE - PLOT_H * min(max(value or 0.0, 0.0), 1.0) - 4
            out.append(text(centre, max(y, FONT + 2.0), words, "middle"))
        if i % every == 0:
            out.append(text(centre, BASE + 15, label, "middle"))
    return svg(title, out, described_by=described_by, height=H - 40)


@dataclass(frozen=True, slots=True)
class DateAxis:
    first: dt.date
    last: dt.date

    @property
    def span(self) -> int:
        return max((self.last - self.first).days, 1)

    def x(self, day: dt.date) -> float:
        return LEFT + PLOT_W * (day - self.first).days / self.span

    def labels(self, y: float = BASE + 15) -> list[str]:
        """The first and last day, with day-month labels that stay inside the chart."""
        ends = [(self.first, "start"), (self.last, "end")]
        if self.first == self.last:
            ends = ends[:1]
        return [text(self.x(day), y, short(day), anchor) for day, anchor in ends]


def short(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def dated_lines(axis: DateAxis, lines: Sequence[Line], *, title: str, unit: str,
                top: float | None = None, daily: Sequence[tuple[dt.date, float]] = (),
                daily_colour: str = "#aab4be", daily_name: str = "",
                empty: str = "nothing logged yet", described_by: str = "") -> str:
    """Lines (and optional thin daily bars) over dates, on a 0..top value axis."""
    values = [v for line in lines for _, v in line.points] + [v for _, v in daily]
    scale = ticks(top if top is not None else max(values, default=0.0),
                  floor=top if top is not None else 10.0)
    high = scale[-1]
    out = value_axis(scale, unit)
    if not values:
        out.append(text(W / 2, TOP + PLOT_H / 2, empty, "middle"))
        return svg(title, out, described_by=described_by)
    width = max(1.0, min(PLOT_W / (axis.span + 1) * 0.7, 8.0))
    for day, value in daily:
        if value > 0:
            height = PLOT_H * min(value, high) / high
            out.append(f'<rect x="{n(axis.x(day) - width / 2)}" y="{n(BASE - height)}" '
                       f'width="{n(width)}" height="{n(height)}" fill="{daily_colour}"/>')
    for line in lines:
        if not line.points:
            continue
        xy = [(axis.x(day), BASE - PLOT_H * min(value, high) / high)
              for day, value in line.points]
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        out.append(f'<polyline points="{" ".join(f"{n(x)},{n(y)}" for x, y in xy)}" '
                   f'fill="none" stroke="{line.colour}" stroke-width="2.5"{dash}/>')
        if line.dots:
            out += [f'<circle cx="{n(x)}" cy="{n(y)}" r="3.5" fill="{line.colour}"/>'
                    for x, y in xy]
    out += axis.labels()
    items = ([(daily_name, daily_colour, "box")] if daily_name else [])
    items += [(line.name, line.colour, f"line:{line.dash}") for line in lines]
    out += legend(items)
    return svg(title, out, described_by=described_by)


def measure_chart(axis: DateAxis, points: Sequence[tuple[dt.date, float]], *, title: str,
                  unit: str, band: tuple[float, float] | None, colour: str,
                  decimals: int, described_by: str = "") -> str:
    """Results over dates on an axis around them, the band of no clear change shaded."""
    if not points:
        out = [text(W / 2, TOP + PLOT_H / 2, "no result entered yet", "middle")]
        return svg(title, out, described_by=described_by, height=H - 120)
    values = [v for _, v in points] + list(band or ())
    low, high = min(values), max(values)
    pad = max((high - low) * 0.25, abs(high) * 0.02, 10.0 ** -decimals)
    step = nice_step(high - low + 2 * pad, 4)
    bottom = math.floor((low - pad) / step) * step
    scale = [bottom + step * i for i in range(math.ceil((high + pad - bottom) / step) + 1)]
    out = value_axis(scale, unit, low=bottom)

    def y(value: float) -> float:
        return BASE - PLOT_H * (value - bottom) / (scale[-1] - bottom)

    if band is not None:
        out.append(f'<rect x="{LEFT}" y="{n(y(band[1]))}" width="{PLOT_W}" '
                   f'height="{n(y(band[0]) - y(band[1]))}" fill="#e4ecf3"/>')
    xy = [(axis.x(day), y(value), value) for day, value in points]
    if len(xy) > 1:
        out.append(f'<polyline points="{" ".join(f"{n(a)},{n(b)}" for a, b, _ in xy)}" '
                   f'fill="none" stroke="{colour}" stroke-width="2"/>')
    for i, (px, py, value) in enumerate(xy):
        out.append(f'<circle cx="{n(px)}" cy="{n(py)}" r="5" fill="{colour}"/>')
        anchor = "start" if i == 0 else "end" if i == len(xy) - 1 else "middle"
        out.append(text(px, py - 9, f"{value:.{decimals}f}", anchor))
    out += axis.labels()
    out += legend([("result", colour, "box"),
                   *([("no clear change from the first", "#e4ecf3", "box")]
                     if band is not None else [])])
    return svg(title, out, described_by=described_by)


@dataclass(frozen=True, slots=True)
class StageCell:
    label: str  # the week's number
    stage: str  # the stage's word, written in the cell when it fits
    colour: str  # dark enough for white text (WCAG AA at this size)
    lighter: bool


STRIP_TOP, STRIP_H, STRIP_CHART_H = 34, 46, 150


def stage_strip(cells: Sequence[StageCell], marks: Sequence[tuple[float, str]],
                today: float | None, legend_items: Sequence[tuple[str, str, str]], *,
                title: str, described_by: str = "") -> str:
    """A row of weeks coloured by backward stage, each plan change marked above it at
    its first day, today as a dashed line. Positions are in weeks from the plan's start."""
    count = max(len(cells), 1)
    slot = (W - 2 * RIGHT) / count

    def x(weeks: float) -> float:
        return RIGHT + slot * weeks

    out: list[str] = []
    every = max(1, math.ceil((GLYPH * 2 + 4) / slot))
    for i, cell in enumerate(cells):
        out.append(f'<rect x="{n(x(i))}" y="{STRIP_TOP}" width="{n(slot)}" height="{STRIP_H}" '
                   f'fill="{cell.colour}" stroke="#ffffff" stroke-width="1.5"/>')
        centre = x(i + 0.5)
        if slot >= GLYPH * len(cell.stage) + 4:
            out.append(text(centre, STRIP_TOP + STRIP_H / 2 + 4, cell.stage, "middle",
                            ' fill="#ffffff"'))
        if cell.lighter:
            out.append(f'<line x1="{n(x(i) + 2)}" y1="{STRIP_TOP + STRIP_H + 5}" '
                       f'x2="{n(x(i + 1) - 2)}" y2="{STRIP_TOP + STRIP_H + 5}" stroke="{INK}" '
                       f'stroke-width="2.5" stroke-dasharray="2 2"/>')
        if i % every == 0:
            out.append(text(centre, STRIP_TOP + STRIP_H + 20, cell.label, "middle"))
    for position, label in marks:
        px = x(min(max(position, 0.0), count))
        out.append(f'<path d="M{n(px - 6)},{STRIP_TOP - 12} L{n(px + 6)},{STRIP_TOP - 12} '
                   f'L{n(px)},{STRIP_TOP - 2} Z" fill="{INK}"/>')
        anchor = "start" if px < W / 4 else "end" if px > W * 3 / 4 else "middle"
        out.append(text(px, STRIP_TOP - 16, label, anchor))
    if today is not None and 0 <= today <= count:
        px = x(today)
        out.append(f'<line x1="{n(px)}" y1="{STRIP_TOP - 4}" x2="{n(px)}" '
                   f'y2="{STRIP_TOP + STRIP_H + 4}" stroke="{INK}" stroke-width="2.5" '
                   f'stroke-dasharray="4 3"/>')
    out += legend(legend_items, rows_from=STRIP_CHART_H - 28)
    return svg(title, out, height=STRIP_CHART_H + 8, described_by=described_by)
