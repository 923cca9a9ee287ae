"""The fallback week: last week repeated a week later, timed steps scaled."""

from __future__ import annotations

import datetime as dt

from retrorun.domain.fallback import repeat_week
from retrorun.domain.generator import build_plan
from retrorun.domain.profile import parse_profile

PROFILE = {"experience": "recreational", "weekly_minutes": 150, "available_days":
           ["mon", "wed", "fri", "sun"], "goal": "speed_power", "age": 16,
           "surfaces": ["grass"], "start_date": "2026-11-30", "screen": {}}


def test_a_repeated_week_moves_a_week_later_with_new_ids_and_scaled_time() -> None:
    plan = build_plan(parse_profile(PROFILE))
    week = plan.weeks[4]
    again = repeat_week(week, 6, 0.75, lighter=True)
    assert again.index == 6
    assert again.lighter
    assert again.stage == week.stage
    for before, after in zip(week.sessions, again.sessions, strict=True):
        assert after.date - before.date == dt.timedelta(days=7)
        assert after.id == before.id.replace("-w05-", "-w06-")
        assert after.backward_gaits == before.backward_gaits
        assert after.surface == before.surface
        distance = [(a.meters, a.seconds) for a in after.flat_steps if a.meters]
        assert distance == [(b.meters, b.seconds) for b in before.flat_steps if b.meters]
    ratio = again.running_seconds / week.running_seconds
    assert 0.70 <= ratio <= 0.85  # distance steps keep their size, the rest shrinks
    assert all(f"{round(s.running_seconds / 60)} min" in s.title
               for s in again.sessions if s.running_seconds >= 60)
