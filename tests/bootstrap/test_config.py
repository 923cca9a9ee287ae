"""Settings: typed, from RETRORUN_* variables, refusing a default secret outside development."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrorun.config import DEVELOPMENT_SECRET, Environment, SettingsError, load_settings

if TYPE_CHECKING:
    from pathlib import Path

STRONG = "s" * 48


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENVIRONMENT", "DATA_DIR", "DATABASE_URL", "SECRET_KEY", "HOST", "PORT",
                 "BASE_URL", "SEED_DEMO", "SIGN_IN_MAX_FAILURES"):
        monkeypatch.delenv(f"RETRORUN_{name}", raising=False)


def test_defaults_are_a_development_server_on_sqlite_in_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'retrorun.sqlite3'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.should_seed_demo


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRORUN_DATABASE_URL", "postgresql+psycopg://u@db/retrorun")
    monkeypatch.setenv("RETRORUN_PORT", "9000")
    monkeypatch.setenv("RETRORUN_SIGN_IN_MAX_FAILURES", "3")
    settings = load_settings()
    assert settings.resolved_database_url == "postgresql+psycopg://u@db/retrorun"
    assert settings.port == 9000
    assert settings.sign_in_max_failures == 3


def test_keyword_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRORUN_PORT", "9000")
    assert load_settings(port=8123).port == 8123


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


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(SettingsError, match="RETRORUN_PORT"):
        load_settings(port=70000)
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
