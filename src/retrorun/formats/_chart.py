"""Small inline SVG charts for the printed plan and the progress report.

Hand-written SVG keeps the PDF free of a plotting library and prints crisply at any size.
Every number placed in the markup is formatted here, and every text goes through
`escape`, so a chart is as safe as the rest of the template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 22, 36
FORWARD_COLOUR = "#9db4c0"
BACKWARD_COLOUR = "#c2410c"
DONE_COLOUR = "#1f6f4a"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    forward: float  # minutes
    backward: float  # minutes
    done: float | None = None  # minutes actually done, for the progress report


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str
    points: tuple[tuple[dt.date, float], ...]


def nice_ceiling(value: float) -> float:
    """The axis top: the first of 10, 20, 50, 100... multiples at or above the value."""
    if value <= 0:
        return 10.0
    step = 10.0
    while step * 10 < value:
        step *= 10
    for multiple in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if step * multiple >= value:
            return step * multiple
    return step * 10


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _axis(top: float, unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = HEIGHT - BOTTOM - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
            f'stroke="#ddd" stroke-width="0.6"/>'
        )
        parts.append(f'<text x="{LEFT - 4}" y="{_n(y + 3)}" text-anchor="end">{_n(value)}</text>')
    parts.append(f'<text x="4" y="10">{escape(unit)}</text>')
    return parts


def weekly_minutes_svg(bars: Sequence[Bar], title: str) -> str:
    """Stacked bars of forward and backward minutes per week (and a done marker if given)."""
    top = nice_ceiling(
        max([b.forward + b.backward for b in bars] + [b.done or 0 for b in bars] + [1])
    )
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    width = slot * 0.62
    parts = _axis(top, "min")
    for i, bar in enumerate(bars):
        x = LEFT + slot * i + (slot - width) / 2
        fwd_h = plot_h * bar.forward / top
        bwd_h = plot_h * bar.backward / top
        base = HEIGHT - BOTTOM
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(base - fwd_h)}" width="{_n(width)}" '
            f'height="{_n(fwd_h)}" fill="{FORWARD_COLOUR}"/>'
        )
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(base - fwd_h - bwd_h)}" width="{_n(width)}" '
            f'height="{_n(bwd_h)}" fill="{BACKWARD_COLOUR}"/>'
        )
        if bar.done is not None:
            y = base - plot_h * bar.done / top
            parts.append(
                f'<line x1="{_n(x - 2)}" y1="{_n(y)}" x2="{_n(x + width + 2)}" '
                f'y2="{_n(y)}" stroke="{DONE_COLOUR}" stroke-width="3"/>'
            )
        parts.append(
            f'<text x="{_n(x + width / 2)}" y="{base + 14}" text-anchor="middle">'
            f"{escape(bar.label)}</text>"
        )
    legend = [("forward", FORWARD_COLOUR), ("backward", BACKWARD_COLOUR)]
    if any(b.done is not None for b in bars):
        legend.append(("done", DONE_COLOUR))
    parts += _legend(legend)
    return _svg(title, parts)


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    parts = []
    x = LEFT
    for name, colour in items:
        parts.append(f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT - 4}">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    return parts


def _svg(title: str, parts: list[str]) -> str:
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="10" fill="#333"><title>{escape(title)}</title>{body}</svg>'
    )


def trend_svg(series: Sequence[Series], title: str, top: float = 10.0) -> str:
    """Lines over dates on a 0..top scale (pain and RPE are both 0-10)."""
    dates = sorted({d for s in series for d, _ in s.points})
    parts = _axis(top, "0-10")
    if not dates:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">nothing logged yet</text>'
        )
        return _svg(title, parts)
    first, span = dates[0], max((dates[-1] - dates[0]).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(day: dt.date, value: float) -> str:
        x = LEFT + plot_w * (day - first).days / span
        return f"{_n(x)},{_n(HEIGHT - BOTTOM - plot_h * min(value, top) / top)}"

    for s in series:
        if not s.points:
            continue
        points = " ".join(xy(d, v) for d, v in sorted(s.points))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
        )
        parts += [
            f'<circle cx="{xy(d, v).split(",")[0]}" cy="{xy(d, v).split(",")[1]}" r="2.5" '
            f'fill="{s.colour}"/>'
            for d, v in s.points
        ]
    for day in (dates[0], dates[-1]):
        x = xy(day, 0).split(",")[0]
        parts.append(
            f'<text x="{x}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
            f"{day.strftime('%d %b')}</text>"
        )
    parts += _legend([(s.name, s.colour) for s in series])
    return _svg(title, parts)
