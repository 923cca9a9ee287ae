"""intervals.icu workout text (syntax: peers.md §3.1), one block per session.

- A step is "- <cue words> <duration> [target]"; the words before the duration become the
  cue the watch shows, so they never contain numbers (intervals.icu reads "20 m" as twenty
  minutes) and backward steps start with a loud "BACKWARD".
- Repeats are a bare "Nx" line with a blank line before and after the block.
- Forward steps keep pace targets ("6:30/km-7:00/km Pace") and heart-rate targets as a
  percent of max ("60-70% HR") when the athlete's max heart rate is known. Backward steps
  never get a pace (evidence B3); a backward distance (20 m sprints) ends on "press lap".
"""

from __future__ import annotations

from collections.abc import Mapping

from retrorun.domain.model import (
    Direction,
    Intensity,
    Plan,
    Repeat,
    Session,
    Step,
    Target,
    TargetType,
)
from retrorun.domain.profile import Units
from retrorun.formats._text import METRES_PER_MILE, clock, plan_units, step_name
from retrorun.formats.fit import is_running_session

_INTENSITY_WORD = {Intensity.EASY: "easy", Intensity.MODERATE: "steady", Intensity.HARD: "hard"}


def duration_token(seconds: int) -> str:
    """90 -> 1m30s, 3600 -> 1h, 45 -> 45s."""
    hours, rest = divmod(max(seconds, 1), 3600)
    minutes, secs = divmod(rest, 60)
    token = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return token + (f"{secs}s" if secs else "")


def distance_token(meters: int, units: Units) -> str:
    # Short distances stay in metres in both unit systems: 20 m is not "0.01mi".
    if meters < 1000:
        return f"{meters}mtr"
    if units is Units.IMPERIAL:
        return f"{meters / METRES_PER_MILE:.2f}mi"
    return f"{meters / 1000:g}km"


def _pace_token(s_per_km: float, units: Units) -> str:
    if units is Units.IMPERIAL:
        return f"{clock(round(s_per_km * METRES_PER_MILE / 1000))}/mi"
    return f"{clock(round(s_per_km))}/km"


def target_token(
    target: Target, direction: Direction, units: Units, hr_max: int | None
) -> str | None:
    """The target in intervals.icu syntax, or None when it cannot say it."""
    if target.type is TargetType.PACE and direction is Direction.FORWARD:
        paces = sorted(p for p in (target.low, target.high) if p is not None)
        if paces:
            return "-".join(_pace_token(p, units) for p in paces) + " Pace"
    if target.type is TargetType.HR and hr_max and target.low is not None:
        high = target.high if target.high is not None else target.low
        low_pct, high_pct = round(100 * target.low / hr_max), round(100 * high / hr_max)
        span = f"{low_pct}" if low_pct == high_pct else f"{low_pct}-{high_pct}"
        return f"{span}% HR"
    return None


def _words(step: Step) -> str:
    """Cue words without digits: the name, plus how hard when the target is not a number."""
    name = "".join(ch for ch in step_name(step) if not ch.isdigit()).strip()
    name = " ".join(name.split())
    if step.on_foot and step.target.type in (TargetType.RPE, TargetType.EFFORT, TargetType.OPEN):
        name = f"{name} {_INTENSITY_WORD[step.intensity]}"
    return name


def step_text(step: Step, units: Units, hr_max: int | None) -> str:
    if step.meters is not None and step.direction is Direction.BACKWARD:
        amount = f"{distance_token(step.meters, units)} press lap"
    elif step.meters is not None:
        amount = distance_token(step.meters, units)
    else:
        amount = duration_token(step.seconds)
    parts = [f"- {_words(step)}", amount]
    token = target_token(step.target, step.direction, units, hr_max)
    if token:
        parts.append(token)
    return " ".join(parts)


def session_intervals(
    session: Session, *, units: Units = Units.METRIC, hr_max: int | None = None
) -> str:
    """One session as intervals.icu workout text, ready to paste."""
    lines: list[str] = []
    for item in session.steps:
        if isinstance(item, Repeat):
            if lines and lines[-1]:
                lines.append("")
            lines.append(f"{item.count}x")
            lines.extend(step_text(step, units, hr_max) for step in item.steps)
            lines.append("")
        else:
            lines.append(step_text(item, units, hr_max))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def athlete_hr_max(athlete: Mapping[str, object]) -> int | None:
    """Max heart rate: given in the profile, or the top of the athlete's zone 5."""
    value = athlete.get("hr_max")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    zones = athlete.get("hr_zones")
    if isinstance(zones, Mapping):
        bands = zones.get("zones_bpm")
        if isinstance(bands, list) and bands and isinstance(bands[-1], list | tuple):
            top = bands[-1][-1]
            return top if isinstance(top, int) and not isinstance(top, bool) else None
    return None


def plan_intervals(plan: Plan, *, units: Units | None = None) -> str:
    """Every running session, each block under a "### date · title" line to copy from."""
    chosen = plan_units(plan, units)
    hr_max = athlete_hr_max(plan.athlete)
    blocks = [
        f"### {s.date.isoformat()} · {s.title}\n\n"
        f"{session_intervals(s, units=chosen, hr_max=hr_max)}"
        for s in plan.sessions
        if is_running_session(s)
    ]
    header = (
        "# retrorun plan for intervals.icu: paste each block (without its ### line) "
        "into a Run workout's description.\n\n"
    )
    return header + "\n".join(blocks)
