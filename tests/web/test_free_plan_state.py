"""The free plan's session entries, on a plain dict (what the signed cookie holds), with
the answers in an in-memory database (the server side)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from retrorun.services.drafts import DRAFT_TTL
from retrorun.web import free_plan
from tests.services.fakes import FakeClock
from tests.services.memory import MemoryDatabase, MemoryUnitOfWork

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)
ANSWERS: dict[str, Any] = {"age": 34, "available_days": ["tue", "thu"],
                           "screen": {"late_pregnancy": False}}


@dataclass
class Ctx:
    """What `free_plan` asks of the web services: a unit of work and a clock."""

    clock: FakeClock = field(default_factory=lambda: FakeClock(NOW))
    database: MemoryDatabase = field(default_factory=MemoryDatabase)

    def uow(self) -> MemoryUnitOfWork:
        return self.database.unit_of_work()


def _remember(session: dict[str, Any], ctx: Ctx, data: dict[str, Any],
              at: dt.datetime) -> None:
    ctx.clock.current = at
    free_plan.remember_answers(session, ctx, data)  # type: ignore[arg-type]


def test_the_first_preview_makes_a_random_key_that_changed_answers_keep() -> None:
    session: dict[str, Any] = {}
    ctx = Ctx()
    _remember(session, ctx, ANSWERS, NOW)
    first = free_plan.free_calendar(session, LATER)
    assert re.fullmatch(r"[0-9a-f]{16}", first.key)
    assert first.made_at == NOW
    _remember(session, ctx, dict(ANSWERS), LATER)  # the same answers
    assert free_plan.free_calendar(session, LATER) == first
    _remember(session, ctx, {**ANSWERS, "age": 35}, LATER)
    assert free_plan.free_calendar(session, LATER) == free_plan.FreeCalendar(first.key, LATER)
    other: dict[str, Any] = {}
    _remember(other, ctx, ANSWERS, NOW)
    assert free_plan.free_calendar(other, NOW).key != first.key


def test_the_cookie_holds_an_opaque_id_and_the_server_the_answers() -> None:
    session: dict[str, Any] = {}
    ctx = Ctx()
    _remember(session, ctx, ANSWERS, NOW)
    assert set(session) == {free_plan.DRAFT, free_plan.FREE_CALENDAR}
    assert "late_pregnancy" not in repr(session)
    assert free_plan.answers(session, ctx) == ANSWERS  # type: ignore[arg-type]
    assert free_plan.answers({free_plan.DRAFT: "x" * 32}, ctx) is None  # type: ignore[arg-type]
    assert free_plan.answers({free_plan.DRAFT: "../" * 10}, ctx) is None  # type: ignore[arg-type]


def test_a_draft_is_gone_after_a_day_and_purged_at_the_next_write() -> None:
    session: dict[str, Any] = {}
    ctx = Ctx()
    _remember(session, ctx, ANSWERS, NOW)
    ctx.clock.current = NOW + DRAFT_TTL - dt.timedelta(seconds=1)
    assert free_plan.answers(session, ctx) == ANSWERS  # type: ignore[arg-type]
    ctx.clock.current = NOW + DRAFT_TTL
    assert free_plan.answers(session, ctx) is None  # type: ignore[arg-type]
    assert ctx.database.store.count("wizard_drafts") == 1  # still stored, not shown
    # Another browser writes: drafts last changed more than a day before go.
    _remember({}, ctx, ANSWERS, NOW + DRAFT_TTL + dt.timedelta(seconds=1))
    assert ctx.database.store.count("wizard_drafts") == 1


def test_a_browser_that_previewed_before_keys_existed_gets_one_and_keeps_it() -> None:
    session: dict[str, Any] = {}
    made = free_plan.free_calendar(session, NOW)
    assert free_plan.free_calendar(session, LATER) == made
    assert made.made_at == NOW


def test_a_stored_value_that_is_not_a_key_or_a_time_is_replaced() -> None:
    for wrong in ({"key": "../../etc", "made_at": "yesterday"},
                  {"key": 42, "made_at": "2026-11-02T09:00:00"},  # naive time
                  "not a dict"):
        session: dict[str, Any] = {free_plan.FREE_CALENDAR: wrong}
        made = free_plan.free_calendar(session, LATER)
        assert re.fullmatch(r"[0-9a-f]{16}", made.key)
        assert made.made_at == LATER


def test_a_sign_in_carries_the_key_only_with_a_pending_plan() -> None:
    session: dict[str, Any] = {"uid": "someone", "csrf": "x"}
    _remember(session, Ctx(), ANSWERS, NOW)
    carried = free_plan.carried_into_sign_in(session)
    assert carried == {free_plan.DRAFT: session[free_plan.DRAFT],
                       free_plan.FREE_CALENDAR: session[free_plan.FREE_CALENDAR]}
    del session[free_plan.DRAFT]  # kept already: the next person starts afresh
    assert free_plan.carried_into_sign_in(session) == {}
