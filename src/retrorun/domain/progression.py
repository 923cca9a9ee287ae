"""The backward stage ladder, week by week (evidence B2, DESIGN §3 invariants 1 and 6).

Each week's stage and backward dose follow from the weeks before it: a stage advances
only when its advancement test has been met by the sessions already planned at it (two
sessions at its test dose); until then it is held, and its dose grows by at most the
program's step a week (B2 stage 3: "add at most 2 min per session per week"), never in a
lighter week. Adaptation will run the same rules over logged sessions instead of planned
ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrorun.domain.catalogue import Program, StageDose
from retrorun.domain.model import STAGE_LADDER, Gait, Session, Week
from retrorun.domain.rules import BACKWARD_GROWTH_PER_WEEK_SECONDS


@dataclass(frozen=True, slots=True)
class StagePlan:
    """What a week's backward sessions do: the stage, how the program doses it, each
    session's backward seconds before any load-rule cut, and sprint sets."""

    stage: Gait
    dose: StageDose
    seconds: int
    sets: int
    weeks_at_stage: int
    lighter: bool = False


def stage_gait(dose: StageDose) -> Gait:
    """The gait a stage's backward work is done at (sprint sets: the stage itself)."""
    return dose.gait


def seconds_at(session: Session, gait: Gait) -> int:
    """Prescribed (not optional) backward seconds at a gait."""
    return session.prescribed_backward_by_gait.get(gait, 0)


def backward_running_seconds(session: Session) -> int:
    return session.prescribed_backward_running_seconds


def _sessions_meeting_test(dose: StageDose, weeks: list[Week], stage: Gait) -> int:
    gait, needed = dose.gait, dose.test_seconds
    sprints = dose.format == "sprint_sets"
    if not sprints and not needed:
        return 0
    count = 0
    for week in reversed(weeks):
        if week.stage is not stage:
            break
        if sprints:
            count += sum(session.top_backward_gait is gait
                         for session in week.backward_sessions)
        else:
            count += sum(seconds_at(session, gait) >= needed
                         for session in week.backward_sessions)
    return count


def test_met(program: Program, weeks: list[Week], stage: Gait) -> bool:
    dose = program.dose(stage)
    return dose is not None and _sessions_meeting_test(dose, weeks, stage) >= dose.test_sessions


def _next_stage(program: Program, stage: Gait, highest: Gait) -> Gait | None:
    rank = STAGE_LADDER.index(stage) + 1
    if rank >= len(STAGE_LADDER) or rank > STAGE_LADDER.index(highest):
        return None
    following = STAGE_LADDER[rank]
    return following if program.dose(following) is not None else None


def _weeks_at(weeks: list[Week], stage: Gait) -> int:
    count = 0
    for week in reversed(weeks):
        if week.stage is not stage:
            break
        count += 1
    return count


def _largest_last_week(weeks: list[Week], gait: Gait) -> int:
    if not weeks:
        return 0
    return max((seconds_at(s, gait) for s in weeks[-1].backward_sessions), default=0)


def _sets(dose: StageDose, weeks_at_stage: int, lighter: bool) -> int:
    """Sets rise by one a week up to the top; a lighter week does one set fewer than the
    week before (a single set becomes a shorter one: see `LIGHTER_SINGLE_SET_REPS`). [A]"""
    low, high = dose.sets
    if lighter:
        return max(1, min(high, low + weeks_at_stage - 2) - 1) if weeks_at_stage > 1 \
            else max(1, low - 1)
    return min(high, low + weeks_at_stage - 1)


def plan_stage(program: Program, start: Gait, highest: Gait, weeks: list[Week],
               lighter: bool) -> StagePlan:
    """The stage and nominal dose of the week after `weeks`.

    `start` is where the athlete begins (the program's entry stage, or the stage they
    already practise); `highest` the top the screen, surfaces and age allow."""
    if not weeks:
        dose = _dose(program, start)
        return StagePlan(start, dose, dose.start_seconds, _sets(dose, 1, lighter), 1, lighter)
    stage = weeks[-1].stage
    if not program.hold_stage and test_met(program, weeks, stage):
        following = _next_stage(program, stage, highest)
        if following is not None:
            dose = _dose(program, following)
            return StagePlan(following, dose, _start_after(dose, weeks),
                             _sets(dose, 1, lighter), 1, lighter)
    dose = _dose(program, stage)
    weeks_at = _weeks_at(weeks, stage) + 1
    gait = stage_gait(dose)
    before = _largest_last_week(weeks, gait)
    if before <= 0 or (gait is Gait.WALK and not lighter):
        # Walking is outside the growth rule: back to its own progression after a cut.
        seconds = min(dose.top_seconds, max(dose.start_seconds, before + dose.step_seconds))
    elif lighter:
        seconds = before
    else:
        # The stage's own step, or back toward its start dose after a cut, both within
        # the growth rule.
        back = min(dose.start_seconds, before + BACKWARD_GROWTH_PER_WEEK_SECONDS)
        seconds = min(dose.top_seconds, max(before + dose.step_seconds, back))
    return StagePlan(stage, dose, seconds, _sets(dose, weeks_at, lighter), weeks_at, lighter)


def _start_after(dose: StageDose, weeks: list[Week]) -> int:
    """A new stage's first dose: its start, within the growth rule of the week before."""
    before = max((backward_running_seconds(s) for s in weeks[-1].sessions), default=0)
    if before and dose.format != "sprint_sets":
        return min(dose.start_seconds, before + BACKWARD_GROWTH_PER_WEEK_SECONDS)
    return dose.start_seconds


def _dose(program: Program, stage: Gait) -> StageDose:
    dose = program.dose(stage)
    if dose is None:  # the start is always one of the program's stages
        raise ValueError(f"{program.id} does not dose stage {stage}")
    return dose


def starting_stage(program: Program, practised: Gait | None, highest: Gait) -> Gait:
    """Where an athlete starts: the program's entry stage, or the stage they already
    practise (never above the program's top or what the screen and surfaces allow)."""
    ladder = [d.stage for d in program.stages
              if STAGE_LADDER.index(d.stage) <= STAGE_LADDER.index(highest)]
    if not ladder:
        return program.entry_stage
    if practised is None:
        return ladder[0]
    reachable = [s for s in ladder if STAGE_LADDER.index(s) <= STAGE_LADDER.index(practised)]
    return reachable[-1] if reachable else ladder[0]
