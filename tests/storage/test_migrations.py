"""The migrations build the schema the code expects, and undo it, on both databases."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from retrorun.storage import current_revision, downgrade, upgrade
from retrorun.storage.database import make_engine
from retrorun.storage.migrate import head_revision
from retrorun.storage.tables import metadata
from tests.storage.database import backends, fresh_url

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

TABLES = {"users", "password_resets", "sign_in_failures", "plans", "session_logs",
          "log_revisions", "coach_grants", "calendar_feeds", "calendar_events",
          "calendar_settings", "field_tests", "plan_versions", "user_sessions",
          "wizard_drafts", "activities", "import_jobs", "import_uploads"}


@pytest.fixture(params=backends())
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_url(request.param, tmp_path, request)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_and_records_the_head(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES
    assert current_revision(empty_url) == head_revision()


def test_upgrade_twice_is_harmless(empty_url: str) -> None:
    upgrade(empty_url)
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()


def test_downgrade_to_base_removes_everything_and_upgrade_rebuilds(empty_url: str) -> None:
    upgrade(empty_url)
    downgrade(empty_url, "base")
    assert _tables(empty_url) == set()
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES


def test_migrated_schema_matches_the_tables_module(empty_url: str) -> None:
    """A change to tables.py without a migration fails here."""
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_each_revision_downgrades_to_its_parent_and_back(empty_url: str) -> None:
    from alembic.script import ScriptDirectory

    from retrorun.storage.migrate import _config

    revisions = list(ScriptDirectory.from_config(_config()).walk_revisions())
    assert len(revisions) >= 2
    upgrade(empty_url)
    for script in revisions:  # newest first
        assert current_revision(empty_url) == script.revision
        parent = script.down_revision or "base"
        assert isinstance(parent, str)  # a straight history: no merge revisions
        downgrade(empty_url, parent)
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()


CALENDAR_FEEDS = "5c1f0e3b9a7d"  # the revision before calendar settings
USER = ("u1", "ann@example.com", "x", "2026-11-02 09:00:00+00", "2026-11-02 09:00:00+00")


def test_calendar_settings_come_and_go_without_touching_the_feeds(empty_url: str) -> None:
    """The calendar-settings revision adds its table on top of existing data, enforces
    its checks in the database, and its downgrade removes only that table."""
    upgrade(empty_url, CALENDAR_FEEDS)
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, email, password_hash, created_at, "
                "credentials_changed_at) VALUES (:i, :e, :p, :c, :d)"),
                dict(zip("iepcd", USER, strict=True)))
            connection.execute(text(
                "INSERT INTO calendar_feeds (user_id, token, created_at) "
                "VALUES ('u1', 'tok', :c)"), {"c": USER[3]})
        upgrade(empty_url)
        assert "calendar_settings" in _tables(empty_url)
        insert = text("INSERT INTO calendar_settings (user_id, timezone, start_time, "
                      "reminder_minutes, updated_at) VALUES ('u1', :tz, :start, :r, :at)")
        for wrong in ({"tz": "Europe/Berlin", "start": "07:00:00", "r": 1441},
                      {"tz": None, "start": "07:00:00", "r": None}):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(insert, {**wrong, "at": USER[3]})
        with engine.begin() as connection:
            connection.execute(insert, {"tz": "Europe/Berlin", "start": "07:00:00", "r": 30,
                                        "at": USER[3]})
        downgrade(empty_url, CALENDAR_FEEDS)
        assert "calendar_settings" not in _tables(empty_url)
        with engine.connect() as connection:
            # Through 5e55101a0b11 and back, the token column holds the token's hash.
            assert connection.execute(text("SELECT token FROM calendar_feeds")).all() == [
                (hashlib.sha256(b"tok").hexdigest(),)]
    finally:
        engine.dispose()


CALENDAR_SETTINGS = "8d3b6f2c41e0"  # the revision before plans kept a calendar key
PLAN = {"i": "p1", "a": "u1", "v": 2, "p": '{"age": 34}', "l": "{}", "d": '{"weeks": []}',
        "c": USER[3]}
LOG = {"i": "l1", "a": "u1", "p": "p1", "s": "w1-tue", "d": "2026-11-03", "r": 1,
       "st": "done", "f": 600, "b": 60, "e": "", "n": "", "c": USER[3]}


def _plan_and_log(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (id, email, password_hash, created_at, "
            "credentials_changed_at) VALUES (:i, :e, :p, :c, :d)"),
            dict(zip("iepcd", USER, strict=True)))
        connection.execute(text(
            "INSERT INTO plans (id, athlete_id, version, profile, limits, document, "
            "created_at, updated_at) VALUES (:i, :a, :v, :p, :l, :d, :c, :c)"), PLAN)
        connection.execute(text(
            "INSERT INTO session_logs (id, athlete_id, plan_id, session_id, session_date, "
            "revision, status, forward_seconds, backward_seconds, events, notes, "
            "created_at, updated_at) VALUES (:i, :a, :p, :s, :d, :r, :st, :f, :b, :e, :n, "
            ":c, :c)"), LOG)


def _plan_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("plans")}


def test_the_calendar_key_comes_and_goes_keeping_plans_and_their_logs(empty_url: str) -> None:
    """Existing plans get no key (their exports keep id-based UIDs); the downgrade drops
    only the column (SQLite copies the table: the logs keep their plan)."""
    upgrade(empty_url, CALENDAR_SETTINGS)
    engine = make_engine(empty_url)
    try:
        _plan_and_log(engine)
        upgrade(empty_url)
        assert "calendar_key" in _plan_columns(engine)
        with engine.begin() as connection:
            assert connection.execute(text(
                "SELECT id, version, calendar_key FROM plans")).all() == [("p1", 2, None)]
            connection.execute(text("UPDATE plans SET calendar_key = '0123456789abcdef'"))
        downgrade(empty_url, CALENDAR_SETTINGS)
        engine.dispose()  # SQLite: forget the table shape cached by the old connections
        assert "calendar_key" not in _plan_columns(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, version FROM plans")).all() == [
                ("p1", 2)]
            assert connection.execute(text("SELECT id, plan_id FROM session_logs")).all() == [
                ("l1", "p1")]
    finally:
        engine.dispose()


def test_sqlite_file_and_folder_are_created_on_first_upgrade(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "retrorun.sqlite3"
    upgrade(f"sqlite:///{target}")
    assert target.is_file()


def test_migration_files_are_date_prefixed() -> None:
    from retrorun.storage import migrate

    versions = sorted(p.name for p in (migrate._HERE / "migrations" / "versions").glob("*.py"))
    assert versions
    for name in versions:
        assert name[:10].count("-") == 2, name
        assert name[10] == "_", name


def test_asking_for_the_revision_does_not_create_a_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "missing.sqlite3"
    assert current_revision(f"sqlite:///{target}") is None
    assert not target.exists()


FIELD_TESTS = "f4a7c2d9e1b5"  # the revision before plan versions and coach notes


def test_plan_versions_start_from_each_stored_plan_and_go_keeping_the_current_one(
    empty_url: str,
) -> None:
    """Each existing plan becomes its version row; one current plan per athlete is
    enforced; the downgrade drops replaced plans (their logs lose only the plan id) and
    the notes, keeping the current plan and its logs."""
    upgrade(empty_url, FIELD_TESTS)
    engine = make_engine(empty_url)
    try:
        _plan_and_log(engine)
        upgrade(empty_url)
        with engine.begin() as connection:
            assert connection.execute(text(
                "SELECT athlete_id, plan_id, version, kind FROM plan_versions")).all() == [
                ("u1", "p1", 2, "adapted")]
        second_current = text(
            "INSERT INTO plans (id, athlete_id, version, profile, limits, document, "
            "created_at, updated_at) VALUES ('p2', :a, 1, :p, :l, :d, :c, :c)")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(second_current, PLAN)
        with engine.begin() as connection:
            connection.execute(text("UPDATE plans SET replaced_at = :c"), PLAN)
            connection.execute(second_current, PLAN)  # p1 replaced: p2 may be current
            connection.execute(text(
                "UPDATE coach_grants SET note = 'x'"))  # the column exists
        downgrade(empty_url, FIELD_TESTS)
        engine.dispose()
        assert "replaced_at" not in _plan_columns(engine)
        assert "plan_versions" not in _tables(empty_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id FROM plans")).all() == [("p2",)]
            assert connection.execute(text("SELECT id, plan_id FROM session_logs")).all() == [
                ("l1", None)]
    finally:
        engine.dispose()


PLAN_VERSIONS = "9b1e5c7a2f30"  # the revision before issue 11's security schema


def test_security_schema_keeps_grants_active_and_feed_urls_working(empty_url: str) -> None:
    """Existing grants become 'active' (they gave access before), existing users count as
    verified from their creation (so a coach keeps the athletes it reads), and an existing
    feed token is found by its sha256 after the upgrade; the downgrade puts a token column
    back (holding the hash) and drops the new tables."""
    upgrade(empty_url, PLAN_VERSIONS)
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, email, password_hash, created_at, "
                "credentials_changed_at) VALUES (:i, :e, :p, :c, :d)"),
                dict(zip("iepcd", USER, strict=True)))
            connection.execute(text(
                "INSERT INTO coach_grants (id, athlete_id, coach_email, created_at) "
                "VALUES ('g1', 'u1', 'coach@example.com', :c)"), {"c": USER[3]})
            connection.execute(text(
                "INSERT INTO calendar_feeds (user_id, token, created_at) "
                "VALUES ('u1', 'secret-token', :c)"), {"c": USER[3]})
        upgrade(empty_url)
        engine.dispose()
        digest = hashlib.sha256(b"secret-token").hexdigest()
        with engine.begin() as connection:
            assert connection.execute(text(
                "SELECT status, responded_at FROM coach_grants")).all() == [("active", None)]
            verified = connection.execute(text(
                "SELECT email_verified_at, created_at FROM users")).all()
            assert len(verified) == 1
            assert verified[0][0] is not None
            assert str(verified[0][0])[:19] == str(verified[0][1])[:19]
            assert connection.execute(text(
                "SELECT user_id FROM calendar_feeds WHERE token_hash = :h"),
                {"h": digest}).all() == [("u1",)]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE coach_grants SET status = 'maybe'"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO coach_grants (id, athlete_id, coach_email, created_at) "
                "VALUES ('g2', 'u1', 'other@example.com', :c)"), {"c": USER[3]})
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO user_sessions (id, user_id, token_hash, user_agent, created_at, "
                "last_seen_at) VALUES ('s1', 'u1', 'h', 'ua', :c, :c)"), {"c": USER[3]})
            connection.execute(text("DELETE FROM users"))  # sessions go with the account
            assert connection.execute(text("SELECT id FROM user_sessions")).all() == []
            connection.execute(text(
                "INSERT INTO users (id, email, password_hash, created_at, "
                "credentials_changed_at) VALUES (:i, :e, :p, :c, :d)"),
                dict(zip("iepcd", USER, strict=True)))
            connection.execute(text(
                "INSERT INTO calendar_feeds (user_id, token_hash, created_at) "
                "VALUES ('u1', :h, :c)"), {"h": digest, "c": USER[3]})
        downgrade(empty_url, PLAN_VERSIONS)
        engine.dispose()
        assert {"user_sessions", "wizard_drafts"}.isdisjoint(_tables(empty_url))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT user_id, token FROM calendar_feeds")).all(
            ) == [("u1", digest)]
    finally:
        engine.dispose()
