from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from retrorun.bootstrap import DomainPlanner
from retrorun.services import accounts, coaching, plans, verification
from tests.services.fakes import FakeClock, FakeHasher, FakeMailer, FakeTokens
from tests.services.memory import MemoryDatabase
from tests.storage.database import (
    SqlDatabases,
    backends,
    database,
    empty_all_tables,
    migrated_database,
    postgres_schemas,
    sql_databases,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from retrorun.services.ports import UnitOfWork
    from retrorun.services.views import GrantView, PlanView, UserView
    from retrorun.storage import Database

__all__ = ["App", "app", "database", "migrated_database", "postgres_schemas", "sql_databases"]

PASSWORD = "correct horse battery"

PROFILE: dict[str, Any] = {
    "experience": "recreational", "weekly_minutes": 120, "runs_per_week": 3,
    "longest_run_minutes": 50, "available_days": ["tue", "thu", "sat", "sun"],
    "long_run_day": "sun", "goal": "general", "age": 34,
    "surfaces": ["track", "grass", "road"], "screen": {}, "start_date": "2026-11-02",
}


@dataclass
class App:
    """The ports wired to fakes and a database, plus helpers to arrange a test."""

    database: Database | MemoryDatabase
    clock: FakeClock
    hasher: FakeHasher
    tokens: FakeTokens
    mailer: FakeMailer
    planner: DomainPlanner

    def uow(self) -> UnitOfWork:
        return self.database.unit_of_work()

    def user(self, email: str = "ann@example.com", *, verified: bool = True) -> UserView:
        """An account; its email verified unless asked (as the mailed link would)."""
        user = accounts.sign_up(self.uow(), email=email, password=PASSWORD,
                                hasher=self.hasher, clock=self.clock)
        if not verified:
            return user
        verification.mark_verified(self.uow(), user_id=user.id, clock=self.clock)
        return accounts.get_user(self.uow(), user_id=user.id)

    def invite(self, *, athlete_id: str, coach_email: str) -> GrantView:
        """Invite a coach; when they have an account, they accept (access starts only then)."""
        grant = coaching.invite_coach(self.uow(), user_id=athlete_id, coach_email=coach_email,
                                      clock=self.clock, mailer=self.mailer,
                                      link="http://test/invitations")
        with self.uow() as uow:
            coach = uow.users.by_email(grant.coach_email)
        if coach is not None:
            coaching.respond(self.uow(), user_id=coach.id, grant_id=grant.id, accept=True,
                             clock=self.clock)
        return grant

    def plan(self, user: UserView, **changes: Any) -> PlanView:
        """Keep a plan; over a kept one, a new plan (the old one stays in the history)."""
        return plans.create_plan(self.uow(), user_id=user.id,
                                 profile_data={**PROFILE, **changes},
                                 planner=self.planner, clock=self.clock, replace=True)

    def count(self, table: str) -> int:
        if isinstance(self.database, MemoryDatabase):
            return self.database.store.count(table)
        from sqlalchemy import func, select

        from retrorun.storage.tables import metadata

        with self.database.engine.connect() as connection:
            return int(connection.execute(
                select(func.count()).select_from(metadata.tables[table])).scalar_one())


@pytest.fixture(params=["memory", *backends()])
def app(request: pytest.FixtureRequest, sql_databases: SqlDatabases) -> Iterator[App]:
    """Each service test runs on the in-memory unit of work and on every SQL database."""
    if request.param == "memory":
        store: Database | MemoryDatabase = MemoryDatabase()
    else:
        store = sql_databases.get(request.param)
    yield App(store, FakeClock(), FakeHasher(), FakeTokens(), FakeMailer(), DomainPlanner())
    if not isinstance(store, MemoryDatabase):
        empty_all_tables(store)
