"""Field-test results: sprint times, jump height, easy-pace heart rate per test session.

Revision ID: f4a7c2d9e1b5
Revises: c06e70d742b3
Create Date: 2026-12-02 10:00:00

A new table, so no batch mode is needed on SQLite: nothing existing is altered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "f4a7c2d9e1b5"
down_revision: str | Sequence[str] | None = "c06e70d742b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The measures as the code had them when this revision was written (tables.py may move on).
MEASURES = ("sprint_10m_s", "sprint_20m_s", "cmj_cm", "easy_hr_bpm")


def upgrade() -> None:
    op.create_table(
        "field_tests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("athlete_id", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.String(length=32), nullable=True),
        sa.Column("session_id", sa.String(length=100), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=True) for name in MEASURES),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(" OR ".join(f"{name} IS NOT NULL" for name in MEASURES),
                           name=op.f("ck_field_tests_some_result")),
        sa.CheckConstraint(" AND ".join(f"({name} IS NULL OR {name} > 0)" for name in MEASURES),
                           name=op.f("ck_field_tests_positive")),
        # CASCADE: deleting an account deletes its results; a replaced plan keeps them.
        sa.ForeignKeyConstraint(["athlete_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_field_tests_athlete_id_users")),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="SET NULL",
                                name=op.f("fk_field_tests_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_tests")),
        sa.UniqueConstraint("athlete_id", "session_id", "session_date",
                            name=op.f("uq_field_tests_athlete_id_session_id_session_date")),
    )


def downgrade() -> None:
    op.drop_table("field_tests")
