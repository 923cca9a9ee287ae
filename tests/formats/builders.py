"""Hand-built plans for the exporter tests, independent of the generator.

They use every shape a session can take: repeats, backward walk/jog/run/sprint steps, pace,
heart-rate, RPE and effort targets, distance steps, exercises and a treadmill session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from retrorun.domain.model import (
    Direction,
    Gait,
    Intensity,
    Plan,
    Repeat,
    Session,
    SessionKind,
    Step,
    StepKind,
    Surface,
    Target,
    TargetType,
    TargetUnit,
    Week,
)

START = dt.date(2026, 1, 5)  # a Monday
EASY_PACE = Target(TargetType.PACE, 390, 420, TargetUnit.S_PER_KM)
EASY_RPE = Target(TargetType.RPE, 2, 3, TargetUnit.CR10)
SHOULDERS = "Look back over alternating shoulders every few strides."


def warmup(seconds: int = 600) -> Step:
    return Step(StepKind.WARMUP, seconds, target=EASY_PACE, name="Warm-up jog")


def cooldown(seconds: int = 300) -> Step:
    return Step(StepKind.COOLDOWN, seconds, gait=Gait.JOG, name="Cool-down jog")


def backward(gait: Gait, seconds: int, **kw: object) -> Step:
    return Step(
        StepKind.WORK,
        seconds,
        direction=Direction.BACKWARD,
        gait=gait,
        target=kw.pop("target", EASY_RPE),
        cue=str(kw.pop("cue", SHOULDERS)),
        **kw,
    )  # type: ignore[arg-type]


def easy_with_backward(day: dt.date, sid: str, gait: Gait, reps: int) -> Session:
    bout = backward(gait, 60 if gait is Gait.JOG else 90)
    recover = Step(StepKind.RECOVERY, 60, gait=Gait.JOG, name="Forward jog")
    return Session(
        id=sid,
        date=day,
        kind=SessionKind.BACKWARD,
        title=f"Easy run + backward {gait.value}",
        surface=Surface.TRACK,
        steps=(
            warmup(),
            Repeat(reps, (bout, recover)),
            Step(StepKind.WORK, 900, target=EASY_PACE, name="Easy run"),
            cooldown(),
        ),
        why="Backward work sits on an easy day, after the warm-up.",
        evidence=("expert", "hreljac2005"),
        cues=(SHOULDERS, "Walk before you jog."),
    )


def treadmill_walk(day: dt.date, sid: str) -> Session:
    walk = backward(
        Gait.WALK,
        120,
        target=Target(TargetType.HR, 100, 120, TargetUnit.BPM),
        cue="Clip the safety key; hold the handrail for the first 3 sessions.",
    )
    return Session(
        id=sid,
        date=day,
        kind=SessionKind.BACKWARD,
        title="Treadmill backward walk",
        surface=Surface.TREADMILL,
        steps=(
            Step(StepKind.WARMUP, 300, gait=Gait.WALK),
            Repeat(4, (walk, Step(StepKind.RECOVERY, 60, gait=Gait.WALK))),
        ),
        cues=("Start the belt at 2-3 km/h.",),
    )


def sprints(day: dt.date, sid: str) -> Session:
    sprint = backward(
        Gait.SPRINT,
        6,
        meters=20,
        intensity=Intensity.HARD,
        target=Target(TargetType.EFFORT, 60, 75, TargetUnit.PERCENT_MAX_EFFORT),
    )
    walk_back = Step(StepKind.RECOVERY, 60, gait=Gait.WALK, name="Walk back")
    return Session(
        id=sid,
        date=day,
        kind=SessionKind.BACKWARD_SPRINTS,
        title="Backward sprints 2 × 7 × 20 m",
        surface=Surface.GRASS,
        steps=(
            warmup(),
            Repeat(7, (sprint, walk_back)),
            Step(StepKind.RECOVERY, 150, gait=Gait.WALK),
            Repeat(7, (sprint, walk_back)),
            cooldown(),
        ),
        evidence=("bouguezzi2024",),
    )


def intervals(day: dt.date, sid: str) -> Session:
    rep = Step(
        StepKind.WORK,
        240,
        meters=1000,
        intensity=Intensity.HARD,
        target=Target(TargetType.PACE, 290, 300, TargetUnit.S_PER_KM),
        name="Fast 1 km",
    )
    return Session(
        id=sid,
        date=day,
        kind=SessionKind.INTERVALS,
        title="5 × 1 km",
        surface=Surface.ROAD,
        steps=(
            warmup(900),
            Repeat(5, (rep, Step(StepKind.RECOVERY, 120, gait=Gait.JOG))),
            cooldown(600),
        ),
    )


def long_run(day: dt.date, sid: str, minutes: int) -> Session:
    return Session(
        id=sid,
        date=day,
        kind=SessionKind.LONG,
        title=f"Long run {minutes} min",
        surface=Surface.ROAD,
        steps=(Step(StepKind.WORK, minutes * 60, target=EASY_PACE, name="Long easy run"),),
    )


def core(day: dt.date, sid: str) -> Session:
    def ex(name: str, seconds: int, cue: str) -> Step:
        return Step(
            StepKind.EXERCISE, seconds, direction=Direction.NONE, gait=Gait.NONE, name=name, cue=cue
        )

    return Session(
        id=sid,
        date=day,
        kind=SessionKind.CORE,
        title="Core routine",
        surface=Surface.ANY,
        steps=(
            Repeat(
                2,
                (
                    ex("Plank", 40, "Straight line from head to heels."),
                    ex("Side plank", 30, "Each side."),
                    ex("Glute bridge", 45, "Squeeze at the top."),
                    ex("Dead bug", 45, "Lower back stays down."),
                ),
            ),
        ),
        evidence=("hung2019",),
    )


def week(index: int) -> Week:
    monday = START + dt.timedelta(weeks=index - 1)
    day = lambda n: monday + dt.timedelta(days=n)  # noqa: E731
    stage = Gait.WALK if index <= 2 else Gait.JOG if index <= 5 else Gait.RUN
    sid = lambda d: f"w{index}-{d}"  # noqa: E731
    first = (
        treadmill_walk(day(1), sid("tue"))
        if stage is Gait.WALK
        else easy_with_backward(day(1), sid("tue"), stage, 2 + index % 3)
    )
    sessions = (
        first,
        core(day(2), sid("wed")),
        intervals(day(3), sid("thu")) if index % 2 else sprints(day(3), sid("thu")),
        easy_with_backward(day(4), sid("fri"), Gait.WALK if stage is Gait.WALK else Gait.JOG, 3),
        long_run(day(6), sid("sun"), 50 + 5 * index),
    )
    return Week(
        index=index,
        stage=stage,
        lighter=index % 4 == 0,
        sessions=sessions,
        advance_when="2 sessions in a row with no stumble",
    )


def demo_plan(weeks: int = 8, units: str = "metric") -> Plan:
    return Plan(
        program="starter-8",
        program_version="1",
        start_date=START,
        weeks=tuple(week(i) for i in range(1, weeks + 1)),
        athlete={
            "units": units,
            "experience": "recreational",
            "weekly_minutes": 150,
            "age": 34,
            "goal": "general",
        },
        notices=("Your safety screen was clear: all stages are open to you.",),
    )


def with_session(plan: Plan, session: Session) -> Plan:
    """The plan with one session (matched by id) replaced."""
    weeks = tuple(
        replace(w, sessions=tuple(session if s.id == session.id else s for s in w.sessions))
        for w in plan.weeks
    )
    return replace(plan, weeks=weeks)
