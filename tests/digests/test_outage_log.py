"""An operator reading the log through a database outage: one line when the digest schedule
(or feed polling) loses the database, one when it answers again, and no traceback for every tick
in between."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest
from sqlalchemy.engine import make_url
from telegram.ext import ExtBot

from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.runner import DigestRunner
from bot.feeds.poller import FeedPoller
from bot.summaries.service import SummaryService
from storage.database import Database
from tests.conftest import pg_admin

pytestmark = pytest.mark.postgres
TICKS = 4


async def _ticks(runner: DigestRunner, poller: FeedPoller, count: int) -> None:
    for _ in range(count):
        runner.tick()
        poller.tick()
        await runner.wait_idle()
        await poller.wait_idle()
        await asyncio.sleep(0)
    gc.collect()  # a failed run nobody awaited is reported when it is collected
    await asyncio.sleep(0)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_outage_is_logged_once_and_its_end_too(
    db: Database, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    name = make_url(database_url).database
    summaries = SummaryService(db)
    runner = DigestRunner(
        db=db, bot=ExtBot("1:unused", rate_limiter=PacedRateLimiter()), clock=SystemClock(),
        summaries=summaries, instance="test",
    )  # fmt: skip
    poller = FeedPoller(db, SystemClock(), instance="test", poll_minutes=15)
    caplog.set_level(logging.INFO)
    try:
        await _ticks(runner, poller, 1)
        caplog.clear()
        await pg_admin(
            f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
        )
        try:
            await _ticks(runner, poller, TICKS)
        finally:
            await pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        during = [r for r in caplog.records if r.levelno >= logging.WARNING]
        caplog.clear()
        await _ticks(runner, poller, 2)
        after = [r for r in caplog.records if r.levelno >= logging.INFO]
    finally:
        await runner.stop()
        await poller.stop()
        await summaries.close()
    assert all(r.exc_info is None for r in during)  # lines, not a traceback a tick
    # The pool says each cut connection once (storage); the schedule says the outage once.
    said = [r.getMessage() for r in during if r.name != "storage.database"]
    assert sorted(line.split(" (")[0] for line in said) == [
        "digest schedule: the database does not answer",
        "feed polling: the database does not answer",
    ]
    assert all("not currently accepting connections" in line for line in said)
    assert sorted(r.getMessage().split(" (")[0] for r in after) == [
        "digest schedule: the database answers again",
        "feed polling: the database answers again",
    ]
