"""Which queue the settings pick (RETRORUN_JOBS, RETRORUN_REDIS_URL), and what
`retrorun worker` says when there is no queue to take jobs from."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from retrorun.bootstrap import InlineJobQueue, build_services
from retrorun.config import JobsBackend, SettingsError, load_settings
from retrorun.jobs import HueyJobQueue, make_huey, queue_name
from tests.jobs.helpers import RETRORUN, SECRET, queue_env

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.mark.parametrize(("values", "expected"), [
    ({"environment": "test"}, JobsBackend.INLINE),
    ({"environment": "test", "database_url": PG}, JobsBackend.INLINE),
    ({"environment": "development"}, JobsBackend.SQLITE),
    ({"environment": "development", "database_url": PG}, JobsBackend.REDIS),
    ({"environment": "test", "jobs": "sqlite"}, JobsBackend.SQLITE),
    ({"environment": "development", "database_url": PG, "jobs": "inline"},
     JobsBackend.INLINE),
])
def test_the_queue_follows_the_database_unless_set(values: dict[str, object],
                                                   expected: JobsBackend) -> None:
    assert load_settings(secret_key=SECRET, **values).resolved_jobs is expected


def test_an_unknown_queue_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="RETRORUN_JOBS"):
        load_settings(secret_key=SECRET, environment="test", jobs="celery")


def test_services_get_the_queue_the_settings_name(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    inline = build_services(load_settings(secret_key=SECRET, environment="test",
                                          database_url=url))
    queued = build_services(load_settings(secret_key=SECRET, environment="test",
                                          database_url=url, jobs="sqlite",
                                          data_dir=tmp_path))
    try:
        assert isinstance(inline.jobs, InlineJobQueue)
        assert isinstance(queued.jobs, HueyJobQueue)
        assert not (tmp_path / "jobs.sqlite3").exists()  # made on first use only
        assert type(queued.jobs.huey).__name__ == "SqliteHuey"
        assert (tmp_path / "jobs.sqlite3").is_file()
    finally:
        inline.close()
        queued.close()


def test_redis_is_reached_at_its_url_under_a_name_per_database() -> None:
    settings = load_settings(secret_key=SECRET, environment="development", database_url=PG,
                             redis_url="redis://127.0.0.1:6379/3")
    huey = make_huey(settings)
    assert type(huey).__name__ == "RedisHuey"
    assert huey.storage.conn.connection_pool.connection_kwargs["db"] == 3
    other = load_settings(secret_key=SECRET, environment="development",
                          database_url=PG + "_other")
    assert queue_name(settings) != queue_name(other)
    assert huey.name == queue_name(settings)


def test_a_worker_without_a_queue_says_so(tmp_path: Path) -> None:
    env = queue_env(f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, "inline")
    result = subprocess.run([RETRORUN, "worker"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert "RETRORUN_JOBS=inline" in result.stderr
