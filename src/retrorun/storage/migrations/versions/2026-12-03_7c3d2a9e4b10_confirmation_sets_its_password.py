"""A sign-up's confirmation link sets the password typed at that sign-up (issue 11).

Revision ID: 7c3d2a9e4b10
Revises: 5e55101a0b11
Create Date: 2026-12-03 13:40:00

An outside audit took over a coach invitation: the attacker signed up first with the
coach's address and stayed unverified; the real coach's sign-up then mailed a link that
verified the *attacker's* account, with the attacker's password. Confirmation links are
now stored like reset links (`password_resets`), with the hash of the password typed at
the sign-up that mailed them; following one sets that password.

Existing rows are reset links: NULL. The downgrade drops the column; confirmation links
then lose their password and read as reset links (their page asks for a new password).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "7c3d2a9e4b10"
down_revision: str | Sequence[str] | None = "5e55101a0b11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PASSWORD_HASH = 255  # as tables.py had it when this revision was written


def upgrade() -> None:
    with op.batch_alter_table("password_resets") as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=PASSWORD_HASH),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("password_resets") as batch_op:
        batch_op.drop_column("password_hash")
