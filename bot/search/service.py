"""The search service: correct the query, narrow in the full-text index, rerank with rapidfuzz."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.search.ranking import Candidate, Match, QueryPlan, plan_query, rank
from bot.search.text import fold
from bot.search.vocabulary import Vocabulary
from storage import articles
from storage.database import Database
from storage.models import Article
from storage.search_index import FullTextIndex, index_for
from storage.state import corpus_version

CANDIDATES = 50
MAX_QUERY_CHARS = 200


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    match: Match


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    corrected: str | None  # "Showing results for ..." when typos were fixed
    hits: list[SearchHit]


class SearchService:
    """Owns the vocabulary cache; reloads it when the corpus version changes."""

    def __init__(self, db: Database, index: FullTextIndex | None = None) -> None:
        self.db = db
        self.index = index or index_for(db.dialect)
        self._vocabulary = Vocabulary([])
        self._version: str | None = None
        self._refresh = asyncio.Lock()

    async def vocabulary(self, session: AsyncSession) -> Vocabulary:
        version = await corpus_version(session)
        if version != self._version:
            async with self._refresh:
                if version != self._version:
                    self._vocabulary = Vocabulary(await self.index.vocabulary(session))
                    self._version = version
        return self._vocabulary

    async def warm_up(self) -> None:
        """Load the vocabulary now, so the first person to search does not wait for it."""
        async with self.db.read() as session:
            await self.vocabulary(session)

    async def search(self, query: str, limit: int = CANDIDATES) -> SearchResult:
        query = query[:MAX_QUERY_CHARS]
        async with self.db.read() as session:
            vocabulary = await self.vocabulary(session)
            plan = plan_query(query, vocabulary)
            groups = plan.groups()
            if not groups:
                return SearchResult(query, None, [])
            ids = await self.index.match(session, groups, require_all=True, limit=CANDIDATES)
            if len(ids) < CANDIDATES and len(groups) > 1:
                more = await self.index.match(session, groups, require_all=False, limit=CANDIDATES)
                seen = set(ids)
                ids += [i for i in more if i not in seen]
            found = await articles.by_ids(session, ids)
        ranked = rank(plan, [_candidate(found[i]) for i in ids if i in found])[:limit]
        corrected = plan.corrected(ranked[0].terms if ranked else frozenset())
        return SearchResult(query, corrected, [SearchHit(found[m.article_id], m) for m in ranked])

    async def plan(self, query: str) -> QueryPlan:
        async with self.db.read() as session:
            return plan_query(query[:MAX_QUERY_CHARS], await self.vocabulary(session))


def _candidate(article: Article) -> Candidate:
    return Candidate(
        article.id,
        article.title,
        fold(article.title),
        fold(article.body),
        article.sort_at,
    )
