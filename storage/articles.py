"""Reading articles: by id, newest first, by topic; and storing their summaries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, Text, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article
from storage.short_ids import normalise_short_id

LIVE = Article.retracted.is_(False)


def _topic_filter(topic: str | None):  # type: ignore[no-untyped-def]
    if topic is None:
        return LIVE
    # JSON lists are stored as text on SQLite and cast to text on PostgreSQL: a quoted LIKE
    # matches one whole element. The driver writes them with json.dumps, which escapes every
    # non-ASCII character (`"\u041f..."`): the element is looked for in that form, and as
    # written unescaped (a row stored by another writer, or JSONB's text).
    forms = {json.dumps(topic), json.dumps(topic, ensure_ascii=False)}
    as_text = cast(Article.topics, String)
    return LIVE & or_(
        # SQLite's lower() folds ASCII only: the name as stored is matched as it is, too.
        Article.section == topic,
        func.lower(Article.section) == topic.lower(),
        *(as_text.contains(form, autoescape=True) for form in sorted(forms)),
    )


async def by_short_id(session: AsyncSession, text: str) -> Article | None:
    """The live article with this id, or None (unknown, malformed or retracted)."""
    short_id = normalise_short_id(text)
    if short_id is None:
        return None
    found = await session.scalar(select(Article).where(Article.short_id == short_id, LIVE))
    if found is None:  # a link from when ids came from the text: the article that text is now
        found = await session.scalar(
            select(Article).where(Article.text_id == short_id, LIVE).order_by(Article.id).limit(1)
        )
    return found


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Article]:
    if not ids:
        return {}
    # By primary key alone, live ones kept here: with `retracted = false` in the query, SQLite
    # (with no statistics) walks the (retracted, sort_at) index over every live row instead.
    rows = await session.scalars(select(Article).where(Article.id.in_(ids)))
    return {article.id: article for article in rows if not article.retracted}


async def latest(
    session: AsyncSession, *, limit: int, offset: int = 0, topic: str | None = None
) -> list[Article]:
    """Newest first (by published time where known, else by when it was loaded)."""
    rows = await session.scalars(
        select(Article)
        .where(_topic_filter(topic))
        .order_by(Article.sort_at.desc(), Article.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows)


async def count_live(session: AsyncSession, topic: str | None = None) -> int:
    return int(await session.scalar(select(func.count()).where(_topic_filter(topic))) or 0)


async def topic_names(session: AsyncSession) -> list[str]:
    """Every section and topic of a live article, for matching what people type."""
    names: set[str] = set()
    # JSON has no equality on PostgreSQL: DISTINCT over its text form, decoded here.
    rows = await session.execute(
        select(Article.section, cast(Article.topics, Text)).where(LIVE).distinct()
    )
    for section, topics in rows:
        if section:
            names.add(section)
        names.update(t for t in json.loads(topics or "[]") if isinstance(t, str) and t)
    return sorted(names)


async def having_topic(session: AsyncSession, ids: Sequence[int], topic: str) -> set[int]:
    """Those of the articles (by id) that have the topic, as their section or among their
    topics: as /latest's topic filter has it."""
    found: set[int] = set()
    for start in range(0, len(ids), ID_CHUNK):
        chunk = list(ids[start : start + ID_CHUNK])
        found.update(
            await session.scalars(
                select(Article.id).where(Article.id.in_(chunk), _topic_filter(topic))
            )
        )
    return found


# Ids per IN list: well inside every driver's limit on bound parameters.
ID_CHUNK = 1000


def _fresh(since: datetime, until: datetime | None):  # type: ignore[no-untyped-def]
    loaded = LIVE & (Article.loaded_at > since)
    return loaded if until is None else loaded & (Article.loaded_at <= until)


async def fresh_since(
    session: AsyncSession, since: datetime, *, until: datetime | None = None, limit: int
) -> list[tuple[int, datetime]]:
    """(id, loaded at) of the live articles loaded after `since` (up to `until`), newest first:
    what a digest chooses from, without their text (the few it shows are read by id)."""
    rows = await session.execute(
        select(Article.id, Article.loaded_at)
        .where(_fresh(since, until))
        .order_by(Article.sort_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return [(article_id, loaded_at) for article_id, loaded_at in rows]


async def count_fresh(session: AsyncSession, since: datetime, *, until: datetime) -> int:
    """How many live articles were loaded in (since, until]."""
    return int(await session.scalar(select(func.count()).where(_fresh(since, until))) or 0)


async def missing_summaries(session: AsyncSession, *, limit: int) -> list[tuple[int, str, str]]:
    """(id, content hash, body) of live articles whose summary is not computed yet."""
    rows = await session.execute(
        select(Article.id, Article.content_hash, Article.body)
        .where(LIVE, Article.summary.is_(None))
        .order_by(Article.sort_at.desc())
        .limit(limit)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def store_summary(
    session: AsyncSession, article_id: int, content_hash: str, sentences: list[str]
) -> None:
    """Store a summary unless the article changed since it was computed."""
    await session.execute(
        update(Article)
        .where(Article.id == article_id, Article.content_hash == content_hash)
        .values(summary=sentences)
    )


async def live_hashes(session: AsyncSession) -> dict[int, str]:
    """(id -> content hash) of every live article, newest first (a search index's full
    comparison; a first build indexes the newest first)."""
    # Core rows, not ORM ones: at 100k articles that is a third of the time.
    table = Article.__table__
    rows = await session.execute(
        select(table.c.id, table.c.content_hash)
        .where(table.c.retracted.is_(False))
        .order_by(table.c.sort_at.desc(), table.c.id.desc())
    )
    return {int(i): str(h) for i, h in rows}


async def live_titles(session: AsyncSession) -> list[tuple[int, str, datetime]]:
    """(id, title, sort time) of every live article: what search scans when it has no index."""
    table = Article.__table__
    rows = await session.execute(
        select(table.c.id, table.c.title, table.c.sort_at).where(table.c.retracted.is_(False))
    )
    return [(int(i), str(t), s) for i, t, s in rows]


async def changed_since(
    session: AsyncSession, since: datetime
) -> list[tuple[int, str, bool, datetime]]:
    """(id, content hash, retracted, updated at) of the articles written at or after `since`
    (an index on updated_at: a reload of 1,000 reads about 1,000 rows)."""
    table = Article.__table__
    rows = await session.execute(
        select(table.c.id, table.c.content_hash, table.c.retracted, table.c.updated_at).where(
            table.c.updated_at >= since
        )
    )
    return [(int(i), str(h), bool(r), u) for i, h, r, u in rows]


async def last_change(session: AsyncSession) -> datetime | None:
    """When an article was last written (added, changed, retracted or revived)."""
    return await session.scalar(select(func.max(Article.updated_at)))


async def live_totals(session: AsyncSession) -> tuple[int, int]:
    """How many live articles there are and the sum of their ids: what a search index compares
    with its own after reading only the changed rows, to catch any write it missed."""
    count, total = (
        await session.execute(select(func.count(), func.sum(Article.id)).where(LIVE))
    ).one()
    return int(count or 0), int(total or 0)


async def counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Article.retracted, func.count()).group_by(Article.retracted)
    )
    found = {bool(retracted): int(n) for retracted, n in rows}
    return {"live": found.get(False, 0), "retracted": found.get(True, 0)}
