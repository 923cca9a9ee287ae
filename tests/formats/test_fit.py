"""FIT workouts: decoded by the official Garmin SDK with no errors, and back into our steps."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream
from hypothesis import given, settings
from hypothesis import strategies as st

from retrorun.domain.model import (
    Direction,
    Gait,
    Plan,
    Repeat,
    Session,
    SessionKind,
    Step,
    StepKind,
    StepOrRepeat,
    Surface,
    Target,
    TargetType,
    TargetUnit,
)
from retrorun.domain.profile import Units
from retrorun.formats._fit_builder import (
    FitDuration,
    FitStep,
    FitWorkout,
    encode_workout,
)
from retrorun.formats.errors import FitReadError
from retrorun.formats.fit import (
    fit_members,
    is_rest_step,
    is_running_session,
    plan_fit_zip,
    session_fit,
)
from retrorun.formats.fit_reader import ReadRepeat, ReadStep, read_workout

from .builders import demo_plan
from .plans import every_program_plan, generated_plans, plan_for, random_sessions

DATA = Path(__file__).parent.parent / "data"


def decode(data: bytes) -> dict[str, list[dict[str, object]]]:
    """The official SDK's view of a file, failing the test on any problem."""
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages  # type: ignore[no-any-return]


def expected_step(step: Step) -> tuple[object, ...]:
    """What FIT can carry of one of our steps."""
    backward = step.direction is Direction.BACKWARD
    seconds = None if step.meters is not None or step.seconds <= 0 else step.seconds
    meters = (
        step.meters if step.meters is not None and step.direction is Direction.FORWARD else None
    )
    target = step.target
    if target.type is TargetType.HR and target.low is not None:
        kind = "heart_rate"
    elif target.type is TargetType.PACE and not backward and target.high is not None:
        kind = "speed"
    else:
        kind = "open"
    return (step.kind, step.direction, step.gait if backward else Gait.NONE, seconds, meters, kind)


def read_step(step: ReadStep) -> tuple[object, ...]:
    return (step.kind, step.direction, step.gait, step.seconds, step.meters, step.target)


def expected_structure(session: Session) -> list[object]:
    return [
        ("repeat", item.count, [expected_step(s) for s in item.steps])
        if isinstance(item, Repeat)
        else expected_step(item)
        for item in session.steps
    ]


def read_structure(steps: tuple[ReadStep | ReadRepeat, ...]) -> list[object]:
    return [
        ("repeat", item.count, [read_step(s) for s in item.steps])
        if isinstance(item, ReadRepeat)
        else read_step(item)
        for item in steps
    ]


def running_sessions(plan: Plan) -> list[Session]:
    return [s for s in plan.sessions if is_running_session(s)]


@pytest.fixture(scope="module")
def program_plans() -> list[Plan]:
    return every_program_plan()


def test_every_running_session_of_every_program_decodes_cleanly_and_round_trips(
    program_plans: list[Plan],
) -> None:
    checked = 0
    for plan in program_plans:
        for session in running_sessions(plan):
            data = session_fit(session, plan_key="plan-1")
            decode(data)
            workout = read_workout(data)
            assert workout.sport == "running"
            assert workout.num_valid_steps == workout.step_messages
            assert read_structure(workout.steps) == expected_structure(session)
            checked += 1
    assert checked >= 50


def test_backward_steps_are_loud_timed_or_lap_button_and_never_paced(
    program_plans: list[Plan],
) -> None:
    backward_seen = 0
    for plan in program_plans:
        for session in running_sessions(plan):
            for message in decode(session_fit(session, plan_key="k"))["workout_step_mesgs"]:
                if not str(message.get("wkt_step_name", "")).startswith("BACKWARD"):
                    continue
                backward_seen += 1
                assert message["duration_type"] in ("time", "open")
                assert message["target_type"] in ("open", "heart_rate")
    assert backward_seen > 0


def test_the_cue_goes_into_the_notes_and_the_name_says_how_long() -> None:
    session = plan_for("starter-8").sessions[0]
    workout = read_workout(session_fit(session, plan_key="k"))
    first_backward = next(
        s
        for item in workout.steps
        for s in (item.steps if isinstance(item, ReadRepeat) else (item,))
        if s.direction is Direction.BACKWARD
    )
    planned = next(s for s in session.flat_steps if s.direction is Direction.BACKWARD)
    assert (
        first_backward.name
        == f"BACKWARD {planned.gait.value} {planned.seconds // 60}:{planned.seconds % 60:02d}"
    )
    assert planned.cue[:40] in first_backward.notes


def test_repeats_use_the_flat_layout_of_the_sdk_example() -> None:
    example = decode((DATA / "WorkoutRepeatSteps.fit").read_bytes())
    ours = decode(session_fit(demo_plan().weeks[2].sessions[0], plan_key="k"))
    for messages in (example, ours):
        assert messages["file_id_mesgs"][0]["type"] == "workout"
        steps = messages["workout_step_mesgs"]
        assert [m["message_index"] for m in steps] == list(range(len(steps)))
        repeats = [m for m in steps if m["duration_type"] == "repeat_until_steps_cmplt"]
        assert repeats
        for repeat in repeats:
            # duration_value points back to the first child; target_value is the count.
            assert int(repeat["duration_value"]) < int(repeat["message_index"])  # type: ignore[call-overload]
            assert int(repeat["target_value"]) >= 1  # type: ignore[call-overload]
            assert repeat["repeat_steps"] == repeat["target_value"]


def test_our_reader_reads_the_sdk_examples() -> None:
    repeat = read_workout((DATA / "WorkoutRepeatSteps.fit").read_bytes())
    assert [type(s).__name__ for s in repeat.steps] == ["ReadStep", "ReadRepeat", "ReadStep"]
    block = repeat.steps[1]
    assert isinstance(block, ReadRepeat)
    assert block.count == 3
    assert [s.name for s in block.steps] == ["B1_", "B2_"]
    assert [s.meters for s in block.steps] == [500, 500]
    individual = read_workout((DATA / "WorkoutIndividualSteps.fit").read_bytes())
    assert len(individual.steps) == 4
    assert individual.steps[0] == ReadStep(
        "_A_", StepKind.WARMUP, Direction.FORWARD, Gait.NONE, 60, None, "heart_rate", None, None, ""
    )


def test_same_plan_gives_the_same_bytes_and_a_stable_serial_per_session() -> None:
    first, second = plan_for("starter-8"), plan_for("starter-8")
    assert plan_fit_zip(first, plan_key="p") == plan_fit_zip(second, plan_key="p")
    serials = {
        read_workout(session_fit(s, plan_key="p")).serial_number for s in running_sessions(first)
    }
    assert len(serials) == len(running_sessions(first))
    assert 0 not in serials
    other_plan = read_workout(session_fit(first.sessions[0], plan_key="q")).serial_number
    assert other_plan not in serials


def test_file_id_time_created_is_the_session_date_not_the_clock() -> None:
    session = demo_plan().sessions[0]
    file_id = decode(session_fit(session, plan_key="k"))["file_id_mesgs"][0]
    assert file_id["time_created"] == dt.datetime.combine(session.date, dt.time(), tzinfo=dt.UTC)


def routine_sessions(plans: list[Plan]) -> list[Session]:
    """Core and strength sessions: exercises only, nothing on foot."""
    return [s for plan in plans for s in plan.sessions if s.steps and not is_running_session(s)]


def test_core_and_strength_sessions_are_strength_workouts_not_runs(
    program_plans: list[Plan],
) -> None:
    sessions = routine_sessions(program_plans)
    assert {s.kind for s in sessions} == {SessionKind.CORE, SessionKind.STRENGTH}
    for session in sessions:
        data = session_fit(session, plan_key="k")
        messages = decode(data)
        assert messages["workout_mesgs"][0]["sport"] == "training"
        assert messages["workout_mesgs"][0]["sub_sport"] == "strength_training"
        planned = [
            s
            for item in session.steps
            for s in (item.steps if isinstance(item, Repeat) else (item,))
        ]
        written = [
            m
            for m in messages["workout_step_mesgs"]
            if m["duration_type"] != "repeat_until_steps_cmplt"
        ]
        assert len(written) == len(planned)
        for step, message in zip(planned, written, strict=True):
            # A timed step named for the move; rests are rests, the moves active.
            assert message["duration_type"] == "time"
            assert message["duration_value"] == step.seconds * 1000
            assert str(message["wkt_step_name"]).startswith(step.name[:20])
            assert message["target_type"] == "open"
            if is_rest_step(step):
                assert message["intensity"] == "rest"
                assert "exercise_category" not in message
            else:
                assert message["intensity"] == "active"
                # Every move of our routines has its category in the FIT profile.
                assert message["exercise_category"] not in (None, "unknown")
        workout = read_workout(data)
        assert workout.sport == "training"
        assert workout.num_valid_steps == workout.step_messages
        assert read_structure(workout.steps) == expected_structure(session)
        read = [
            s
            for item in workout.steps
            for s in (item.steps if isinstance(item, ReadRepeat) else (item,))
        ]
        assert [s.rest for s in read] == [is_rest_step(s) for s in planned]


def test_the_starter_core_routine_reads_back_as_its_exercises() -> None:
    session = next(s for s in plan_for("starter-8").sessions if s.kind is SessionKind.CORE)
    workout = read_workout(session_fit(session, plan_key="k"))
    assert workout.sport == "training"
    (block,) = workout.steps
    assert isinstance(block, ReadRepeat)
    assert block.count == 2
    assert [(s.name, s.exercise_category, s.rest) for s in block.steps][:2] == [
        ("Plank 0:40", "plank", False),
        ("Side plank, left 0:30", "plank", False),
    ]
    assert (block.steps[-1].name, block.steps[-1].rest) == ("Rest 1:30", True)
    assert all(s.direction is Direction.NONE and s.kind is StepKind.EXERCISE for s in block.steps)


def test_a_running_session_with_a_jump_test_stays_a_running_workout(
    program_plans: list[Plan],
) -> None:
    mixed = [
        s
        for plan in program_plans
        for s in plan.sessions
        if is_running_session(s) and any(not step.on_foot for step in s.flat_steps)
    ]
    assert mixed
    for session in mixed:
        assert read_workout(session_fit(session, plan_key="k")).sport == "running"


_exercise_names = st.sampled_from(
    [
        "Plank",
        "Side plank, left",
        "Dead bug",
        "Squat or split squat, 3 x 8-10",
        "Rest",
        "Rest and transitions",
        "Bird dog",
        "Copenhagen plank",
        "",
    ]
)


@st.composite
def exercise_steps(draw: st.DrawFn) -> Step:
    return Step(
        kind=draw(st.sampled_from([StepKind.EXERCISE, StepKind.RECOVERY])),
        seconds=draw(st.integers(0, 3600)),
        direction=Direction.NONE,
        gait=Gait.NONE,
        target=draw(
            st.sampled_from(
                [Target(TargetType.OPEN), Target(TargetType.RPE, 5, 7, TargetUnit.CR10)]
            )
        ),
        name=draw(_exercise_names),
        cue=draw(st.text(max_size=30)),
    )


@st.composite
def routine(draw: st.DrawFn) -> Session:
    items: list[StepOrRepeat] = []
    for _ in range(draw(st.integers(1, 5))):
        block = tuple(draw(st.lists(exercise_steps(), min_size=1, max_size=5)))
        items.append(Repeat(draw(st.integers(1, 4)), block) if draw(st.booleans()) else block[0])
    return Session(
        id="r-1",
        date=dt.date(2026, 3, 2),
        kind=SessionKind.STRENGTH,
        title="Routine",
        surface=Surface.INDOOR,
        steps=tuple(items),
    )


def expected_routine_step(step: Step) -> tuple[object, ...]:
    seconds = step.seconds if step.seconds > 0 else None
    return (StepKind.EXERCISE, Direction.NONE, Gait.NONE, seconds, None, "open")


@settings(max_examples=60, deadline=None)
@given(routine())
def test_any_exercise_routine_round_trips_as_a_strength_workout(session: Session) -> None:
    data = session_fit(session, plan_key="random")
    decode(data)
    workout = read_workout(data)
    assert workout.sport == "training"
    assert read_structure(workout.steps) == [
        ("repeat", item.count, [expected_routine_step(s) for s in item.steps])
        if isinstance(item, Repeat)
        else expected_routine_step(item)
        for item in session.steps
    ]


def test_the_zip_holds_one_clean_workout_per_running_session_with_safe_names() -> None:
    plan = demo_plan()
    archive = zipfile.ZipFile(io.BytesIO(plan_fit_zip(plan)))
    names = archive.namelist()
    assert len(names) == len(running_sessions(plan))
    assert len(set(names)) == len(names)
    for name in names:
        assert "/" not in name
        assert "\\" not in name
        assert not name.startswith(".")
        assert name.endswith(".fit")
        assert archive.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)
        decode(archive.read(name))
    assert [n for _, n in fit_members(plan)] == names


def test_core_sessions_are_not_in_the_zip() -> None:
    # The zip is what goes to the watch's NewFiles folder: running workouts only (issue 4,
    # and watches cap how many workouts they keep); a core routine downloads on its own.
    plan = demo_plan(1)
    archive = zipfile.ZipFile(io.BytesIO(plan_fit_zip(plan)))
    assert not any("wed" in name for name in archive.namelist())
    for name in archive.namelist():
        assert read_workout(archive.read(name)).sport == "running"


def test_imperial_names_use_yards_for_short_distances() -> None:
    sprint_session = demo_plan().weeks[1].sessions[2]
    names = [
        m["wkt_step_name"]
        for m in decode(session_fit(sprint_session, plan_key="k", units=Units.IMPERIAL))[
            "workout_step_mesgs"
        ]
    ]
    assert "BACKWARD sprint 22 yd" in names


def test_the_builder_refuses_a_zero_serial_and_a_naive_time() -> None:
    step = FitStep("x", FitDuration.OPEN)
    aware = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="uint32z"):
        encode_workout(FitWorkout("w", 0, aware, (step,)))
    with pytest.raises(ValueError, match="timezone-aware"):
        encode_workout(FitWorkout("w", 1, aware.replace(tzinfo=None), (step,)))


def test_timed_steps_always_carry_their_duration_in_the_main_field() -> None:
    # The sub-field trap (libraries.md §3): a step written as duration_time has no duration.
    data = encode_workout(
        FitWorkout(
            "w",
            7,
            dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            (FitStep("run", FitDuration.TIME, 90_000),),
        )
    )
    message = decode(data)["workout_step_mesgs"][0]
    assert message["duration_value"] == 90_000
    assert message["duration_time"] == 90.0


def test_garbage_is_refused_with_a_format_error() -> None:
    with pytest.raises(FitReadError):
        read_workout(b"not a fit file at all")
    data = bytearray(session_fit(demo_plan().sessions[0], plan_key="k"))
    data[-1] ^= 0xFF
    with pytest.raises(FitReadError, match="integrity"):
        read_workout(bytes(data))


@settings(max_examples=60, deadline=None)
@given(random_sessions())
def test_any_session_round_trips_through_the_official_decoder(session: Session) -> None:
    data = session_fit(session, plan_key="random")
    decode(data)
    workout = read_workout(data)
    assert read_structure(workout.steps) == expected_structure(session)
    for item in workout.steps:
        for step in item.steps if isinstance(item, ReadRepeat) else (item,):
            if step.direction is Direction.BACKWARD:
                assert step.target != "speed"
                assert step.meters is None


@settings(max_examples=10, deadline=None)
@given(generated_plans())
def test_any_generated_plan_zips_to_clean_workouts_that_round_trip(plan: Plan) -> None:
    archive = zipfile.ZipFile(io.BytesIO(plan_fit_zip(plan, plan_key="p")))
    members = fit_members(plan)
    assert archive.namelist() == [name for _, name in members]
    for session, name in members:
        data = archive.read(name)
        decode(data)
        assert read_structure(read_workout(data).steps) == expected_structure(session)
