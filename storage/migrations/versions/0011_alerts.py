"""Alerts: the words and topics chats follow, their alert settings, and the alert ledger;
and the text each feed item last had, so an edit under the same GUID updates its article.

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("chat_id", "kind", "term", name="uq_follows_chat_term"),
    )
    op.create_index("ix_follows_chat_id", "follows", ["chat_id"])
    op.create_table(
        "alert_chats",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("hourly_cap", sa.Integer(), nullable=False),
        sa.Column("quiet_start", sa.Integer(), nullable=True),
        sa.Column("quiet_end", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("inactive_reason", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "alert_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("matched_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.UniqueConstraint("chat_id", "article_id", name="uq_alert_items_chat_article"),
    )
    op.create_index("ix_alert_items_status_chat", "alert_items", ["status", "chat_id"])
    op.create_index("ix_alert_items_chat_sent", "alert_items", ["chat_id", "sent_at"])
    with op.batch_alter_table("feed_items") as batch:
        batch.add_column(sa.Column("item_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed_items") as batch:
        batch.drop_column("item_hash")
    op.drop_table("alert_items")
    op.drop_table("alert_chats")
    op.drop_table("follows")
