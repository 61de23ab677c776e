"""The database's full-text index: the corpus vocabulary and the first cut of candidates.

Terms reach the index only as quoted phrases built here from already-tokenised words, so
nothing a user types is ever read as FTS syntax (quotes, `*`, `NEAR`, `AND`/`OR`/`NOT`, `:`,
`&|!<->`). The query text itself is always a bound parameter, never part of the SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.folding import words

Groups = Sequence[Sequence[str]]  # one group per query word: the terms that may stand for it


def quote_term(term: str) -> str:
    """An FTS5 string literal: the term, double quotes doubled, inside double quotes.

    FTS5 reads the expression as a C string, so a NUL would end it mid-literal ("unterminated
    string"); it is no word character, so a space in its place splits the phrase the same way.
    """
    return '"' + term.replace('"', '""').replace("\x00", " ") + '"'


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
        self,
        session: AsyncSession,
        groups: Groups,
        *,
        require_all: bool,
        limit: int,
        titles_only: bool = False,
    ) -> list[int]:
        """Ids of live articles matching the groups, best first by the index's own relevance;
        `titles_only`: matching in the title (for words too common to search bodies by)."""
        ...


class SqliteFts5Index:
    """SQLite FTS5 with bm25, titles weighted above bodies."""

    TITLE_WEIGHT = 10.0

    async def vocabulary(self, session: AsyncSession) -> list[tuple[str, int]]:
        rows = await session.execute(text("SELECT term, doc FROM articles_vocab"))
        return [(term, int(doc)) for term, doc in rows]

    async def match(
        self,
        session: AsyncSession,
        groups: Groups,
        *,
        require_all: bool,
        limit: int,
        titles_only: bool = False,
    ) -> list[int]:
        expression = fts5_expression(groups, require_all=require_all)
        if not expression:
            return []
        if titles_only:
            expression = "{title} : (" + expression + ")"
        rows = await session.execute(
            text(
                "SELECT f.rowid FROM articles_fts AS f JOIN articles AS a ON a.id = f.rowid "
                "WHERE articles_fts MATCH :expression AND a.retracted = 0 "
                f"ORDER BY bm25(articles_fts, {self.TITLE_WEIGHT}, 1.0) LIMIT :limit"
            ),
            {"expression": expression, "limit": limit},
        )
        return [int(row[0]) for row in rows]


# A tsvector cannot hold a longer lexeme (migration 0003 leaves such words out of the index).
MAX_LEXEME_BYTES = 2046


def quote_lexeme(lexeme: str) -> str:
    """A tsquery lexeme literal: taken as is, not parsed or normalised, whatever it holds."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_phrase(term: str) -> str | None:
    """The term as the index holds it: its folded words in a row; None if it can never match.

    The index's lexemes are `words()` of the article text (migration 0003), so folding the term
    the same way here makes it meet them; "it's" becomes the phrase 'it' <-> 's', as in FTS5.
    """
    lexemes = words(term)
    if not lexemes or any(len(w.encode()) > MAX_LEXEME_BYTES for w in lexemes):
        return None
    return " <-> ".join(quote_lexeme(w) for w in lexemes)


def tsquery_expression(groups: Groups, *, require_all: bool) -> str | None:
    """`('putin' | 'putn') & ('assad')`, or the same joined by `|`; None when nothing can match.

    Like `fts5_expression`, empty groups are left out; a group none of whose terms can match
    leaves nothing to find when every group is required, and is left out otherwise.
    """
    parts = []
    for group in groups:
        if not group:
            continue
        phrases = [p for p in map(_tsquery_phrase, group) if p is not None]
        if phrases:
            parts.append("(" + " | ".join(phrases) + ")")
        elif require_all:
            return None
    return (" & " if require_all else " | ").join(parts) or None


class PostgresIndex:
    """`articles.search_vector` and `search_terms` (migration 0003), titles weighted above bodies.

    Ranking reads each candidate's vector, 5 kB for a news article: over every match of a common
    word that is most of the table (0.8 s at 100k articles). So only a pool is ranked
    (`newsbot_candidates`): the newest POOL matches, and the newest POOL title matches, so that
    an old article with the word in its title still competes as it would under bm25. Where
    fewer articles match, as for most searches, every one of them is ranked.
    """

    # ts_rank's weights for D, C, B (body), A (title): a title hit counts as ten body hits.
    WEIGHTS = "{0, 0, 0.1, 1.0}"
    # Rank divided by 1 + log(length): a long article does not win by length alone (as bm25).
    NORMALISATION = 1
    POOL = 500

    async def vocabulary(self, session: AsyncSession) -> list[tuple[str, int]]:
        rows = await session.execute(text("SELECT term, doc_count FROM search_terms"))
        return [(term, int(doc)) for term, doc in rows]

    async def match(
        self,
        session: AsyncSession,
        groups: Groups,
        *,
        require_all: bool,
        limit: int,
        titles_only: bool = False,
    ) -> list[int]:
        expression = tsquery_expression(groups, require_all=require_all)
        if expression is None:
            return []
        if titles_only:
            rows = await session.execute(
                text(
                    "SELECT a.id FROM articles AS a "
                    "CROSS JOIN (SELECT CAST(:expression AS tsquery) AS q) AS query "
                    "WHERE a.title_vector @@ query.q AND NOT a.retracted "
                    "ORDER BY ts_rank(a.title_vector, query.q) DESC, a.sort_at DESC, a.id DESC "
                    "LIMIT :limit"
                ),
                {"expression": expression, "limit": limit},
            )
            return [int(row[0]) for row in rows]
        # Newer first among equal ranks: the reranker prefers them too.
        # The candidates drive the join (an index lookup each): as `id IN (subquery)` the
        # planner scanned every article to keep the few hundred candidates.
        rows = await session.execute(
            text(
                "SELECT a.id FROM (SELECT CAST(:expression AS tsquery) AS q) AS query "
                "CROSS JOIN LATERAL newsbot_candidates(query.q, :pool) AS c(id) "
                "JOIN articles AS a ON a.id = c.id "
                f"ORDER BY ts_rank('{self.WEIGHTS}', a.search_vector, query.q, "
                f"{self.NORMALISATION}) DESC, a.sort_at DESC, a.id DESC "
                "LIMIT :limit"
            ),
            {"expression": expression, "pool": max(self.POOL, limit), "limit": limit},
        )
        return [int(row[0]) for row in rows]


def index_for(dialect: str) -> FullTextIndex:
    if dialect == "sqlite":
        return SqliteFts5Index()
    if dialect == "postgresql":
        return PostgresIndex()
    raise NotImplementedError(f"full-text search is not available on {dialect}")
