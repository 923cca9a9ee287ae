"""Imported watch files (issue 12): the `activities` table.

Revision ID: a4f18c6d2e57
Revises: 7c3d2a9e4b10
Create Date: 2026-12-03 14:10:00

One row per activity; laps as a JSON list, the per-second samples as one columnar blob.
A file hash is unique per athlete, so a re-import (or a racing one) stores nothing twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "a4f18c6d2e57"
down_revision: str | Sequence[str] | None = "7c3d2a9e4b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As tables.py had them when this revision was written.
ID, SESSION_ID, FILE_NAME, SPORT = 32, 100, 300, 40


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("athlete_id", sa.String(ID), sa.ForeignKey(
            "users.id", ondelete="CASCADE", name=op.f("fk_activities_athlete_id_users")),
            nullable=False),
        sa.Column("file_name", sa.String(FILE_NAME), nullable=False),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("source_format", sa.String(8), nullable=False),
        sa.Column("sport", sa.String(SPORT), nullable=False),
        sa.Column("sub_sport", sa.String(SPORT), nullable=True),
        sa.Column("on_foot", sa.Boolean(), nullable=True),
        _when("start_at"),
        sa.Column("utc_offset_s", sa.Integer(), nullable=True),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("moving_s", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("avg_heart_rate", sa.Float(), nullable=True),
        sa.Column("laps", sa.JSON(), nullable=False),
        sa.Column("streams", sa.LargeBinary(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("device", sa.String(120), nullable=True),
        sa.Column("session_id", sa.String(SESSION_ID), nullable=True),
        sa.Column("session_date", sa.Date(), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("athlete_id", "file_hash",
                            name=op.f("uq_activities_athlete_id_file_hash")),
        sa.CheckConstraint("elapsed_s >= 0", name=op.f("ck_activities_elapsed_not_negative")),
    )
    op.create_index("ix_activities_athlete_start", "activities", ["athlete_id", "start_at"])


def downgrade() -> None:
    op.drop_index("ix_activities_athlete_start", table_name="activities")
    op.drop_table("activities")
