"""The search service: correct the query, narrow in the full-text index, rerank with rapidfuzz."""

from __future__ import annotations

import asyncio
import time
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
VERSION_CHECK_SECONDS = 1.0


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
        self._checked = 0.0
        self._refresh = asyncio.Lock()

    async def vocabulary(self, session: AsyncSession) -> Vocabulary:
        """The vocabulary of the current corpus; whether it changed is asked at most once a
        second (a reload in another instance shows within that), not on every search."""
        if self._version is not None and time.monotonic() - self._checked < VERSION_CHECK_SECONDS:
            return self._vocabulary
        version = await corpus_version(session)
        self._checked = time.monotonic()
        if version != self._version:
            async with self._refresh:
                if version != self._version:
                    self._vocabulary = Vocabulary(await self.index.vocabulary(session))
                    self._version = version
        return self._vocabulary

    async def warm_up(self) -> None:
        """Load the current vocabulary now (after a reload, say), so nobody waits for it."""
        self._checked = 0.0
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
            wanted = max(CANDIDATES, limit)
            # A word in a large share of all articles ("the", "to") would bring most of the
            # corpus for bm25 to score and tells the articles apart no better: the index is
            # asked about the telling words only; the reranking still counts every word.
            telling = vocabulary.telling(groups)
            if not telling:
                # Only common words ("in the us"): where they all stand in a title is the one
                # place they still tell articles apart, and few titles hold them all.
                ids = await self.index.match(
                    session, groups, require_all=True, limit=wanted, titles_only=True
                )
            else:
                ids = await self.index.match(session, telling, require_all=True, limit=wanted)
            if len(ids) < wanted and len(telling) > 1:
                # Too few hold them all: add those holding the two rarest. Any article that
                # misses at most one word holds one of them, and rare words match few.
                rarest = sorted(telling, key=lambda g: sum(vocabulary.doc_counts[t] for t in g))
                more = await self.index.match(session, rarest[:2], require_all=False, limit=wanted)
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
