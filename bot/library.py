"""Reading the article library for chat replies: pages of the newest, topics, one article.

The handlers ask here instead of opening sessions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import query_token, topic_for_key
from bot.search.service import SearchService
from storage import articles
from storage.database import Database
from storage.models import Article
from storage.state import forget_older, get_state, set_state


@dataclass(frozen=True, slots=True)
class Slice:
    shown: list[Article]
    total: int  # how many there are in all (at most the limit asked for)


async def newest(db: Database, *, offset: int, size: int, limit: int, topic: str) -> Slice:
    """`size` of the newest articles from `offset` (on `topic` when given; the newest `limit`
    of them when not 0)."""
    async with db.read() as session:
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


async def topics(db: Database) -> list[str]:
    async with db.read() as session:
        return await articles.topic_names(session)


async def topic_by_key(db: Database, key: str) -> str | None:
    """The stored topic a page button's key stands for; None when no article has it now."""
    return topic_for_key(key, await topics(db))


async def by_short_id(db: Database, short_id: str) -> Article | None:
    async with db.read() as session:
        return await articles.by_short_id(session, short_id)


async def find(db: Database, search: SearchService, text: str) -> Article | None:
    """An article by id; else, for words, the best search match; no words: the newest."""
    words = text.split()
    async with db.read() as session:
        if not words:
            found = await articles.latest(session, limit=1)
            return found[0] if found else None
        # "/summary a1b2c3" and "/summary a1b2c3 please": an id first is taken as the id.
        article = await articles.by_short_id(session, words[0])
    if article is not None:
        return article
    result = await search.search(text, limit=1)
    return result.hits[0].article if result.hits else None


_QUERY_KEY = "search_query:"
QUERY_KEPT = timedelta(days=30)  # a results page older than this says its buttons expired


async def remember_query(db: Database, query: str, now: datetime) -> str:
    """Keep a search query too long for button data; its token goes in the buttons instead
    (stored, not read back from the message: the message is in the reader's language)."""
    token = query_token(query)
    async with db.write() as session:
        await forget_older(session, _QUERY_KEY, now - QUERY_KEPT)
        await set_state(session, _QUERY_KEY + token, {"query": query}, now)
    return token


async def stored_query(db: Database, token: str) -> str | None:
    async with db.read() as session:
        found = await get_state(session, _QUERY_KEY + token)
    query = found.get("query") if found else None
    return query if isinstance(query, str) else None
