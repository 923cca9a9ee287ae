"""Plans keep the calendar key of the free preview they were made from.

Revision ID: c06e70d742b3
Revises: 8d3b6f2c41e0
Create Date: 2026-11-26 23:30:00

A nullable column: existing plans get NULL and their exports keep using the plan id in
calendar UIDs, so no calendar that already holds their events sees new UIDs. Batch mode
for SQLite (its downgrade copies the table; migrations run with foreign keys off, so the
copy does not null the logs' plan_id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "c06e70d742b3"
down_revision: str | Sequence[str] | None = "8d3b6f2c41e0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The length as the code had it when this revision was written (tables.py may move on).
CALENDAR_KEY = 32


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch_op:
        batch_op.add_column(sa.Column("calendar_key", sa.String(length=CALENDAR_KEY),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_column("calendar_key")
