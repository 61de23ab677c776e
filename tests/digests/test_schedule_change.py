"""A reader who changes their digest time while today's digest is going out keeps the new time.

The runner computes tomorrow's schedule from the settings it read when it claimed the digest;
recording the sent digest must not write that old schedule over the reader's change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from bot.arguments import SubscribeArgs
from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter, Priority
from bot.digests.composer import DigestContext
from bot.digests.runner import DigestRunner
from bot.rendering.cards import Reply
from bot.subscriptions import Subscribed, SubscriptionService
from bot.summaries.service import SummaryService
from fakeapi.threaded import FakeTelegramThread
from storage import subscribers
from storage.database import Database
from storage.models import Subscriber
from storage.seeds.loader import load_seeds

CHAT = 7_100_001


@pytest.fixture
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


class ChangedWhileSending(DigestRunner):
    """A runner during whose composing the reader sends `/subscribe <new time>`."""

    service: SubscriptionService
    new_minute: int
    change: Subscribed | None = None

    async def compose(
        self, subscriber: Subscriber, context: DigestContext, day: date, *, preview: bool = False
    ) -> tuple[Reply, int]:
        composed = await super().compose(subscriber, context, day, preview=preview)
        if self.change is None:
            answer = await self.service.subscribe(
                CHAT, CHAT, SubscribeArgs(self.new_minute, "", None)
            )
            assert isinstance(answer, Subscribed)
            self.change = answer
        return composed


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
async def test_a_time_changed_while_the_digest_goes_out_is_kept(
    db: Database, tmp_path: Path, tg: FakeTelegramThread
) -> None:
    now = datetime.now(UTC)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(3):
        body = f"Story {i} opens here. It has a second sentence. And a third one."
        (seeds / f"{i:03d}.json").write_text(json.dumps({"title": f"Story {i}", "body": body}))
    await load_seeds(db, seeds, now=now - timedelta(hours=1))
    minute_now = now.hour * 60 + now.minute
    tg.send_message(CHAT, "/start")  # the chat exists for Telegram
    async with db.write() as session:
        await subscribers.save(
            session, chat_id=CHAT, user_id=CHAT, minute=minute_now, timezone="UTC", topics=[],
            digest_size=3, active=True, next_due=(now.date(), now - timedelta(minutes=1)),
            now=now,
        )  # fmt: skip

    bot: ExtBot[Priority] = ExtBot(
        tg.token, base_url=tg.base_url, rate_limiter=PacedRateLimiter(bulk_per_second=10)
    )
    await bot.initialize()
    summaries = SummaryService(db)
    runner = ChangedWhileSending(
        db=db, bot=bot, clock=SystemClock(), summaries=summaries,
        instance="a",
    )  # fmt: skip
    runner.service = SubscriptionService(db, SystemClock(), "UTC")
    runner.new_minute = (minute_now + 120) % (24 * 60)  # two hours on: still the same days
    try:
        report = await runner.run()
        assert report.sent == 1
        assert runner.change is not None
        async with db.read() as session:
            stored = await subscribers.by_chat(session, CHAT)
        assert stored is not None
        assert stored.delivery_minute == runner.new_minute
        # The schedule the reader was promised, not tomorrow at the old time.
        assert (stored.next_due_date, stored.next_due_at) == (
            runner.change.next_day,
            runner.change.next_at,
        )
        assert stored.last_digest_at is not None  # the digest that went out is still recorded
    finally:
        await runner.stop()
        await bot.shutdown()
        await summaries.close()
