"""The free plan's session entries, on a plain dict (what the signed cookie holds)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from retrorun.web import free_plan

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)
ANSWERS: dict[str, Any] = {"age": 34, "available_days": ["tue", "thu"], "screen": {}}


def test_the_first_preview_makes_a_random_key_that_changed_answers_keep() -> None:
    session: dict[str, Any] = {}
    free_plan.remember_answers(session, ANSWERS, NOW)
    first = free_plan.free_calendar(session, LATER)
    assert re.fullmatch(r"[0-9a-f]{16}", first.key)
    assert first.made_at == NOW
    free_plan.remember_answers(session, dict(ANSWERS), LATER)  # the same answers
    assert free_plan.free_calendar(session, LATER) == first
    free_plan.remember_answers(session, {**ANSWERS, "age": 35}, LATER)
    assert free_plan.free_calendar(session, LATER) == free_plan.FreeCalendar(first.key, LATER)
    other: dict[str, Any] = {}
    free_plan.remember_answers(other, ANSWERS, NOW)
    assert free_plan.free_calendar(other, NOW).key != first.key


def test_a_browser_that_previewed_before_keys_existed_gets_one_and_keeps_it() -> None:
    session: dict[str, Any] = {free_plan.PENDING: ANSWERS}
    made = free_plan.free_calendar(session, NOW)
    assert free_plan.free_calendar(session, LATER) == made
    assert made.made_at == NOW


def test_a_stored_value_that_is_not_a_key_or_a_time_is_replaced() -> None:
    for wrong in ({"key": "../../etc", "made_at": "yesterday"},
                  {"key": 42, "made_at": "2026-11-02T09:00:00"},  # naive time
                  "not a dict"):
        session: dict[str, Any] = {free_plan.PENDING: ANSWERS, free_plan.FREE_CALENDAR: wrong}
        made = free_plan.free_calendar(session, LATER)
        assert re.fullmatch(r"[0-9a-f]{16}", made.key)
        assert made.made_at == LATER


def test_a_sign_in_carries_the_key_only_with_a_pending_plan() -> None:
    session: dict[str, Any] = {"uid": "someone", "csrf": "x"}
    free_plan.remember_answers(session, ANSWERS, NOW)
    carried = free_plan.carried_into_sign_in(session)
    assert carried == {free_plan.PENDING: ANSWERS,
                       free_plan.FREE_CALENDAR: session[free_plan.FREE_CALENDAR]}
    del session[free_plan.PENDING]  # kept already: the next person starts afresh
    assert free_plan.carried_into_sign_in(session) == {}
