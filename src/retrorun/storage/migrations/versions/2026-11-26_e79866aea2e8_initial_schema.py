"""Initial schema: users, reset tokens, sign-in failures, plans, logs, coach grants.

Revision ID: e79866aea2e8
Revises:
Create Date: 2026-11-26 14:08:29

Datetimes are `timestamp with time zone` on PostgreSQL and UTC text on SQLite; the
application's UTCDateTime type makes both come back timezone-aware.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "e79866aea2e8"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS = "status IN ('done', 'partial', 'skipped')"
SCALES = (
    "(rpe IS NULL OR rpe BETWEEN 0 AND 10) AND "
    "(pain_during IS NULL OR pain_during BETWEEN 0 AND 10) AND "
    "(pain_next_morning IS NULL OR pain_next_morning BETWEEN 0 AND 10)"
)
MINUTES = "forward_seconds >= 0 AND backward_seconds >= 0"
LIMITS = (
    "(max_backward_minutes_per_week IS NULL OR max_backward_minutes_per_week >= 1) AND "
    "(pain_threshold IS NULL OR pain_threshold BETWEEN 0 AND 10)"
)


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str) -> sa.Column[object]:
    # json, not jsonb, on PostgreSQL: jsonb would reorder the document's keys.
    return sa.Column(name, sa.JSON(), nullable=False)


def _entry() -> list[sa.Column[object]]:
    return [
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("forward_seconds", sa.Integer(), nullable=False),
        sa.Column("backward_seconds", sa.Integer(), nullable=False),
        sa.Column("rpe", sa.Integer(), nullable=True),
        sa.Column("pain_during", sa.Integer(), nullable=True),
        sa.Column("pain_next_morning", sa.Integer(), nullable=True),
        sa.Column("events", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
    ]


def _user_fk(table: str, column: str = "athlete_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_{column}_users"))


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_key_at", "sign_in_failures", ["key", "at"])
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        _when("created_at"),
        _when("credentials_changed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "coach_grants",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("athlete_id", sa.String(length=32), nullable=False),
        sa.Column("coach_email", sa.String(length=254), nullable=False),
        _when("created_at"),
        sa.Column("max_backward_minutes_per_week", sa.Integer(), nullable=True),
        sa.Column("pain_threshold", sa.Integer(), nullable=True),
        _when("limits_set_at", nullable=True),
        sa.CheckConstraint(LIMITS, name=op.f("ck_coach_grants_limits")),
        _user_fk("coach_grants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_grants")),
        sa.UniqueConstraint("athlete_id", "coach_email",
                            name=op.f("uq_coach_grants_athlete_id_coach_email")),
    )
    op.create_index(op.f("ix_coach_grants_coach_email"), "coach_grants", ["coach_email"])
    op.create_table(
        "password_resets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        _when("used_at", nullable=True),
        _user_fk("password_resets", "user_id"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_password_resets")),
    )
    op.create_index(op.f("ix_password_resets_user_id"), "password_resets", ["user_id"])
    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("athlete_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _json("profile"),
        _json("limits"),
        _json("document"),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint("version >= 1", name=op.f("ck_plans_version_positive")),
        _user_fk("plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("athlete_id", name=op.f("uq_plans_athlete_id")),
    )
    op.create_table(
        "session_logs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("athlete_id", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.String(length=32), nullable=True),
        sa.Column("session_id", sa.String(length=100), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        *_entry(),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint(STATUS, name=op.f("ck_session_logs_status")),
        sa.CheckConstraint(SCALES, name=op.f("ck_session_logs_scales")),
        sa.CheckConstraint(MINUTES, name=op.f("ck_session_logs_minutes")),
        _user_fk("session_logs"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="SET NULL",
                                name=op.f("fk_session_logs_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
        sa.UniqueConstraint("athlete_id", "session_id", "session_date",
                            name=op.f("uq_session_logs_athlete_id_session_id_session_date")),
    )
    op.create_table(
        "log_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        *_entry(),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.CheckConstraint(STATUS, name=op.f("ck_log_revisions_status")),
        sa.CheckConstraint(SCALES, name=op.f("ck_log_revisions_scales")),
        sa.CheckConstraint(MINUTES, name=op.f("ck_log_revisions_minutes")),
        sa.ForeignKeyConstraint(["log_id"], ["session_logs.id"], ondelete="CASCADE",
                                name=op.f("fk_log_revisions_log_id_session_logs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_revisions")),
        sa.UniqueConstraint("log_id", "revision", name=op.f("uq_log_revisions_log_id_revision")),
    )


def downgrade() -> None:
    op.drop_table("log_revisions")
    op.drop_table("session_logs")
    op.drop_table("plans")
    op.drop_index(op.f("ix_password_resets_user_id"), table_name="password_resets")
    op.drop_table("password_resets")
    op.drop_index(op.f("ix_coach_grants_coach_email"), table_name="coach_grants")
    op.drop_table("coach_grants")
    op.drop_table("users")
    op.drop_index("ix_sign_in_failures_key_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
