"""Small inline SVG charts for the printed plan (the progress charts: `_progress_svg`).

Hand-written SVG keeps the PDF free of a plotting library and prints crisply at any size.
Every number placed in the markup is formatted here, and every text goes through
`escape`, so a chart is as safe as the rest of the template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 22, 36
FORWARD_COLOUR = "#9db4c0"
BACKWARD_COLOUR = "#c2410c"
MAX_INTERVALS = 6  # gridlines on a value axis, not counting the zero line


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    forward: float  # minutes
    backward: float  # minutes


def nice_step(value: float, max_intervals: int = MAX_INTERVALS) -> float:
    """The smallest round step (1, 2 or 5 times a power of ten) that spans a positive value
    in at most `max_intervals` intervals: ticks read 0, 50, 100, never 37.5."""
    power = 10.0 ** math.floor(math.log10(value / max_intervals))
    # power <= value / max_intervals < 10 * power, so ten powers always suffice.
    return next(
        step
        for step in (power, 2 * power, 5 * power, 10 * power)
        if value / step <= max_intervals + 1e-9
    )


def ticks(value: float, floor: float = 10.0) -> tuple[float, ...]:
    """Round axis values from 0 to the first step at or above the value (at least `floor`)."""
    value = max(value, floor)
    step = nice_step(value)
    count = math.ceil(value / step - 1e-9)
    return tuple(step * i for i in range(count + 1))


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _axis(values: Sequence[float], unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    top = values[-1]
    parts = []
    for value in values:
        y = HEIGHT - BOTTOM - plot_h * value / top
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
            f'stroke="#ddd" stroke-width="0.6"/>'
        )
        parts.append(f'<text x="{LEFT - 4}" y="{_n(y + 3)}" text-anchor="end">{_n(value)}</text>')
    parts.append(f'<text x="4" y="10">{escape(unit)}</text>')
    return parts


def weekly_minutes_svg(bars: Sequence[Bar], title: str) -> str:
    """Stacked bars of forward and backward minutes per week."""
    axis = ticks(max([b.forward + b.backward for b in bars], default=0))
    top = axis[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    width = slot * 0.62
    parts = _axis(axis, "min")
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
        parts.append(
            f'<text x="{_n(x + width / 2)}" y="{base + 14}" text-anchor="middle">'
            f"{escape(bar.label)}</text>"
        )
    parts += _legend([("forward", FORWARD_COLOUR), ("backward", BACKWARD_COLOUR)])
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
