"""Each instance's own tantivy index of the live articles: the first cut of search candidates.

The database stays the one source of truth. The index lives on local disk, one folder per
running instance (a lock file claims it), and is brought in step with the database whenever the
corpus version changes: the (id, content hash) of the articles written since the last sync
(`updated_at`, indexed) are compared with those the index holds, and only the difference is
written; the first sync of a process, and one every FULL_CHECK_SECONDS, compares every live
article. A folder that is missing, unreadable or from another schema is rebuilt from the
database, newest articles first and committed in growing chunks: the first FIRST_COMMIT are
searchable within a moment of a first start, the rest as they come. `ready` says whether there
is anything to search (a whole index, or the first chunks of one being built); until then the
caller answers from a scan of titles.

The index is also the vocabulary: its terms with the number of articles holding each
(`vocabulary`), what query words are corrected against.

Terms are the words of `storage.folding.words()` joined by spaces and split by tantivy's
whitespace tokenizer, so index terms, the vocabulary and the reranker all agree on what a word is.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import tantivy
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.articles import changed_since, last_change, live_hashes, live_totals
from storage.database import Database
from storage.folding import words
from storage.models import Article
from storage.state import corpus_version

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
SYNC_FILE = "newsbot-sync.json"
SLOTS = 64  # instances on one machine sharing one database
FETCH_CHUNK = 500
# A write (a first build) is committed after its first FIRST_COMMIT articles, then each time it
# has grown COMMIT_GROWTH-fold: the newest are searchable at once, and a build of 100k commits
# three times before its last (the segments are merged at its end).
FIRST_COMMIT = 500
COMMIT_GROWTH = 8
BUILD_HEAP = 64_000_000
UPDATE_HEAP = 15_000_000
# Rows re-read before the last change seen (see SearchEngine._changed), and how often every
# row is compared regardless.
CHANGE_MARGIN = timedelta(minutes=2)
FULL_CHECK_SECONDS = 600.0
TITLE_BOOST = 10.0
DETAIL_TITLE_BOOST = 1.5


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Fast: the ids of a search's hits are read in one batch, not one stored document each.
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    # Stored: the reranker works from the index alone (the database loads the page shown).
    builder.add_text_field("title", stored=True, tokenizer_name="whitespace")
    builder.add_text_field("shown", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("sort", stored=True, indexed=False)
    # With positions: a detail's words stand side by side in its article (a phrase query).
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    return builder.build()


SCHEMA = _schema()


@dataclass(frozen=True, slots=True)
class Found:
    """One candidate as the index holds it: enough to rerank without the database."""

    article_id: int
    relevance: float  # 0-1 of each ranking's best, summed over the two
    title: str  # as shown
    title_words: str  # folded words joined by spaces (as indexed)
    sort_at: int  # seconds since the epoch
    body_terms: frozenset[str]  # those of the asked terms its body holds


@dataclass(frozen=True, slots=True)
class WordQuery:
    """What one query word may match: exact corpus terms with a weight each, and the typed word
    itself within `distance` edits (a swap is one)."""

    terms: tuple[tuple[str, float], ...]
    fuzzy: str | None = None
    distance: int = 0
    common: frozenset[str] = frozenset()  # those of the terms in a large share of articles


def default_folder(db: Database) -> Path:
    """Beside a SQLite file; for a server database, under the system's temp folder, one folder
    per database (so two bots on one machine keep apart)."""
    database = db.url.database
    if db.is_sqlite and database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".search")
    key = db.url.render_as_string(hide_password=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(os.environ.get("TMPDIR", "/tmp")) / "newsbot-search" / digest


class SearchEngine:
    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.folder: Path | None = None
        self._claim: IO[str] | None = None
        self._index: tantivy.Index | None = None
        self._indexed: dict[int, str] = {}
        self._version: str | None = None
        self._since: datetime | None = None  # the last article write the index has seen
        self._checked_all = 0.0  # when every row was last compared (monotonic seconds)
        self._sync_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        # Set when there is something to search: a whole index, or the first chunks of a build.
        self._ready = asyncio.Event()
        self.partial = False  # a large write is under way: some of it is committed, not all

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def version(self) -> str | None:
        """The corpus version the index is wholly in step with (None: not yet)."""
        return self._version

    # --- keeping in step with the database --------------------------------------------------

    def start_sync(self, db: Database) -> None:
        """Sync in the background (a build can take a while); searches meanwhile use what is
        ready, or the database."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._sync_logged(db))

    async def _sync_logged(self, db: Database) -> None:
        try:
            await self.sync(db)
        except Exception:
            log.exception("search index sync failed; searching titles meanwhile")

    async def wait(self) -> None:
        """Until the background sync started last has finished (tests, benchmarks)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def settled(self) -> None:
        """Until the background sync started last has finished, whether or not it failed."""
        if self._task is not None:
            await asyncio.wait([self._task])

    async def until_ready(self, within: float | None = None) -> bool:
        """Until there is something to search (a first build's first commit), the background
        sync has ended without it, or `within` seconds have passed; whether there is."""
        task = self._task
        if self.ready or task is None or task.done():
            return self.ready
        waiter = asyncio.ensure_future(self._ready.wait())
        try:
            await asyncio.wait([waiter, task], timeout=within, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        return self.ready

    async def sync(self, db: Database) -> None:
        async with self._sync_lock:
            try:
                await self._sync(db)
            except Exception as exc:
                # Whatever broke (a folder deleted or damaged under us): start over, once.
                log.warning("search index at %s failed (%s): rebuilding it", self.folder, exc)
                self._discard()
                try:
                    await self._sync(db)
                except Exception:
                    self._discard()
                    raise

    async def _sync(self, db: Database) -> None:
        if self._index is None:
            await asyncio.to_thread(self._open)
            if self._indexed:  # an index from disk: searched at once, brought in step below
                self._ready.set()
        async with db.read() as session:
            version = await corpus_version(session)
            if self._version is not None and version == self._version:
                return
            changed = await self._changed(session)
            if changed is None:
                # The first sync of this process, a check long due, or a write the changed
                # rows did not account for: every live article's (id, hash) compared.
                since = await last_change(session)
                live = await live_hashes(session)  # newest first: a build indexes them first
                self._checked_all = time.monotonic()
            else:
                live, since = changed
        stale = [i for i, h in self._indexed.items() if live.get(i) != h]
        fresh = [i for i, h in live.items() if self._indexed.get(i) != h]
        if stale or fresh:
            await self._write(db, stale, fresh, live)
        self._indexed = live
        self._version = version
        self._since = since
        assert self._index is not None
        self._index.reload()
        self._ready.set()  # searchable now; the state for a restart is written after
        await asyncio.to_thread(self._save_state)

    async def _write(
        self, db: Database, stale: list[int], fresh: list[int], live: dict[int, str]
    ) -> None:
        """Delete the stale documents and add the fresh ones, committing a large write in
        chunks (see FIRST_COMMIT) so that its first articles are searchable at once."""
        empty = not self._indexed  # nothing to replace: no delete before each add
        large = len(fresh) > COMMIT_GROWTH * FIRST_COMMIT
        writer = await asyncio.to_thread(self._writer, BUILD_HEAP if large else UPDATE_HEAP)
        try:
            for article_id in stale:
                writer.delete_documents_by_term("id", article_id)
            added: list[int] = []
            goal = FIRST_COMMIT
            for start in range(0, len(fresh), FETCH_CHUNK):
                chunk = fresh[start : start + FETCH_CHUNK]
                async with db.read() as session:
                    found = await session.execute(
                        select(Article.id, Article.title, Article.body, Article.sort_at).where(
                            Article.id.in_(chunk)
                        )
                    )
                    texts = list(found)
                await asyncio.to_thread(_add, writer, texts, empty)
                added += chunk
                done = start + len(chunk)
                if goal <= done < len(fresh):
                    await asyncio.to_thread(writer.commit)
                    await self._committed(stale, added, live)
                    stale, added = [], []
                    goal = done * COMMIT_GROWTH
            # A large write merges its segments now; an update leaves merging to the
            # background, so a reload shows at once.
            await asyncio.to_thread(_commit, writer, large)
        except BaseException:
            with contextlib.suppress(Exception):
                writer.rollback()
            raise
        finally:
            del writer
            self.partial = False

    async def _committed(self, stale: list[int], added: list[int], live: dict[int, str]) -> None:
        """Part of a large write is committed: searchable now, and remembered for a restart
        (which then adds only the rest)."""
        for article_id in stale:
            self._indexed.pop(article_id, None)
        self._indexed.update((i, live[i]) for i in added)
        assert self._index is not None
        self._index.reload()
        self.partial = True
        self._ready.set()
        await asyncio.to_thread(self._save_state)

    async def _changed(self, session: AsyncSession) -> tuple[dict[int, str], datetime] | None:
        """The live articles as the index will hold them, from the rows written since the last
        sync, and the last write seen; None when every row must be compared instead.

        Rows are read from a margin before the last change seen: a transaction that wrote its
        timestamp before that change but committed after it (or a writer whose clock is a
        little behind) is still read. Anything else missed (a clock far behind, a row deleted)
        shows as a count or id sum that differs from the index's, and a full comparison runs;
        one runs at least every FULL_CHECK_SECONDS as well."""
        if (
            not self.ready
            or self._since is None
            or time.monotonic() - self._checked_all > FULL_CHECK_SECONDS
        ):
            return None
        since = self._since
        rows = await changed_since(session, since - CHANGE_MARGIN)
        live = dict(self._indexed)
        for article_id, content_hash, retracted, written in rows:
            since = max(since, written)
            if retracted:
                live.pop(article_id, None)
            else:
                live[article_id] = content_hash
        if await live_totals(session) != (len(live), sum(live)):
            log.info("search index: changed rows do not account for the corpus; comparing all")
            return None
        return live, since

    def _writer(self, heap: int) -> Any:
        assert self._index is not None
        return self._index.writer(heap, 1)

    def _open(self) -> None:
        """Claim a folder and open its index, or start an empty one where there is none or it
        cannot be trusted (the database has everything to rebuild it). An index opened from
        disk is searched at once: the sync that follows brings it in step."""
        if self.folder is None:
            self.folder, self._claim = _claim(self.root)
        state = _read_state(self.folder)
        try:
            if state is None:
                raise ValueError("no sync state")
            self._index = tantivy.Index(SCHEMA, path=str(self.folder), reuse=True)
            self._indexed = {int(k): v for k, v in state["indexed"].items()}
            self._index.searcher()
        except Exception as exc:
            if state is not None:
                log.warning("search index at %s unusable (%s): rebuilding it", self.folder, exc)
            self._reset_folder()

    def _reset_folder(self) -> None:
        assert self.folder is not None
        for entry in self.folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        self._index = tantivy.Index(SCHEMA, path=str(self.folder), reuse=False)
        self._indexed = {}
        self._version = None
        self._since = None

    def _save_state(self) -> None:
        assert self.folder is not None
        state = {"schema": SCHEMA_VERSION, "indexed": self._indexed}
        temporary = self.folder / (SYNC_FILE + ".tmp")
        temporary.write_text(json.dumps(state, separators=(",", ":")))
        temporary.replace(self.folder / SYNC_FILE)

    def _discard(self) -> None:
        """Forget the open index: the next sync opens (or rebuilds) it afresh."""
        self._ready.clear()
        self.partial = False
        self._index = None
        self._indexed = {}
        self._version = None
        self._since = None
        if self.folder is not None:
            (self.folder / SYNC_FILE).unlink(missing_ok=True)
            if not self.folder.is_dir():
                self.folder.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        self._ready.clear()
        self.partial = False
        self._index = None
        if self._task is not None:
            self._task.cancel()
        if self._claim is not None:
            self._claim.close()
            self._claim = None
        self.folder = None

    # --- searching -------------------------------------------------------------------------

    def vocabulary(self) -> list[tuple[str, int]] | None:
        """Every term of the live articles with the number of them holding it (None: nothing
        to read, or the index failed).

        Titles and bodies are counted apart; a term's count is the larger of its two: a title's
        words nearly always stand in its body too, so their sum would count most articles twice
        (and the commonest term, taken for the number of articles, would say half again as
        many). Counted through a query that matches every live document: tantivy's plain term
        counts include deleted documents until their segment is merged, which a retracted or
        changed article's words would outlive as corrections that match nothing (about 0.15 s
        at 100k articles against 0.05 s, off the event loop; tantivy lets go of the GIL)."""
        index = self._index  # read once: a failed search may drop it meanwhile
        if not self.ready or index is None:
            return None
        try:
            searcher = index.searcher()
            live = tantivy.Query.all_query()
            counts = dict(searcher.terms_with_prefix("body", "", filter_query=live))
            for term, count in searcher.terms_with_prefix("title", "", filter_query=live):
                if count > counts.get(term, 0):
                    counts[term] = count
            return list(counts.items())
        except Exception:
            log.exception("reading the search index's terms failed")
            return None

    def search(
        self, query: Sequence[WordQuery], limit: int, keep: int, terms: Collection[str] = ()
    ) -> tuple[list[Found], float] | None:
        """The `keep` best of each ranking's `limit` best (a detail's twice that), with what
        the reranker needs of each (its stored title and date, which of `terms` its body
        holds), and how much the query reads as a detail of a story rather than a headline
        (0-1); None when the index is not ready or fails (the caller scans titles, and a
        rebuild is due).

        Two rankings share the places: one with titles weighted far above bodies (headlines),
        one with bodies counting nearly as much (a detail of the story), so that neither kind
        of query fills the candidates with the other's."""
        if not self.ready or self._index is None:
            return None
        try:
            searcher = self._index.searcher()
            found: dict[tuple[int, int], tuple[float, Any]] = {}
            headline = 1.0
            for make in (_headline_query, _detail_query):
                if make is _detail_query and headline >= 1.0:
                    break  # a headline through and through: the detail ranking would weigh 0
                clauses = [(tantivy.Occur.Should, q) for q in map(make, query) if q is not None]
                phrase = _phrase(query) if make is _detail_query else None
                if phrase is not None:
                    clauses.append((tantivy.Occur.Should, phrase))
                if not clauses:
                    continue
                # A detail's words are spread over more articles: its ranking gets more places.
                places = limit if make is _headline_query else DETAIL_PLACES * limit
                hits = searcher.search(tantivy.Query.boolean_query(clauses), places, False).hits
                top = max((score for score, _ in hits), default=1.0) or 1.0
                if make is _headline_query:
                    # About the share of the words the best title holds: a headline query
                    # is judged by titles, a detail (few words in any title) by bodies.
                    headline = min(1.0, top / ((TITLE_BOOST + 1) * len(query)))
                    weight = headline
                else:
                    weight = 1.0 - headline
                # The same document has the same address in one searcher: summed by address.
                for score, address in hits:
                    key = (address.segment_ord, address.doc)
                    before = found.get(key)
                    found[key] = ((before[0] if before else 0.0) + weight * score / top, address)
            best = sorted(found.values(), key=lambda pair: -pair[0])[:keep]
            addresses = [address for _, address in best]
            ids = [int(i or 0) for i in searcher.fast_field_values("id", addresses)]
            holders = _body_holders(searcher, ids, addresses, terms)
            result = []
            for (relevance, address), article_id in zip(best, ids, strict=True):
                doc = searcher.doc(address)
                result.append(
                    Found(
                        article_id,
                        relevance,
                        str(doc.get_first("shown") or ""),
                        str(doc.get_first("title") or ""),
                        int(doc.get_first("sort") or 0),
                        frozenset(holders.get(article_id, ())),
                    )
                )
            return result, 1.0 - headline
        except Exception:
            log.exception("search index failed; scanning titles and rebuilding it")
            self._discard()
            return None


def _body_holders(
    searcher: Any, ids: list[int], addresses: list[Any], terms: Collection[str]
) -> dict[int, set[str]]:
    """For each candidate, which of the terms its body holds (the reranker counts words
    held in bodies as well as titles). A term in few articles: all of them, looked up among
    the candidates (microseconds); a frequent one: asked among the candidates only."""
    if not ids or not terms:
        return {}
    Query, Occur = tantivy.Query, tantivy.Occur
    by_address = {(a.segment_ord, a.doc): i for a, i in zip(addresses, ids, strict=True)}
    among: tantivy.Query | None = None
    holders: dict[int, set[str]] = {}
    for term in terms:
        frequency = searcher.doc_freq("body", term)
        if not frequency:
            continue
        asked = Query.term_query(SCHEMA, "body", term)
        if frequency > ALL_HOLDERS:
            if among is None:  # tantivy's term set query costs ten times these ORed terms
                among = Query.boolean_query(
                    [(Occur.Should, Query.term_query(SCHEMA, "id", i)) for i in ids]
                )
            asked = Query.boolean_query([(Occur.Must, among), (Occur.Must, asked)])
            frequency = len(ids)
        for _, a in searcher.search(asked, frequency, False).hits:
            article_id = by_address.get((a.segment_ord, a.doc))
            if article_id is not None:
                holders.setdefault(article_id, set()).add(term)
    return holders


ALL_HOLDERS = 50


def _headline_query(word: WordQuery) -> tantivy.Query | None:
    """Headline ranking: how many words stand in the title (within their typos); every fuzzy
    match scores alike, so the exact terms' bm25 adds a little to tell equal counts apart.
    Titles only: bodies are the detail ranking's (and asking them costs most of the time)."""
    Query = tantivy.Query
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if word.fuzzy:
        fuzzy = Query.fuzzy_term_query(SCHEMA, "title", word.fuzzy, word.distance, True, False)
        parts.append((tantivy.Occur.Should, Query.boost_query(fuzzy, TITLE_BOOST)))
    for term, weight in word.terms:
        exact = Query.term_query(SCHEMA, "title", term)
        parts.append((tantivy.Occur.Should, Query.boost_query(exact, TIE_BREAK * weight)))
    return Query.boolean_query(parts) if parts else None


def _detail_query(word: WordQuery) -> tantivy.Query | None:
    """Detail ranking: bm25 of the corpus terms the word may be, bodies counting nearly as
    much as titles. Common terms ("the", "said") are left to the phrase: scoring their
    postings costs most of a search and tells little."""
    Query = tantivy.Query
    parts: list[tantivy.Query] = []
    for term, weight in word.terms:
        if term in word.common:
            continue
        for field, boost in (("title", DETAIL_TITLE_BOOST), ("body", 1.0)):
            exact = Query.term_query(SCHEMA, field, term)
            parts.append(Query.boost_query(exact, boost * weight))
    # The best of the word's terms, not their sum: "for" and its dozen completions are one word.
    return Query.disjunction_max_query(parts, DETAIL_TIE) if parts else None


DETAIL_TIE = 0.2
DETAIL_PLACES = 2


def _phrase(query: Sequence[WordQuery]) -> tantivy.Query | None:
    """The words' likeliest terms in their order, a word or so apart at most, in a body."""
    terms: list[str | tuple[int, str]] = [
        (offset, word.terms[0][0]) for offset, word in enumerate(query) if _sure(word)
    ]
    if len(terms) < 2:
        return None
    phrase = tantivy.Query.phrase_query(SCHEMA, "body", terms, PHRASE_SLOP)
    return tantivy.Query.boost_query(phrase, PHRASE_BOOST)


def _sure(word: WordQuery) -> bool:
    """Whether the word's likeliest term is sure enough for the phrase (which one wrong word
    defeats): a short word's typo fix is one guess among many neighbours ("thik": thin, thick,
    this, think); its place in the phrase is left open instead."""
    if not word.terms:
        return False
    return word.terms[0][1] >= 1.0 or len(word.fuzzy or "") > UNSURE_LENGTH


UNSURE_LENGTH = 4
PHRASE_SLOP = 1
PHRASE_BOOST = 6.0
TIE_BREAK = 0.5


def _add(writer: Any, rows: Sequence[Any], empty: bool) -> None:
    for article_id, title, body, sort_at in rows:
        if not empty:
            writer.delete_documents_by_term("id", int(article_id))
        writer.add_document(
            tantivy.Document(
                id=int(article_id),
                title=" ".join(words(title)),
                shown=title,
                sort=int(_aware(sort_at).timestamp()),
                body=" ".join(words(body)),
            )
        )


def _aware(moment: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back without a zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _commit(writer: Any, merge: bool) -> None:
    writer.commit()
    if merge:
        writer.wait_merging_threads()


def _read_state(folder: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((folder / SYNC_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("schema") != SCHEMA_VERSION:
        return None
    if not isinstance(state.get("indexed"), dict):
        return None
    return state


def _claim(root: Path) -> tuple[Path, IO[str]]:
    """The first of root/0, root/1, ... that no other running instance holds (a lock file held
    for the life of the process; the kernel drops it when the process dies)."""
    root.mkdir(parents=True, exist_ok=True)
    for slot in range(SLOTS):
        handle = (root / f"{slot}.lock").open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        folder = root / str(slot)
        folder.mkdir(exist_ok=True)
        return folder, handle
    raise OSError(f"all {SLOTS} search index folders under {root} are in use")
