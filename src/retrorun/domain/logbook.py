"""What adaptation reads and writes: logged sessions and the changes made to a plan.

Plain values in the domain's own terms; the services map stored logs to `SessionLog`
and store `Change`s in the plan document's `changes` (contracts/plan.schema.json).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Event(StrEnum):
    STUMBLE = "stumble"
    DIZZINESS = "dizziness"
    NECK_PAIN = "neck_pain"


@dataclass(frozen=True, slots=True)
class SessionLog:
    session_id: str
    date: dt.date
    status: str  # done | partial | skipped
    forward_seconds: int = 0
    backward_seconds: int = 0
    rpe: int | None = None
    pain_during: int | None = None
    pain_next_morning: int | None = None
    events: frozenset[Event] = frozenset()

    @property
    def trained(self) -> bool:
        return self.status in ("done", "partial")


class By(StrEnum):
    RULES = "rules"
    ATHLETE = "athlete"
    COACH = "coach"


# Rules whose changes only the athlete's coach or physio, or the athlete confirming
# they were cleared, may lift; the rest the athlete may undo.
SAFETY_RULES = frozenset({
    "pain-above-5", "pain-worse-next-morning", "pain-over-threshold", "pain-not-settled",
    "pain-again-pause", "event-stumble", "event-dizziness", "event-neck_pain",
})


@dataclass(frozen=True, slots=True)
class Change:
    """One applied decision, as the athlete sees it."""

    version: int
    decided_on: dt.date
    effective_from: dt.date
    rule: str
    reason: str
    evidence: str
    by: By
    sessions: tuple[str, ...]
    # What set it off (a session id, a date): the same cause never acts twice.
    trigger: str = ""
    # Set on a later change that undoes or lifts this one: the version that did.
    undone_by: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def safety(self) -> bool:
        return self.rule in SAFETY_RULES

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.trigger

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version, "decided_on": self.decided_on.isoformat(),
            "effective_from": self.effective_from.isoformat(), "rule": self.rule,
            "reason": self.reason, "evidence": self.evidence, "by": self.by.value,
            "sessions": list(self.sessions), "trigger": self.trigger,
            "safety": self.safety,
        }
        if self.undone_by is not None:
            out["undone_by"] = self.undone_by
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(
            version=int(data["version"]),
            decided_on=dt.date.fromisoformat(data["decided_on"]),
            effective_from=dt.date.fromisoformat(data["effective_from"]),
            rule=str(data["rule"]), reason=str(data["reason"]),
            evidence=str(data.get("evidence", "")), by=By(data.get("by", "rules")),
            sessions=tuple(data.get("sessions", ())), trigger=str(data.get("trigger", "")),
            undone_by=data.get("undone_by"))
