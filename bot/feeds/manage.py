"""The feed list as admins manage it (the /feeds command and `run_bot.py feeds`): typed results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from urllib.parse import urlsplit

from bot.clock import Clock
from bot.feeds.errors import FeedError, FeedReason
from bot.feeds.opml import Outline
from storage import feeds as store
from storage.database import Database
from storage.models import Feed

MAX_URL_CHARS = 2000


@dataclass(frozen=True, slots=True)
class FeedView:
    id: int
    url: str
    title: str | None
    paused: bool
    last_fetch_at: datetime | None
    last_status: str | None
    last_error: FeedReason | None
    items_seen: int
    articles_added: int
    failures: int
    next_attempt_at: datetime

    @classmethod
    def of(cls, feed: Feed) -> FeedView:
        return cls(
            id=feed.id,
            url=feed.url,
            title=feed.title,
            paused=feed.paused,
            last_fetch_at=feed.last_fetch_at,
            last_status=feed.last_status,
            last_error=FeedError.decode(feed.last_error) if feed.last_error else None,
            items_seen=feed.items_seen,
            articles_added=feed.articles_added,
            failures=feed.consecutive_failures,
            next_attempt_at=feed.next_attempt_at,
        )


@dataclass(frozen=True, slots=True)
class Added:
    feed: FeedView
    new: bool  # False: the feed was on the list already


class UrlProblem(Enum):
    """Why an address is no feed address; the English is for the command line, the chat says
    it in the admin's language (bot/rendering/feeds.py)."""

    MISSING = "give the feed's address, e.g. https://example.com/rss.xml"
    TOO_LONG = f"the address is over {MAX_URL_CHARS} characters"
    SPACES = "a feed address has no spaces"
    INVALID = "not a valid web address"
    NOT_WEB = "a feed address starts with http:// or https:// and names a host"


class BadFeedUrl(ValueError):
    """Not an address a feed can be fetched from; `problem` says why."""

    def __init__(self, problem: UrlProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def check_url(text: str) -> str:
    """The feed address as stored: http(s), with a host, no spaces, of sane length."""
    url = text.strip()
    if not url:
        raise BadFeedUrl(UrlProblem.MISSING)
    if len(url) > MAX_URL_CHARS:
        raise BadFeedUrl(UrlProblem.TOO_LONG)
    if any(ch.isspace() for ch in url):
        raise BadFeedUrl(UrlProblem.SPACES)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise BadFeedUrl(UrlProblem.INVALID) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadFeedUrl(UrlProblem.NOT_WEB)
    return url


class FeedManager:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def add(self, url: str) -> Added:
        checked = check_url(url)
        async with self.db.write() as session:
            feed, new = await store.add_feed(session, checked, self.clock.now())
            return Added(FeedView.of(feed), new)

    async def add_many(self, outlines: list[Outline]) -> tuple[list[FeedView], list[str]]:
        """Add every feed of an OPML file; (added, problems) where a problem is one line."""
        added: list[FeedView] = []
        problems: list[str] = []
        for outline in outlines:
            try:
                result = await self.add(outline.url)
            except BadFeedUrl as exc:
                problems.append(f"{outline.url[:200]}: {exc}")
                continue
            if result.new:
                added.append(result.feed)
        return added, problems

    async def all(self) -> list[FeedView]:
        async with self.db.read() as session:
            return [FeedView.of(feed) for feed in await store.list_feeds(session)]

    async def get(self, feed_id: int) -> FeedView | None:
        async with self.db.read() as session:
            feed = await store.get_feed(session, feed_id)
            return FeedView.of(feed) if feed else None

    async def find(self, url_or_id: str) -> FeedView | None:
        async with self.db.read() as session:
            feed = await store.find_feed(session, url_or_id)
            return FeedView.of(feed) if feed else None

    async def remove(self, feed_id: int) -> bool:
        async with self.db.write() as session:
            return await store.remove_feed(session, feed_id)

    async def set_paused(self, feed_id: int, paused: bool) -> bool:
        async with self.db.write() as session:
            return await store.set_paused(session, feed_id, paused, self.clock.now())

    async def outlines(self) -> list[Outline]:
        return [Outline(feed.url, feed.title) for feed in await self.all()]
