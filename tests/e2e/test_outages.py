"""A database gone for longer than any retry schedule in the middle of a digest run.

The digests Telegram accepted while the database was away must be recorded once it is back,
however long that took: none is sent twice, not even after the claims' lease has run out.
On PostgreSQL the database refuses every connection for 45 s (the old retries gave up after
about 30 s: 16 of 90 digests went twice); on SQLite another writer holds the lock for 45 s
(one write waits 30 s for it there, so the old retries lasted minutes: a regression test).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PG_HOW, pg_admin
from tests.e2e.conftest import database_env
from tests.e2e.harness import (
    BotProcess,
    digests_by_chat,
    e2e_corpus,
    query_db,
    subscribe_all,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # a database outage of 45 s: minutes

_ids = itertools.count(3_000_000)
OUTAGE_SECONDS = 45  # longer than the half minute the old retry schedule lasted
SUBSCRIBERS = 90

Outage = Callable[[BotProcess], AbstractContextManager[None]]


@pytest.fixture
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


@contextmanager
def postgres_refuses_connections(bot: BotProcess) -> Iterator[None]:
    """Every connection refused, the open ones cut; undone on leaving."""
    name = bot.database_url.rsplit("/", 1)[1]
    asyncio.run(
        pg_admin(
            f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
        )
    )
    try:
        yield
    finally:
        asyncio.run(pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))


@contextmanager
def sqlite_locked_by_another_writer(bot: BotProcess) -> Iterator[None]:
    path = bot.database_url.split("///", 1)[1]
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, timeout=60, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait()
        connection.execute("COMMIT")
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(60)
    try:
        yield
    finally:
        release.set()
        holder.join()


@pytest.mark.parametrize(
    ("kind", "outage"),
    [("postgres", postgres_refuses_connections), ("sqlite", sqlite_locked_by_another_writer)],
    ids=["postgres-refuses-connections", "sqlite-locked"],
)
def test_a_database_gone_longer_than_the_retries_doubles_nothing(
    tg: FakeTelegramThread, tmp_path: Path, kind: str, outage: Outage
) -> None:
    if kind == "postgres" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(PG_HOW)
    with database_env(kind) as env:
        # A slow run: many digests claimed and going out when the database goes away.
        bot = BotProcess(tg, tmp_path, extra_env={**env, "DIGEST_RATE": "8"})
        e2e_corpus(bot.seeds)
        bot.start()
        try:
            chats = [next(_ids) for _ in range(SUBSCRIBERS)]
            subscribe_all(tg, chats, itertools.repeat("/subscribe 06:00 UTC"))
            tg.set_flood_limit(True)
            mark = tg.mark()
            tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
            bot.set_clock(tomorrow.replace(hour=7, minute=0))
            wait_until(lambda: len(digests_by_chat(tg, mark)) >= 10, 60, "10 digests")
            with outage(bot):
                before = len(digests_by_chat(tg, mark))
                time.sleep(OUTAGE_SECONDS)
            back = time.monotonic()
            wait_until(lambda: len(digests_by_chat(tg, mark)) >= SUBSCRIBERS, 120, "every digest")
            took = time.monotonic() - back

            def ledger() -> dict[str, int]:
                return dict(query_db(bot, "SELECT status, count(*) FROM deliveries GROUP BY 1"))

            # The records of what went out during the outage are written (a failed write is
            # tried again every 5 s at most); if they never are, the assertions below say so.
            with contextlib.suppress(TimeoutError):
                wait_until(lambda: ledger() == {"sent": SUBSCRIBERS}, 30, "records", 0.5)
            # Past the claims' lease: a claim left `sending` would now be taken and sent again.
            bot.set_clock(tomorrow.replace(hour=7, minute=40))
            time.sleep(5)
            received = digests_by_chat(tg, mark)
            doubled = sum(n - 1 for n in received.values())
            recorded = ledger()
            print(
                f"\n{kind}: database away {OUTAGE_SECONDS} s mid-run ({before} of {SUBSCRIBERS} "
                f"sent before): delivered {len(received)}/{SUBSCRIBERS}, doubled {doubled}; "
                f"all out {took:.1f} s after it came back; ledger {recorded}"
            )
            assert set(received) == set(chats)
            assert doubled == 0
            assert recorded == {"sent": SUBSCRIBERS}
            assert bot.process is not None and bot.process.poll() is None
        finally:
            tg.set_flood_limit(False)
            bot.stop()
