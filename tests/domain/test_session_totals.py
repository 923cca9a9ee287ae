"""A session's totals, built from its frame's and filler's (frames.with_filler) or taken
from a core or strength template, equal those of its whole step list."""

from __future__ import annotations

from retrorun.domain.errors import DomainError
from retrorun.domain.generator import build_plan
from retrorun.domain.model import step_totals
from retrorun.domain.profile import parse_profile
from tests.domain.realistic import realistic_profiles


def test_every_session_carries_the_totals_of_its_steps() -> None:
    checked = 0
    for raw in realistic_profiles()[:120]:
        try:
            plan = build_plan(parse_profile(raw))
        except DomainError:
            continue
        for session in plan.sessions:
            assert session._totals == step_totals(session.steps), session.id
            checked += 1
    assert checked > 1000
