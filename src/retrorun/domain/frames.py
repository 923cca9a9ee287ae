"""A session before its forward filler is sized (a frame), and small helpers the week's
builders share."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

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


def clock(seconds: int) -> str:
    """3:30 min, or 5 min for whole minutes."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d} min" if rest else f"{minutes} min"


def seconds_of(steps: tuple[StepOrRepeat, ...]) -> int:
    return int(step_totals(steps)["running_seconds"])


def load_of_steps(steps: tuple[StepOrRepeat, ...]) -> float:
    totals = step_totals(steps)
    return float(totals["running_seconds"]
                 + (BACKWARD_LOAD_FACTOR - 1) * totals["backward_seconds"])


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
    # The head and tail's running seconds, load and backward seconds, worked out once.
    fixed_seconds: int = field(init=False)
    fixed_load: float = field(init=False)
    fixed_backward: int = field(init=False)

    def __post_init__(self) -> None:
        self.fixed_seconds, load, self.fixed_backward, running = _fixed_totals(
            self.head, self.tail)
        # A session of walking only is not running load (B4 [A]); one that gets running
        # filler is, walks included.
        self.fixed_load = load if running or self.weight > 0 else 0.0


@functools.lru_cache(maxsize=4096)
def _fixed_totals(head: tuple[StepOrRepeat, ...], tail: tuple[StepOrRepeat, ...]
                  ) -> tuple[int, float, int, bool]:
    # Prescribed backward seconds (titles name them; optional strides are extra).
    backward = sum(step_totals(head)["prescribed_backward_by_gait"].values()) + sum(
        step_totals(tail)["prescribed_backward_by_gait"].values())
    running = step_totals(head)["holds_running"] or step_totals(tail)["holds_running"]
    return (seconds_of(head) + seconds_of(tail), load_of_steps(head) + load_of_steps(tail),
            backward, running)
