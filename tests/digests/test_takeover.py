"""Two instances on one PostgreSQL database through an outage: no digest goes twice.

Instance A has sent digests whose records are still pending when the database goes away for
longer than three ticks. When it comes back, every heartbeat is stale by the outage's length;
instance B ticks first and must not take A's claims for a dead instance's (it would send them
again): it waits until A has had the chance to heartbeat and record.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from telegram.ext import ExtBot

from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter, Priority
from bot.digests.runner import DigestRunner
from bot.summaries.service import SummaryService
from fakeapi.threaded import FakeTelegramThread
from storage import subscribers
from storage.database import Database
from storage.models import Delivery
from storage.seeds.loader import load_seeds
from tests.conftest import pg_admin

pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # a database outage of 14 s

SUBSCRIBERS = 40
RATE = 8.0  # between the two instances: A is mid-run when the database goes away
TICK = 2.0  # seconds; an instance unheard of for 10 s (the alive window's floor) is dead
OUTAGE_SECONDS = 14.0  # longer than the alive window: every heartbeat looks dead after it
FIRST_CHAT = 5_000_000


@pytest.fixture
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


def _digests(tg: FakeTelegramThread, mark: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for message in tg.messages(after=mark):
        if message.text.startswith("🗞"):
            counts[message.chat_id] = counts.get(message.chat_id, 0) + 1
    return counts


async def _wait_for(condition: Callable[[], bool], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_after_an_outage_another_instance_does_not_resend_pending_digests(
    db: Database, database_url: str, tmp_path: Path, tg: FakeTelegramThread
) -> None:
    now = datetime.now(UTC)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(20):
        body = f"Story {i} opens here. It has a second sentence. And a third one."
        (seeds / f"{i:03d}.json").write_text(json.dumps({"title": f"Story {i}", "body": body}))
    await load_seeds(db, seeds, now=now - timedelta(hours=1))
    chats = [FIRST_CHAT + i for i in range(SUBSCRIBERS)]
    async with db.write() as session:
        for chat in chats:
            tg.send_message(chat, "/start")  # the chat exists for Telegram
            await subscribers.save(
                session, chat_id=chat, user_id=chat, minute=0, timezone="UTC", topics=[],
                digest_size=3, active=True, next_due=(now.date(), now - timedelta(minutes=1)),
                now=now,
            )  # fmt: skip

    summaries = SummaryService(db)
    bots: list[ExtBot[Priority]] = []
    runners: list[DigestRunner] = []
    for instance in ("a", "b"):  # each with its own bot, as two processes would have
        bot: ExtBot[Priority] = ExtBot(
            tg.token, base_url=tg.base_url, rate_limiter=PacedRateLimiter(bulk_per_second=RATE)
        )
        await bot.initialize()
        bots.append(bot)
        runner = DigestRunner(
            db=db, bot=bot, clock=SystemClock(),
            summaries=summaries, instance=instance, rate=RATE, tick_seconds=TICK,
        )  # fmt: skip
        runners.append(runner)
    a, b = runners
    name = make_url(database_url).database
    mark = tg.mark()
    try:
        await a.share_budget()
        await b.share_budget()
        a_run = asyncio.create_task(a.run())
        await _wait_for(lambda: len(_digests(tg, mark)) >= 6, 30, "A's first digests")
        try:
            await pg_admin(
                f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
            )
            before = len(_digests(tg, mark))
            away = time.monotonic()
            # Both instances keep ticking: their heartbeats fail while A's sends go out.
            while time.monotonic() - away < OUTAGE_SECONDS:
                await asyncio.gather(a.share_budget(), b.share_budget())
                await asyncio.sleep(TICK)
        finally:
            await pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        back = time.monotonic()
        await b.run()  # B's tick lands first, before A has retried its pending records
        await asyncio.gather(a_run, return_exceptions=True)
        while set(_digests(tg, mark)) != set(chats) and time.monotonic() - back < 60:
            a.tick()
            b.tick()
            await asyncio.sleep(TICK)
        took = time.monotonic() - back
        for _ in range(3):  # a few more ticks: anything taken over would go again now
            a.tick()
            b.tick()
            await asyncio.sleep(TICK)
        await a.wait_idle()
        await b.wait_idle()
        received = _digests(tg, mark)
        doubled = sum(n - 1 for n in received.values())
        by_status = select(Delivery.status, func.count()).group_by(Delivery.status)
        async with db.read() as session:
            ledger = dict((await session.execute(by_status)).all())
        print(
            f"\ntwo instances, database away {OUTAGE_SECONDS:.0f} s ({before} of {SUBSCRIBERS} "
            f"sent before): delivered {len(received)}/{SUBSCRIBERS}, doubled {doubled}; "
            f"all out {took:.1f} s after it came back; ledger {ledger}"
        )
        assert doubled == 0
        assert set(received) == set(chats)
        assert ledger == {"sent": SUBSCRIBERS}
    finally:
        for runner in runners:
            await runner.stop()
        for bot in bots:
            await bot.shutdown()
        await summaries.close()
