"""Coach flags, pure: who needs a look and why, newest first."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from retrorun.domain.flags import (
    DEFAULT_PAIN_LIMIT,
    FLAG_WINDOW_DAYS,
    MISSED_FLAG_AT,
    FlagKind,
    badges,
    flags,
)
from retrorun.domain.logbook import By, Change, Event, SessionLog
from tests.domain.test_progress import MONDAY, tiny_plan

TODAY = MONDAY + dt.timedelta(days=9)  # Wed of week 2: a (Mon), b (Thu), c (Tue) are past


def _log(sid: str, day: int, status: str = "done", **more: object) -> SessionLog:
    return SessionLog(sid, MONDAY + dt.timedelta(days=day), status, **more)  # type: ignore[arg-type]


def _all_logged(**more: object) -> tuple[SessionLog, ...]:
    return (_log("a", 0), _log("b", 3), _log("c", 8, "done", **more))


def test_nothing_to_look_at() -> None:
    assert flags(tiny_plan(), _all_logged(pain_during=DEFAULT_PAIN_LIMIT), TODAY, None,
                 None) == ()


def test_pain_over_the_default_limit_and_over_a_coach_threshold() -> None:
    over = flags(tiny_plan(), _all_logged(pain_during=DEFAULT_PAIN_LIMIT + 1), TODAY, None,
                 None)
    assert [(f.kind, f.session_id) for f in over] == [(FlagKind.PAIN, "c")]
    assert "6/10" in over[0].what
    assert "5/10" in over[0].what
    # A physio's threshold of 3: pain 4 next morning is over it.
    low = flags(tiny_plan(), _all_logged(pain_during=2, pain_next_morning=4), TODAY, 3, None)
    assert [f.kind for f in low] == [FlagKind.PAIN]
    assert "over the 3/10 threshold your coach or physio set" in low[0].what
    assert flags(tiny_plan(), _all_logged(pain_during=3), TODAY, 3, None) == ()


def test_events_each_one_line() -> None:
    found = flags(tiny_plan(), _all_logged(events=frozenset({Event.STUMBLE,
                                                             Event.DIZZINESS})),
                  TODAY, None, None)
    assert [f.what for f in found] == ["Dizziness", "A stumble or near-fall"]
    assert badges(found) == ("Dizziness, stumble or neck pain",)


def test_two_missed_sessions_flag_one_does_not() -> None:
    one = (_log("a", 0), _log("b", 3))
    assert flags(tiny_plan(), one, TODAY, None, None) == ()
    two = (_log("a", 0), _log("b", 3, status="skipped"))
    found = flags(tiny_plan(), two, TODAY, None, None)
    assert MISSED_FLAG_AT == 2
    assert [(f.kind, f.session_id, f.what) for f in found] == [
        (FlagKind.MISSED, "c", "Not logged"), (FlagKind.MISSED, "b", "Skipped")]
    # Kept the plan on day 4: b (day 3) was never the athlete's to log.
    assert flags(tiny_plan(), (_log("a", 0),), TODAY, None, None,
                 tracked_since=MONDAY + dt.timedelta(days=4)) == ()
    # On c's own day only b is missed: c is not missed yet (and a rest day never is).
    assert flags(tiny_plan(), (_log("a", 0),), MONDAY + dt.timedelta(days=8), None,
                 None) == ()


def test_a_pause_in_force_flags_and_the_list_is_newest_first() -> None:
    pause = Change(3, TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=1),
                   "pain-again-pause", "Pain 7/10 again", "B6", By.RULES, ())
    logs = (_log("a", 0, pain_during=8), _log("b", 3), _log("c", 8))
    found = flags(tiny_plan(), logs, TODAY, None, pause)
    assert [f.kind for f in found] == [FlagKind.PAUSED, FlagKind.PAIN]
    assert badges(found) == ("Pain", "Paused")
    assert "Pain 7/10 again" in found[0].what


def test_old_logs_do_not_flag() -> None:
    later = MONDAY + dt.timedelta(days=FLAG_WINDOW_DAYS + 1)
    logs = (_log("a", 0, pain_during=9), _log("b", 3), _log("c", 8))
    assert flags(tiny_plan(), logs, later, None, None) == ()


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 10),
                          st.integers(0, 10), st.booleans()), max_size=3),
       st.one_of(st.none(), st.integers(0, 10)))
def test_flags_are_newest_first_and_pain_flags_only_over_the_limit(
        entries: list[tuple[str, int, int, bool]], threshold: int | None) -> None:
    days = {"a": 0, "b": 3, "c": 8}
    logs = tuple(_log(sid, days[sid], pain_during=during, pain_next_morning=morning,
                      events=frozenset({Event.NECK_PAIN}) if neck else frozenset())
                 for sid, during, morning, neck in {e[0]: e for e in entries}.values())
    found = flags(tiny_plan(), logs, TODAY, threshold, None)
    assert [f.day for f in found] == sorted((f.day for f in found), reverse=True)
    limit = DEFAULT_PAIN_LIMIT if threshold is None else threshold
    pained = {log.session_id for log in logs
              if max(log.pain_during or 0, log.pain_next_morning or 0) > limit}
    assert {f.session_id for f in found if f.kind is FlagKind.PAIN} == pained
