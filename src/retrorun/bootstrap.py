"""The composition root: settings in, wired services out.

`build_services(settings)` is the one place that builds the engine and the adapters
behind the service ports; the web app and the CLI receive the result. `start(settings)`
is what a server does at start-up: migrate, build, and seed the demo athlete in
development.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrorun.domain.context import Limits
from retrorun.domain.document import plan_document
from retrorun.domain.generator import build_plan
from retrorun.mail import BackgroundMailer, ConsoleMailer, SmtpMailer, SmtpSettings
from retrorun.services import (
    accounts,
    coaching,
    import_jobs,
    logs,
    plans,
    throttle,
    verification,
)
from retrorun.services.accounts import AccountPolicy
from retrorun.services.passwords import Argon2Hasher, BoundedHasher
from retrorun.services.views import LogInput
from retrorun.storage import Database, upgrade

if TYPE_CHECKING:
    from retrorun.config import Settings
    from retrorun.domain.model import Plan, Session
    from retrorun.domain.profile import Profile
    from retrorun.services.import_jobs import JobQueue
    from retrorun.services.ports import (
        Clock,
        Mailer,
        PasswordHasher,
        Planner,
        TokenFactory,
        UnitOfWork,
    )
    from retrorun.services.records import CoachLimits


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class SecretsTokenFactory:
    def new_token(self) -> str:
        return secrets.token_urlsafe(32)


def build_mailer(settings: Settings) -> Mailer:
    """SMTP, sent in the background, when a mail server is set; else the console, which
    prints in development and keeps quiet in tests. A production server without SMTP
    never gets here (`config.check_server_settings`); the operator's own commands may
    print to the operator's terminal."""
    if settings.smtp_host:
        return BackgroundMailer(SmtpMailer(SmtpSettings(
            host=settings.smtp_host, port=settings.smtp_port,
            security=settings.smtp_security.value, user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value(), sender=settings.sender)))
    testing = settings.environment.value == "test"
    return ConsoleMailer(stream=None if testing else sys.stderr)


class InlineJobQueue:
    """Runs an import job as soon as it is enqueued, in the caller's thread: the tests
    (RETRORUN_JOBS=inline). `runner` runs one job by its id."""

    def __init__(self, runner: Callable[[str], object]) -> None:
        self.runner = runner

    def enqueue(self, job_id: str) -> None:
        self.runner(job_id)


def build_job_queue(settings: Settings, database: Database, clock: Clock) -> JobQueue:
    """The queue RETRORUN_JOBS asks for: inline, or huey's on SQLite or Redis (jobs.py)."""
    if settings.resolved_jobs.value == "inline":
        return InlineJobQueue(lambda job_id: import_jobs.run(
            database.unit_of_work(), job_id=job_id, clock=clock))
    from retrorun.jobs import HueyJobQueue

    return HueyJobQueue.build(settings, database, clock)


class DomainPlanner:
    """The domain's plan engine behind the services' Planner port."""

    def build(self, profile: Profile, limits: CoachLimits) -> Plan:
        return build_plan(profile, Limits(limits.max_backward_minutes_per_week,
                                          limits.pain_threshold))

    def document(self, plan: Plan) -> dict[str, Any]:
        return plan_document(plan)


@dataclass(frozen=True)
class Services:
    """Everything a shell needs to call the use cases.

    Usage: `accounts.sign_up(services.uow(), email=..., password=...,
    hasher=services.hasher, clock=services.clock, policy=services.policy)`.
    """

    settings: Settings
    database: Database
    clock: Clock
    hasher: PasswordHasher
    mailer: Mailer
    tokens: TokenFactory
    planner: Planner
    policy: AccountPolicy
    jobs: JobQueue

    def uow(self) -> UnitOfWork:
        """A fresh unit of work; give each use case call its own."""
        return self.database.unit_of_work()

    def close(self) -> None:
        self.database.dispose()


def account_policy(settings: Settings) -> AccountPolicy:
    return AccountPolicy(
        min_password_length=settings.min_password_length,
        reset_token_ttl=dt.timedelta(minutes=settings.reset_token_minutes),
        sign_in_max_failures=settings.sign_in_max_failures,
        sign_in_max_failures_per_client=settings.sign_in_max_failures_per_client,
        sign_in_window=dt.timedelta(seconds=settings.sign_in_window_seconds),
        other_limits=dataclasses.replace(
            throttle.DEFAULT_LIMITS, sign_up_address=throttle.Limit(
                settings.sign_ups_per_address_hour, dt.timedelta(hours=1))),
    )


def build_services(
    settings: Settings, *, clock: Clock | None = None, mailer: Mailer | None = None
) -> Services:
    """Wire the adapters. Does not touch the schema: see `start` and `storage.upgrade`."""
    testing = settings.environment.value == "test"
    database = Database(settings.resolved_database_url)
    clock = clock or SystemClock()
    return Services(
        settings=settings,
        database=database,
        clock=clock,
        # At most `hash_workers` Argon2 hashes at once, whoever asks (services.passwords).
        hasher=BoundedHasher(Argon2Hasher.fast_for_tests() if testing else Argon2Hasher(),
                             slots=settings.hash_workers),
        mailer=mailer or build_mailer(settings),
        tokens=SecretsTokenFactory(),
        planner=DomainPlanner(),
        policy=account_policy(settings),
        jobs=build_job_queue(settings, database, clock),
    )


def migrate(settings: Settings) -> None:
    """Bring the configured database to the newest schema (creates a SQLite file)."""
    upgrade(settings.resolved_database_url)


def start(settings: Settings) -> Services:
    """Server start-up: migrate the database, wire the services, seed the demo."""
    migrate(settings)
    services = build_services(settings)
    if settings.should_seed_demo:
        seed_demo(services)
    return services


# The demo accounts the README documents; created only in development (or when
# RETRORUN_SEED_DEMO=1), and never overwritten.
DEMO_EMAIL = "demo@retrorun.example"
DEMO_COACH_EMAIL = "coach@retrorun.example"
DEMO_PASSWORD = "run-backwards"  # noqa: S105  (public on purpose: a demo account)
DEMO_WEEKS_DONE = 3
DEMO_MAX_BACKWARD_MINUTES = 30
DEMO_PAIN_THRESHOLD = 4


def demo_profile(today: dt.date) -> dict[str, Any]:
    """A recreational runner who started the free plan three weeks ago (on a Monday)."""
    monday = today - dt.timedelta(days=today.weekday())
    return {
        "experience": "recreational", "weekly_minutes": 120, "runs_per_week": 3,
        "longest_run_minutes": 50, "available_days": ["tue", "thu", "sat", "sun"],
        "long_run_day": "sun", "goal": "general", "age": 34,
        "surfaces": ["track", "grass", "road"], "screen": {},
        "start_date": (monday - dt.timedelta(weeks=DEMO_WEEKS_DONE)).isoformat(),
    }


def seed_demo(services: Services) -> bool:
    """Create the demo athlete (plan, three weeks of logs) and their coach, once.

    Returns False when the demo athlete already exists.
    """
    with services.uow() as uow:
        if uow.users.by_email(DEMO_EMAIL) is not None:
            return False
    athlete = accounts.sign_up(services.uow(), email=DEMO_EMAIL, password=DEMO_PASSWORD,
                               hasher=services.hasher, clock=services.clock)
    coach = accounts.sign_up(services.uow(), email=DEMO_COACH_EMAIL, password=DEMO_PASSWORD,
                             hasher=services.hasher, clock=services.clock)
    for user in (athlete, coach):  # demo addresses: nobody to mail, trusted by seeding
        verification.mark_verified(services.uow(), user_id=user.id, clock=services.clock)
    silent = ConsoleMailer()
    grant = coaching.invite_coach(services.uow(), user_id=athlete.id, coach_email=coach.email,
                                  clock=services.clock, mailer=silent,
                                  link=services.settings.public_url)
    coaching.respond(services.uow(), user_id=coach.id, grant_id=grant.id, accept=True,
                     clock=services.clock)
    # A physiotherapist's caps, so the demo shows limits a plan honours.
    coaching.set_limits(services.uow(), user_id=coach.id, athlete_id=athlete.id,
                        max_backward_minutes_per_week=DEMO_MAX_BACKWARD_MINUTES,
                        pain_threshold=DEMO_PAIN_THRESHOLD, planner=services.planner,
                        clock=services.clock)
    today = services.clock.now().date()
    view = plans.create_plan(services.uow(), user_id=athlete.id,
                             profile_data=demo_profile(today), planner=services.planner,
                             clock=services.clock)
    past = [s for s in view.plan.sessions if s.date < today and s.running_seconds > 0]
    for number, session in enumerate(past):
        logs.log_session(services.uow(), user_id=athlete.id, session_id=session.id,
                         entry=_demo_entry(number, session), clock=services.clock)
    return True


def _demo_entry(number: int, session: Session) -> LogInput:
    """A believable log: mostly done, one skipped, a partial with a stumble."""
    forward = (session.running_seconds - session.backward_seconds) / 60
    backward = session.backward_seconds / 60
    if number == 4:
        return LogInput(status="skipped", notes="Work ran late.")
    if number == 6:
        return LogInput(status="partial", forward_minutes=forward * 0.7,
                        backward_minutes=backward / 2, rpe=5, pain_during=1,
                        pain_next_morning=0, events=["stumble"],
                        notes="Grass was uneven; cut the backward part short.")
    return LogInput(status="done", forward_minutes=forward, backward_minutes=backward,
                    rpe=3 + number % 3, pain_during=number % 2, pain_next_morning=0)
