"""Human words for plan values, shared by every exporter.

One place decides how a step, a target, a duration or a distance is written, so the PDF,
the calendar, the watch and intervals.icu all say the same thing. Units follow the
athlete's choice (metric or imperial); the plan itself is always in seconds and metres.
"""

from __future__ import annotations

from retrorun.domain.model import (
    Direction,
    Gait,
    Plan,
    Repeat,
    Session,
    Step,
    StepKind,
    StepOrRepeat,
    Target,
    TargetType,
    TargetUnit,
)
from retrorun.domain.profile import Units

METRES_PER_MILE = 1609.344
METRES_PER_YARD = 0.9144
# Below this a distance reads better in metres or yards than in km or miles.
SHORT_DISTANCE_M = 1000

KIND_LABELS: dict[StepKind, str] = {
    StepKind.WARMUP: "Warm-up",
    StepKind.WORK: "Work",
    StepKind.RECOVERY: "Recovery",
    StepKind.COOLDOWN: "Cool-down",
    StepKind.EXERCISE: "Exercise",
}


def plan_units(plan: Plan, override: Units | None = None) -> Units:
    """The units to print: an explicit choice wins, else the athlete's profile, else metric."""
    if override is not None:
        return override
    return Units.IMPERIAL if plan.athlete.get("units") == Units.IMPERIAL.value else Units.METRIC


def clock(seconds: int) -> str:
    """1:00, 10:30, 1:05:00: the way a watch shows a duration."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def duration_words(seconds: int) -> str:
    """30 s, 10 min, 1 min 30 s, 1 h 5 min: for prose and tables."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)


def total_words(seconds: int) -> str:
    """A total rounded to the minute ("2 h 45 min"); seconds only below a minute."""
    if seconds <= 0:
        return "0 min"
    return duration_words(seconds if seconds < 60 else round(seconds / 60) * 60)


def distance_words(meters: int, units: Units) -> str:
    if units is Units.IMPERIAL:
        if meters < SHORT_DISTANCE_M:
            return f"{round(meters / METRES_PER_YARD)} yd"
        return f"{meters / METRES_PER_MILE:.2f} mi"
    if meters < SHORT_DISTANCE_M:
        return f"{meters} m"
    return f"{meters / 1000:.2f} km".replace(".00 km", " km")


def pace_words(s_per_km: float, units: Units) -> str:
    """A pace as min:ss per km or per mile."""
    if units is Units.IMPERIAL:
        return f"{clock(round(s_per_km * METRES_PER_MILE / 1000))}/mi"
    return f"{clock(round(s_per_km))}/km"


def _span(low: float | None, high: float | None, fmt: str = "{:g}") -> str:
    values = [fmt.format(v) for v in (low, high) if v is not None]
    if len(values) == 2 and values[0] == values[1]:
        return values[0]
    return "–".join(values)


def target_words(target: Target, units: Units) -> str:
    """A target as the athlete reads it, or "" when the step is open."""
    if target.type is TargetType.PACE:
        # The slower pace (more seconds) reads first, as runners say "6:00–5:30".
        paces = sorted((p for p in (target.low, target.high) if p is not None), reverse=True)
        return "–".join(pace_words(p, units) for p in paces)
    if target.type is TargetType.HR:
        return f"HR {_span(target.low, target.high, '{:.0f}')} bpm"
    if target.type is TargetType.RPE:
        return f"RPE {_span(target.low, target.high)}/10"
    if target.type is TargetType.EFFORT or target.unit is TargetUnit.PERCENT_MAX_EFFORT:
        return f"{_span(target.low, target.high, '{:.0f}')} % of max effort"
    return ""


def step_name(step: Step) -> str:
    """The short name of a step. Backward steps are LOUD so nobody misses them; optional
    steps say so."""
    if step.optional:
        return f"{_plain_name(step)} (optional)"
    return _plain_name(step)


def _plain_name(step: Step) -> str:
    if step.direction is Direction.BACKWARD:
        return f"BACKWARD {step.gait.value}"
    if step.direction is Direction.NONE:
        return step.name or KIND_LABELS[step.kind]
    if step.name:
        return step.name
    gait = "" if step.gait is Gait.NONE else f" {step.gait.value}"
    return f"{KIND_LABELS[step.kind]}{gait}"


def step_amount(step: Step, units: Units) -> str:
    """How much: the distance for distance steps, else the time as a watch shows it."""
    if step.meters is not None:
        return distance_words(step.meters, units)
    return clock(step.seconds)


def step_title(step: Step, units: Units) -> str:
    """ "BACKWARD jog 1:00", "Warm-up run 10:00": the name a watch shows."""
    name, amount = step_name(step), step_amount(step, units)
    # A name like "Fast 1 km" already says how much; do not say it twice.
    return name if name.endswith(amount) else f"{name} {amount}"


def step_line(step: Step, units: Units) -> str:
    """One line of a description: title, target and cue."""
    parts = [step_title(step, units)]
    target = target_words(step.target, units)
    if target:
        parts.append(target)
    line = " · ".join(parts)
    return f"{line} — {step.cue}" if step.cue else line


def steps_lines(steps: tuple[StepOrRepeat, ...], units: Units) -> list[str]:
    """The steps of a session as text lines, repeats as an "N×" line with indented steps."""
    lines: list[str] = []
    for item in steps:
        if isinstance(item, Repeat):
            lines.append(f"{item.count}×")
            lines.extend(f"  {step_line(s, units)}" for s in item.steps)
        else:
            lines.append(step_line(item, units))
    return lines


def session_cues(session: Session) -> tuple[str, ...]:
    """The session's cues, then its steps' cues in step order, each once."""
    steps = (
        s for item in session.steps for s in (item.steps if isinstance(item, Repeat) else (item,))
    )
    cues = (*session.cues, *(step.cue for step in steps))
    return tuple(dict.fromkeys(cue.strip() for cue in cues if cue.strip()))


def session_totals(session: Session) -> str:
    """ "35 min, 6 min backward": the size of a session at a glance."""
    total = session.running_seconds + session.exercise_seconds
    text = total_words(total)
    if session.backward_seconds:
        text += f", {total_words(session.backward_seconds)} backward"
    return text


def session_description(session: Session, units: Units) -> str:
    """Steps, cues and the reason, as plain text for calendars and notes."""
    lines = [
        session.title,
        f"Total: {session_totals(session)} · surface: {session.surface.value}",
        "",
    ]
    lines += steps_lines(session.steps, units)
    if session.cues:
        lines += ["", "Cues:"] + [f"- {cue}" for cue in session.cues]
    if session.why:
        lines += ["", f"Why: {session.why}"]
    return "\n".join(lines)
