"""Undoing and lifting a change: the next plan version where that change no longer applies.

The athlete may undo a change the rules made from their logs when it is not about safety
(DESIGN §4); a safety change (pain, dizziness, a stumble, neck pain, a pause: SAFETY_RULES)
is lifted only by their coach or physio, or by the athlete confirming a clinician cleared
them. Either way the new version starts on the open day: days already begun keep their
sessions, and sessions that another change still in force made stay as it made them (the
conservative side: never more backward work than what is still decided allows).

In the week under way the sessions the change edited are rebuilt as the generator makes
them from the weeks before (the same inputs give the same sessions, DESIGN §3.10); the
weeks after it are rebuilt by `revision.revise` with the change marked undone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from retrorun.domain.adaptation import BACK_OFF_RULES, Decision, Effect, open_day, paused
from retrorun.domain.context import Limits
from retrorun.domain.errors import InvariantViolated
from retrorun.domain.generator import build_plan_in_context
from retrorun.domain.logbook import By, Change, SessionLog
from retrorun.domain.model import STAGE_LADDER, Plan, Session, Week
from retrorun.domain.profile import Profile
from retrorun.domain.resume import Resume
from retrorun.domain.revision import LEFT_OUT_RULE, Revision, revise, week_index
from retrorun.domain.rules import BACKWARD_LOAD_FACTOR

# Changes the athlete may undo: the rules read effort and time off from the logs, and a
# runner knows better when a hard day was a bad night or the time off was unlogged
# training. A moved key session may be put back to rest (it stays missed).
UNDOABLE_RULES = frozenset({
    "rpe-high-2", "rpe-high-3", "time-off-7-days", "time-off-14-days", "missed-key-moved",
})

# Why the others cannot be undone, in the athlete's words.
NOT_UNDOABLE = {
    "advance-test-not-met": "a stage advances only when its test is met in your logs "
                            "(DESIGN §3 rule 6, evidence B2): log the test sessions instead",
    "missed-key-dropped": "a dropped session is not crammed back in (evidence B4): "
                          "the rest days around it keep you safe",
    "limits-changed": "your coach's limits are theirs to change",
}
SAFETY_REFUSAL = ("it is about safety: your coach or physio can lift it, or you can once "
                  "a clinician has cleared you")

UNDO_RULE = "undone-by-athlete"
LIFT_RULE = "safety-lifted"

DAYS_IN_WEEK = 7


def why_not_undoable(change: Change) -> str | None:
    """None when the athlete may undo this change; else why not, in their words."""
    if change.undone_by is not None:
        return f"it was already undone or lifted in version {change.undone_by}"
    if change.safety:
        return SAFETY_REFUSAL
    if change.rule not in UNDOABLE_RULES:
        return NOT_UNDOABLE.get(change.rule, "only changes the rules made from your logs "
                                "can be undone")
    return None


def why_not_liftable(change: Change) -> str | None:
    """None when this change is a safety change in force (to be lifted by a person)."""
    if change.undone_by is not None:
        return f"it was already lifted or undone in version {change.undone_by}"
    if not change.safety:
        return "it is not a safety change: the athlete can undo it themselves"
    return None


def without(profile: Profile, limits: Limits, plan: Plan, changes: tuple[Change, ...],
            targets: frozenset[tuple[int, str]], logs: tuple[SessionLog, ...],
            today: dt.date, version: int, *, rule: str, reason: str,
            by: By, evidence: str = "") -> Revision | None:
    """The next version with the changes `targets` ((version, rule) pairs) undone or lifted,
    recorded as a change of `rule` by `by`; None when no version keeps every invariant."""
    new_version = version + 1
    undone = tuple(c for c in changes if (c.version, c.rule) in targets and c.undone_by is None)
    if not undone:
        return None
    marked = tuple(replace(c, undone_by=new_version) if c in undone else c for c in changes)
    start = max(open_day(plan, logs, today), plan.start_date)
    restored = _restored(profile, limits, plan, marked, undone, logs, start)
    trigger = ",".join(f"v{c.version}-{c.rule}" for c in undone)
    return rebuilt(profile, limits, plan, marked, logs, today, version, rule=rule,
                   reason=reason, by=by, trigger=trigger, restored=restored,
                   evidence=evidence)


def rebuilt(profile: Profile, limits: Limits, plan: Plan, changes: tuple[Change, ...],
            logs: tuple[SessionLog, ...], today: dt.date, version: int, *, rule: str,
            reason: str, by: By, trigger: str = "",
            restored: Plan | None = None, evidence: str = "") -> Revision | None:
    """A person's change (new limits, an undo, a lift) as the next version from the open
    day (`revise` with a NOTE: the week under way keeps its sessions, or `restored`'s, under
    the coach's cap), then the first whole week not yet begun rebuilt once more under the
    changes still in force that shaped it: a back-off's half volume next week is not
    forgotten because a coach set a limit, or another change was undone, this week."""
    note = Decision(rule, reason, evidence, trigger, Effect.NOTE)
    candidates = [plan] if restored is None or restored is plan else [restored, plan]
    for candidate in candidates:
        first = revise(profile, limits, candidate, (note,), changes, logs, today, version,
                       by=by)
        if first is None:
            continue
        made = first.changes[len(changes):]  # the note (and a left-out, when nothing fits)
        start = max(open_day(plan, logs, today), plan.start_date)
        rebuilt_from = _next_week_start(plan, start)
        again = _in_force(plan, changes, logs, rebuilt_from)
        result = first.plan
        if again:
            second = revise(profile, limits, result, (*again, note), (*changes, *made), logs,
                            rebuilt_from, version, by=by)
            if second is not None:
                result = second.plan
                made += tuple(c for c in second.changes[len(changes) + len(made):]
                              if c.rule == LEFT_OUT_RULE and c.key not in
                              {m.key for m in made})
        return _touched(plan, Revision(result, (*changes, *made)), start, note)
    return None


def _next_week_start(plan: Plan, day: dt.date) -> dt.date:
    """`day` when a week of the plan starts on it, else the start of the next week."""
    offset = (day - plan.start_date).days % DAYS_IN_WEEK
    return day if offset == 0 else day + dt.timedelta(days=DAYS_IN_WEEK - offset)


def _in_force(plan: Plan, changes: tuple[Change, ...], logs: tuple[SessionLog, ...],
              rebuilt_from: dt.date) -> tuple[Decision, ...]:
    """The decisions of the changes still in force whose first rebuilt week is the one
    starting `rebuilt_from` (made in the week under way, or today on a week's first day):
    a rebuild must not forget them. A pause is kept by the changes themselves."""
    out = []
    for change in changes:
        if change.undone_by is not None \
                or _next_week_start(plan, change.effective_from) != rebuilt_from:
            continue
        decision = _decision_of(plan, change, logs)
        if decision is not None:
            out.append(decision)
    return tuple(out)


REGRESS_STEPS = {"rpe-high-3": 1, "time-off-7-days": 1, "time-off-14-days": 2}


def _decision_of(plan: Plan, change: Change,
                 logs: tuple[SessionLog, ...]) -> Decision | None:
    """The decision a change records, as far as the weeks after it are concerned."""
    def made(effect: Effect, **more: Any) -> Decision:
        return Decision(change.rule, change.reason, change.evidence, change.trigger, effect,
                        **more)

    if change.rule in BACK_OFF_RULES:
        hurt = plan.session(change.trigger)
        day = hurt.date if hurt is not None else change.decided_on
        return made(Effect.BACK_OFF, stages_down=1, reference_week=week_index(plan, day))
    if change.rule.startswith("event-"):
        return made(Effect.HALVE_NEXT)
    if change.rule in ("rpe-high-2", "advance-test-not-met"):
        return made(Effect.HOLD)
    if change.rule in REGRESS_STEPS:
        restart = _restart_load(plan, logs, change.trigger) \
            if change.rule.startswith("time-off") else None
        return made(Effect.REGRESS, stages_down=REGRESS_STEPS[change.rule],
                    restart_load=restart)
    return None


def _restart_load(plan: Plan, logs: tuple[SessionLog, ...], trigger: str) -> float | None:
    """B4: the load (forward + 1.3 x backward seconds) of the last week with training
    before the time off (its trigger: the last day trained then), which a restart stays
    below, as `adaptation` computed it."""
    try:
        last = dt.date.fromisoformat(trigger)
    except ValueError:
        return None
    trained = sorted((log for log in logs if log.trained and log.date <= last),
                     key=lambda log: log.date)
    if not trained:
        return None
    index = week_index(plan, trained[-1].date)
    return sum(log.forward_seconds + BACKWARD_LOAD_FACTOR * log.backward_seconds
               for log in trained if week_index(plan, log.date) == index)


def _restored(profile: Profile, limits: Limits, plan: Plan, marked: tuple[Change, ...],
              undone: tuple[Change, ...], logs: tuple[SessionLog, ...],
              start: dt.date) -> Plan:
    """The plan with the week under way's sessions from `start` as if `undone` had not
    been made (those the undone changes edited, no other change in force holds, and not
    logged); the plan as it is when that cannot be worked out."""
    index = week_index(plan, start)
    if not 1 <= index <= len(plan.weeks) or (start - plan.start_date).days % DAYS_IN_WEEK == 0:
        return plan  # the whole week is rebuilt from its first day by `revise`
    waived = frozenset(i for c in marked for i in (week_index(plan, c.effective_from),
                                                   week_index(plan, c.effective_from) + 1))
    try:
        fresh, _ = build_plan_in_context(profile, limits, Resume(
            plan.weeks[:index - 1], paused=paused(marked) is not None, waived=waived))
    except InvariantViolated:
        return plan
    if len(fresh.weeks) < index:
        return plan
    week, again = plan.weeks[index - 1], fresh.weeks[index - 1]
    week_start = plan.start_date + dt.timedelta(days=DAYS_IN_WEEK * (index - 1))
    others = [c for c in marked if c.undone_by is None]
    held = {sid for c in others for sid in c.sessions}
    # Another change in force this week or the one before shaped this week too: nothing
    # it may have left out is put back.
    alone = not any(week_start - dt.timedelta(days=DAYS_IN_WEEK) <= c.effective_from
                    < week_start + dt.timedelta(days=DAYS_IN_WEEK) for c in others)
    edited = {sid for c in undone for sid in c.sessions}
    logged = {log.session_id for log in logs}
    fresh_by_id = {s.id: s for s in again.sessions}
    sessions: list[Session] = []
    for session in week.sessions:
        if session.date < start or session.id in logged or session.id in held \
                or session.id not in edited:
            sessions.append(session)
        elif session.id in fresh_by_id and fresh_by_id[session.id].date == session.date:
            sessions.append(fresh_by_id[session.id])
        elif session.id not in fresh_by_id and session.id.endswith("-moved"):
            continue  # a moved key session the undone change added
        else:
            sessions.append(session)
    ids, days = {s.id for s in sessions}, {s.date for s in sessions}
    if alone:
        sessions += [s for s in again.sessions if s.date >= start and s.id not in ids
                     and s.id not in held and s.date not in days]
    if sessions == list(week.sessions):
        return plan
    sessions.sort(key=lambda s: (s.date, s.id))
    stage = again.stage if alone and STAGE_LADDER.index(again.stage) > STAGE_LADDER.index(
        week.stage) else week.stage
    new_week = Week(week.index, stage, week.lighter, tuple(sessions), week.advance_when)
    weeks = (*plan.weeks[:index - 1], new_week, *plan.weeks[index:])
    return replace(plan, weeks=weeks)


def _touched(old: Plan, revision: Revision, start: dt.date, note: Decision) -> Revision:
    """The person's change lists every session changed from `start`, compared with the
    plan as it was (not with the week restored, or rebuilt, on the way)."""
    before = {s.id: s for s in old.sessions if s.date >= start}
    after = {s.id: s for s in revision.plan.sessions if s.date >= start}
    touched = tuple(sorted(
        {sid for sid, s in after.items() if before.get(sid) != s} | (before.keys() - after)))
    return Revision(revision.plan, tuple(replace(c, sessions=touched) if c.key == note.key
                                         and c.undone_by is None else c
                                         for c in revision.changes))
