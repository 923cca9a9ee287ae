"""Calendar settings per user: time zone, start time of day, reminder minutes.

Revision ID: 8d3b6f2c41e0
Revises: 5c1f0e3b9a7d
Create Date: 2026-11-26 17:00:00

A new table, so no batch mode is needed on SQLite: nothing existing is altered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "8d3b6f2c41e0"
down_revision: str | Sequence[str] | None = "5c1f0e3b9a7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The bound as the code had it when this revision was written (tables.py may move on).
MAX_REMINDER_MINUTES = 1440


def upgrade() -> None:
    op.create_table(
        "calendar_settings",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            f"reminder_minutes IS NULL OR reminder_minutes BETWEEN 0 AND {MAX_REMINDER_MINUTES}",
            name=op.f("ck_calendar_settings_reminder_range")),
        sa.CheckConstraint("start_time IS NULL OR timezone IS NOT NULL",
                           name=op.f("ck_calendar_settings_timed_needs_timezone")),
        # CASCADE: deleting an account deletes its calendar settings with it.
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_calendar_settings_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_settings")),
    )


def downgrade() -> None:
    op.drop_table("calendar_settings")
