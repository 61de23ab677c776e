"""/digest previews read only what they show: a few articles whole, the rest as ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event
from telegram.ext import ExtBot

from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.runner import DigestRunner
from bot.summaries.service import SummaryService
from storage.database import Database
from storage.models import Article, Subscriber
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES

NEW_ARTICLES = 300


def reader(size: int) -> Subscriber:
    now = datetime.now(UTC)
    return Subscriber(
        id=0, chat_id=1, user_id=1, delivery_minute=420, timezone="UTC", topics=[],
        digest_size=size, active=False, last_digest_at=None, next_due_date=now.date(),
        next_due_at=now, created_at=now,
    )  # fmt: skip


@BOTH_DATABASES
async def test_a_preview_reads_only_the_articles_it_shows(db: Database, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(NEW_ARTICLES):
        body = f"Story {i} opens here. It has a second sentence.\n\n" + "Long text. " * 500
        (seeds / f"{i:04d}.json").write_text(json.dumps({"title": f"Story {i}", "body": body}))
    await load_seeds(db, seeds, now=datetime.now(UTC) - timedelta(hours=1))
    summaries = SummaryService(db)
    # A preview is a reply: the runner itself sends nothing.
    unused = ExtBot("1:unused", rate_limiter=PacedRateLimiter())
    runner = DigestRunner(
        db=db, bot=unused, clock=SystemClock(),
        summaries=summaries, instance="test",
    )  # fmt: skip
    read: list[int] = []

    def count(article: Article, _context: object) -> None:
        read.append(article.id)

    event.listen(Article, "load", count)
    try:
        reply = await runner.preview(reader(5))
    finally:
        event.remove(Article, "load", count)
        await summaries.close()
    assert reply is not None and "Digest preview" in reply.text
    assert "You are not subscribed" in reply.text  # this reader gets no digest
    assert reply.text.count("Story ") >= 5 and f"and {NEW_ARTICLES - 5} more" in reply.text
    assert len(read) <= 5  # the 295 others are counted, never read


@BOTH_DATABASES
async def test_a_topic_digest_holds_the_stories_of_that_topic_only(
    db: Database, tmp_path: Path
) -> None:
    """A reader of "Sport" gets the stories filed under Sport (their section or their own
    topics), whether or not their text says "sport"; not a Tech story whose text holds a word
    a typo away ("sort"), nor one that only mentions sport in passing."""
    seeds = tmp_path / "seeds"
    stories = {
        "sport/match.json": {"title": "Cup final goes to penalties", "body": "A long night."},
        "sport/race.json": {"title": "Marathon record falls", "body": "The sport of running."},
        "tech/ipod.json": {"title": "Player of some sort", "body": "A sort of music player."},
        "tech/games.json": {"title": "Games consoles", "body": "Sport games sell well."},
        "wire.json": {"title": "Derby day", "body": "Crowds came.", "topics": ["Sport"]},
    }
    for name, story in stories.items():
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(story))
    await load_seeds(db, seeds, now=datetime.now(UTC) - timedelta(hours=1))
    summaries = SummaryService(db)
    unused = ExtBot("1:unused", rate_limiter=PacedRateLimiter())
    runner = DigestRunner(db=db, bot=unused, clock=SystemClock(), summaries=summaries,
                          instance="test")  # fmt: skip
    try:
        fan = reader(5)
        fan.topics = ["Sport"]
        reply = await runner.preview(fan)
    finally:
        await summaries.close()
    assert reply is not None
    for title in ("Cup final goes to penalties", "Marathon record falls", "Derby day"):
        assert title in reply.text
    assert "Player of some sort" not in reply.text and "Games consoles" not in reply.text
