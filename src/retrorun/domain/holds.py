"""A held stage moves on once its advancement test is met in the logs (evidence B2).

`adaptation._advance` holds a stage the plan was about to leave when the logs have not
met its test yet. That is one decision, taken once; logs written later (an athlete who
keeps a plan two weeks after it started and then logs those two weeks, or who simply
does the test sessions during the hold) must be able to release it, or the plan stays
at that stage for good. `released` finds the holds in force whose test the logs now
meet; the services undo each (`domain.undo.without`) from the open day, so the plan
goes on as written, and the days already begun keep what they were.

The test dose is the program's (`catalogue.StageDose.test_sessions` and `test_seconds`),
never the largest dose in the current version: a hold itself lengthens the stage's
sessions, which would move the bar the earlier sessions were asked to clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrorun.domain.adaptation import meets_test
from retrorun.domain.model import STAGE_LADDER, Gait

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from retrorun.domain.logbook import Change, SessionLog
    from retrorun.domain.model import Plan

HOLD_RULE = "advance-test-not-met"
RELEASE_RULE = "advance-test-met"
EVIDENCE = "B2 [A]"  # the stage ladder's advancement tests, as the hold cites them


@dataclass(frozen=True, slots=True)
class Release:
    """A hold whose test is met: the change to undo and the sentence that says why."""

    hold: Change
    stage: Gait  # the stage that was held
    reason: str


def released(plan: Plan, logs: tuple[SessionLog, ...], changes: tuple[Change, ...],
             today: dt.date, tests: Mapping[Gait, tuple[int, int]]) -> tuple[Release, ...]:
    """The holds in force whose stage's test the logs (of days before `today`) now meet."""
    by_session = {log.session_id: log for log in logs if log.date < today}
    out = []
    for change in changes:
        if change.rule != HOLD_RULE or change.undone_by is not None:
            continue
        held = _held_stage(change.trigger)
        if held is None or held not in tests:
            continue
        needed, seconds = tests[held]
        met = sum(1 for w in plan.weeks if w.stage is held for s in w.sessions
                  if s.backward_seconds and s.id in by_session
                  and meets_test(by_session[s.id], s, held, seconds))
        if met >= needed:
            out.append(Release(change, held, _reason(held, needed, seconds)))
    return tuple(out)


def _held_stage(trigger: str) -> Gait | None:
    """The stage below the one a hold's trigger names (`w{week}-{stage advanced to}`)."""
    _, _, advanced_to = trigger.partition("-")
    try:
        index = STAGE_LADDER.index(Gait(advanced_to))
    except ValueError:
        return None
    return STAGE_LADDER[index - 1] if index > 0 else None


def _reason(stage: Gait, needed: int, seconds: int) -> str:
    dose = f" of at least {seconds // 60} min" if seconds >= 60 else ""
    return (f"{stage.value.capitalize()} test met: {needed} session(s){dose} logged done "
            f"without a stumble, easy enough and with little pain; the plan moves on "
            f"as written.")
