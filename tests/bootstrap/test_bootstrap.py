"""The composition root wires real adapters; start-up migrates and seeds the demo once."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from retrorun import bootstrap
from retrorun.config import load_settings
from retrorun.services import accounts, coaching, logs, passwords, plans
from retrorun.services.ports import Email
from retrorun.storage import current_revision
from retrorun.storage.migrate import head_revision

if TYPE_CHECKING:
    from pathlib import Path


def test_argon2_hasher_verifies_and_refuses() -> None:
    hasher = passwords.Argon2Hasher.fast_for_tests()
    hashed = hasher.hash("correct horse")
    assert hashed.startswith("$argon2id$")
    assert hasher.verify(hashed, "correct horse")
    assert not hasher.verify(hashed, "wrong horse")
    assert not hasher.verify("not a hash", "correct horse")
    assert passwords.Argon2Hasher().needs_rehash(hashed)  # cheaper than the defaults


def test_system_clock_is_timezone_aware_utc() -> None:
    assert bootstrap.SystemClock().now().utcoffset() == dt.timedelta(0)


def test_tokens_are_long_and_unique() -> None:
    factory = bootstrap.SecretsTokenFactory()
    tokens = {factory.new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert min(len(t) for t in tokens) >= 40


def test_console_mailer_prints_and_keeps_the_mail(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    mailer = bootstrap.ConsoleMailer(stream=sys.stdout)
    mailer.send(Email("a@example.com", "Subject", "Body with a link\n"))
    assert "a@example.com" in capsys.readouterr().out
    assert mailer.sent[-1].subject == "Subject"


def test_start_migrates_and_seeds_the_demo_once(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", environment="development")
    services = bootstrap.start(settings)
    try:
        assert (tmp_path / "data" / "retrorun.sqlite3").is_file()
        assert current_revision(settings.resolved_database_url) == head_revision()
        demo = accounts.authenticate(services.uow(), email=bootstrap.DEMO_EMAIL,
                                     password=bootstrap.DEMO_PASSWORD, hasher=services.hasher,
                                     clock=services.clock)
        plan = plans.get_plan(services.uow(), user_id=demo.id)
        today = services.clock.now().date()
        assert plan.plan.start_date < today - dt.timedelta(weeks=2)
        assert len(plan.logs) >= 6
        assert all(log.session_date < today for log in plan.logs.values())
        assert all(w.backward_seconds <= bootstrap.DEMO_MAX_BACKWARD_MINUTES * 60
                   for w in plan.plan.weeks)
        coach = accounts.authenticate(services.uow(), email=bootstrap.DEMO_COACH_EMAIL,
                                      password=bootstrap.DEMO_PASSWORD, hasher=services.hasher,
                                      clock=services.clock)
        (athlete,) = coaching.list_athletes(services.uow(), user_id=coach.id)
        assert athlete.athlete_id == demo.id
        assert not bootstrap.seed_demo(services)  # a second start changes nothing
        assert len(logs.list_logs(services.uow(), user_id=demo.id)) == len(plan.logs)
    finally:
        services.close()


def test_test_environment_uses_cheap_hashes_and_a_silent_mailer(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, environment="test", secret_key="k" * 40)
    services = bootstrap.build_services(settings)
    try:
        assert isinstance(services.mailer, bootstrap.ConsoleMailer)
        assert services.mailer.stream is None
        assert services.policy.sign_in_max_failures == settings.sign_in_max_failures
    finally:
        services.close()
