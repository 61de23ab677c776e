"""Syncing a seed folder into the store: idempotent, atomic per batch, never stopped by a bad file.

A file whose size and mtime are unchanged costs one stat. Changed files are read, parsed and
upserted by content hash in one transaction per batch: a changed file updates its article in
place (same id), the same article in two files is stored once, and an article whose files are
all gone is retracted. A file that turns bad keeps the article it had: bad input loses nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, select, text, update

from storage.database import Database
from storage.models import Article, FeedItem, SeedFile
from storage.seeds.lock import seed_load_lock
from storage.seeds.names import shown
from storage.seeds.parsing import parse_seed
from storage.seeds.records import ParsedArticle, Rejection, RejectionKind, SeedReason, rejection
from storage.seeds.scanning import SeedBytes, SeedStat, read_seed, scan_folder
from storage.short_ids import short_id_candidates, text_short_id
from storage.state import bump_corpus_version
from storage.upsert import upsert_rows

BATCH_SIZE = 500
# An article of this load: its id, or its content hash while it waits for the batch insert.
ArticleRef = int | str
ANALYZE_EVERY = 20  # batches, on PostgreSQL during a load
ANALYZE_AFTER = 1000  # articles added or changed: planner statistics are refreshed after the load
Progress = Callable[[int, int], None]


@dataclass
class LoadReport:
    """What one load did, file by file where it matters to whoever maintains the seeds."""

    folder: str
    files: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, article short id)
    retracted: list[tuple[str, str]] = field(default_factory=list)  # (short id, title)
    rejected: list[tuple[str, SeedReason]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retracted)

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files,
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "duplicates": len(self.duplicates),
            "retracted": len(self.retracted),
            "rejected": len(self.rejected),
        }


@dataclass(frozen=True, slots=True)
class _Known:
    """The stored state of one seed file."""

    size: int
    mtime_ns: int
    file_hash: str
    status: str
    reason: str | None
    article_id: int | None


@dataclass(frozen=True, slots=True)
class _Parsed:
    stat: SeedStat
    file_hash: str
    article: ParsedArticle
    content_hash: str


@dataclass(frozen=True, slots=True)
class _Bad:
    stat: SeedStat
    file_hash: str
    reason: Rejection


def content_hash(article: ParsedArticle) -> str:
    """The identity of an article's text: the same story in two files hashes the same."""
    text = article.title + "\n\n" + "\n\n".join(article.paragraphs)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _relative(path: str, root: Path) -> str:
    """The path within the seed folder, as stored and as keyed."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _shown(path: str, root: Path) -> str:
    """The path within the seed folder as reports and logs show it (odd characters escaped)."""
    return shown(_relative(path, root))


def _with_folder_section(article: ParsedArticle, path: str, root: Path) -> ParsedArticle:
    """A file filed under a sub-folder (business/001.txt) takes the folder as its section."""
    if article.section:
        return article
    parts = Path(_relative(path, root)).parts
    if len(parts) < 2:
        return article
    return dataclasses.replace(article, section=parts[-2].replace("_", " ").title())


def _read_and_parse(
    stats: Sequence[SeedStat], known: dict[str, _Known], root: Path, now: datetime
) -> list[_Parsed | _Bad | SeedStat]:
    """Read and parse one batch; a file whose bytes did not change comes back as its SeedStat."""
    out: list[_Parsed | _Bad | SeedStat] = []
    for stat in stats:
        read = read_seed(stat, root)
        if isinstance(read, Rejection):
            out.append(_Bad(stat, "", read))
            continue
        previous = known.get(stat.path)
        if previous is not None and previous.file_hash == read.file_hash:
            out.append(stat)
            continue
        out.append(_parse(stat, read, root, now))
    return out


def _parse(stat: SeedStat, read: SeedBytes, root: Path, now: datetime) -> _Parsed | _Bad:
    try:
        parsed = parse_seed(read.data, name=Path(stat.path).name, now=now)
    except Exception as exc:  # a parser bug must cost one file, not the whole load
        failed = rejection(RejectionKind.PARSER_ERROR, detail=exc.__class__.__name__)
        return _Bad(stat, read.file_hash, failed)
    if isinstance(parsed, Rejection):
        return _Bad(stat, read.file_hash, parsed)
    parsed = _with_folder_section(parsed, stat.path, root)
    return _Parsed(stat, read.file_hash, parsed, content_hash(parsed))


class SeedFolderError(Exception):
    """The folder to load is missing or not a folder: nothing was changed."""


class SeedLoader:
    """One load of one folder. Create it per load; it holds that load's working state."""

    def __init__(self, db: Database, root: Path, *, now: datetime) -> None:
        self.db = db
        # os.path.realpath never raises (Path.resolve does on a link loop): a folder that is a
        # loop is then "not a folder" to run(), like a missing one.
        self.root = Path(os.path.realpath(root))
        self.now = now
        self.report = LoadReport(folder=shown(str(self.root)))
        self._taken: set[str] | None = None  # every short id in use, read once per load
        self._pending: list[dict[str, Any]] = []  # new articles of the batch being stored
        self._pending_short_ids: dict[str, str] = {}
        self._retracted: dict[str, int] | None = None  # seed path -> retracted article

    async def run(
        self, progress: Progress | None = None, batch_size: int = BATCH_SIZE
    ) -> LoadReport:
        started = time.perf_counter()
        # A missing folder must not read as "every file was deleted" and retract everything.
        if not self.root.is_dir():
            raise SeedFolderError(f"seed folder {self.root} does not exist or is not a folder")
        stats = await asyncio.to_thread(scan_folder, self.root)
        known = await self._known_files()
        self.report.files = len(stats)
        to_read: list[SeedStat] = []
        for stat in stats:
            previous = known.get(stat.path)
            if stat.problem is not None:
                to_read.append(stat)  # reported every time, without reading
            elif previous and (previous.size, previous.mtime_ns) == (stat.size, stat.mtime_ns):
                self._count_unchanged(stat.path, previous)
            else:
                to_read.append(stat)
        done = len(stats) - len(to_read)
        if progress:
            progress(done, len(stats))
        for start in range(0, len(to_read), batch_size):
            batch = to_read[start : start + batch_size]
            # Reading and parsing is CPU and disk work: off the event loop, so the bot answers on.
            results = await asyncio.to_thread(_read_and_parse, batch, known, self.root, self.now)
            await self._store_batch(results, known)
            done += len(batch)
            if self.db.dialect == "postgresql" and (start // batch_size) % ANALYZE_EVERY == 1:
                await self._analyze()
            if progress:
                progress(done, len(stats))
        seen = {stat.path for stat in stats}
        # A folder that cannot be read now still holds its files: keep their articles.
        for folder in (stat.path.rstrip("/") + "/" for stat in stats if stat.folder):
            seen.update(path for path in known if path.startswith(folder))
        await self._retire_missing(known, seen)
        if len(self.report.added) + len(self.report.updated) >= ANALYZE_AFTER:
            await self._analyze()
        self.report.seconds = time.perf_counter() - started
        return self.report

    async def _analyze(self) -> None:
        """Fresh planner statistics while a big load grows the tables from nothing: with the
        ones it had, PostgreSQL would scan whole tables for every batch's lookups."""
        async with self.db.write() as session:
            for table in ("articles", "seed_files"):
                await session.execute(text(f"ANALYZE {table}"))

    def _count_unchanged(self, path: str, previous: _Known) -> None:
        if previous.status == "rejected":
            stored = Rejection.decode(previous.reason) if previous.reason else "rejected"
            self.report.rejected.append((_shown(path, self.root), stored))
        else:
            self.report.unchanged += 1

    async def _known_files(self) -> dict[str, _Known]:
        prefix = str(self.root).rstrip("/") + "/"
        async with self.db.read() as session:
            rows = await session.execute(
                select(
                    SeedFile.path,
                    SeedFile.size,
                    SeedFile.mtime_ns,
                    SeedFile.file_hash,
                    SeedFile.status,
                    SeedFile.reason,
                    SeedFile.article_id,
                ).where(SeedFile.path.startswith(prefix, autoescape=True))
            )
            return {row[0]: _Known(*row[1:]) for row in rows}

    async def _store_batch(
        self, results: list[_Parsed | _Bad | SeedStat], known: dict[str, _Known]
    ) -> None:
        file_rows: list[dict[str, Any]] = []
        async with self.db.write() as session:
            parsed = [r for r in results if isinstance(r, _Parsed)]
            by_hash = await self._articles_by_hash(session, {p.content_hash for p in parsed})
            previous_ids = {
                k.article_id
                for r in parsed
                if (k := known.get(r.stat.path)) is not None and k.article_id is not None
            }
            owners = await self._owners(session, previous_ids)
            if self._taken is None:
                # One read for the whole load: asking per batch is a query per 500 files that
                # PostgreSQL plans badly while the table grows under it.
                self._taken = set(await session.scalars(select(Article.short_id)))
            for result in results:
                if isinstance(result, SeedStat):
                    # Touched but byte-for-byte the same: remember the new stat, nothing else.
                    previous = known[result.path]
                    file_rows.append(
                        self._file_row(
                            result,
                            previous.file_hash,
                            previous.status,
                            previous.reason,
                            previous.article_id,
                        )
                    )
                    self._count_unchanged(result.path, previous)
                elif isinstance(result, _Bad):
                    file_rows.append(self._bad_file_row(result, known.get(result.stat.path)))
                else:
                    article_ref, status = await self._store_article(
                        session, result, known.get(result.stat.path), by_hash, owners
                    )
                    file_rows.append(
                        self._file_row(result.stat, result.file_hash, status, None, article_ref)
                    )
            new_ids = await self._insert_pending(session)
            for row in file_rows:  # files of new articles point at the ids just made
                if isinstance(row["article_id"], str):
                    row["article_id"] = new_ids[row["article_id"]]
            await upsert_rows(session, SeedFile, file_rows, ["path"])
            if self.report.added or self.report.updated:
                await bump_corpus_version(session, self.now)

    def _bad_file_row(self, bad: _Bad, previous: _Known | None) -> dict[str, Any]:
        rel = _shown(bad.stat.path, self.root)
        kept = previous.article_id if previous else None
        if bad.reason.kind is RejectionKind.OUTSIDE:
            # Never keep what a link out may have let in before (a copy of .env, say): the
            # article goes, and is retracted with the others no file holds.
            kept = None
        reason = dataclasses.replace(bad.reason, kept=kept is not None)
        self.report.rejected.append((rel, reason))
        return self._file_row(bad.stat, bad.file_hash, "rejected", reason.encode(), kept)

    def _file_row(
        self,
        stat: SeedStat,
        file_hash: str,
        status: str,
        reason: str | None,
        article_id: ArticleRef | None,
    ) -> dict[str, Any]:
        return {
            "path": stat.path,
            "size": stat.size,
            "mtime_ns": stat.mtime_ns,
            "file_hash": file_hash,
            "status": status,
            "reason": reason,
            "article_id": article_id,
            "checked_at": self.now,
        }

    @staticmethod
    async def _articles_by_hash(
        session: Any, hashes: set[str]
    ) -> dict[str, tuple[ArticleRef, bool]]:
        if not hashes:
            return {}
        rows = await session.execute(
            select(Article.content_hash, Article.id, Article.retracted).where(
                Article.content_hash.in_(hashes)
            )
        )
        return {h: (article_id, retracted) for h, article_id, retracted in rows}

    @staticmethod
    async def _owners(session: Any, ids: set[int]) -> dict[ArticleRef, str]:
        if not ids:
            return {}
        rows = await session.execute(
            select(Article.id, Article.seed_path).where(Article.id.in_(ids))
        )
        return dict(rows.all())

    async def _insert_pending(self, session: Any) -> dict[str, int]:
        """Insert the batch's new articles in one statement; content hash -> new id."""
        if not self._pending:
            return {}
        rows = await session.execute(
            insert(Article).returning(Article.id, Article.content_hash), self._pending
        )
        self._pending = []
        return {digest: article_id for article_id, digest in rows}

    async def _store_article(
        self,
        session: Any,
        parsed: _Parsed,
        previous: _Known | None,
        by_hash: dict[str, tuple[ArticleRef, bool]],
        owners: dict[ArticleRef, str],
    ) -> tuple[ArticleRef, str]:
        """Insert, update in place, or point at an existing copy; returns (article, status).

        A new article is only queued here (its reference is its content hash until the batch
        inserts them all at once: one statement per article costs four times the database's
        own time).
        """
        rel = _shown(parsed.stat.path, self.root)
        prev_id = previous.article_id if previous else None
        existing = by_hash.get(parsed.content_hash)
        if existing is not None:
            article_id, retracted = existing
            if retracted:
                await session.execute(
                    update(Article)
                    .where(Article.id == article_id)
                    .values(retracted=False, seed_path=parsed.stat.path, updated_at=self.now)
                )
                by_hash[parsed.content_hash] = (article_id, False)
                owners[article_id] = parsed.stat.path
                self.report.added.append(rel)
                return article_id, "article"
            if article_id == prev_id:
                self.report.unchanged += 1
                return article_id, "article"
            owner = owners.get(article_id)
            if owner is None:
                owner = await session.scalar(
                    select(Article.seed_path).where(Article.id == article_id)
                )
                owners[article_id] = owner or ""
            if owner != parsed.stat.path:
                if isinstance(article_id, str):
                    short_id = self._pending_short_ids[article_id]
                else:
                    short_id = await self._short_id(session, article_id)
                self.report.duplicates.append((rel, short_id))
                return article_id, "duplicate"
            self.report.unchanged += 1
            return article_id, "article"
        values = self._article_values(parsed)
        if prev_id is not None and owners.get(prev_id) == parsed.stat.path:
            await session.execute(update(Article).where(Article.id == prev_id).values(**values))
            by_hash[parsed.content_hash] = (prev_id, False)
            self.report.updated.append(rel)
            return prev_id, "article"
        # A new text in the place of a retracted article (the file deleted, later written anew)
        # is that article again, under its id: the id a rebuilt database would give it.
        if prev_id is None and (revived := await self._retracted_at(session, parsed.stat.path)):
            await session.execute(
                update(Article).where(Article.id == revived).values(retracted=False, **values)
            )
            by_hash[parsed.content_hash] = (revived, False)
            owners[revived] = parsed.stat.path
            self.report.added.append(rel)
            return revived, "article"
        short_id = self._new_short_id(_relative(parsed.stat.path, self.root))
        self._pending.append(
            {"short_id": short_id, "loaded_at": self.now, "retracted": False, **values}
        )
        self._pending_short_ids[parsed.content_hash] = short_id
        by_hash[parsed.content_hash] = (parsed.content_hash, False)
        owners[parsed.content_hash] = parsed.stat.path
        self.report.added.append(rel)
        return parsed.content_hash, "article"

    def _article_values(self, parsed: _Parsed) -> dict[str, Any]:
        article = parsed.article
        return {
            "content_hash": parsed.content_hash,
            "text_id": text_short_id(parsed.content_hash),
            "title": article.title,
            "body": "\n\n".join(article.paragraphs),
            "published_at": article.published_at,
            # A date in the future (a typo, a bad clock) would top /latest until it came:
            # such an article sorts as if published when it was loaded; its own date is kept.
            "sort_at": min(article.published_at or self.now, self.now),
            "source": article.source,
            "dateline": article.dateline,
            "section": article.section,
            "topics": list(article.topics),
            "url": article.url,
            "seed_path": parsed.stat.path,
            "updated_at": self.now,
            "summary": None,
        }

    async def _retracted_at(self, session: Any, path: str) -> int | None:
        """The retracted article last held by the file at `path` (read once per load: a query
        per new file would scan the table each time)."""
        if self._retracted is None:
            rows = await session.execute(
                select(Article.seed_path, Article.id).where(Article.retracted.is_(True))
            )
            self._retracted = dict(rows.all())
        return self._retracted.pop(path, None)

    @staticmethod
    async def _short_id(session: Any, article_id: int) -> str:
        return str(await session.scalar(select(Article.short_id).where(Article.id == article_id)))

    def _new_short_id(self, key: str) -> str:
        assert self._taken is not None
        for candidate in short_id_candidates(key):
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate
        raise RuntimeError("no free short id")  # needs all eight candidates taken: vanishingly rare

    async def _retire_missing(self, known: dict[str, _Known], seen: set[str]) -> None:
        """Forget files that are gone; retract the articles no file holds any more."""
        gone = [path for path in known if path not in seen]
        async with self.db.write() as session:
            for start in range(0, len(gone), BATCH_SIZE):
                chunk = gone[start : start + BATCH_SIZE]
                await session.execute(delete(SeedFile).where(SeedFile.path.in_(chunk)))
                # An article whose owning file is gone but whose duplicate remains moves to it.
                await session.execute(
                    update(Article)
                    .where(Article.seed_path.in_(chunk))
                    .values(
                        seed_path=select(func.min(SeedFile.path))
                        .where(SeedFile.article_id == Article.id)
                        .scalar_subquery()
                    )
                    .where(exists().where(SeedFile.article_id == Article.id))
                )
            held = exists().where(SeedFile.article_id == Article.id)
            # Articles that feeds brought (storage/feeds.py) are no seed file's to retract.
            in_feed = exists().where(FeedItem.article_id == Article.id)
            from_feed = Article.seed_path.startswith("feed:")
            orphans = (
                await session.execute(
                    select(Article.id, Article.short_id, Article.title).where(
                        and_(Article.retracted.is_(False), ~held, ~in_feed, ~from_feed)
                    )
                )
            ).all()
            if orphans:
                ids = [row[0] for row in orphans]
                for start in range(0, len(ids), BATCH_SIZE):
                    await session.execute(
                        update(Article)
                        .where(Article.id.in_(ids[start : start + BATCH_SIZE]))
                        .values(retracted=True, updated_at=self.now)
                    )
                self.report.retracted.extend((row[1], row[2]) for row in orphans)
                await bump_corpus_version(session, self.now)


async def load_seeds(
    db: Database,
    folder: Path,
    *,
    now: datetime,
    progress: Progress | None = None,
    wait: bool = True,
) -> LoadReport:
    """Sync `folder` into the store and report what changed; one load at a time across
    processes (a second waits for the first, or raises LoadRunning without `wait`)."""
    async with seed_load_lock(db, wait=wait):
        return await SeedLoader(db, folder, now=now).run(progress)
