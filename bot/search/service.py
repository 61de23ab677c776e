"""The search service: correct the query against the index's vocabulary, narrow in the
tantivy index, rerank with rapidfuzz. With no index to ask (none built yet and its first part
late, or one that failed), a rapidfuzz scan of the live titles answers instead."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.search.ranking import (
    Candidate,
    Match,
    QueryPlan,
    QueryWord,
    costs_more,
    plan_query,
    rank,
    rarities,
)
from bot.search.text import scripts, typo_budget, words
from bot.search.vocabulary import Alternative, Vocabulary
from storage.articles import by_ids as articles_by_ids
from storage.articles import live_titles
from storage.database import Database
from storage.models import Article
from storage.search_engine import Found, SearchEngine, WordQuery, default_folder
from storage.state import corpus_version

log = logging.getLogger(__name__)

CANDIDATES = 50
VOCABULARY_FILE = "vocabulary.json"
START_WAIT_SECONDS = 0.8  # the wait and the first search fit in a second
# A search on a first start waits this long for the first part of the index, then scans
# titles (a quarter second at 100k articles): an answer within a second either way.
FIRST_WAIT_SECONDS = 0.5
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
    # Nothing found, and the query is written in an alphabet no story here uses (Cyrillic
    # words against English stories): the reader is told so, not to try shorter words.
    foreign_script: bool = False


@dataclass(frozen=True, slots=True)
class _Titles:
    """The live titles of one corpus version, for the scan that answers without an index."""

    version: str
    ids: list[int]
    shown: list[str]
    folded: list[str]  # folded words joined by spaces
    sort_at: list[datetime]


class SearchService:
    """Owns the vocabulary cache; reloads it when the corpus version changes."""

    def __init__(
        self, db: Database, *, index_folder: Path | None = None, engine: bool = True
    ) -> None:
        self.db = db
        # This instance's own tantivy index (without one, every search scans titles).
        self.engine = SearchEngine(index_folder or default_folder(db)) if engine else None
        self._vocabulary = Vocabulary([])
        # Set once the vocabulary holds the corpus's terms (some of them, while a build runs).
        self._known = asyncio.Event()
        self._version: str | None = None  # the corpus version the vocabulary is whole for
        self._corpus: str | None = None  # the corpus version seen last
        self._checked = -math.inf
        self._refresh = asyncio.Lock()
        self._loading: asyncio.Task[None] | None = None
        self._checking: asyncio.Task[None] | None = None
        self._reading: asyncio.Task[_Titles] | None = None  # the live titles, for the scan

    async def vocabulary(self, session: AsyncSession) -> Vocabulary:
        """The vocabulary of the current corpus; whether it changed is asked at most once a
        quarter second (a reload in another instance shows within that), not on every search.
        A new one loads in the background, once the index is in step, while the last one
        serves. Until the first one is in, words are taken as typed."""
        if time.monotonic() - self._checked < VERSION_CHECK_SECONDS:
            return self._vocabulary
        version = await corpus_version(session)
        self._checked = time.monotonic()
        self._corpus = version
        if self.engine is not None and (version != self.engine.version or not self.engine.ready):
            self.engine.start_sync(self.db)
        if version != self._version and not self._known.is_set():
            # A restart, or another instance loaded it first: from disk at once.
            terms = await asyncio.to_thread(self._cached_terms, version)
            if terms is not None:
                await self._use(terms, version)
        if version != self._version and (self._loading is None or self._loading.done()):
            self._loading = asyncio.create_task(self._load_vocabulary(version))
        return self._vocabulary

    async def _check_version(self) -> None:
        try:
            async with self.db.read() as session:
                await self.vocabulary(session)
        except Exception:  # the next search asks again
            log.exception("checking the corpus version failed")

    async def _use(self, terms: list[tuple[str, int]], version: str | None) -> None:
        self._vocabulary = await asyncio.to_thread(Vocabulary, terms)
        self._known.set()
        self._version = version

    async def _load_vocabulary(self, version: str) -> None:
        """The vocabulary from the index once it is in step with the corpus (saved on disk for
        a restart and for the other instances); while a first build runs, that of the part
        built so far first."""
        async with self._refresh:
            if version == self._version:
                return
            terms = await asyncio.to_thread(self._cached_terms, version)
            if terms is not None:
                await self._use(terms, version)
                return
            engine = self.engine
            if engine is None:
                return  # no index: words are taken as typed, titles scanned
            engine.start_sync(self.db)
            first = not self._known.is_set()
            if first and await engine.until_ready() and engine.version is None:
                partial = await asyncio.to_thread(engine.vocabulary)
                if partial is not None:
                    await self._use(partial, None)
            await engine.settled()
            synced = engine.version
            if synced is None or not engine.ready or synced == self._version:
                return  # failed, or no newer: the next version check tries again
            terms = await asyncio.to_thread(engine.vocabulary)
            if terms is None:
                return
            await asyncio.to_thread(self._cache_terms, synced, terms)
            await self._use(terms, synced)

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
        except OSError as exc:  # a cache only: the index has it all
            log.warning("could not save the search vocabulary at %s: %s", path, exc)

    async def warm_up(self, *, wait: bool = True) -> None:
        """Bring the index in step and load its vocabulary now (after a reload, say), so
        nobody waits for them. `wait=False` (start-up): start both, wait a second at most; a
        first build goes on in the background (searches use the part built so far)."""
        self._checked = -math.inf
        async with self.db.read() as session:
            version = await corpus_version(session)
            await self.vocabulary(session)
        engine = self.engine
        if not wait:
            if engine is not None:
                started = time.monotonic()
                if await engine.until_ready(START_WAIT_SECONDS):
                    # Its vocabulary follows at once (the part built so far, on a first start).
                    left = START_WAIT_SECONDS - (time.monotonic() - started)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._known.wait(), max(0.0, left))
            return
        if engine is not None:
            # A build under way (a first start's) holds the corpus as it was when it began:
            # once it ends, what was written since is added, so it is searchable on return.
            await engine.settled()
            if not engine.ready:
                return  # no index can be made here: the titles answer
            await engine.sync(self.db)
        await self._load_vocabulary(version)

    async def index_ready(self) -> None:
        """Wait until the vocabulary and the index are loaded and in step (tests, benchmarks)."""
        async with self.db.read() as session:
            version = await corpus_version(session)
        if self.engine is not None:
            await self.engine.sync(self.db)
        await self._load_vocabulary(version)

    def close(self) -> None:
        if self._checking is not None:
            self._checking.cancel()
        for task in (self._loading, self._reading):
            if task is not None:
                task.cancel()
        if self.engine is not None:
            self.engine.close()

    async def search(
        self, query: str, limit: int = CANDIDATES, *, articles: bool = True
    ) -> SearchResult:
        """Ranked hits for a raw query. With the index ready, ranking needs no database at all;
        `articles=False` leaves the hits' articles to `load` (the page shown), else all are
        loaded."""
        query = clip_query(query)
        if self._known.is_set():
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
        if not words(query):
            return SearchResult(query, None, [])
        engine = self.engine
        if engine is not None and not engine.ready:
            # A first start: the first part of the index is committed within a moment, and
            # its vocabulary right after. The titles are read meanwhile, in case it is late:
            # past the wait, whichever comes first answers (a cold disk slows both).
            reading = self._titles()
            ready = asyncio.ensure_future(engine.until_ready())
            try:
                await asyncio.wait([ready], timeout=FIRST_WAIT_SECONDS)
                if not ready.done():
                    await asyncio.wait([ready, reading], return_when=asyncio.FIRST_COMPLETED)
            finally:
                ready.cancel()
            vocabulary = self._vocabulary
        plan = plan_query(query, vocabulary)
        if not self._known.is_set():
            # No vocabulary yet (the first moments of a first start): words as typed.
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
        if engine is not None:
            terms = _body_terms(plan, vocabulary)
            hits = engine.search(
                _word_queries(plan, vocabulary), max(RERANKED, limit), wanted, terms
            )
            if hits is not None:
                if self._reading is not None and self._reading.done():
                    self._reading = None  # not needed while the index answers
                candidates = [_from_index(found) for found in hits[0]]
                scores = {found.article_id: found.relevance for found in hits[0]}
                titles = {found.article_id: found.title for found in hits[0]}
                detail = hits[1]
        if candidates is None:
            candidates = await self._scan_titles(plan, wanted)
            titles = {c.article_id: c.title for c in candidates}
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
        hits_ = [SearchHit(m.article_id, titles[m.article_id], m) for m in ranked]
        if articles:
            hits_ = await self.load(hits_)
        foreign = not hits_ and _foreign_script(query, vocabulary)
        return SearchResult(query, plan.corrected(held), hits_, plan.ignored(held), foreign)

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

    async def _scan_titles(self, plan: QueryPlan, wanted: int) -> list[Candidate]:
        """Candidates without an index: the titles closest to the query as understood
        (rapidfuzz over every live title), headlines only. Titles are read once per corpus
        version."""
        titles = await self._titles()
        understood = " ".join(w.best for w in plan.words)
        closest = await asyncio.to_thread(_closest, understood, titles.folded, wanted)
        return [
            Candidate(titles.ids[i], titles.shown[i], titles.folded[i], "", titles.sort_at[i])
            for i in closest
        ]

    def _titles(self) -> asyncio.Task[_Titles]:
        """The live titles of the corpus version seen last, read once (in the background)."""
        task = self._reading
        if task is not None and task.done():
            failed = task.cancelled() or task.exception() is not None
            if failed or task.result().version != self._corpus:
                task = None
        if task is None:
            task = self._reading = asyncio.create_task(self._read_titles())
        return task

    async def _read_titles(self) -> _Titles:
        async with self.db.read() as session:
            version = await corpus_version(session)
            rows = await live_titles(session)
        return await asyncio.to_thread(_fold_titles, version, rows)

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


def _closest(understood: str, folded: list[str], limit: int) -> list[int]:
    """The places of the `limit` titles closest to the query (partial_ratio: the best of
    rapidfuzz's scorers for titles typed with typos, in bench.search)."""
    found = process.extract(
        understood, folded, scorer=fuzz.partial_ratio, processor=None, limit=limit
    )
    return [int(place) for _, _, place in found]


def _fold_titles(version: str, rows: Sequence[tuple[int, str, datetime]]) -> _Titles:
    return _Titles(
        version,
        [i for i, _, _ in rows],
        [t for _, t, _ in rows],
        [" ".join(words(t)) for _, t, _ in rows],
        [s for _, _, s in rows],
    )


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
            (
                a.term,
                (prefix if a.prefix else WEIGHT_BY_TYPOS[min(a.typos, 2)])
                * _damping(a, word, vocabulary),
            )
            for a in word.alternatives
        )
        common = vocabulary.common_terms(term for term, _ in terms)
        queries.append(WordQuery(terms, word.typed, word.budget, common))
    return queries


def _damping(alternative: Alternative, word: QueryWord, vocabulary: Vocabulary) -> float:
    """A costlier reading of a word scores in the index as if it were no rarer than the best
    one (bm25 weighs a rare term up: "movement" would outscore "government" for "goverment");
    the reranker caps its rarity alike (ranking._telling)."""
    best = word.alternatives[0]
    if not costs_more(alternative, best):
        return 1.0
    ceiling, found = vocabulary.rarity(best.term), vocabulary.rarity(alternative.term)
    return ceiling / found if found > ceiling > 0 else 1.0


def _foreign_script(query: str, vocabulary: Vocabulary) -> bool:
    written = scripts(query)
    return bool(written) and len(vocabulary) > 0 and not written & vocabulary.scripts


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
