"""Reading imported activities and marking laps backward (issue 12) through the services,
on every database: a file without workout step indexes gets its backward minutes from
the laps the athlete marks, the matched log follows and the plan adapts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrorun.services import activities, logs
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.views import LogInput
from tests.services.test_imports import _athlete, _backward_session, _import, _morning
from tests.services.watch_run import activity_fit, laps_of

if TYPE_CHECKING:
    from tests.services.conftest import App


def _plain_run(app: App) -> tuple[str, str, list[int], int]:
    """An imported run whose laps carry no step index; the user, its id, the indexes of
    the laps that were backward (by their speed) and their seconds."""
    user, plan = _athlete(app)
    session = _backward_session(plan)
    outcome = _import(app, user, "plain.fit",
                      activity_fit(session, _morning(session), with_step_index=False))
    assert outcome.activity_id is not None
    assert outcome.backward_minutes == 0
    laps = laps_of(session)
    slow = min(lap.speed_mps for lap in laps)
    backward = [i for i, lap in enumerate(laps) if lap.speed_mps == slow]
    assert backward, "the session has backward laps"
    return user.id, outcome.activity_id, backward, sum(laps[i].seconds for i in backward)


def test_the_list_is_newest_first_and_a_stranger_sees_nothing(app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    early = _import(app, user, "early.fit", activity_fit(session, _morning(session, 6)))
    late = _import(app, user, "late.fit", activity_fit(session, _morning(session, 18)))
    listed = activities.list_activities(app.uow(), user_id=user.id)
    assert [a.id for a in listed] == [late.activity_id, early.activity_id]
    stranger = app.user("eve@example.com")
    assert activities.list_activities(app.uow(), user_id=stranger.id) == ()
    with pytest.raises(NotFound):
        activities.get_activity(app.uow(), user_id=stranger.id,
                                activity_id=str(early.activity_id))
    with pytest.raises(NotFound):
        activities.mark_backward(app.uow(), user_id=stranger.id,
                                 activity_id=str(early.activity_id), lap_indexes=[0],
                                 clock=app.clock)


def test_an_activity_reads_back_with_its_per_second_samples(app: App) -> None:
    user, plan = _athlete(app)
    session = _backward_session(plan)
    outcome = _import(app, user, "run.fit", activity_fit(session, _morning(session)))
    detail = activities.get_activity(app.uow(), user_id=user.id,
                                     activity_id=str(outcome.activity_id))
    seconds = sum(lap.seconds for lap in laps_of(session))
    assert len(detail.streams.time_s) == detail.record.records == seconds
    assert detail.streams.heart_rate is not None
    assert set(detail.streams.heart_rate) == {140}
    assert detail.log_id is not None
    assert detail.record.backward_seconds == session.backward_seconds


def test_marked_laps_give_the_log_its_backward_minutes_and_keep_the_athletes_answers(
        app: App) -> None:
    user_id, activity_id, backward, backward_s = _plain_run(app)
    detail = activities.get_activity(app.uow(), user_id=user_id, activity_id=activity_id)
    assert detail.log_id is not None
    before = logs.get_log(app.uow(), user_id=user_id, log_id=detail.log_id)
    assert before.backward_minutes == 0
    # The athlete added RPE and pain before marking the laps: both stay.
    logs.edit_log(app.uow(), user_id=user_id, log_id=detail.log_id, clock=app.clock,
                  entry=LogInput(status=before.status.value,
                                 forward_minutes=before.forward_minutes, rpe=5,
                                 pain_during=2, notes="windy"))
    marked = activities.mark_backward(app.uow(), user_id=user_id, activity_id=activity_id,
                                      lap_indexes=backward, clock=app.clock)
    assert [i for i, lap in enumerate(marked.record.laps) if lap.backward] == backward
    assert marked.record.backward_seconds == backward_s
    after = logs.get_log(app.uow(), user_id=user_id, log_id=detail.log_id)
    assert after.backward_minutes == round(backward_s / 60, 1)
    assert after.forward_minutes == pytest.approx(
        before.forward_minutes - backward_s / 60, abs=0.1)
    assert (after.rpe, after.pain_during, after.notes) == (5, 2, "windy")
    assert after.revision == before.revision + 2
    # Stored: reading it again shows the same marks.
    again = activities.get_activity(app.uow(), user_id=user_id, activity_id=activity_id)
    assert again.record.laps == marked.record.laps


def test_marking_no_laps_undoes_the_marks(app: App) -> None:
    user_id, activity_id, backward, _ = _plain_run(app)
    activities.mark_backward(app.uow(), user_id=user_id, activity_id=activity_id,
                             lap_indexes=backward, clock=app.clock)
    cleared = activities.mark_backward(app.uow(), user_id=user_id, activity_id=activity_id,
                                       lap_indexes=[], clock=app.clock)
    assert cleared.record.backward_seconds == 0
    assert cleared.log_id is not None
    assert logs.get_log(app.uow(), user_id=user_id,
                        log_id=cleared.log_id).backward_minutes == 0


@pytest.mark.parametrize("bad", [[-1], [999], ["1"], [True], [0.5]])
def test_a_lap_that_is_not_there_is_refused_and_nothing_changes(app: App,
                                                                 bad: list[object]) -> None:
    user_id, activity_id, _, _ = _plain_run(app)
    with pytest.raises(InvalidInput) as refused:
        activities.mark_backward(app.uow(), user_id=user_id, activity_id=activity_id,
                                 lap_indexes=bad, clock=app.clock)  # type: ignore[arg-type]
    assert refused.value.field == "laps"
    detail = activities.get_activity(app.uow(), user_id=user_id, activity_id=activity_id)
    assert detail.record.backward_seconds == 0


def test_an_unmatched_activity_stores_its_marks_without_a_log(app: App) -> None:
    user = app.user("planless@example.com")
    _, plan = _athlete(app)  # another athlete's plan gives its dates only
    session = _backward_session(plan)
    outcome = _import(app, user, "run.fit", activity_fit(session, _morning(session),
                                                         with_step_index=False))
    marked = activities.mark_backward(app.uow(), user_id=user.id,
                                      activity_id=str(outcome.activity_id), lap_indexes=[0],
                                      clock=app.clock)
    assert marked.log_id is None
    assert marked.record.laps[0].backward
    assert marked.record.backward_seconds == marked.record.laps[0].seconds
