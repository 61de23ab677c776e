"""The search service: correct the query, narrow in the tantivy index (the database's own
full-text index while that is not ready), rerank with rapidfuzz."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.search.ranking import (
    Candidate,
    Match,
    QueryPlan,
    QueryWord,
    plan_query,
    rank,
    rarities,
)
from bot.search.text import fold, typo_budget
from bot.search.vocabulary import Alternative, Vocabulary
from storage.articles import by_ids as articles_by_ids
from storage.database import Database
from storage.models import Article
from storage.search_engine import Found, SearchEngine, WordQuery, default_folder
from storage.search_index import FullTextIndex, index_for
from storage.state import corpus_version

log = logging.getLogger(__name__)

CANDIDATES = 50
VOCABULARY_FILE = "vocabulary.json"
START_WAIT_SECONDS = 0.8  # the wait and the first search fit in a second
RERANKED = 30  # from each of the index's two rankings
MAX_QUERY_CHARS = 200
VERSION_CHECK_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    title: str
    match: Match
    # Loaded from the database for the hits shown (`SearchService.load`); None until then.
    loaded: Article | None = None

    @property
    def article(self) -> Article:
        if self.loaded is None:
            raise LookupError("this hit's article was not loaded (SearchService.load)")
        return self.loaded


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    corrected: str | None  # "Showing results for ..." when typos were fixed
    hits: list[SearchHit]
    ignored: list[str] = field(default_factory=list)  # typed words the best hit does not hold


class SearchService:
    """Owns the vocabulary cache; reloads it when the corpus version changes."""

    def __init__(
        self,
        db: Database,
        index: FullTextIndex | None = None,
        *,
        index_folder: Path | None = None,
        engine: bool = True,
    ) -> None:
        self.db = db
        self.index = index or index_for(db.dialect)
        # This instance's own tantivy index; the database's index answers until it is ready.
        self.engine = SearchEngine(index_folder or default_folder(db)) if engine else None
        self._vocabulary = Vocabulary([])
        self._version: str | None = None
        self._checked = 0.0
        self._refresh = asyncio.Lock()
        self._loading: asyncio.Task[None] | None = None
        self._checking: asyncio.Task[None] | None = None

    async def vocabulary(self, session: AsyncSession) -> Vocabulary:
        """The vocabulary of the current corpus; whether it changed is asked at most once a
        half second (a reload in another instance shows within that), not on every search. A new
        one loads in the background while the last one serves (at 100k articles SQLite takes
        seconds to count its terms). Until the first one is in, words are taken as typed."""
        if self._version is not None and time.monotonic() - self._checked < VERSION_CHECK_SECONDS:
            return self._vocabulary
        version = await corpus_version(session)
        self._checked = time.monotonic()
        if self.engine is not None and (version != self._version or not self.engine.ready):
            self.engine.start_sync(self.db)
        if version != self._version and self._version is None:
            # A restart, or another instance loaded it first: from disk at once.
            terms = await asyncio.to_thread(self._cached_terms, version)
            if terms is not None:
                self._vocabulary = await asyncio.to_thread(Vocabulary, terms)
                self._version = version
        if version != self._version and (self._loading is None or self._loading.done()):
            self._loading = asyncio.create_task(self._load_vocabulary(version))
        return self._vocabulary

    async def _check_version(self) -> None:
        try:
            async with self.db.read() as session:
                await self.vocabulary(session)
        except Exception:  # the next search asks again
            log.exception("checking the corpus version failed")

    async def _load_vocabulary(self, version: str) -> None:
        async with self._refresh:
            if version == self._version:
                return
            terms = await asyncio.to_thread(self._cached_terms, version)
            if terms is None:
                if self.engine is not None and self.engine.ready:
                    # Counting the terms takes seconds at 100k articles: the index's update
                    # (what makes a reload visible) goes first, not sharing the cores with it.
                    await self.engine.settled()
                async with self.db.read() as session:
                    terms = await self.index.vocabulary(session)
                await asyncio.to_thread(self._cache_terms, version, terms)
            self._vocabulary = await asyncio.to_thread(Vocabulary, terms)
            self._version = version

    def _cache_file(self) -> Path | None:
        return None if self.engine is None else self.engine.root / VOCABULARY_FILE

    def _cached_terms(self, version: str) -> list[tuple[str, int]] | None:
        """The vocabulary saved on disk for this corpus version (a restart, or another
        instance that loaded it first), else None."""
        path = self._cache_file()
        try:
            saved = json.loads(path.read_text()) if path is not None else None
        except (OSError, ValueError):
            return None
        if not isinstance(saved, dict) or saved.get("version") != version:
            return None
        return [(str(term), int(count)) for term, count in saved.get("terms", [])]

    def _cache_terms(self, version: str, terms: list[tuple[str, int]]) -> None:
        path = self._cache_file()
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
            temporary.write_text(json.dumps({"version": version, "terms": terms}))
            temporary.replace(path)
        except OSError as exc:  # a cache only: the database has it all
            log.warning("could not save the search vocabulary at %s: %s", path, exc)

    async def warm_up(self, *, wait: bool = True) -> None:
        """Load the current vocabulary now (after a reload, say), so nobody waits for it; bring
        a ready index in step too. A first build goes on in the background (searches use the
        database meanwhile). `wait=False` (start-up): start both, wait a second at most."""
        self._checked = 0.0
        async with self.db.read() as session:
            version = await corpus_version(session)
            await self.vocabulary(session)
        if not wait:
            if self._loading is not None:  # a small corpus's is in at once: worth a second
                await asyncio.wait([self._loading], timeout=START_WAIT_SECONDS)
            return
        await self._load_vocabulary(version)
        if self.engine is not None and self.engine.ready:
            await self.engine.sync(self.db)

    async def index_ready(self) -> None:
        """Wait until the vocabulary and the index are loaded and in step (tests, benchmarks)."""
        async with self.db.read() as session:
            version = await corpus_version(session)
        await self._load_vocabulary(version)
        if self.engine is not None:
            await self.engine.sync(self.db)

    def close(self) -> None:
        if self._checking is not None:
            self._checking.cancel()
        if self.engine is not None:
            self.engine.close()

    async def search(
        self, query: str, limit: int = CANDIDATES, *, articles: bool = True
    ) -> SearchResult:
        """Ranked hits for a raw query. With the index ready, ranking needs no database at all;
        `articles=False` leaves the hits' articles to `load` (the page shown), else all are
        loaded."""
        query = clip_query(query)
        if self._version is not None:
            # Whether the corpus changed is asked beside the search, not before it: a session
            # costs more than the search itself, and a change shows within the same half second.
            vocabulary = self._vocabulary
            if time.monotonic() - self._checked >= VERSION_CHECK_SECONDS and (
                self._checking is None or self._checking.done()
            ):
                self._checking = asyncio.create_task(self._check_version())
        else:
            async with self.db.read() as session:
                vocabulary = await self.vocabulary(session)
        plan = plan_query(query, vocabulary)
        if self._version is None:
            # No vocabulary yet (the first seconds of a first start): words as typed.
            plan = QueryPlan(
                tuple(
                    QueryWord(w.typed, (Alternative(w.typed, 0),), typo_budget(w.typed))
                    for w in plan.words
                )
            )
        wanted = max(CANDIDATES, limit)
        candidates: list[Candidate] | None = None
        scores: dict[int, float] = {}
        detail = 1.0
        titles: dict[int, str] = {}
        loaded: dict[int, Article] = {}
        if self.engine is not None and plan.words:
            terms = _body_terms(plan, vocabulary)
            hits = self.engine.search(
                _word_queries(plan, vocabulary), max(RERANKED, limit), wanted, terms
            )
            if hits is not None:
                candidates = [_from_index(found) for found in hits[0]]
                scores = {found.article_id: found.relevance for found in hits[0]}
                titles = {found.article_id: found.title for found in hits[0]}
                detail = hits[1]
        if candidates is None:
            groups = plan.groups()
            if not groups:
                return SearchResult(query, None, [])
            async with self.db.read() as session:
                ids = await self._database_candidates(session, vocabulary, groups, wanted)
                loaded = await articles_by_ids(session, ids)
            candidates = [_candidate(loaded[i]) for i in ids if i in loaded]
            titles = {i: article.title for i, article in loaded.items()}
        common = vocabulary.common_terms(
            t for w in plan.words for t in (a.term for a in w.alternatives)
        )
        ranked = rank(
            plan, candidates, common=common, scores=scores, detail=detail,
            rarity=rarities(plan, vocabulary),
        )  # fmt: skip
        if ranked:
            # An article holding under half the words the best one holds is noise beside it
            # ("report" alone, when a dozen hold "markets report shares").
            best = max(m.matched for m in ranked)
            ranked = [m for m in ranked if 2 * m.matched >= best]
        if ranked and only_filler(plan, ranked[0].held, vocabulary):
            ranked = []
        ranked = ranked[:limit]
        held = ranked[0].held if ranked else tuple(None for _ in plan.words)
        hits_ = [
            SearchHit(m.article_id, titles[m.article_id], m, loaded.get(m.article_id))
            for m in ranked
        ]
        if articles and not loaded:
            hits_ = await self.load(hits_)
        return SearchResult(query, plan.corrected(held), hits_, plan.ignored(held))

    async def load(self, hits: Sequence[SearchHit]) -> list[SearchHit]:
        """The hits with their articles, from the database (one query); an article retracted
        since the index last synced is left out."""
        wanted = [hit.article_id for hit in hits if hit.loaded is None]
        if wanted:
            async with self.db.read() as session:
                found = await articles_by_ids(session, wanted)
        else:
            found = {}
        return [
            hit if hit.loaded is not None else replace(hit, loaded=found[hit.article_id])
            for hit in hits
            if hit.loaded is not None or hit.article_id in found
        ]

    async def _database_candidates(
        self, session: AsyncSession, vocabulary: Vocabulary, groups: list[list[str]], wanted: int
    ) -> list[int]:
        """Candidates from the database's full-text index (while the tantivy one builds)."""
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
            rarest = sorted(telling, key=lambda g: sum(vocabulary.doc_counts.get(t, 0) for t in g))
            more = await self.index.match(session, rarest[:2], require_all=False, limit=wanted)
            seen = set(ids)
            ids += [i for i in more if i not in seen]
        return ids

    async def plan(self, query: str) -> QueryPlan:
        async with self.db.read() as session:
            return plan_query(clip_query(query), await self.vocabulary(session))


def clip_query(query: str) -> str:
    """At most MAX_QUERY_CHARS, cut between words (a word cut in two would be searched as
    another word, and named as one that matched nothing)."""
    if len(query) <= MAX_QUERY_CHARS:
        return query
    cut = query[: MAX_QUERY_CHARS + 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space > MAX_QUERY_CHARS // 2 else cut[:MAX_QUERY_CHARS]


# A term in more than this share of the articles is a word that fills sentences rather than
# names what they are about ("are", "the", "said"); in a corpus too small for shares to tell,
# a word this short is taken for one.
FILLER_SHARE = 0.25
FILLER_MIN_ARTICLES = 20
FILLER_LENGTH = 3


def only_filler(plan: QueryPlan, held: Sequence[str | None], vocabulary: Vocabulary) -> bool:
    """Whether most of the query's words matched nothing and the best hit holds only filler
    words of it: "hello bot how are you" finding only "are" found nothing. (A query most of
    whose words matched keeps its hits, whatever words they are.)"""
    missed = sum(term is None for term in held)
    if 2 * missed <= len(held):
        return False
    documents = vocabulary.documents

    def filler(term: str) -> bool:
        if documents < FILLER_MIN_ARTICLES:
            return len(term) <= FILLER_LENGTH
        return vocabulary.doc_counts.get(term, 0) > FILLER_SHARE * documents

    return all(filler(term) for term in held if term is not None)


# How much a corpus term counts for a word, by what it costs: a typo fix or a completion is
# likelier wrong than the word itself.
WEIGHT_BY_TYPOS = (1.0, 0.5, 0.3)
PREFIX_WEIGHT = 0.4


def _word_queries(plan: QueryPlan, vocabulary: Vocabulary) -> list[WordQuery]:
    queries = []
    for word in plan.words:
        # A whole word typed last is likelier meant as it is than as the start of another.
        prefix = PREFIX_WEIGHT if word.typed not in vocabulary else PREFIX_WEIGHT / 4
        terms = tuple(
            (a.term, prefix if a.prefix else WEIGHT_BY_TYPOS[min(a.typos, 2)])
            for a in word.alternatives
        )
        common = vocabulary.common_terms(term for term, _ in terms)
        queries.append(WordQuery(terms, word.typed, word.budget, common))
    return queries


def _body_terms(plan: QueryPlan, vocabulary: Vocabulary) -> set[str]:
    """The terms whose holders among the candidates the reranker is told of (one index lookup
    each). A whole word typed last is meant as it is: its completions ("in": into, including,
    ...) are still matched in titles, but not looked up in bodies."""
    return {
        a.term
        for w in plan.words
        for a in w.alternatives
        if not (a.prefix and w.typed in vocabulary)
    }


def _from_index(found: Found) -> Candidate:
    return Candidate(
        found.article_id,
        found.title_words,
        found.title_words,
        "",
        datetime.fromtimestamp(found.sort_at, UTC),
        found.body_terms,
    )


def _candidate(article: Article) -> Candidate:
    return Candidate(
        article.id,
        article.title,
        fold(article.title),
        fold(article.body),
        article.sort_at,
    )
