"""Garmin FIT workout files: one per session, and a zip of the plan's running sessions.

A running session (any step on foot) is a running workout. A core or strength session
(only exercises) is a strength workout instead: sport `training`, sub_sport
`strength_training`, each exercise a timed active step named for the move ("Plank 0:40")
with the profile's exercise category where one fits, each rest a timed rest step. Such a
session is still downloadable on its own, but stays out of the plan's zip: the issue asks
for "one workout .fit per running session and a zip for the whole plan", the zip is what a
runner copies to the watch's NewFiles folder, and watches cap how many workouts they keep
(GarminTools #13, peers.md), so two core routines a week would crowd out the runs.

How a running step becomes a FIT workout_step (peers.md §3.2):

- name: "BACKWARD jog 1:00" for backward steps, so the watch shouts it; the cue and any
  target a watch cannot hold (RPE, effort) go into the notes.
- duration: time in ms; forward distance steps use distance in cm; backward distance steps
  (20 m sprints) end on the lap button, since GPS cannot measure 20 m run backwards.
- target: backward steps never get a pace target (backward running costs 15-35 % more
  energy at the same speed, evidence B3): heart rate or open. Forward steps keep a pace
  (as a speed range) or heart-rate target.
- repeats are flat: the children, then a repeat step whose duration_value is the
  message_index of the first child and whose target_value is the count.

`file_id.serial_number` is a hash of the plan key and the session id and `time_created` is
the session's date at midnight UTC, so the same plan gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from retrorun.domain.model import (
    Direction,
    Intensity,
    Plan,
    Repeat,
    Session,
    Step,
    StepKind,
    Surface,
    TargetType,
)
from retrorun.domain.profile import Units
from retrorun.formats._fit_builder import (
    HR_BPM_OFFSET,
    FitDuration,
    FitIntensity,
    FitSport,
    FitStep,
    FitSubSport,
    FitTarget,
    FitWorkout,
    encode_workout,
    exercise_numbers,
)
from retrorun.formats._identity import plan_key as default_plan_key
from retrorun.formats._identity import slug, stable_uint32
from retrorun.formats._text import step_title, target_words

# A fixed timestamp for zip members, so the archive bytes do not depend on the clock.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

_INTENSITY: dict[StepKind, FitIntensity] = {
    StepKind.WARMUP: FitIntensity.WARMUP,
    StepKind.COOLDOWN: FitIntensity.COOLDOWN,
    StepKind.RECOVERY: FitIntensity.RECOVERY,
    StepKind.WORK: FitIntensity.ACTIVE,
    StepKind.EXERCISE: FitIntensity.OTHER,
}
_SUB_SPORT = {Surface.TREADMILL: FitSubSport.TREADMILL, Surface.TRACK: FitSubSport.TRACK}


# Exercise names of the core and strength routines (domain/sessions.py), by how they
# start, to the FIT profile's exercise_category and exercise_name. Longer prefixes first.
# A name not listed still exports, as a named timed step without a category.
_EXERCISES: tuple[tuple[str, str, str], ...] = (
    ("side plank", "plank", "side_plank"),
    ("plank", "plank", "plank"),
    ("single-leg glute bridge", "hip_raise", "single_leg_hip_raise"),
    ("glute bridge", "hip_raise", "hip_raise"),
    ("dead bug", "hip_stability", "dead_bug"),
    ("squat", "squat", "squat"),
    ("romanian deadlift", "deadlift", "romanian_deadlift"),
    ("calf raise", "calf_raise", "standing_calf_raise"),
    ("side-lying hip abduction", "hip_stability", "side_lying_leg_raise"),
)
_EXERCISE_NUMBERS = tuple(
    (prefix, *exercise_numbers(category, name)) for prefix, category, name in _EXERCISES
)


def is_running_session(session: Session) -> bool:
    """Sessions that belong on a running watch: the ones with steps on foot."""
    return any(step.on_foot for step in session.flat_steps)


def is_rest_step(step: Step) -> bool:
    """A rest in an exercise routine. The routines write rest as an exercise named
    "Rest" or "Rest and transitions"; a recovery step off foot is rest too."""
    if step.on_foot:
        return False
    return step.kind is StepKind.RECOVERY or step.name.lower().startswith("rest")


def exercise_of(step: Step) -> tuple[int, int] | None:
    """The FIT exercise_category and exercise_name of an exercise step, if one fits."""
    name = step.name.lower()
    for prefix, category, number in _EXERCISE_NUMBERS:
        if name.startswith(prefix):
            return category, number
    return None


def _intensity(step: Step) -> FitIntensity:
    if step.kind is StepKind.WORK and step.intensity is not Intensity.EASY:
        return FitIntensity.INTERVAL
    return _INTENSITY[step.kind]


def _duration(step: Step) -> tuple[FitDuration, int | None]:
    if step.meters is not None and step.direction is Direction.FORWARD:
        return FitDuration.DISTANCE, step.meters * 100
    if step.meters is not None or step.seconds <= 0:
        return FitDuration.OPEN, None
    return FitDuration.TIME, step.seconds * 1000


def _pace_to_speed_mm_s(s_per_km: float) -> int:
    return round(1_000_000 / s_per_km)


def _target(step: Step) -> tuple[FitTarget, int | None, int | None]:
    target = step.target
    if target.type is TargetType.HR and target.low is not None:
        high = target.high if target.high is not None else target.low
        return FitTarget.HEART_RATE, round(target.low) + HR_BPM_OFFSET, round(high) + HR_BPM_OFFSET
    forward_pace = target.type is TargetType.PACE and step.direction is Direction.FORWARD
    if forward_pace and target.low is not None and target.high is not None:
        # A speed range flips a pace range: the slower pace is the lower speed.
        slow, fast = max(target.low, target.high), min(target.low, target.high)
        return FitTarget.SPEED, _pace_to_speed_mm_s(slow), _pace_to_speed_mm_s(fast)
    return FitTarget.OPEN, None, None


def _notes(step: Step, encoded: FitTarget, units: Units) -> str:
    parts = []
    if encoded is FitTarget.OPEN and step.target.type is not TargetType.OPEN:
        words = target_words(step.target, units)
        if words and not (
            step.direction is Direction.BACKWARD and step.target.type is TargetType.PACE
        ):
            parts.append(words)
    if step.cue:
        parts.append(step.cue)
    return ". ".join(parts)


def fit_step(step: Step, units: Units) -> FitStep:
    duration_type, duration_value = _duration(step)
    target_type, low, high = _target(step)
    return FitStep(
        name=step_title(step, units),
        duration_type=duration_type,
        duration_value=duration_value,
        target_type=target_type,
        custom_target_low=low,
        custom_target_high=high,
        intensity=_intensity(step),
        notes=_notes(step, target_type, units),
    )


def strength_step(step: Step, units: Units) -> FitStep:
    """A step of a core or strength routine: the exercise or the rest, timed."""
    duration_type, duration_value = _duration(step)
    rest = is_rest_step(step)
    exercise = None if rest else exercise_of(step)
    return FitStep(
        name=step_title(step, units),
        duration_type=duration_type,
        duration_value=duration_value,
        intensity=FitIntensity.REST if rest else FitIntensity.ACTIVE,
        notes=_notes(step, FitTarget.OPEN, units),
        exercise_category=None if exercise is None else exercise[0],
        exercise_name=None if exercise is None else exercise[1],
    )


def fit_steps(session: Session, units: Units) -> tuple[FitStep, ...]:
    """The flat FIT step list of a session, repeat steps after their children."""
    one_step = fit_step if is_running_session(session) else strength_step
    out: list[FitStep] = []
    for item in session.steps:
        if isinstance(item, Repeat):
            first_child = len(out)
            out.extend(one_step(step, units) for step in item.steps)
            out.append(
                FitStep(
                    name=f"Repeat {item.count}x",
                    duration_type=FitDuration.REPEAT_UNTIL_STEPS_CMPLT,
                    duration_value=first_child,
                    target_value=item.count,
                )
            )
        else:
            out.append(one_step(item, units))
    return tuple(out)


def workout_step_directions(session: Session) -> tuple[Direction | None, ...]:
    """The direction of each FIT workout step of the session, by message_index as
    `fit_steps` numbers them (None for a repeat step, or off foot). A watch that ran the
    workout writes that index on each lap (`lap.wkt_step_index`), so an imported activity
    says by itself which of its minutes were backward (issue 12)."""
    out: list[Direction | None] = []

    def direction(step: Step) -> Direction | None:
        return step.direction if step.on_foot else None

    for item in session.steps:
        if isinstance(item, Repeat):
            out.extend(direction(step) for step in item.steps)
            out.append(None)
        else:
            out.append(direction(item))
    return tuple(out)


def session_workout(session: Session, plan_key: str, units: Units) -> FitWorkout:
    midnight = dt.datetime.combine(session.date, dt.time(), tzinfo=dt.UTC)
    if is_running_session(session):
        sport = FitSport.RUNNING
        sub_sport = _SUB_SPORT.get(session.surface, FitSubSport.GENERIC)
    else:
        sport, sub_sport = FitSport.TRAINING, FitSubSport.STRENGTH_TRAINING
    return FitWorkout(
        name=session.title or session.kind.value,
        serial_number=stable_uint32(plan_key, session.id),
        time_created=midnight,
        steps=fit_steps(session, units),
        sport=sport,
        sub_sport=sub_sport,
    )


def session_fit(session: Session, *, plan_key: str, units: Units = Units.METRIC) -> bytes:
    """One session as a FIT workout file: a running workout, or a strength workout for a
    session of exercises only."""
    return encode_workout(session_workout(session, plan_key, units))


def fit_members(plan: Plan) -> tuple[tuple[Session, str], ...]:
    """The running sessions with their zip member names: the date, then a slug of the id.

    Names are unique and contain no path, so unzipping can never write outside its folder.
    """
    members: list[tuple[Session, str]] = []
    taken: set[str] = set()
    for session in plan.sessions:
        if not is_running_session(session):
            continue
        base = f"{session.date.isoformat()}_{slug(session.id)}"
        name, n = f"{base}.fit", 2
        while name in taken:
            name, n = f"{base}-{n}.fit", n + 1
        taken.add(name)
        members.append((session, name))
    return tuple(members)


def plan_fit_zip(plan: Plan, *, plan_key: str | None = None, units: Units = Units.METRIC) -> bytes:
    """Every running session of the plan as a FIT workout, in one deterministic zip."""
    key = plan_key or default_plan_key(plan)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for session, name in fit_members(plan):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, session_fit(session, plan_key=key, units=units))
    return buffer.getvalue()
