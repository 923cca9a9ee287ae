"""Edits adaptation makes to sessions of the week under way: only ever less backward work.

Each edit keeps the session's id (calendars update it) and never adds load: backward
parts are halved, lowered to a stage's gait, or run forward at an easy effort instead.
A session that is only backward work is left out (None) when its backward part goes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from retrorun.domain.frames import clock
from retrorun.domain.model import (
    RUNNING_GAITS,
    STAGE_LADDER,
    Direction,
    Gait,
    Intensity,
    Repeat,
    Session,
    SessionKind,
    Step,
    StepOrRepeat,
    TargetType,
)

GAIT_WORDS = {Gait.WALK: "walking", Gait.JOG: "jogging", Gait.RUN: "running",
              Gait.SPRINT: "sprints"}
_BACKWARD_PART = re.compile(r"Backward (walking|jogging|running|sprints) [\d:]+ min")
_TOTAL = re.compile(r" · \d+ min$")
_NOTE = re.compile(r" \([^)]*\)$")


def retitled(session: Session, note: str) -> Session:
    """The title says what the session now holds: its backward part and total minutes."""
    title = _TOTAL.sub("", _NOTE.sub("", session.title))
    top = session.top_backward_gait
    if top is not None:
        part = f"Backward {GAIT_WORDS[top]} {clock(session.backward_seconds)}"
        title = _BACKWARD_PART.sub(part, title)
    minutes = round(session.running_seconds / 60)
    title = f"{title} · {minutes} min" if minutes else title
    return replace(session, title=f"{title} ({note})")


BACKWARD_ONLY_KINDS = frozenset({SessionKind.BACKWARD, SessionKind.BACKWARD_SPRINTS})
# [A] A halved backward bout is never shorter than this: shorter bouts are not worth the
# turn-around, and the halved volume still holds.
MIN_HALVED_STEP_SECONDS = 30


def _backward(step: Step) -> bool:
    return step.direction is Direction.BACKWARD


def _map_steps(steps: tuple[StepOrRepeat, ...], edit: object) -> tuple[StepOrRepeat, ...]:
    out: list[StepOrRepeat] = []
    for item in steps:
        if isinstance(item, Repeat):
            inner = tuple(edit(s) for s in item.steps)  # type: ignore[operator]
            out.append(Repeat(item.count, inner))
        else:
            out.append(edit(item))  # type: ignore[operator]
    return tuple(out)


def _forward_instead(step: Step) -> Step:
    if not _backward(step):
        return step
    gait = Gait.RUN if step.gait in RUNNING_GAITS else step.gait
    target = step.target if step.target.type in (TargetType.HR, TargetType.RPE) \
        else replace(step.target, type=TargetType.OPEN, low=None, high=None, unit=None)
    return replace(step, direction=Direction.FORWARD, gait=gait, intensity=Intensity.EASY,
                   target=target, name=f"Easy {'walk' if gait is Gait.WALK else 'running'} "
                   "(instead of backward)", cue="", meters=None)


def without_backward(session: Session) -> Session | None:
    """The session with its backward part run forward, easy; None when it was only
    backward work (a backward session of its own, sprints) with no forward running."""
    if not session.backward_seconds:
        return session
    kind = session.kind
    if kind in BACKWARD_ONLY_KINDS:
        if not session.runs_forward:
            return None
        # Its forward running stays, as easy running: the week's running time (what the
        # share, load and lighter-week rules measure against) must not fall with it.
        kind = SessionKind.EASY
    edited = replace(session, kind=kind, steps=_map_steps(session.steps, _forward_instead),
                     cues=tuple(c for c in session.cues if "back" not in c.lower()))
    return retitled(replace(edited, title=re.sub(r"^Backward \w+ [\d:]+ min \+ ", "",
                                                 _TOTAL.sub("", session.title)).capitalize()),
                    "backward part left out")


def halved(session: Session) -> Session:
    """Half the backward volume: repeats of backward work done half as many times, single
    backward steps half as long."""
    if not session.backward_seconds:
        return session
    steps: list[StepOrRepeat] = []
    for item in session.steps:
        if isinstance(item, Repeat) and any(_backward(s) for s in item.steps):
            steps.append(Repeat(max(1, item.count // 2), item.steps))
        elif isinstance(item, Step) and _backward(item):
            seconds = max(MIN_HALVED_STEP_SECONDS, item.seconds // 2)
            steps.append(replace(item, seconds=min(item.seconds, seconds), meters=None))
        else:
            steps.append(item)
    return retitled(replace(session, steps=tuple(steps)), "half the backward volume")


def capped(session: Session, stage: Gait) -> Session | None:
    """Backward work no faster than `stage`'s gait; sprints below the sprint stage go."""
    top = session.top_backward_gait
    if top is None or STAGE_LADDER.index(top) <= STAGE_LADDER.index(stage):
        return session
    if session.kind is SessionKind.BACKWARD_SPRINTS or Gait.SPRINT in session.backward_gaits:
        return without_backward(session)
    if stage is Gait.WALK and session.kind not in BACKWARD_ONLY_KINDS:
        # At walking, backward work is a session of its own: the generator puts no
        # backward part in a run's warm-up then, and one left there would sit a day from
        # the next backward walk (invariant 5: 48 h apart in stages 1-2).
        return without_backward(session)
    rank = STAGE_LADDER.index(stage)

    def lower(step: Step) -> Step:
        if _backward(step) and STAGE_LADDER.index(step.gait) > rank:
            return replace(step, gait=stage, name=f"Backward {stage.value}", meters=None)
        return step

    return retitled(replace(session, steps=_map_steps(session.steps, lower)),
                    f"backward {stage.value} for now")


def within(session: Session, seconds: int) -> Session | None:
    """The session with at most `seconds` of backward work: as it is, halved, or with its
    backward part left out (a coach's cap set while the week is under way)."""
    if session.backward_seconds <= seconds:
        return session
    half = halved(session)
    if half.backward_seconds <= seconds:
        return half
    return without_backward(session)
