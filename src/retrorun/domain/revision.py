"""Decisions -> the next plan version, from the first day not yet begun (DESIGN §4).

Weeks already over are kept as they are. In the week under way, only sessions from the
open day on change, and only toward less backward work (`session_edits`), plus a moved
key session. The weeks after it are rebuilt by the generator from that history, the
first one under the decisions' override (`resume`). The new version must pass every
invariant (`invariants.check`), or it is not made: simpler versions are tried, and
when none passes, the plan stays as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from retrorun.domain.adaptation import Decision, Effect, open_day, paused
from retrorun.domain.catalogue import get_program
from retrorun.domain.context import Context, Limits, make_context
from retrorun.domain.errors import InvariantViolated
from retrorun.domain.generator import build_plan_in_context
from retrorun.domain.invariants import check, coach_cap_problems
from retrorun.domain.logbook import SAFETY_RULES, By, Change, SessionLog
from retrorun.domain.model import STAGE_LADDER, Gait, Plan, Session, Week
from retrorun.domain.profile import Profile
from retrorun.domain.resume import Resume, WeekOverride
from retrorun.domain.rules import BACK_OFF_BACKWARD_FACTOR, TIME_OFF_RESTART_FACTOR
from retrorun.domain.session_edits import capped, halved, within, without_backward


@dataclass(frozen=True, slots=True)
class Revision:
    plan: Plan
    changes: tuple[Change, ...]  # all of them: the earlier ones, then this version's


def week_index(plan: Plan, day: dt.date) -> int:
    return (day - plan.start_date).days // 7 + 1


def lowered(stage: Gait, steps: int) -> Gait:
    return STAGE_LADDER[max(0, STAGE_LADDER.index(stage) - steps)]


def revise(profile: Profile, limits: Limits, plan: Plan, decisions: tuple[Decision, ...],
           changes: tuple[Change, ...], logs: tuple[SessionLog, ...], today: dt.date,
           version: int, *, by: By = By.RULES, lifted: bool = False) -> Revision | None:
    """The next version, or None when the decisions change nothing that could be kept.

    `lifted`: a pause was just lifted (the rebuilt weeks get backward work again)."""
    start = open_day(plan, logs, today)
    dropped = tuple(_dropped(d) if d.effect is Effect.MOVE else d for d in decisions)
    # Simpler versions, in turn: a missed key session that breaks a load rule where it
    # would move is dropped instead (never crammed); then, when no version with backward
    # work keeps every rule (a pause lifted after weeks of easy runs only: the first
    # backward session would spike), none from the open day on, which is always safe and
    # says so. A safety decision is never lost for want of a plan that fits.
    attempts = [decisions, *([dropped] if dropped != decisions else []),
                (*dropped, _left_out(start))]
    for attempt in attempts:
        built = _attempt(profile, limits, plan, attempt, changes, start, lifted)
        if built is not None:
            return _with_changes(plan, built, attempt, changes, start, today, version, by,
                                 lifted)
    return None


LEFT_OUT_RULE = "backward-left-out"


def _dropped(move: Decision) -> Decision:
    missed = move.reason.split(": it moves to")[0]
    return Decision("missed-key-dropped", f"{missed}, and no free day this week takes it "
                    "within the load rules: it is dropped, not crammed in.", move.evidence,
                    move.trigger, Effect.DROP, session_id=move.session_id)


def _left_out(start: dt.date) -> Decision:
    return Decision(LEFT_OUT_RULE, "No backward session fits the load rules from here on "
                    "(after less training than planned): the weeks ahead hold none for now, "
                    "and backward work comes back with the plan's next change.", "B4 [A]",
                    start.isoformat(), Effect.PAUSE)


def _attempt(profile: Profile, limits: Limits, plan: Plan, decisions: tuple[Decision, ...],
             changes: tuple[Change, ...], start: dt.date, lifted: bool) -> Plan | None:
    pause = (paused(changes) is not None and not lifted) or any(
        d.effect is Effect.PAUSE for d in decisions)
    start = max(start, plan.start_date)
    first = week_index(plan, start) if (start - plan.start_date).days % 7 == 0 \
        else week_index(plan, start) + 1
    kept = list(plan.weeks[:max(0, first - 1)])
    stage = kept[-1].stage if kept else plan.weeks[0].stage
    override, floor = _override(plan, decisions, stage, kept, pause)
    edited = False
    if kept and kept[-1].sessions and first - 1 == week_index(plan, start) \
            and (start - plan.start_date).days % 7:
        kept[-1], edited = _edit_current(kept[-1], decisions, start, floor, pause,
                                         limits.max_backward_minutes_per_week)
    waived = frozenset(i for c in changes for i in _weeks_of(plan, c.effective_from)) | (
        frozenset({len(kept)}) if edited else frozenset())
    if first > len(plan.weeks):
        # The last week under way: only its remaining days changed, and they must keep
        # every rule too (a moved session must not raise the week's load).
        new = replace(plan, weeks=tuple(kept))
        ctx = make_context(profile, limits)
    else:
        try:
            new, ctx = build_plan_in_context(profile, limits, Resume(
                tuple(kept), override, pause, waived))
            new, ctx = _within_override(profile, limits, new, ctx, Resume(
                tuple(kept), override, pause, waived))
        except InvariantViolated:
            return None
    # A coach's cap binds from the open day on (days begun are never rewritten to meet
    # a new one): checked apart from the rest.
    problems = check(new, replace(
        ctx, limits=replace(limits, max_backward_minutes_per_week=None),
        baseline_longest_seconds=max(ctx.baseline_longest_seconds, _built_longest(plan)),
        waived_lighter_floor=ctx.waived_lighter_floor | waived))
    problems += coach_cap_problems(new.weeks, limits.max_backward_minutes_per_week, start)
    if problems:
        return None
    # The notices and baselines stay as the plan was first built (the rest of the
    # summary, the coach's limits among them, is the new version's).
    athlete = {**new.athlete, **({"baseline": plan.athlete["baseline"]}
                                 if "baseline" in plan.athlete else {})}
    return replace(new, notices=plan.notices, athlete=athlete)


def _within_override(profile: Profile, limits: Limits, new: Plan, ctx: Context,
                     resume: Resume) -> tuple[Plan, Context]:
    """The first rebuilt week within its override's backward cap (half the week that
    hurt). The generator cannot always dose that little (a program's fixed drills): the
    week's backward parts are then halved or left out, and the weeks after it rebuilt
    from it."""
    cap = resume.first.backward_cap_seconds
    index = len(resume.kept)
    if cap is None or index >= len(new.weeks) or new.weeks[index].backward_seconds <= cap:
        return new, ctx
    week = new.weeks[index]
    sessions: list[Session] = []
    budget = cap
    for session in week.sessions:
        edited = within(session, budget)
        if edited is not None:
            budget -= edited.backward_seconds
            sessions.append(edited)
    trimmed = replace(week, sessions=tuple(sessions))
    return build_plan_in_context(profile, limits, replace(
        resume, kept=(*resume.kept, trimmed), first=WeekOverride(),
        waived=resume.waived | {trimmed.index}))


def _built_longest(plan: Plan) -> int:
    """The longest recent session the plan was first built from: the generator counts
    from a roomier one (30 min) when the profile's is too short for any plan, and the
    weeks kept were built under it (a rebuild that succeeds without it must not judge
    them by the shorter one)."""
    baseline = plan.athlete.get("baseline")
    seconds = baseline.get("longest_session_seconds") if isinstance(baseline, dict) else None
    return int(seconds) if isinstance(seconds, int | float) else 0


def _weeks_of(plan: Plan, day: dt.date) -> tuple[int, int]:
    index = week_index(plan, day)
    return index, index + 1


def _override(plan: Plan, decisions: tuple[Decision, ...], stage: Gait, kept: list[Week],
              pause: bool) -> tuple[WeekOverride, Gait | None]:
    """The first rebuilt week's override, and the stage the rest of this week is capped at."""
    target: Gait | None = None
    cap: int | None = None
    load: float | None = None
    before = kept[-1] if kept else None
    for decision in decisions:
        if decision.effect is Effect.BACK_OFF:
            reference = plan.weeks[min(decision.reference_week, len(plan.weeks)) - 1]
            target = _lower_of(target, lowered(reference.stage, decision.stages_down))
            cap = _min(cap, int(reference.backward_seconds * BACK_OFF_BACKWARD_FACTOR))
        elif decision.effect is Effect.REGRESS:
            target = _lower_of(target, lowered(stage, decision.stages_down))
            if decision.restart_load is not None:
                load = _min_f(load, decision.restart_load * TIME_OFF_RESTART_FACTOR)
        elif decision.effect is Effect.HOLD:
            held = _held_stage(plan, kept, decision)
            target = _lower_of(target, held)
        elif decision.effect is Effect.HALVE_NEXT and before is not None:
            target = _lower_of(target, stage)
            cap = _min(cap, int(before.backward_seconds * BACK_OFF_BACKWARD_FACTOR))
    if pause:
        cap = None
    if target is not None:
        # Never below the program's first stage (walking, or jogging in speed-power-8,
        # whose walking is in every session's drills): the generator doses only those.
        target = max(target, lowest_stage(plan), key=STAGE_LADDER.index)
    return WeekOverride(target, cap, load), target


def lowest_stage(plan: Plan) -> Gait:
    """The lowest stage the plan's program doses."""
    return min((d.stage for d in get_program(plan.program).stages), key=STAGE_LADDER.index)


def _held_stage(plan: Plan, kept: list[Week], decision: Decision) -> Gait:
    """A hold: the stage before the one the plan advanced to (advance-test-not-met names
    its week), else the stage of the last week kept."""
    # Only advance-test-not-met names a week ("w3-jog"); other holds are triggered by a
    # session id, which may start with "w" too ("walk-only-6-w02-backward-1").
    named = _WEEK_TRIGGER.match(decision.trigger)
    if named is not None:
        index = int(named.group(1))
        if 2 <= index <= len(plan.weeks):
            return plan.weeks[index - 2].stage
    return kept[-1].stage if kept else plan.weeks[0].stage


_WEEK_TRIGGER = re.compile(r"^w(\d+)-[a-z]+$")


def _lower_of(a: Gait | None, b: Gait) -> Gait:
    return b if a is None else min(a, b, key=STAGE_LADDER.index)


def _min(a: int | None, b: int) -> int:
    return b if a is None else min(a, b)


def _min_f(a: float | None, b: float) -> float:
    return b if a is None else min(a, b)


def _edit_current(week: Week, decisions: tuple[Decision, ...], start: dt.date,
                  floor: Gait | None, pause: bool,
                  cap_minutes: float | None) -> tuple[Week, bool]:
    """The week under way: its sessions from `start` on, edited; earlier ones as they are.
    A moved key session is edited like the others (a pause leaves it no backward part),
    and the coach's cap holds for what is left of the week."""
    effects = {d.effect for d in decisions}
    halve_all = Effect.BACK_OFF in effects
    halve_next = Effect.HALVE_NEXT in effects
    planned = list(week.sessions)
    for decision in decisions:
        if decision.effect is Effect.MOVE and decision.move_to is not None:
            missed = next((s for s in week.sessions if s.id == decision.session_id), None)
            if missed is not None:
                planned.append(replace(missed, id=f"{missed.id}-moved",
                                       date=decision.move_to,
                                       title=f"{missed.title} (moved)"))
    planned.sort(key=lambda s: (s.date, s.id))
    budget = None if cap_minutes is None else max(
        0, int(cap_minutes * 60) - sum(s.backward_seconds for s in planned if s.date < start))
    sessions: list[Session] = []
    for session in planned:
        edited: Session | None = session
        if session.date >= start and session.backward_seconds:
            if pause:
                edited = without_backward(session)
            else:
                if floor is not None:
                    edited = capped(session, floor)
                if edited is not None and (halve_all or halve_next):
                    edited = halved(edited)
                    halve_next = False
            if edited is not None and budget is not None:
                edited = within(edited, budget)
                budget -= edited.backward_seconds if edited is not None else 0
        if edited is not None:
            sessions.append(edited)
    stage = week.stage
    if floor is not None and not any(
            s.top_backward_gait is not None and s.date < start
            and STAGE_LADDER.index(s.top_backward_gait) > STAGE_LADDER.index(floor)
            for s in sessions):
        stage = min(stage, floor, key=STAGE_LADDER.index)
    new = Week(week.index, stage, week.lighter, tuple(sessions), week.advance_when)
    return new, new != week


def _with_changes(old: Plan, new: Plan, decisions: tuple[Decision, ...],
                  changes: tuple[Change, ...], start: dt.date, today: dt.date,
                  version: int, by: By, lifted: bool) -> Revision | None:
    before = {s.id: s for s in old.sessions if s.date >= start}
    after = [s for s in new.sessions if s.date >= start]
    touched = tuple(s.id for s in after if before.get(s.id) != s)
    # A safety decision is recorded even when the plan already holds less backward work
    # than it asks for (an earlier halving): the athlete is told why, and a second pain
    # within three weeks must find the first one to pause (B6).
    informative = any(d.effect in (Effect.DROP, Effect.PAUSE, Effect.NOTE)
                      or d.rule in SAFETY_RULES for d in decisions) or lifted
    if not touched and not informative:
        return None
    made = tuple(Change(version=version + 1, decided_on=today, effective_from=start,
                        rule=d.rule, reason=d.reason, evidence=d.evidence,
                        by=By.RULES if d.effect is not Effect.NOTE else by,
                        sessions=touched, trigger=d.trigger) for d in decisions)
    return Revision(new, (*changes, *made))
