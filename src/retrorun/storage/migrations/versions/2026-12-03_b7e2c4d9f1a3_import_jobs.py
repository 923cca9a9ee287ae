"""Import jobs (issue 12): `import_jobs` and the files waiting in `import_uploads`.

Revision ID: b7e2c4d9f1a3
Revises: a4f18c6d2e57
Create Date: 2026-12-03 14:20:00

A job's state is ours, not the queue's: a worker that dies mid-job leaves the job
'running' with an old heartbeat, and its unread uploads, so it can be run again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "b7e2c4d9f1a3"
down_revision: str | Sequence[str] | None = "a4f18c6d2e57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As tables.py had them when this revision was written.
ID, FILE_NAME = 32, 300
STATUSES = ("queued", "running", "done", "failed")


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("athlete_id", sa.String(ID), sa.ForeignKey(
            "users.id", ondelete="CASCADE", name=op.f("fk_import_jobs_athlete_id_users")),
            nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("total_files", sa.Integer(), nullable=False),
        sa.Column("files_done", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _when("heartbeat_at", nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
        sa.CheckConstraint(f"status IN {STATUSES!r}", name=op.f("ck_import_jobs_status")),
    )
    op.create_index("ix_import_jobs_athlete_created", "import_jobs",
                    ["athlete_id", "created_at"])
    op.create_table(
        "import_uploads",
        sa.Column("job_id", sa.String(ID), sa.ForeignKey(
            "import_jobs.id", ondelete="CASCADE",
            name=op.f("fk_import_uploads_job_id_import_jobs")), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(FILE_NAME), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", "position", name=op.f("pk_import_uploads")),
    )


def downgrade() -> None:
    op.drop_table("import_uploads")
    op.drop_index("ix_import_jobs_athlete_created", table_name="import_jobs")
    op.drop_table("import_jobs")
