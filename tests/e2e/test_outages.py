"""A database gone for longer than any retry schedule in the middle of a digest run.

The digests Telegram accepted while the database was away must be recorded once it is back,
however long that took: none is sent twice, not even after the claims' lease has run out.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PG_HOW
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


@pytest.fixture
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


async def _admin(server: str, *statements: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(server.replace("+asyncpg", ""))
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()


def test_postgres_gone_longer_than_the_retries_doubles_nothing(
    tg: FakeTelegramThread, tmp_path: Path
) -> None:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip(PG_HOW)
    with database_env("postgres") as env:
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        # A slow run: many digests claimed and going out when the database goes away.
        bot = BotProcess(tg, tmp_path, extra_env={**env, "DIGEST_RATE": "8"})
        e2e_corpus(bot.seeds)
        bot.start()
        blocked = False
        try:
            chats = [next(_ids) for _ in range(90)]
            subscribe_all(tg, chats, itertools.repeat("/subscribe 06:00 UTC"))
            tg.set_flood_limit(True)
            mark = tg.mark()
            tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
            bot.set_clock(tomorrow.replace(hour=7, minute=0))
            wait_until(lambda: len(digests_by_chat(tg, mark)) >= 10, 60, "10 digests")
            # The database refuses every connection, and the open ones are cut.
            asyncio.run(
                _admin(
                    server,
                    f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
                )
            )
            blocked = True
            during = len(digests_by_chat(tg, mark))
            time.sleep(OUTAGE_SECONDS)
            asyncio.run(_admin(server, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            blocked = False
            back = time.monotonic()
            wait_until(lambda: len(digests_by_chat(tg, mark)) >= 90, 120, "90 digests")
            took = time.monotonic() - back
            time.sleep(10)  # the records of what went out during the outage are written
            # Past the claims' lease: a claim left `sending` would now be taken and sent again.
            bot.set_clock(tomorrow.replace(hour=7, minute=40))
            time.sleep(5)
            received = digests_by_chat(tg, mark)
            doubled = sum(n - 1 for n in received.values())
            ledger = dict(query_db(bot, "SELECT status, count(*) FROM deliveries GROUP BY 1"))
            print(
                f"\nPostgreSQL refused connections {OUTAGE_SECONDS} s mid-run ({during} of 90 "
                f"sent before): delivered {len(received)}/90, doubled {doubled}; "
                f"all 90 out {took:.1f} s after it came back; ledger {ledger}"
            )
            assert set(received) == set(chats)
            assert doubled == 0
            assert ledger == {"sent": 90}
            assert bot.process is not None and bot.process.poll() is None
        finally:
            if blocked:
                asyncio.run(_admin(server, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            tg.set_flood_limit(False)
            bot.stop()
