"""Articles keep the id their text gave them before ids came from seed file paths.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-29

Ids used to be derived from the article's text; they now come from the seed file's path, so an
edited article keeps its id in a rebuilt database. A link shared under the old scheme is looked
up by this column when no article has it as its id (filled by the loader as it stores texts).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("text_id", sa.String(16), nullable=True))
    # An existing article's id was made from its text (unless edited since): the same value.
    op.execute("UPDATE articles SET text_id = short_id")
    op.create_index("ix_articles_text_id", "articles", ["text_id"])


def downgrade() -> None:
    op.drop_index("ix_articles_text_id", table_name="articles")
    # SQLite 3.35+ drops a column in place (a batch copy would lose the search triggers).
    op.drop_column("articles", "text_id")
