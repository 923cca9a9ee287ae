"""Settings: typed, from RETRORUN_* variables, production unless told otherwise, refusing
a default or guessable secret outside development."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from retrorun.config import DEVELOPMENT_SECRET, Environment, SettingsError, load_settings

if TYPE_CHECKING:
    from pathlib import Path

STRONG = "Hq3vN8-fT1zL0wXk_Pj5rYc2sBn7mUe4aGd9iOh6VtQ"  # like secrets.token_urlsafe(32)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENVIRONMENT", "DATA_DIR", "DATABASE_URL", "SECRET_KEY", "HOST", "PORT",
                 "BASE_URL", "SEED_DEMO", "SIGN_IN_MAX_FAILURES", "TRUSTED_PROXIES",
                 "HASH_WORKERS"):
        monkeypatch.delenv(f"RETRORUN_{name}", raising=False)


def test_an_unset_environment_is_production(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail safe (issue 11, finding 6): no public cookie key, no demo accounts."""
    with pytest.raises(SettingsError, match="RETRORUN_SECRET_KEY must be set in production"):
        load_settings()
    settings = load_settings(secret_key=STRONG)
    assert settings.environment is Environment.PRODUCTION
    assert not settings.development
    assert not settings.should_seed_demo


def test_development_defaults_are_a_local_server_on_sqlite_in_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RETRORUN_ENVIRONMENT", "development")
    settings = load_settings()
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'retrorun.sqlite3'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.should_seed_demo


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRORUN_SECRET_KEY", STRONG)
    monkeypatch.setenv("RETRORUN_DATABASE_URL", "postgresql+psycopg://u@db/retrorun")
    monkeypatch.setenv("RETRORUN_PORT", "9000")
    monkeypatch.setenv("RETRORUN_SIGN_IN_MAX_FAILURES", "3")
    settings = load_settings()
    assert settings.resolved_database_url == "postgresql+psycopg://u@db/retrorun"
    assert settings.port == 9000
    assert settings.sign_in_max_failures == 3


def test_keyword_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRORUN_PORT", "9000")
    assert load_settings(port=8123, environment="development").port == 8123


@pytest.mark.parametrize("environment", ["production", "test"])
def test_the_default_secret_is_refused_outside_development(
    monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("RETRORUN_ENVIRONMENT", environment)
    with pytest.raises(SettingsError, match="RETRORUN_SECRET_KEY"):
        load_settings()
    with pytest.raises(SettingsError, match="RETRORUN_SECRET_KEY"):
        load_settings(secret_key=DEVELOPMENT_SECRET)
    with pytest.raises(SettingsError, match="at least 32"):
        load_settings(secret_key="short")
    settings = load_settings(secret_key=STRONG)
    assert settings.secret_key.get_secret_value() == STRONG
    assert not settings.should_seed_demo
    assert STRONG not in repr(settings)


@pytest.mark.parametrize("secret", [" " * 32, " " * 64, "a" * 48, "ab" * 24, "abcd" * 10,
                                    "0123456789" * 4, "abcdefghijklmnopqrstuvwxyz012345",
                                    "zyxwvutsrqponmlkjihgfedcba9876543210"])
def test_production_refuses_a_guessable_secret(secret: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(environment="production", secret_key=secret)
    message = str(refused.value)
    assert message.startswith("RETRORUN_SECRET_KEY")
    assert "\n" not in message
    assert secret not in message  # a refused secret is not echoed (to logs)


def test_production_accepts_generated_secrets() -> None:
    import secrets

    for _ in range(50):
        for secret in (secrets.token_urlsafe(32), secrets.token_hex(16),
                       secrets.token_urlsafe(48)):
            loaded = load_settings(environment="production", secret_key=secret)
            assert loaded.secret_key.get_secret_value() == secret


def test_demo_accounts_only_outside_production() -> None:
    with pytest.raises(SettingsError, match="RETRORUN_SEED_DEMO"):
        load_settings(environment="production", secret_key=STRONG, seed_demo=True)
    assert load_settings(environment="development").should_seed_demo
    assert not load_settings(environment="production", secret_key=STRONG).should_seed_demo


def test_trusted_proxies_are_addresses_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRORUN_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16,::1")
    networks = load_settings(environment="development").trusted_networks
    assert [str(n) for n in networks] == ["10.0.0.1/32", "192.168.0.0/16", "::1/128"]
    assert load_settings(environment="development", trusted_proxies="").trusted_networks == ()
    with pytest.raises(SettingsError, match=r"RETRORUN_TRUSTED_PROXIES: 'proxy\.lan'"):
        load_settings(environment="development", trusted_proxies="10.0.0.1,proxy.lan")


@pytest.mark.parametrize("secret", [" " * 32, "short"])
def test_serve_refuses_a_weak_secret_with_one_line(tmp_path: Path, secret: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
    env |= {"RETRORUN_SECRET_KEY": secret, "RETRORUN_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", "from retrorun.cli import main; main()",
                           "serve", "--port", "1"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: RETRORUN_SECRET_KEY")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "retrorun.sqlite3").exists()  # refused before touching anything


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(SettingsError, match="RETRORUN_PORT"):
        load_settings(port=70000, environment="development")
    with pytest.raises(SettingsError, match="RETRORUN_ENVIRONMENT"):
        load_settings(environment="staging")


def test_importing_config_builds_nothing() -> None:
    from retrorun import config

    assert not any(isinstance(v, config.Settings) for v in vars(config).values())


def test_every_setting_is_documented_in_the_config_docstring() -> None:
    from retrorun import config

    doc = config.__doc__ or ""
    for name in config.Settings.model_fields:
        assert f"RETRORUN_{name.upper()}" in doc, name


def test_the_sign_up_limit_is_a_setting() -> None:
    from retrorun.bootstrap import account_policy

    settings = load_settings(environment="development", sign_ups_per_address_hour=3)
    assert account_policy(settings).limits.sign_up_address.events == 3
    assert account_policy(load_settings(environment="development")).limits \
        .sign_up_address.events == 10


def test_a_production_server_needs_a_base_url_and_a_mail_server() -> None:
    from retrorun.config import check_server_settings

    full = {"environment": "production", "secret_key": STRONG,
            "base_url": "https://retrorun.example.org", "smtp_host": "smtp.example.org"}
    check_server_settings(load_settings(**full))
    for missing, named in (("base_url", "RETRORUN_BASE_URL"),
                           ("smtp_host", "RETRORUN_SMTP_HOST")):
        with pytest.raises(SettingsError, match=named):
            check_server_settings(load_settings(**{**full, missing: ""}))
    with pytest.raises(SettingsError, match="RETRORUN_BASE_URL"):
        check_server_settings(load_settings(**{**full, "base_url": "retrorun.example.org"}))
    check_server_settings(load_settings(environment="development"))  # the console is fine
    assert load_settings(**full).sender == "retrorun <no-reply@retrorun.example.org>"
