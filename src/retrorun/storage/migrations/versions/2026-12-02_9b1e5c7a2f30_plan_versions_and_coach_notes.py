"""Plan versions (the history) and replaced plans kept; the coach's note on a grant.

Revision ID: 9b1e5c7a2f30
Revises: f4a7c2d9e1b5
Create Date: 2026-12-02 16:10:00

- `plan_versions`: every saved version of every plan. Existing data: each plans row
  becomes its one version row (the versions it overwrote before this revision are gone).
- `plans`: an athlete may now have several rows, the current one (`replaced_at` NULL,
  unique per athlete by a partial index) and the plans it replaced, so logs keep pointing
  at the plan they logged. Batch mode on SQLite (the table is copied; migrations run with
  foreign keys off, so the copy does not null the logs' plan_id).
- `coach_grants`: `note` and `note_at`, the coach's short note the athlete sees.

The downgrade deletes replaced plans (their logs and field tests keep no plan id) to put
back one plan per athlete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "9b1e5c7a2f30"
down_revision: str | Sequence[str] | None = "f4a7c2d9e1b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = "replaced_at IS NULL"


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("coach_grants") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.add_column(_when("note_at", nullable=True))
    with op.batch_alter_table("plans") as batch_op:
        batch_op.add_column(_when("replaced_at", nullable=True))
        batch_op.drop_constraint(op.f("uq_plans_athlete_id"), type_="unique")
        batch_op.create_index("uq_plans_current_athlete_id", ["athlete_id"], unique=True,
                              sqlite_where=sa.text(CURRENT),
                              postgresql_where=sa.text(CURRENT))
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_id", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("limits", sa.JSON(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.CheckConstraint("version >= 1", name=op.f("ck_plan_versions_version_positive")),
        sa.ForeignKeyConstraint(["athlete_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_plan_versions_athlete_id_users")),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE",
                                name=op.f("fk_plan_versions_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("plan_id", "version", name=op.f("uq_plan_versions_plan_id_version")),
    )
    op.create_index(op.f("ix_plan_versions_athlete_id"), "plan_versions", ["athlete_id"])
    # Each plan as stored today is its latest version: "kept" when never changed.
    op.execute(
        "INSERT INTO plan_versions (athlete_id, plan_id, version, kind, profile, limits, "
        "document, created_at) SELECT athlete_id, id, version, "
        "CASE WHEN version = 1 THEN 'kept' ELSE 'adapted' END, profile, limits, document, "
        "updated_at FROM plans")


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_versions_athlete_id"), table_name="plan_versions")
    op.drop_table("plan_versions")
    replaced = "SELECT id FROM plans WHERE replaced_at IS NOT NULL"
    op.execute(f"UPDATE session_logs SET plan_id = NULL WHERE plan_id IN ({replaced})")  # noqa: S608
    op.execute(f"UPDATE field_tests SET plan_id = NULL WHERE plan_id IN ({replaced})")  # noqa: S608
    op.execute("DELETE FROM plans WHERE replaced_at IS NOT NULL")
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_index("uq_plans_current_athlete_id")
        batch_op.drop_column("replaced_at")
        batch_op.create_unique_constraint(op.f("uq_plans_athlete_id"), ["athlete_id"])
    with op.batch_alter_table("coach_grants") as batch_op:
        batch_op.drop_column("note_at")
        batch_op.drop_column("note")
