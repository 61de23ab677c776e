"""The database's full-text index: the corpus vocabulary and the first cut of candidates.

Terms reach the index only as quoted phrases built here from already-tokenised words, so
nothing a user types is ever read as FTS syntax (quotes, `*`, `NEAR`, `AND`/`OR`/`NOT`, `:`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Groups = Sequence[Sequence[str]]  # one group per query word: the terms that may stand for it


def quote_term(term: str) -> str:
    """An FTS5 string literal: the term, double quotes doubled, inside double quotes."""
    return '"' + term.replace('"', '""') + '"'


def fts5_expression(groups: Groups, *, require_all: bool) -> str:
    """`("putin" OR "putn") AND ("assad")`, or the same joined by OR."""
    parts = [
        "(" + " OR ".join(quote_term(term) for term in group) + ")" for group in groups if group
    ]
    return (" AND " if require_all else " OR ").join(parts)


class FullTextIndex(Protocol):
    async def vocabulary(self, session: AsyncSession) -> list[tuple[str, int]]:
        """Every indexed term with the number of articles that hold it."""
        ...

    async def match(
        self, session: AsyncSession, groups: Groups, *, require_all: bool, limit: int
    ) -> list[int]:
        """Ids of live articles matching the groups, best first by the index's own relevance."""
        ...


class SqliteFts5Index:
    """SQLite FTS5 with bm25, titles weighted above bodies."""

    TITLE_WEIGHT = 10.0

    async def vocabulary(self, session: AsyncSession) -> list[tuple[str, int]]:
        rows = await session.execute(text("SELECT term, doc FROM articles_vocab"))
        return [(term, int(doc)) for term, doc in rows]

    async def match(
        self, session: AsyncSession, groups: Groups, *, require_all: bool, limit: int
    ) -> list[int]:
        expression = fts5_expression(groups, require_all=require_all)
        if not expression:
            return []
        rows = await session.execute(
            text(
                "SELECT f.rowid FROM articles_fts AS f JOIN articles AS a ON a.id = f.rowid "
                "WHERE articles_fts MATCH :expression AND a.retracted = 0 "
                f"ORDER BY bm25(articles_fts, {self.TITLE_WEIGHT}, 1.0) LIMIT :limit"
            ),
            {"expression": expression, "limit": limit},
        )
        return [int(row[0]) for row in rows]


def index_for(dialect: str) -> FullTextIndex:
    if dialect == "sqlite":
        return SqliteFts5Index()
    raise NotImplementedError(f"full-text search is not available on {dialect} yet")
