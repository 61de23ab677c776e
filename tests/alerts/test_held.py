"""What happens to alerts held back by the hourly cap: unfollowing a word drops the stories held
for it alone, and a story held over a day is dropped with a word in the next message. The real
runner, its sender through the fake Bot API over HTTP, and a real database, with a clock the
test moves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from telegram.ext import ExtBot

from bot.admin.stats import gather
from bot.alerts.following import Following
from bot.alerts.runner import STALE_AFTER, AlertRunner
from bot.delivery.pacing import PacedRateLimiter, Priority
from bot.digests.runner import DigestRunner
from bot.i18n import ENGLISH
from bot.rendering.admin import stats_text
from bot.summaries.service import SummaryService
from fakeapi.threaded import FakeTelegramThread
from storage.database import Database
from storage.models import AlertItem
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CHAT = 7_300_001


class Clock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


async def _statuses(db: Database) -> dict[str, int]:
    async with db.read() as session:
        rows = await session.execute(
            select(AlertItem.status, func.count()).group_by(AlertItem.status)
        )
        return {status: int(count) for status, count in rows}


@BOTH_DATABASES
async def test_unfollowing_drops_what_it_held_and_stories_held_over_a_day_are_dropped(
    db: Database, tmp_path: Path, tg: FakeTelegramThread
) -> None:
    clock = Clock(START)
    bot: ExtBot[Priority] = ExtBot(tg.token, base_url=tg.base_url, rate_limiter=PacedRateLimiter())
    await bot.initialize()
    summaries = SummaryService(db)
    digests = DigestRunner(db=db, bot=bot, clock=clock, summaries=summaries, instance="a")
    runner = AlertRunner(
        db=db, clock=clock, writer=digests.writer, sender=digests.sender, summaries=summaries,
        heartbeat_ttl=digests.heartbeat_ttl, default_zone="UTC",
    )  # fmt: skip
    following = Following(db, clock, "UTC")
    seeds = tmp_path / "seeds"
    seeds.mkdir()

    async def publish(*titles: str) -> None:
        for title in titles:
            body = f"{title}. Residents gathered to watch. More is expected soon."
            (seeds / f"{len(list(seeds.iterdir())):03d}.json").write_text(
                json.dumps({"title": title, "body": body})
            )
        await load_seeds(db, seeds, now=clock.now())

    try:
        tg.send_message(CHAT, "/start")  # the chat exists for Telegram
        await following.follow(CHAT, "marsh, bridge")
        await following.set_cap(CHAT, 1)
        clock.moment += timedelta(minutes=1)
        await publish("Marsh drained", "Marsh flooded", "Bridge opens", "Bridge closes")
        report = await runner.run()
        assert (report.messages, report.held) == (1, 3)
        [first] = [m.text for m in tg.messages(CHAT) if m.text.startswith("🔔")]
        assert first.startswith("🔔 1 new story")
        assert "⏳ 3 more are held back by your limit of 1 an hour" in first

        # Unfollowing "marsh" drops the marsh stories still held; the bridge ones stay.
        await following.unfollow(CHAT, "marsh")
        async with db.read() as session:
            held = await session.scalar(select(func.count()).where(AlertItem.status == "pending"))
        assert held == (2 if "Marsh" in first else 1)  # the bridge stories not sent yet

        # A day and more later the held ones are stale: the next message brings only what
        # is new, and says how many were dropped.
        clock.moment += STALE_AFTER + timedelta(hours=1)
        await publish("Bridge repainted")
        mark = tg.mark()
        report = await runner.run()
        assert report.messages == 1 and report.stale == held
        [second] = [m.text for m in tg.messages(CHAT, after=mark)]
        assert second.startswith("🔔 1 new story") and "Bridge repainted" in second
        dropped = "older story waited" if held == 1 else f"{held} older stories waited"
        assert dropped in second and "over a day" in second
        assert "Marsh" not in second and "⏳" not in second
        assert await _statuses(db) == {"sent": 2, "stale": held}

        # Nothing is sent again on the next run.
        mark = tg.mark()
        await runner.run()
        assert tg.messages(CHAT, after=mark) == []
        # /stats counts them: one chat following one word, two alerts sent today, none waiting.
        stats = stats_text(ENGLISH, await gather(db, clock.now(), 60.0), html=False)
        assert (
            "Alerts: chats following 1, words and topics followed 1, sent in the last 24 h 1, "
            "waiting 0" in stats
        )
    finally:
        await summaries.close()
        await bot.shutdown()
