"""Articles, seed files, shared state, and the SQLite full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# External-content FTS5 index kept in step with `articles` by triggers, so every write to an
# article updates its index entry in the same transaction (a search never sees half an article).
_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
           title, body, content='articles', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
           INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
           INSERT INTO articles_fts(articles_fts, rowid, title, body)
           VALUES ('delete', old.id, old.title, old.body);
       END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
           INSERT INTO articles_fts(articles_fts, rowid, title, body)
           VALUES ('delete', old.id, old.title, old.body);
           INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    "CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, row)",
]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("short_id", sa.String(16), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("sort_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("dateline", sa.Text(), nullable=True),
        sa.Column("section", sa.Text(), nullable=True),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("seed_path", sa.Text(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("retracted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("summary", sa.JSON(), nullable=True),
    )
    op.create_index("ix_articles_live_sort", "articles", ["retracted", "sort_at"])
    op.create_index("ix_articles_loaded_at", "articles", ["loaded_at"])
    op.create_table(
        "seed_files",
        sa.Column("path", sa.Text(), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_seed_files_article_id", "seed_files", ["article_id"])
    op.create_table(
        "app_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_vocab")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_table("app_state")
    op.drop_table("seed_files")
    op.drop_table("articles")
