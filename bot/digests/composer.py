"""Composing digests: the candidates a batch shares, each reader's selection, the message.

Candidates are read once per batch (ids and load times); topic matches once per set of topics;
the few articles shown, whole, once per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.digests.schedule import local_date
from bot.digests.selection import Candidate, article_words, passing, select_articles
from bot.languages import chat_translator
from bot.rendering.cards import Reply
from bot.rendering.digest import digest_message
from bot.search.wordmatch import ArticleWords, parse_filter
from bot.summaries.service import SummaryService
from bot.timezones import zone_info
from storage import articles
from storage.database import Database
from storage.models import Article, Subscriber

FIRST_DIGEST_WINDOW = timedelta(hours=24)
POOL_LIMIT = 5000
SUMMARY_SENTENCES = 2


@dataclass
class DigestContext:
    """What one batch shares across subscribers: the candidates (ids and load times), topic
    matches, and the few articles shown so far, read whole once."""

    now: datetime
    pool: list[Candidate]
    topic_hits: dict[tuple[str, ...], dict[int, int]] = field(default_factory=dict)
    shown: dict[int, Article] = field(default_factory=dict)
    # Word filters: each article's words, read once, and the ids each filter lets through.
    words: dict[int, ArticleWords] = field(default_factory=dict)
    word_hits: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    # New articles past the end of `pool`, counted but not fetched (a preview without topics
    # fetches only the ones it shows): they go in "and N more".
    beyond: int = 0


class DigestComposer:
    def __init__(self, db: Database, clock: Clock, summaries: SummaryService) -> None:
        self.db = db
        self.clock = clock
        self.summaries = summaries
        # Word filters: each new article's words as of its last change, by article id.
        self._words_seen: dict[int, tuple[datetime, ArticleWords]] = {}

    async def context(self, now: datetime, batch: Sequence[Subscriber]) -> DigestContext:
        since = min((s.last_digest_at or now - FIRST_DIGEST_WINDOW) for s in batch)
        async with self.db.read() as session:
            pool = await articles.fresh_since(session, since, limit=POOL_LIMIT)
        return DigestContext(now, pool)

    async def _read(self, context: DigestContext, ids: Sequence[int]) -> list[Article]:
        """The chosen articles, read whole once per batch (one retracted meanwhile is left out)."""
        missing = [i for i in ids if i not in context.shown]
        if missing:
            async with self.db.read() as session:
                context.shown.update(await articles.by_ids(session, missing))
        return [context.shown[i] for i in ids if i in context.shown]

    async def _topic_hits(self, context: DigestContext, topics: tuple[str, ...]) -> dict[int, int]:
        """The new articles that have the reader's topics (their section or their own topics,
        as /latest's topic filter), with how many of them each has. Not a search for the
        topic's name: that finds stories that only mention it, and at most a few hundred."""
        key = tuple(sorted(topics))
        if key not in context.topic_hits:
            ids = [i for i, _ in context.pool]
            hits: dict[int, int] = {}
            async with self.db.read() as session:
                for topic in key:
                    for article_id in await articles.having_topic(session, ids, topic):
                        hits[article_id] = hits.get(article_id, 0) + 1
            context.topic_hits[key] = hits
        return context.topic_hits[key]

    async def _word_hits(self, context: DigestContext, typed: Sequence[str]) -> set[int]:
        key = tuple(sorted(typed))
        if key not in context.word_hits:
            ids = [i for i, _ in context.pool if i not in context.words]
            read = await self._read(context, ids)
            # Reading an article's words is CPU work: off the event loop, and kept from batch
            # to batch (until the article changes or leaves the pool).
            fresh = [(a.id, a.updated_at, a.title, a.body) for a in read
                     if self._words_seen.get(a.id, (None,))[0] != a.updated_at]  # fmt: skip
            made = await asyncio.to_thread(
                lambda: {i: (at, article_words(t, b)) for i, at, t, b in fresh}
            )
            self._words_seen.update(made)
            pool = {i for i, _ in context.pool}
            if len(self._words_seen) > 2 * len(pool):
                self._words_seen = {i: v for i, v in self._words_seen.items() if i in pool}
            context.words.update((a.id, self._words_seen[a.id][1]) for a in read)
            context.word_hits[key] = passing(parse_filter(key), context.words.items())
        return context.word_hits[key]

    async def compose(
        self, subscriber: Subscriber, context: DigestContext, day: date, *, preview: bool = False
    ) -> tuple[Reply, int]:
        """The digest message for one subscriber, and how many articles it shows."""
        since = subscriber.last_digest_at or context.now - FIRST_DIGEST_WINDOW
        hits = (
            await self._topic_hits(context, tuple(subscriber.topics)) if subscriber.topics else None
        )
        allowed = await self._word_hits(context, subscriber.words) if subscriber.words else None
        selection = select_articles(
            context.pool, since=since, until=context.now, size=subscriber.digest_size,
            topic_hits=hits, allowed=allowed,
        )  # fmt: skip
        items = [
            (a, (await self.summaries.for_article(a))[:SUMMARY_SENTENCES])
            for a in await self._read(context, selection.ids)
        ]
        more = selection.more + (context.beyond if hits is None and allowed is None else 0)
        zone = zone_info(subscriber.timezone)
        tr = await chat_translator(self.db, subscriber.chat_id)
        reply = digest_message(
            tr, items, more, day, zone, preview=preview, subscribed=subscriber.active
        )
        return reply, len(items)

    async def preview(self, subscriber: Subscriber) -> Reply | None:
        """Today's digest as it would look now, sent as a reply; it records nothing."""
        now = self.clock.now()
        if subscriber.topics or subscriber.words:  # matched against the new articles' ids
            context = await self.context(now, [subscriber])
        else:  # the newest few, and a count
            since = subscriber.last_digest_at or now - FIRST_DIGEST_WINDOW
            size = subscriber.digest_size
            async with self.db.read() as session:
                pool = await articles.fresh_since(session, since, until=now, limit=size)
                total = await articles.count_fresh(session, since, until=now)
            context = DigestContext(now, pool, beyond=max(0, total - len(pool)))
        reply, shown = await self.compose(
            subscriber, context, local_date(now, zone_info(subscriber.timezone)), preview=True
        )
        return reply if shown else None
