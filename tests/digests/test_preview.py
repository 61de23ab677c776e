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
from bot.search.service import SearchService
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
        db=db, bot=unused, clock=SystemClock(), search=SearchService(db),
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
