"""Security (issue 11): server-side sessions, verified emails, accepted invitations,
hashed calendar feed tokens, wizard drafts kept on the server.

Revision ID: 5e55101a0b11
Revises: 9b1e5c7a2f30
Create Date: 2026-12-02 16:50:00

- `user_sessions`: one row per signed-in browser; only the token's sha256 is kept.
- `users.email_verified_at`: NULL until the owner follows the verification link.
  Existing accounts count as verified from their creation: their grants stay active
  (below), and a coach account left unverified would lose every athlete it reads until
  a reset; the takeover this revision closes needs a sign-up made after it.
- `coach_grants.status` ('invited' | 'active' | 'declined') and `responded_at`:
  existing grants become 'active' (they gave access before this revision).
- `calendar_feeds.token` -> `token_hash` (sha256 hex of the token): existing tokens are
  hashed here, so subscribed calendars keep working with the URL they hold.
- `wizard_drafts`: the wizard's answers by opaque id.

The downgrade cannot get the feed tokens back from their hashes: it stores each hash as
the token, so the old code's settings page shows a new feed URL (calendars subscribed to
the old one must subscribe again). Sessions and drafts are dropped (everyone signs in again).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "5e55101a0b11"
down_revision: str | Sequence[str] | None = "9b1e5c7a2f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the code had them when this revision was written (tables.py may move on).
USER_AGENT = 300
STATUSES = ("invited", "active", "declined")


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(_when("email_verified_at", nullable=True))
    op.execute(sa.text("UPDATE users SET email_verified_at = created_at"))
    with op.batch_alter_table("coach_grants") as batch_op:
        # The server default fills existing rows; the code always writes the status.
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=False,
                                      server_default="active"))
        batch_op.add_column(_when("responded_at", nullable=True))
        batch_op.create_check_constraint(op.f("ck_coach_grants_status"),
                                         f"status IN {STATUSES!r}")
    with op.batch_alter_table("coach_grants") as batch_op:
        batch_op.alter_column("status", server_default=None)
    _hash_feed_tokens()
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=USER_AGENT), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        _when("ended_at", nullable=True),
        # CASCADE: deleting an account deletes its sessions.
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_user_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])
    op.create_table(
        "wizard_drafts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wizard_drafts")),
    )
    op.create_index(op.f("ix_wizard_drafts_updated_at"), "wizard_drafts", ["updated_at"])


def _hash_feed_tokens() -> None:
    """token -> token_hash, row by row in Python: SQLite has no sha256 function."""
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    feeds = sa.table("calendar_feeds", sa.column("user_id"), sa.column("token"),
                     sa.column("token_hash"))
    for user_id, token in bind.execute(sa.select(feeds.c.user_id, feeds.c.token)).all():
        digest = hashlib.sha256(token.encode()).hexdigest()
        bind.execute(sa.update(feeds).where(feeds.c.user_id == user_id).values(
            token_hash=digest))
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.drop_constraint(op.f("uq_calendar_feeds_token"), type_="unique")
        batch_op.drop_column("token")
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(op.f("uq_calendar_feeds_token_hash"),
                                          ["token_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_wizard_drafts_updated_at"), table_name="wizard_drafts")
    op.drop_table("wizard_drafts")
    op.drop_index(op.f("ix_user_sessions_user_id"), table_name="user_sessions")
    op.drop_table("user_sessions")
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=64), nullable=True))
    op.execute("UPDATE calendar_feeds SET token = token_hash")
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.drop_constraint(op.f("uq_calendar_feeds_token_hash"), type_="unique")
        batch_op.drop_column("token_hash")
        batch_op.alter_column("token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(op.f("uq_calendar_feeds_token"), ["token"])
    with op.batch_alter_table("coach_grants") as batch_op:
        batch_op.drop_constraint(op.f("ck_coach_grants_status"), type_="check")
        batch_op.drop_column("responded_at")
        batch_op.drop_column("status")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email_verified_at")
