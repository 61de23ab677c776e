"""The article service: reading the library for chat replies (pages of the newest, topics, one
article), as the search service answers searches. Handlers ask here, never opening sessions."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import query_token, topic_for_key
from bot.search.service import SearchService
from storage import articles
from storage.database import Database
from storage.models import Article
from storage.short_ids import normalise_short_id
from storage.state import forget_older, get_state, set_state


@dataclass(frozen=True, slots=True)
class Slice:
    shown: list[Article]
    total: int  # how many there are in all (at most the limit asked for)


class Missing(enum.Enum):
    """Why `ArticleService.find` found nothing."""

    NO_ARTICLES = "no articles"  # nothing was asked for, and the library is empty
    NO_SUCH_ID = "no such id"  # an article id that no live article has
    NO_MATCH = "no match"  # words that match nothing


@dataclass(frozen=True, slots=True)
class Lookup:
    """An article found by `ArticleService.find`, or why there is none."""

    article: Article | None
    missing: Missing | None = None


class ArticleService:
    def __init__(self, db: Database, search: SearchService) -> None:
        self.db = db
        self.search = search

    async def newest(self, *, offset: int, size: int, limit: int, topic: str) -> Slice:
        """`size` of the newest articles from `offset` (on `topic` when given; the newest `limit`
        of them when not 0)."""
        async with self.db.read() as session:
            total = await articles.count_live(session, topic or None)
            if limit:
                total = min(total, limit)
            shown = await articles.latest(
                session,
                limit=max(0, min(size, total - offset)),
                offset=offset,
                topic=topic or None,
            )
        return Slice(shown, total)

    async def latest(self, *, offset: int, size: int) -> list[Article]:
        """`size` of the newest articles from `offset`, without counting them all."""
        async with self.db.read() as session:
            return await articles.latest(session, limit=size, offset=offset)

    async def topics(self) -> list[str]:
        async with self.db.read() as session:
            return await articles.topic_names(session)

    async def topic_by_key(self, key: str) -> str | None:
        """The stored topic a page button's key stands for; None when no article has it now."""
        return topic_for_key(key, await self.topics())

    async def by_short_id(self, short_id: str) -> Article | None:
        async with self.db.read() as session:
            return await articles.by_short_id(session, short_id)

    async def find(self, text: str) -> Lookup:
        """An article by id; else, for words, the best search match; no words: the newest."""
        words = text.split()
        async with self.db.read() as session:
            if not words:
                found = await articles.latest(session, limit=1)
                return Lookup(found[0]) if found else Lookup(None, Missing.NO_ARTICLES)
            # "/summary a1b2c3" and "/summary a1b2c3 please": an id first is taken as the id.
            article = await articles.by_short_id(session, words[0])
        if article is not None:
            return Lookup(article)
        result = await self.search.search(text, limit=1)
        if result.hits:
            return Lookup(result.hits[0].article)
        return Lookup(
            None, Missing.NO_SUCH_ID if normalise_short_id(text) is not None else Missing.NO_MATCH
        )

    async def remember_query(self, query: str, now: datetime) -> str:
        """Keep a search query too long for button data; its token goes in the buttons instead
        (stored, not read back from the message: the message is in the reader's language)."""
        token = query_token(query)
        async with self.db.write() as session:
            await forget_older(session, _QUERY_KEY, now - QUERY_KEPT)
            await set_state(session, _QUERY_KEY + token, {"query": query}, now)
        return token

    async def stored_query(self, token: str) -> str | None:
        async with self.db.read() as session:
            found = await get_state(session, _QUERY_KEY + token)
        query = found.get("query") if found else None
        return query if isinstance(query, str) else None


_QUERY_KEY = "search_query:"
QUERY_KEPT = timedelta(days=30)  # a results page older than this says its buttons expired
