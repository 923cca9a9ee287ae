"""What was done: a small log value the exporters accept (CSV rows, the progress report).

The domain has no log type yet (DESIGN §4 describes one); this is the shape the report
needs, in the domain's units (seconds, CR-10, 0-10 pain). When the domain grows its own,
the service layer maps it to this or this module is replaced by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt


class LogStatus(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SessionLog:
    session_id: str
    date: dt.date
    status: LogStatus
    forward_seconds: int = 0
    backward_seconds: int = 0
    rpe: float | None = None  # session RPE, CR-10, asked 10-30 min after
    pain_during: int | None = None  # 0-10
    pain_next_morning: int | None = None  # 0-10
    events: tuple[str, ...] = ()  # "stumble", "dizziness", "neck pain"...
    notes: str = ""

    def __post_init__(self) -> None:
        if self.forward_seconds < 0 or self.backward_seconds < 0:
            raise ValueError("logged minutes cannot be negative")
        if self.rpe is not None and not 0 <= self.rpe <= 10:
            raise ValueError("RPE is on the CR-10 scale, 0 to 10")
        for pain in (self.pain_during, self.pain_next_morning):
            if pain is not None and not 0 <= pain <= 10:
                raise ValueError("pain is scored 0 to 10")

    @property
    def seconds(self) -> int:
        return self.forward_seconds + self.backward_seconds

    @property
    def load(self) -> float | None:
        """Session-RPE load (Foster 2001): RPE × minutes."""
        return None if self.rpe is None else self.rpe * self.seconds / 60
