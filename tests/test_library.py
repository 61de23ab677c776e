"""The article service: what /latest, /summary, /article and inline mode read, and why a lookup
found nothing (the reply names the reason)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.callbacks import topic_key
from bot.library import ArticleService, Missing
from bot.search.service import SearchService
from storage.database import Database
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 27, tzinfo=UTC)


async def service(db: Database, tmp_path: Path, stories: list[tuple[str, str]]) -> ArticleService:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number, (title, topic) in enumerate(stories):
        (folder / f"{number}.json").write_text(
            json.dumps(
                {
                    "title": title,
                    "body": f"{title}. Said in full.",
                    "published_at": f"2026-11-{number + 1:02d}T12:00:00Z",
                    "topics": [topic],
                }
            )
        )
    await load_seeds(db, folder, now=NOW)
    search = SearchService(db, index_folder=tmp_path / "index")
    await search.index_ready()
    return ArticleService(db, search)


@BOTH_DATABASES
async def test_lookups_say_why_nothing_was_found(db: Database, tmp_path: Path) -> None:
    empty = ArticleService(db, SearchService(db, engine=False))
    assert (await empty.find("")).missing is Missing.NO_ARTICLES

    articles = await service(db, tmp_path, [("Harbour reopens", "port"), ("Budget vote", "money")])
    newest = await articles.find("")
    assert newest.article is not None and newest.article.title == "Budget vote"
    by_words = await articles.find("harbour")
    assert by_words.article is not None and by_words.article.title == "Harbour reopens"
    by_id = await articles.find(f"{by_words.article.short_id} please")
    assert by_id.article is not None and by_id.article.title == "Harbour reopens"
    assert (await articles.find("zzzzzz")).missing is Missing.NO_SUCH_ID  # shaped like an id
    assert (await articles.find("volcano eruption")).missing is Missing.NO_MATCH


@BOTH_DATABASES
async def test_pages_of_the_newest_with_and_without_a_topic(db: Database, tmp_path: Path) -> None:
    stories = [(f"Story {n}", "port" if n % 2 else "money") for n in range(7)]
    articles = await service(db, tmp_path, stories)
    page = await articles.newest(offset=5, size=5, limit=0, topic="")
    assert page.total == 7 and [a.title for a in page.shown] == ["Story 1", "Story 0"]
    capped = await articles.newest(offset=0, size=5, limit=3, topic="port")
    assert capped.total == 3 and [a.title for a in capped.shown] == [
        "Story 5",
        "Story 3",
        "Story 1",
    ]
    assert [a.title for a in await articles.latest(offset=1, size=2)] == ["Story 5", "Story 4"]
    assert await articles.topics() == ["money", "port"]
    assert await articles.topic_by_key(topic_key("port")) == "port"
    assert await articles.topic_by_key(topic_key("weather")) is None  # no article has it
