"""The fallback week: the week before, repeated and scaled.

When the solver finds no week that keeps the load rules (tiny volumes, where warm-ups,
recoveries and whole sprint sets move the load in steps larger than the rules' bands),
the athlete repeats last week's sessions with every timed on-foot step scaled by one
factor. Scaling every step keeps the backward share, the easy share, the surfaces, the
stage and the spacing of the week before, and moves the load almost continuously.
"""

from __future__ import annotations

import datetime as dt
import re

from retrorun.domain.frames import clock, easy_title
from retrorun.domain.model import Repeat, Session, SessionKind, Step, StepOrRepeat, Week

# Scaled steps keep to 10-second steps and at least 10 seconds. [A]
STEP_GRANULARITY = 10
_BACKWARD_TIME = re.compile(r"(Backward \w+ )\d+(?::\d\d)? min")
_TOTAL_MINUTES = re.compile(r" · \d+ min$")


def _scaled_step(step: Step, factor: float) -> Step:
    if not step.on_foot or step.meters is not None or factor == 1.0:
        return step  # exercises and distance steps keep their size
    seconds = max(STEP_GRANULARITY,
                  round(step.seconds * factor / STEP_GRANULARITY) * STEP_GRANULARITY)
    return Step(step.kind, seconds, step.direction, step.gait, step.intensity, step.meters,
                step.target, step.name, step.cue, step.optional)


def _scaled(items: tuple[StepOrRepeat, ...], factor: float) -> tuple[StepOrRepeat, ...]:
    return tuple(Repeat(i.count, tuple(_scaled_step(s, factor) for s in i.steps))
                 if isinstance(i, Repeat) else _scaled_step(i, factor) for i in items)


def _retitled(title: str, session: Session) -> str:
    title = _BACKWARD_TIME.sub(lambda m: m.group(1) + clock(session.backward_seconds), title)
    if session.kind is SessionKind.EASY:
        title = easy_title(title, session.running_seconds)
    minutes = round(session.running_seconds / 60)
    return _TOTAL_MINUTES.sub(f" · {minutes} min", title) if minutes else title


def repeat_week(week: Week, index: int, factor: float, lighter: bool) -> Week:
    """`week` again as week `index`, a week later, its timed on-foot steps times `factor`."""
    shift = dt.timedelta(days=7 * (index - week.index))
    old, new = f"-w{week.index:02d}-", f"-w{index:02d}-"
    sessions = []
    for session in week.sessions:
        moved = Session(session.id.replace(old, new), session.date + shift, session.kind,
                        session.title, session.surface, _scaled(session.steps, factor),
                        session.why, session.evidence, session.cues)
        sessions.append(Session(moved.id, moved.date, moved.kind, _retitled(moved.title, moved),
                                moved.surface, moved.steps, moved.why, moved.evidence,
                                moved.cues))
    return Week(index, week.stage, lighter, tuple(sessions), week.advance_when)
