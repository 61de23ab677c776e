"""An index on `articles.updated_at`: each instance's search index reads only the rows changed
since its last sync (a reload of 1,000 articles at 100k reads about 1,000 rows, not 100k).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_articles_updated_at", "articles", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_updated_at", table_name="articles")
