"""A session before its forward filler is sized (a frame), and small helpers the week's
builders share."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from retrorun.domain.evidence import CLAIMS, sources_for
from retrorun.domain.model import SessionKind, StepOrRepeat, Surface, step_totals
from retrorun.domain.rules import BACKWARD_LOAD_FACTOR, MIN_EASY_RUN_SECONDS

_DAYS = tuple(dt.timedelta(days=n) for n in range(7))


def date_of(start: dt.date, weekday: int) -> dt.date:
    """The date of a weekday in the week that starts on `start`."""
    return start + _DAYS[(weekday - start.weekday()) % 7]


@functools.cache
def why(*claims: str) -> tuple[str, tuple[str, ...]]:
    return " ".join(CLAIMS[c].text for c in claims), sources_for(*claims)


def easy_title(title: str, running_seconds: int) -> str:
    """An easy run under 20 minutes says what it is: a shake-out (issue 9). The on-ramp's
    sessions are called walk/runs."""
    if running_seconds < MIN_EASY_RUN_SECONDS and title.startswith("Easy run"):
        return "Easy shake-out" + title[len("Easy run"):]
    return title


@functools.lru_cache(maxsize=4096)  # pure; titles repeat week after week
def session_title(kind: SessionKind, template: str, filled: bool, backward_seconds: int,
                  running_seconds: int) -> str:
    """A session's title from its frame's: a short easy run named a shake-out, "+ easy
    run" only when there is filler, the backward time and the minutes written in."""
    title = easy_title(template, running_seconds) if kind is SessionKind.EASY else template
    if not filled:
        title = title.replace(" + easy run", "")
    if "{" in title:
        title = title.replace("{backward}", clock(backward_seconds))
    minutes = round(running_seconds / 60)
    return f"{title} · {minutes} min" if minutes else title


def at_scale(amount: float, scale: float) -> float:
    """A part of a dose at the week's dose scale, which shrinks doses and never grows them
    (a scale above 1 counts as 1)."""
    return amount * scale if scale < 1.0 else float(amount)


def first_long_run(frames: Sequence[Frame], among: Iterable[int]) -> int | None:
    """The first long run among the frames at `among` (their places), if any."""
    long = SessionKind.LONG  # read once: on Python 3.11 each read is a slow class lookup
    return next((i for i in among if frames[i].kind is long), None)


def clock(seconds: int) -> str:
    """3:30 min, or 5 min for whole minutes."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d} min" if rest else f"{minutes} min"


def seconds_of(steps: tuple[StepOrRepeat, ...]) -> int:
    return int(step_totals(steps).running_seconds)


def load_of_steps(steps: tuple[StepOrRepeat, ...]) -> float:
    totals = step_totals(steps)
    return float(totals.running_seconds
                 + (BACKWARD_LOAD_FACTOR - 1) * totals.backward_seconds)


@dataclass(slots=True, eq=False)  # frames are compared by identity
class Frame:
    """A session before its forward filler is sized: fixed head and tail, a share weight
    (0: no filler), and the session's cues."""

    weekday: int
    slot: str
    kind: SessionKind
    title: str
    surface: Surface
    head: tuple[StepOrRepeat, ...]
    tail: tuple[StepOrRepeat, ...] = ()
    weight: float = 0.0
    claims: tuple[str, ...] = ()
    filler_name: str = "Easy run"
    cues: tuple[str, ...] = ()
    # The smallest filler worth adding (a plain run below it is dropped). [A]
    min_filler: int = 0
    # The head and tail's totals, worked out once.
    fixed_seconds: int = field(init=False)
    fixed_load: float = field(init=False)
    fixed_backward: int = field(init=False)  # prescribed (titles name it)
    totals: FixedTotals = field(init=False)

    def __post_init__(self) -> None:
        totals = self.totals = _fixed_totals(self.head, self.tail)
        self.fixed_seconds, self.fixed_backward = totals.seconds, totals.prescribed_backward
        # A session of walking only is not running load (B4 [A]); one that gets running
        # filler is, walks included.
        self.fixed_load = totals.load if totals.running or self.weight > 0 else 0.0


class FixedTotals(NamedTuple):
    seconds: int
    load: float
    prescribed_backward: int
    backward: int
    backward_running: int
    intense: int
    running: bool


@functools.lru_cache(maxsize=4096)
def _fixed_totals(head: tuple[StepOrRepeat, ...], tail: tuple[StepOrRepeat, ...]
                  ) -> FixedTotals:
    first, last = step_totals(head), step_totals(tail)
    return FixedTotals(
        int(first.running_seconds + last.running_seconds),
        load_of_steps(head) + load_of_steps(tail),
        # Prescribed backward seconds (titles name them; optional strides are extra).
        sum(first.prescribed_backward_by_gait.values())
        + sum(last.prescribed_backward_by_gait.values()),
        int(first.backward_seconds + last.backward_seconds),
        int(first.backward_running_seconds + last.backward_running_seconds),
        int(first.intense_seconds + last.intense_seconds),
        bool(first.holds_running or last.holds_running))
