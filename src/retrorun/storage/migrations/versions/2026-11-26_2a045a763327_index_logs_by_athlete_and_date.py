"""Index session logs by athlete and date: the calendar reads one plan's date range.

Revision ID: 2a045a763327
Revises: e79866aea2e8
Create Date: 2026-11-26 14:41:38
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "2a045a763327"
down_revision: str | Sequence[str] | None = "e79866aea2e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_session_logs_athlete_id_session_date"


def upgrade() -> None:
    with op.batch_alter_table("session_logs") as batch_op:
        batch_op.create_index(INDEX, ["athlete_id", "session_date"])


def downgrade() -> None:
    with op.batch_alter_table("session_logs") as batch_op:
        batch_op.drop_index(INDEX)
