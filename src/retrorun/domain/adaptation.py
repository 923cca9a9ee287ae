"""Adaptation, pure: plan + logs + today + limits -> decisions (DESIGN §4, issue 10).

Each rule reads the logs and the plan's changes so far and says what the plan should do
from the first day not yet begun. A cause (a log, a gap in the logs, a stage's first
week) acts once: its (rule, trigger) is recorded with the change it made, and a cause
already recorded, even one undone since, is not acted on again. `revision.revise`
turns the decisions into the next plan version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from retrorun.domain.logbook import Change, Event, SessionLog
from retrorun.domain.model import STAGE_LADDER, Gait, Plan, Session, SessionKind, TargetType
from retrorun.domain.rules import (
    BACKWARD_LOAD_FACTOR,
    DEFAULT_SESSION_RPE_TARGET,
    MISSED_UNLOGGED_GRACE_DAYS,
    PAIN_ACCEPTABLE_MAX,
    PAIN_FINE_MAX,
    PAIN_NEXT_MORNING_SETTLED_MAX,
    PAIN_REPEAT_WINDOW_DAYS,
    RPE_HOLD_AFTER,
    RPE_OVER_TARGET,
    RPE_REGRESS_AFTER,
    TEST_RPE_MAX,
    TEST_WALK_NEXT_MORNING_PAIN_MAX,
    stages_to_drop,
)


class Effect(StrEnum):
    BACK_OFF = "back_off"        # half the backward minutes and a stage lower, a week
    PAUSE = "pause"              # no backward work until a coach or the athlete lifts it
    HALVE_NEXT = "halve_next"    # the next backward session at half volume, same stage
    HOLD = "hold"                # the stage does not advance next week
    REGRESS = "regress"          # a stage lower (time off, effort)
    MOVE = "move"                # a missed key session to a free day of its week
    DROP = "drop"                # a missed key session that fits nowhere: dropped
    NOTE = "note"                # a person's change (limits, a lifted pause): rebuild only


@dataclass(frozen=True, slots=True)
class Decision:
    rule: str
    reason: str
    evidence: str
    trigger: str
    effect: Effect
    stages_down: int = 0
    session_id: str = ""            # MOVE / DROP: the missed session
    move_to: dt.date | None = None  # MOVE: its new day
    reference_week: int = 0         # BACK_OFF: the week whose backward minutes are halved
    restart_load: float | None = None  # REGRESS after time off: the next week's load cap

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.trigger


KEY_KINDS = frozenset({SessionKind.INTERVALS, SessionKind.TEMPO, SessionKind.LONG,
                       SessionKind.TEST})
PAUSE_RULE = "pain-again-pause"
MISSED_RULES = frozenset({"missed-key-moved", "missed-key-dropped"})
BACK_OFF_RULES = frozenset({"pain-above-5", "pain-worse-next-morning", "pain-over-threshold",
                            "pain-not-settled"})


@dataclass(frozen=True, slots=True)
class Inputs:
    plan: Plan
    logs: tuple[SessionLog, ...]
    today: dt.date
    changes: tuple[Change, ...] = ()
    pain_threshold: int | None = None
    available_weekdays: frozenset[int] = frozenset(range(7))
    # The day the athlete kept the plan: no log can be older, so no time off before it.
    tracked_since: dt.date | None = None
    # Time off is judged when the athlete looks (once a day), not on each log written:
    # logs written late, one by one, would each seem to end a gap.
    judge_time_off: bool = True
    # (sessions needed, backward seconds each) of each stage's advancement test, as the
    # program doses it (catalogue.StageDose); None: read off the plan (`_test_of`).
    stage_tests: Mapping[Gait, tuple[int, int]] | None = None


def open_day(plan: Plan, logs: tuple[SessionLog, ...], today: dt.date) -> dt.date:
    """The first day not yet begun: today, unless a session of today is already logged."""
    logged = {log.session_id for log in logs}
    if any(s.date == today and s.id in logged for s in plan.sessions):
        return today + dt.timedelta(days=1)
    return today


def paused(changes: tuple[Change, ...]) -> Change | None:
    """The safety pause in force, if any."""
    return next((c for c in reversed(changes) if c.rule == PAUSE_RULE and c.undone_by is None),
                None)


def decide(given: Inputs) -> tuple[Decision, ...]:
    done = {c.key for c in given.changes}
    found: list[Decision] = []
    for rule in (_pain, _events, _effort, _time_off, _advance, _missed):
        for decision in rule(given, found):
            if decision.key not in done and decision.key not in {d.key for d in found}:
                found.append(decision)
    return tuple(found)


# --- the rules ------------------------------------------------------------------------

def _sessions(plan: Plan) -> dict[str, Session]:
    return {s.id: s for s in plan.sessions}


def _logged(given: Inputs) -> list[tuple[SessionLog, Session]]:
    """Logs of this plan's sessions up to today, by date."""
    sessions = _sessions(given.plan)
    pairs = [(log, sessions[log.session_id]) for log in given.logs
             if log.session_id in sessions and log.date <= given.today]
    return sorted(pairs, key=lambda p: (p[0].date, p[0].session_id))


def _week_of(plan: Plan, day: dt.date) -> int:
    return (day - plan.start_date).days // 7 + 1


def _pain(given: Inputs, found: list[Decision]) -> list[Decision]:  # noqa: ARG001
    out: list[Decision] = []
    # "The same again within three weeks" compares the days the pain was felt, the
    # sessions' dates: a log written late must not escape the window because the change
    # before it was decided after its day.
    dates = {log.session_id: log.date for log in given.logs}
    backs = [dates.get(c.trigger, c.decided_on) for c in given.changes
             if c.rule in BACK_OFF_RULES | {PAUSE_RULE} and c.undone_by is None]
    # A log that already backed the plan off (or paused it) acted once: read again on a
    # later refresh it is not "the second time".
    acted = {c.trigger for c in given.changes if c.rule in BACK_OFF_RULES | {PAUSE_RULE}}
    for log, _session in _logged(given):
        verdict = _pain_rule(log, given.pain_threshold)
        if verdict is None or log.session_id in acted:
            continue
        rule, reason = verdict
        trigger = log.session_id
        recent = [d for d in backs if abs((log.date - d).days) <= PAIN_REPEAT_WINDOW_DAYS]
        if recent and (PAUSE_RULE, trigger) not in {c.key for c in given.changes}:
            out.append(Decision(
                PAUSE_RULE, f"{reason}, the second time within three weeks: backward work "
                "is paused. Please see a clinician (a physiotherapist or doctor) before "
                "starting again; your coach or physio can lift the pause, or you can once "
                "a clinician has cleared you.", "B6 [E*]", trigger, Effect.PAUSE))
        else:
            out.append(Decision(
                rule, f"{reason}: backward minutes are halved and the stage drops by one "
                "for a week.", "B6 [E*]", trigger, Effect.BACK_OFF, stages_down=1,
                reference_week=_week_of(given.plan, log.date)))
        backs.append(log.date)
    return out


def _pain_rule(log: SessionLog, threshold: int | None) -> tuple[str, str] | None:
    during, morning = log.pain_during, log.pain_next_morning
    if during is not None and during > PAIN_ACCEPTABLE_MAX:
        return "pain-above-5", f"Pain {during}/10 during the session on {log.date:%a %d %b}"
    if during is not None and morning is not None and morning > during:
        return "pain-worse-next-morning", (f"Pain was worse the next morning ({morning}/10) "
                                           f"than during the session ({during}/10)")
    worst = max((p for p in (during, morning) if p is not None), default=None)
    if threshold is not None and worst is not None and worst > threshold:
        return "pain-over-threshold", (f"Pain {worst}/10 is above the {threshold}/10 your "
                                       "coach or physio set")
    if during is not None and during > PAIN_FINE_MAX and morning is not None \
            and morning > PAIN_NEXT_MORNING_SETTLED_MAX:
        return "pain-not-settled", (f"Pain {during}/10 had not settled by next morning "
                                    f"({morning}/10)")
    return None


EVENT_WORDS = {Event.STUMBLE: "a stumble or near-fall", Event.DIZZINESS: "dizziness",
               Event.NECK_PAIN: "neck pain from looking back"}


def _events(given: Inputs, found: list[Decision]) -> list[Decision]:  # noqa: ARG001
    out = []
    for log, session in _logged(given):
        for event in (Event.STUMBLE, Event.DIZZINESS, Event.NECK_PAIN):
            if event in log.events and (session.backward_seconds or log.backward_seconds):
                out.append(Decision(
                    f"event-{event.value}", f"You logged {EVENT_WORDS[event]} on "
                    f"{log.date:%a %d %b}: the next backward session repeats the stage at "
                    "half volume.", "B6 [A]", log.session_id, Effect.HALVE_NEXT))
                break
    return out


def session_rpe_target(session: Session) -> int:
    """The session's RPE target: the highest CR-10 target of its work steps."""
    highs = [s.target.high for s in session.flat_steps
             if s.target.type is TargetType.RPE and s.target.high is not None]
    return int(max(highs)) if highs else DEFAULT_SESSION_RPE_TARGET


def _effort(given: Inputs, found: list[Decision]) -> list[Decision]:  # noqa: ARG001
    streak: list[SessionLog] = []
    for log, session in _logged(given):
        if not session.backward_seconds or not log.trained or log.rpe is None:
            continue
        if log.rpe >= session_rpe_target(session) + RPE_OVER_TARGET:
            streak.append(log)
        else:
            streak = []
    if len(streak) >= RPE_REGRESS_AFTER:
        return [Decision("rpe-high-3", f"Your last {len(streak)} backward sessions felt at "
                         f"least {RPE_OVER_TARGET} points harder than planned: the stage "
                         "goes back one step.", "B6 [A]", streak[-1].session_id,
                         Effect.REGRESS, stages_down=1)]
    if len(streak) >= RPE_HOLD_AFTER:
        return [Decision("rpe-high-2", f"Two backward sessions in a row felt at least "
                         f"{RPE_OVER_TARGET} points harder than planned: the stage is held.",
                         "B6 [A]", streak[-1].session_id, Effect.HOLD)]
    return []


def _time_off(given: Inputs, found: list[Decision]) -> list[Decision]:  # noqa: ARG001
    plan = given.plan
    if not given.judge_time_off:
        return []
    trained = [log for log, _ in _logged(given) if log.trained]
    last = trained[-1].date if trained else plan.start_date - dt.timedelta(days=1)
    if given.tracked_since is not None:
        last = max(last, given.tracked_since - dt.timedelta(days=1))
    days_off = (given.today - last).days - 1
    drops = stages_to_drop(days_off)
    if not drops or given.today <= plan.start_date:
        return []
    trigger = last.isoformat()
    already = 1 if ("time-off-7-days", trigger) in {c.key for c in given.changes} else 0
    rule = "time-off-14-days" if drops == 2 else "time-off-7-days"
    if drops - already <= 0:
        return []
    return [Decision(rule, f"{days_off} days without a logged session: the backward stage "
                     f"drops by {'two' if drops == 2 else 'one'} (never below walking) and "
                     "the weekly load restarts below your last completed week.",
                     "B2 [A]", trigger, Effect.REGRESS, stages_down=drops - already,
                     restart_load=_last_week_load(given, trained))]


def _last_week_load(given: Inputs, trained: list[SessionLog]) -> float:
    """The load (B4: forward + 1.3 x backward seconds) of the last week with running
    logged. A week of strength or core only (or logs without minutes) is not a load to
    restart below: zero would leave the weeks ahead no running, and no backward work."""
    trained = [log for log in trained if log.forward_seconds + log.backward_seconds > 0]
    if not trained:
        week = given.plan.weeks[0]
        return float(week.load_running_seconds) + (BACKWARD_LOAD_FACTOR - 1) * \
            week.load_backward_seconds
    index = _week_of(given.plan, trained[-1].date)
    done = [log for log in trained if _week_of(given.plan, log.date) == index]
    return sum(log.forward_seconds + BACKWARD_LOAD_FACTOR * log.backward_seconds for log in done)


def meets_test(log: SessionLog, session: Session, stage: Gait, test_seconds: int) -> bool:
    """B2: one session counts toward its stage's test when done at the test dose without
    a stumble or dizziness, within the test's RPE and with pain at most 3/10."""
    if log.status != "done" or log.events & {Event.STUMBLE, Event.DIZZINESS}:
        return False
    backward = log.backward_seconds or session.backward_seconds
    if test_seconds and backward < test_seconds:
        return False
    rpe_max = TEST_RPE_MAX.get(stage.value)
    if rpe_max is not None and log.rpe is not None and log.rpe > rpe_max:
        return False
    if log.pain_during is not None and log.pain_during > PAIN_FINE_MAX:
        return False
    return not (stage is Gait.WALK and log.pain_next_morning is not None
                and log.pain_next_morning > TEST_WALK_NEXT_MORNING_PAIN_MAX)


def _advance(given: Inputs, found: list[Decision],
             test_seconds: dict[Gait, tuple[int, int]] | None = None) -> list[Decision]:
    """A stage the plan advances to this week, whose test the logs did not meet: held."""
    plan = given.plan
    if paused(given.changes) or any(d.effect is Effect.PAUSE for d in found):
        return []
    index = _week_of(plan, open_day(plan, given.logs, given.today))
    if index < 2 or index > len(plan.weeks):
        return []
    week, before = plan.weeks[index - 1], plan.weeks[index - 2]
    if STAGE_LADDER.index(week.stage) <= STAGE_LADDER.index(before.stage):
        return []
    needed, seconds = _test_of(given, before.stage, test_seconds or given.stage_tests)
    logs = {log.session_id: log for log in given.logs}
    met = 0
    for earlier in reversed(plan.weeks[:index - 1]):
        if earlier.stage is not before.stage:
            break
        met += sum(1 for s in earlier.sessions if s.id in logs and s.backward_seconds
                   and meets_test(logs[s.id], s, before.stage, seconds))
    if met >= needed:
        return []
    return [Decision("advance-test-not-met",
                     f"{before.stage.value.capitalize()} is held: its test is {needed} "
                     f"session(s) logged done at its dose without a stumble, feeling easy "
                     f"enough and with pain at most {PAIN_FINE_MAX}/10; {met} so far.",
                     "B2 [A]", f"w{index}-{week.stage.value}", Effect.HOLD)]


def _test_of(given: Inputs, stage: Gait,
             tests: Mapping[Gait, tuple[int, int]] | None) -> tuple[int, int]:
    """(sessions needed, backward seconds each) of a stage's test; from the plan when the
    program is not at hand: the week's advance_when is text, so two sessions at the
    largest backward dose the stage prescribed."""
    if tests and stage in tests:
        return tests[stage]
    largest = max((s.backward_seconds for w in given.plan.weeks if w.stage is stage
                   for s in w.sessions), default=0)
    return 2, largest


def _missed(given: Inputs, found: list[Decision]) -> list[Decision]:  # noqa: ARG001
    plan = given.plan
    start = open_day(plan, given.logs, given.today)
    index = _week_of(plan, start)
    if not 1 <= index <= len(plan.weeks):
        return []
    week = plan.weeks[index - 1]
    logs = {log.session_id: log for log in given.logs}
    taken = {s.date for s in plan.sessions}
    # A missed session already moved or dropped is not acted on again under the other rule.
    acted = {c.trigger for c in given.changes if c.rule in MISSED_RULES}
    out = []
    for session in week.sessions:
        if session.id in acted:
            continue
        log = logs.get(session.id)
        missed = (log is not None and log.status == "skipped") or (
            log is None and (given.today - session.date).days >= MISSED_UNLOGGED_GRACE_DAYS)
        if session.kind not in KEY_KINDS or session.date >= start or not missed:
            continue
        day = _free_day(given, session, start, taken)
        what = session.title or session.kind.value
        if day is None:
            out.append(Decision("missed-key-dropped", f"{what} on {session.date:%a %d %b} "
                                "was missed and no free day this week keeps the rest days "
                                "around it: it is dropped, not crammed in.", "B4 [A]",
                                session.id, Effect.DROP, session_id=session.id))
            continue
        taken.add(day)
        out.append(Decision("missed-key-moved", f"{what} on {session.date:%a %d %b} was "
                            f"missed: it moves to {day:%a %d %b}, a free day with an easy "
                            "or rest day either side.", "B4 [A]", session.id, Effect.MOVE,
                            session_id=session.id, move_to=day))
    return out


def _free_day(given: Inputs, missed: Session,
              start: dt.date, taken: set[dt.date]) -> dt.date | None:
    week_end = given.plan.start_date + dt.timedelta(days=7 * _week_of(given.plan, missed.date))
    hard = {s.date for s in given.plan.sessions if s.hard}
    backward = {s.date for s in given.plan.sessions if s.backward_seconds}
    day = start
    while day < week_end:
        near = {day - dt.timedelta(days=1), day + dt.timedelta(days=1)}
        if (day not in taken and day.weekday() in given.available_weekdays
                and not (missed.hard and near & hard)
                and not (missed.backward_seconds and near & backward)):
            return day
        day += dt.timedelta(days=1)
    return None
