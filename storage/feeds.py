"""Feeds and their items: the feed list, the polling claims, and items stored as articles.

An item becomes an article through the same table, ids and content hash the seed loader uses, so
search, /latest, summaries and digests see it the moment its transaction commits. The same story
is stored once: an item whose link, else whose text, is already stored (from another feed or a
seed) points at that article. An item a feed carried before (same GUID, else link) is skipped,
unless its text changed: then the article it became is updated in place (same id, same place in
digests and alerts: an edit is not news again), if it came from a feed (a seed's stays the seed's).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, Feed, FeedItem
from storage.seeds.loader import content_hash
from storage.seeds.records import ParsedArticle
from storage.short_ids import short_id_candidates
from storage.state import bump_corpus_version
from storage.upsert import upsert_rows

_PG_STORE_LOCK = {"space": 7_310_482, "key": 8}
FEED_PATH_PREFIX = "feed:"  # articles.seed_path of an article first seen in a feed


@dataclass(frozen=True, slots=True)
class IncomingItem:
    """One feed item ready to store: its identity within the feed, and the article it carries."""

    key: str  # the item's GUID, else its link, else its text
    article: ParsedArticle

    @property
    def key_hash(self) -> str:
        return hashlib.sha256(self.key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredItems:
    new_items: int  # items this feed had not carried before
    added: list[str]  # short ids of the articles made for them
    known: int  # new items whose story was already stored (another feed, a seed)


@dataclass(frozen=True, slots=True)
class FeedCounts:
    feeds: int
    paused: int
    failing: int  # feeds whose last fetch failed


async def add_feed(session: AsyncSession, url: str, now: datetime) -> tuple[Feed, bool]:
    """The feed at `url`, added (due at once) unless it is there already; True when added."""
    existing = await session.scalar(select(Feed).where(Feed.url == url))
    if existing is not None:
        return existing, False
    feed = Feed(
        url=url,
        added_at=now,
        items_seen=0,
        articles_added=0,
        consecutive_failures=0,
        next_attempt_at=now,
        paused=False,
    )
    session.add(feed)
    await session.flush()
    return feed, True


async def list_feeds(session: AsyncSession) -> list[Feed]:
    return list(await session.scalars(select(Feed).order_by(Feed.id)))


async def get_feed(session: AsyncSession, feed_id: int) -> Feed | None:
    return await session.get(Feed, feed_id)


async def find_feed(session: AsyncSession, url_or_id: str) -> Feed | None:
    """A feed by its number in the list or by its URL."""
    text = url_or_id.strip()
    if text.isascii() and text.isdigit() and len(text) < 10:
        return await session.get(Feed, int(text))
    return await session.scalar(select(Feed).where(Feed.url == text))


async def remove_feed(session: AsyncSession, feed_id: int) -> bool:
    """Forget a feed; the articles it brought stay (they may be in digests and shared links)."""
    result = await session.execute(delete(Feed).where(Feed.id == feed_id))
    return bool(getattr(result, "rowcount", 0))


async def set_paused(session: AsyncSession, feed_id: int, paused: bool, now: datetime) -> bool:
    values: dict[str, Any] = {"paused": paused}
    if not paused:
        values |= {"next_attempt_at": now, "consecutive_failures": 0}
    result = await session.execute(update(Feed).where(Feed.id == feed_id).values(**values))
    return bool(getattr(result, "rowcount", 0))


async def due_feed_ids(session: AsyncSession, now: datetime, *, every: bool = False) -> list[int]:
    """Feeds to poll now: unpaused, due (or all unpaused with `every`), unclaimed."""
    query = select(Feed.id).where(
        Feed.paused.is_(False),
        or_(Feed.claimed_until.is_(None), Feed.claimed_until < now),
    )
    if not every:
        query = query.where(Feed.next_attempt_at <= now)
    return list(await session.scalars(query.order_by(Feed.next_attempt_at, Feed.id)))


async def claim(
    session: AsyncSession, feed_id: int, owner: str, now: datetime, lease: timedelta
) -> Feed | None:
    """Take the feed for polling until now + lease; None when another holds a live claim.

    One conditional UPDATE: of two instances that race, the database lets one change the row.
    """
    result = await session.execute(
        update(Feed)
        .where(
            Feed.id == feed_id,
            Feed.paused.is_(False),
            or_(Feed.claimed_until.is_(None), Feed.claimed_until < now),
        )
        .values(claimed_by=owner, claimed_until=now + lease)
    )
    if not getattr(result, "rowcount", 0):
        return None
    return await session.scalar(
        select(Feed).where(Feed.id == feed_id).execution_options(populate_existing=True)
    )


async def finish(session: AsyncSession, feed_id: int, owner: str, values: dict[str, Any]) -> None:
    """Record a poll's outcome and give the claim back (only the holder's own claim)."""
    await session.execute(
        update(Feed)
        .where(Feed.id == feed_id, Feed.claimed_by == owner)
        .values(claimed_by=None, claimed_until=None, **values)
    )


async def release(session: AsyncSession, feed_id: int, owner: str) -> None:
    await finish(session, feed_id, owner, {})


async def unseen(
    session: AsyncSession, feed_id: int, items: Sequence[IncomingItem]
) -> list[IncomingItem]:
    """The items the feed has not carried before, each GUID once (its first item)."""
    unique: dict[str, IncomingItem] = {}
    for item in items:
        unique.setdefault(item.key_hash, item)
    seen: set[str] = set()
    keys = list(unique)
    for start in range(0, len(keys), 500):
        seen.update(
            await session.scalars(
                select(FeedItem.item_key).where(
                    FeedItem.feed_id == feed_id, FeedItem.item_key.in_(keys[start : start + 500])
                )
            )
        )
    return [item for key, item in unique.items() if key not in seen]


@dataclass(frozen=True, slots=True)
class Edits:
    """Items the feed carried before: those whose text changed, with their article's id, and
    those stored before their text was kept (their text is recorded, nothing is updated)."""

    changed: list[tuple[IncomingItem, int]]
    unrecorded: list[str]  # item key hashes


def item_hashes(items: Sequence[IncomingItem]) -> dict[str, str]:
    """Each item's own text hash, by key (a GUID twice counts its first item)."""
    found: dict[str, str] = {}
    for item in items:
        found.setdefault(item.key_hash, content_hash(item.article))
    return found


async def edited(
    session: AsyncSession, feed_id: int, items: Sequence[IncomingItem], hashes: Mapping[str, str]
) -> Edits:
    """Of items this feed carried before, those whose text is not what it was."""
    by_key = {item.key_hash: item for item in reversed(items)}  # the first of a GUID wins
    changed: list[tuple[IncomingItem, int]] = []
    unrecorded: list[str] = []
    keys = list(by_key)
    for start in range(0, len(keys), 500):
        rows = await session.execute(
            select(FeedItem.item_key, FeedItem.item_hash, FeedItem.article_id).where(
                FeedItem.feed_id == feed_id, FeedItem.item_key.in_(keys[start : start + 500])
            )
        )
        for key, stored, article_id in rows:
            if stored is None:
                unrecorded.append(key)
            elif stored != hashes[key] and article_id is not None:
                changed.append((by_key[key], int(article_id)))
    return Edits(changed, unrecorded)


async def apply_edits(
    session: AsyncSession,
    feed_id: int,
    edits: Edits,
    hashes: Mapping[str, str],
    now: datetime,
) -> int:
    """Update the articles of edited items (their text, as expanded from their page where it
    was a teaser); record every item's text. How many articles changed."""
    updated = 0
    for item, article_id in edits.changed:
        article = await session.get(Article, article_id)
        digest = content_hash(item.article)
        if (
            article is None
            or article.retracted
            or not article.seed_path.startswith(FEED_PATH_PREFIX)
            or article.content_hash == digest
            # The new text is another stored article's: the two stay apart, this one as it was.
            or await session.scalar(select(Article.id).where(Article.content_hash == digest))
        ):
            continue
        row = _article_row(item, digest, article.short_id, now)
        for name in ("title", "body", "published_at", "source", "dateline", "section", "topics"):
            setattr(article, name, row[name])
        article.content_hash, article.updated_at, article.summary = digest, now, None
        updated += 1
    for key in [item.key_hash for item, _ in edits.changed] + edits.unrecorded:
        await session.execute(
            update(FeedItem)
            .where(FeedItem.feed_id == feed_id, FeedItem.item_key == key)
            .values(item_hash=hashes[key])
        )
    if updated:
        await bump_corpus_version(session, now)
    return updated


async def url_taken(session: AsyncSession, url: str) -> bool:
    return await session.scalar(select(Feed.id).where(Feed.url == url)) is not None


async def store_items(
    session: AsyncSession,
    feed_id: int,
    items: Sequence[IncomingItem],
    now: datetime,
    hashes: Mapping[str, str] | None = None,
) -> StoredItems:
    """Store the items the feed had not carried before; returns what was new. `hashes`: each
    item's own text (`item_hashes` of the items as the feed carried them)."""
    fresh = [(item.key_hash, item) for item in await unseen(session, feed_id, items)]
    if not fresh:
        return StoredItems(0, [], 0)
    if session.get_bind().dialect.name == "postgresql":
        # Two feeds carrying one story, stored at once, would both find it new and both insert
        # it: one transaction stores items at a time (SQLite's writes are serial already).
        await session.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), _PG_STORE_LOCK)
    hashes = {key: content_hash(item.article) for key, item in fresh}
    links = {item.article.url for _, item in fresh if item.article.url}
    by_link: dict[str, int] = {}
    if links:
        rows = await session.execute(
            select(Article.url, func.min(Article.id))
            .where(Article.url.in_(links), Article.retracted.is_(False))
            .group_by(Article.url)
        )
        by_link = {str(url): int(article_id) for url, article_id in rows}
    found = await session.execute(
        select(Article.content_hash, Article.id, Article.retracted).where(
            Article.content_hash.in_(set(hashes.values()))
        )
    )
    by_hash = {str(row[0]): (int(row[1]), bool(row[2])) for row in found}
    taken = await _taken_short_ids(session, [_id_key(item) for _, item in fresh])
    pending: list[dict[str, Any]] = []
    pending_by_hash: dict[str, str] = {}  # content hash -> short id, new in this batch
    refs: list[tuple[str, IncomingItem, int | str]] = []
    known = 0
    revived: list[int] = []
    for key, item in fresh:
        digest = hashes[key]
        link = item.article.url
        if link and link in by_link:
            refs.append((key, item, by_link[link]))
            known += 1
        elif digest in by_hash:
            article_id, retracted = by_hash[digest]
            if retracted:  # its seed file was deleted; a feed carries it again
                revived.append(article_id)
                by_hash[digest] = (article_id, False)
            else:
                known += 1
            refs.append((key, item, article_id))
        elif digest in pending_by_hash:
            refs.append((key, item, digest))
            known += 1
        else:
            short_id = _free_short_id(_id_key(item), taken)
            pending.append(_article_row(item, digest, short_id, now))
            pending_by_hash[digest] = short_id
            refs.append((key, item, digest))
            if link:
                by_link[link] = -1  # a second item with this link in the batch is the same story
    if revived:
        await session.execute(
            update(Article).where(Article.id.in_(revived)).values(retracted=False, updated_at=now)
        )
    new_ids: dict[str, int] = {}
    if pending:
        inserted = await session.execute(
            insert(Article).returning(Article.id, Article.content_hash), pending
        )
        new_ids = {digest: article_id for article_id, digest in inserted}
    link_ids = {row["url"]: new_ids[row["content_hash"]] for row in pending if row["url"]}
    item_rows = []
    for key, item, ref in refs:
        if isinstance(ref, str):
            article_id = new_ids[ref]
        elif ref == -1:
            article_id = link_ids[item.article.url or ""]
        else:
            article_id = ref
        item_rows.append(
            {
                "feed_id": feed_id,
                "item_key": key,
                "link": item.article.url,
                "article_id": article_id,
                "seen_at": now,
                "item_hash": (hashes or {}).get(key),
            }
        )
    await upsert_rows(session, FeedItem, item_rows, ["feed_id", "item_key"])
    if pending or revived:
        await bump_corpus_version(session, now)
    return StoredItems(len(fresh), list(pending_by_hash.values()), known)


def _id_key(item: IncomingItem) -> str:
    """What an article's short id derives from: its link (stable across feeds and rebuilds)."""
    return FEED_PATH_PREFIX + (item.article.url or item.key)


async def _taken_short_ids(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    candidates = {c for key in keys for c in short_id_candidates(key)}
    found: set[str] = set()
    listed = sorted(candidates)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        found.update(
            await session.scalars(select(Article.short_id).where(Article.short_id.in_(chunk)))
        )
    return found


def _free_short_id(key: str, taken: set[str]) -> str:
    for candidate in short_id_candidates(key):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise RuntimeError("no free short id")  # needs all eight candidates taken: vanishingly rare


def _article_row(item: IncomingItem, digest: str, short_id: str, now: datetime) -> dict[str, Any]:
    article = item.article
    return {
        "short_id": short_id,
        "content_hash": digest,
        "title": article.title,
        "body": "\n\n".join(article.paragraphs),
        "published_at": article.published_at,
        # A date in the future would top /latest until it came: sort it as if published now.
        "sort_at": min(article.published_at or now, now),
        "source": article.source,
        "dateline": article.dateline,
        "section": article.section,
        "topics": list(article.topics),
        "url": article.url,
        "seed_path": FEED_PATH_PREFIX + (article.url or item.key),
        "loaded_at": now,
        "updated_at": now,
        "retracted": False,
        "summary": None,
    }


async def feed_counts(session: AsyncSession) -> FeedCounts:
    rows = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Feed.paused.is_(True)),
                func.count().filter(Feed.last_status == "error", Feed.paused.is_(False)),
            ).select_from(Feed)
        )
    ).one()
    return FeedCounts(int(rows[0]), int(rows[1]), int(rows[2]))


async def failing_feeds(session: AsyncSession, limit: int = 5) -> list[Feed]:
    return list(
        await session.scalars(
            select(Feed)
            .where(Feed.last_status == "error", Feed.paused.is_(False))
            .order_by(Feed.consecutive_failures.desc(), Feed.id)
            .limit(limit)
        )
    )
