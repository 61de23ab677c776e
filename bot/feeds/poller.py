"""Polling feeds: claim a due feed, fetch it, store its new items, record the outcome.

A feed is claimed in the database with a lease before it is fetched, so of several instances one
polls it at a time; a holder that dies leaves a claim that runs out, and everything else (the
validators for the conditional GET, the items seen) is in the database: a restart loses nothing
and fetches nothing twice that it need not. A failing feed backs off exponentially.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.clock import Clock
from bot.feeds.errors import FeedError, FeedErrorKind, feed_error
from bot.feeds.fetching import Fetched, Fetcher
from bot.feeds.pages import page_paragraphs
from bot.feeds.parsing import FeedItemParsed, parse_feed
from bot.outages import OutageLog
from bot.rendering.feed_errors import english_error
from storage import feeds as store
from storage.database import Database
from storage.feeds import IncomingItem
from storage.models import Feed

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # far longer than one feed's poll takes (fetch time limits)
MAX_BACKOFF = timedelta(hours=24)
MAX_PAGES_PER_POLL = 30  # teasers expanded from their pages in one poll of one feed
CONCURRENCY = 8
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

NewArticles = Callable[[list[str]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    feed_id: int
    url: str
    status: str  # ok | unchanged | error | busy (another instance holds it)
    new_items: int = 0
    added: tuple[str, ...] = ()
    error: FeedError | None = None
    updated: int = 0  # articles whose item came again with another text


@dataclass
class PollReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def added(self) -> list[str]:
        return [short_id for o in self.outcomes for short_id in o.added]

    @property
    def new_items(self) -> int:
        return sum(o.new_items for o in self.outcomes)

    @property
    def updated(self) -> int:
        return sum(o.updated for o in self.outcomes)


def backoff(interval: timedelta, failures: int) -> timedelta:
    """The wait before trying a feed that failed `failures` times running: doubling, capped."""
    wait: timedelta = interval * (2 ** min(max(failures, 1), 16))
    return min(wait, MAX_BACKOFF)


class FeedPoller:
    """Polls the due feeds of the database; one per process, shared by the job and /feeds."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        instance: str,
        poll_minutes: float,
        fetcher: Fetcher | None = None,
        on_new: NewArticles | None = None,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.db = db
        self.clock = clock
        self.instance = instance
        self.interval = timedelta(minutes=poll_minutes)
        self.fetcher = fetcher or Fetcher()
        self.on_new = on_new
        self.on_report: Callable[[PollReport], None] | None = None  # metrics, told of each poll
        self._limit = asyncio.Semaphore(concurrency)
        self._task: asyncio.Task[PollReport] | None = None
        self.outage = OutageLog(log, "feed polling")

    def tick(self) -> None:
        """Poll the due feeds in the background, unless a poll is still running."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._logged_poll(), name="feeds-poll")

    async def _logged_poll(self) -> PollReport:
        try:
            report = await self.poll()
        except Exception as exc:  # said once for a database outage, in full for anything else
            self.outage.failed(exc)
            return PollReport()
        self.outage.answered()
        if report.outcomes:
            log.info(
                "feeds polled: %d new, %d unchanged, %d failed; %d new articles (%.1f s)",
                report.count("ok"),
                report.count("unchanged"),
                report.count("error"),
                len(report.added),
                report.seconds,
            )
        return report

    async def wait_idle(self) -> None:
        """Until the poll in the background (if any) is over."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.fetcher.close()

    async def poll(self, *, every: bool = False, feed_ids: list[int] | None = None) -> PollReport:
        """Poll the due feeds (every unpaused one with `every`, or those of `feed_ids`)."""
        started = time.perf_counter()
        if feed_ids is None:
            async with self.db.read() as session:
                feed_ids = await store.due_feed_ids(session, self.clock.now(), every=every)
        results = await asyncio.gather(*(self._limited(feed_id) for feed_id in feed_ids))
        report = PollReport([r for r in results if r is not None])
        report.seconds = time.perf_counter() - started
        if self.on_report is not None:
            self.on_report(report)
        if (report.added or report.updated) and self.on_new is not None:
            await self.on_new(report.added)
        return report

    async def _limited(self, feed_id: int) -> FeedOutcome | None:
        async with self._limit:
            try:
                return await self.poll_one(feed_id)
            except Exception as exc:  # one feed's trouble (a database hiccup) spares the rest
                log.exception("polling feed %s failed; it is tried again on the next poll", feed_id)
                return FeedOutcome(
                    feed_id,
                    "",
                    "error",
                    error=feed_error(FeedErrorKind.INTERNAL, detail=exc.__class__.__name__),
                )

    async def poll_one(self, feed_id: int) -> FeedOutcome | None:
        now = self.clock.now()
        async with self.db.write() as session:
            feed = await store.claim(session, feed_id, self.instance, now, LEASE)
            if feed is None:
                return None
            url, etag, modified = feed.url, feed.etag, feed.last_modified
            failures = feed.consecutive_failures
        try:
            return await self._poll_claimed(feed_id, url, etag, modified, failures)
        except BaseException:
            # Cancelled (stopping) or a bug: give the claim back; the lease covers a crash.
            try:
                async with self.db.write() as session:
                    await store.release(session, feed_id, self.instance)
            except Exception:
                log.warning("could not release the claim on feed %s", feed_id)
            raise

    async def _poll_claimed(
        self, feed_id: int, url: str, etag: str | None, modified: str | None, failures: int
    ) -> FeedOutcome:
        fetched = await self.fetcher.fetch(url, etag=etag, last_modified=modified)
        now = self.clock.now()
        if fetched.error is not None and not fetched.not_modified:
            return await self._failed(feed_id, url, fetched, failures + 1, fetched.error, now)
        values: dict[str, Any] = {
            "last_fetch_at": now,
            "consecutive_failures": 0,
            "next_attempt_at": now + self.interval,
        }
        if fetched.not_modified:
            values |= {"last_status": "unchanged", "last_error": None}
            await self._finish(feed_id, url, fetched, values)
            return FeedOutcome(feed_id, url, "unchanged")
        assert fetched.body is not None
        parsed = await asyncio.to_thread(
            parse_feed,
            fetched.body,
            url=fetched.url,
            fetched_at=now,
            content_type=fetched.content_type,
        )
        if not parsed.items and parsed.error is not None:
            return await self._failed(feed_id, url, fetched, failures + 1, parsed.error, now)
        carried = [p.item for p in parsed.items]
        hashes = store.item_hashes(carried)  # before a page stands in for a teaser
        async with self.db.read() as session:
            fresh = await store.unseen(session, feed_id, carried)
            fresh_keys = {item.key_hash for item in fresh}
            edits = await store.edited(
                session, feed_id, [i for i in carried if i.key_hash not in fresh_keys], hashes
            )
        changed = {item.key_hash: article_id for item, article_id in edits.changed}
        expanded = await self._expand_teasers(
            [p for p in parsed.items if p.item.key_hash in fresh_keys | changed.keys()]
        )
        items = [i for i in expanded if i.key_hash in fresh_keys]
        edits = store.Edits(
            [(i, changed[i.key_hash]) for i in expanded if i.key_hash in changed],
            edits.unrecorded,
        )
        error = parsed.error
        if error is not None:  # the items read are kept: the error says how many
            error = dataclasses.replace(error, values={**error.values, "kept": len(parsed.items)})
        values |= {
            "last_status": "ok",
            "last_error": error.encode() if error is not None else None,
            "etag": fetched.etag,
            "last_modified": fetched.last_modified,
        }
        if parsed.title:
            values["title"] = parsed.title
        stored, updated = await self._finish(feed_id, url, fetched, values, (items, edits, hashes))
        if error:
            log.warning("feed %s: %s", logged_url(url), error)
        if updated:
            log.info("feed %s: %d articles updated", logged_url(url), updated)
        return FeedOutcome(
            feed_id, url, "ok", stored.new_items, tuple(stored.added), error, updated
        )

    async def _expand_teasers(self, parsed: list[FeedItemParsed]) -> list[IncomingItem]:
        """Items whose text is a teaser take their story from their page, where it has one."""
        items: list[IncomingItem] = []
        pages = 0
        for entry in parsed:
            item = entry.item
            link = item.article.url
            if entry.teaser and link and pages < MAX_PAGES_PER_POLL:
                pages += 1
                paragraphs = await self._page(link, item.article.title)
                if paragraphs is not None:
                    article = dataclasses.replace(item.article, paragraphs=tuple(paragraphs))
                    item = IncomingItem(item.key, article)
            items.append(item)
        return items

    async def _page(self, link: str, title: str) -> list[str] | None:
        fetched = await self.fetcher.fetch(link, accept=ACCEPT_PAGE)
        if fetched.body is None:
            return None
        charset = _charset(fetched.content_type)
        # Without a charset in the header, trafilatura reads the page's own <meta charset>.
        html = fetched.body.decode(charset, errors="replace") if charset else fetched.body
        paragraphs = await asyncio.to_thread(page_paragraphs, html, fetched.url)
        if paragraphs and paragraphs[0].strip().casefold() == title.strip().casefold():
            paragraphs = paragraphs[1:]  # the page repeats the headline as its first line
        return paragraphs or None

    async def _failed(
        self,
        feed_id: int,
        url: str,
        fetched: Fetched,
        failures: int,
        error: FeedError,
        now: datetime,
    ) -> FeedOutcome:
        values = {
            "last_fetch_at": now,
            "last_status": "error",
            "last_error": error.encode(),
            "consecutive_failures": failures,
            "next_attempt_at": now + backoff(self.interval, failures),
        }
        await self._finish(feed_id, url, dataclasses.replace(fetched, moved_to=None), values)
        log.warning(
            "feed %s: %s (failure %d running)", logged_url(url), english_error(error), failures
        )
        return FeedOutcome(feed_id, url, "error", error=error)

    async def _finish(
        self,
        feed_id: int,
        url: str,
        fetched: Fetched,
        values: dict[str, Any],
        carried: tuple[list[IncomingItem], store.Edits, dict[str, str]] | None = None,
    ) -> tuple[store.StoredItems, int]:
        """Store the new items, the edits and the feed's new state in one transaction, and
        release the claim; what was stored, and how many articles were updated."""
        stored = store.StoredItems(0, [], 0)
        updated = 0
        items, edits, hashes = carried or ([], store.Edits([], []), {})
        async with self.db.write() as session:
            if edits.changed or edits.unrecorded:
                updated = await store.apply_edits(session, feed_id, edits, hashes, self.clock.now())
            if items:
                stored = await store.store_items(session, feed_id, items, self.clock.now(), hashes)
                values = values | {
                    "items_seen": Feed.items_seen + stored.new_items,
                    "articles_added": Feed.articles_added + len(stored.added),
                }
            moved = fetched.moved_to
            if moved and moved != url and not await store.url_taken(session, moved):
                log.info("feed %s moved permanently to %s", logged_url(url), logged_url(moved))
                values = values | {"url": moved}
            await store.finish(session, feed_id, self.instance, values)
        return stored, updated


def logged_url(url: str) -> str:
    """A feed's address for the log, without the user and password some carry
    (https://user:secret@host/feed): the log is read by more people than the database."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc="***@" + host))


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ")
            try:
                "".encode(charset)
            except LookupError:
                return None
            return charset
    return None
