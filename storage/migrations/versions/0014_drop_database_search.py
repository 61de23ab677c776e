"""Drop the database's own full-text indexes: each instance's tantivy index serves search.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29

The tantivy index gives the candidates and the vocabulary, and a scan of titles answers while
it is first built; nothing reads SQLite's FTS5 tables (0001) or PostgreSQL's search columns,
vocabulary table and folding functions (0003) any more, and keeping them cost every article
written (about 2.2 ms an article on PostgreSQL). On PostgreSQL the dropped columns' space is
reused as rows are written again (or at once with `VACUUM FULL articles`, which a migration's
transaction cannot run).

The downgrade recreates them with the statements of 0001 and 0003 and fills them from the
stored articles.
"""

import importlib
from collections.abc import Sequence
from types import ModuleType

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")


def _migration(name: str) -> ModuleType:
    return importlib.import_module(f"storage.migrations.versions.{name}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_vocab")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        # 0003's downgrade drops exactly what it made (the GIN indexes go with their columns).
        _migration("0003_postgres_search").downgrade()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _migration("0001_articles")._SQLITE_FTS:
            op.execute(statement)
        # External content: the index is filled from the articles table.
        op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        # The generated columns are computed for every stored article as they are added, and
        # the vocabulary is counted from them (newsbot_rebuild_terms).
        _migration("0003_postgres_search").upgrade()
