"""Digests for groups, forum topics and channels, with word filters.

`subscribers.kind` says what the chat is (private, group, channel); existing rows with a
negative chat id are groups. `thread_id` is the forum topic a group's digest goes to (none: the
group itself). `title` is a channel's name, for /settings in the private chat that linked it.
`words` holds the reader's word filters as typed (`+election`, `-football`).

Revision ID: 0012
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="private"))
        batch.add_column(sa.Column("thread_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("title", sa.Text(), nullable=True))
        batch.add_column(sa.Column("words", sa.JSON(), nullable=False, server_default="[]"))
    op.execute("UPDATE subscribers SET kind = 'group' WHERE chat_id < 0")


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("words")
        batch.drop_column("title")
        batch.drop_column("thread_id")
        batch.drop_column("kind")
