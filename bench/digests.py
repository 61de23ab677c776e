"""Digest fan-out benchmark: thousands of digests against the fake Bot API with its flood limit on.

    python -m bench.digests [--subscribers 3000] [--articles 200] [--modes free,paid]
                            [--database-url URL] [--workdir DIR]

Runs the fan-out at Telegram's free rate and with DIGEST_PAID_BROADCAST (allow_paid_broadcast,
up to 1,000 a second, 0.1 Stars a message), side by side. Prints achieved messages a second
(target >= 28 free), messages lost and doubled (target 0), the 429s the bot received, the paid
messages and Stars the fake charged, and the CPU time to compose one digest (target <= 2 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import ApplicationBuilder

from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.composer import DigestContext
from bot.digests.runner import DigestRunner
from bot.settings import FREE_RATE, PAID_RATE
from bot.summaries.service import SummaryService
from fakeapi.threaded import FakeTelegramThread
from storage import articles, subscribers
from storage.database import Database
from storage.schema import upgrade_schema
from storage.seeds.loader import load_seeds

FIRST_CHAT = 10_000_000


def write_articles(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "\n\n".join(
            f"Paragraph {p} of story {i}. Officials said the plan would change how the city "
            f"works. Critics said it went too far. The vote is due on day {p}."
            for p in range(6)
        )
        (folder / f"{i:05d}.json").write_text(
            json.dumps({"title": f"Story number {i} about the city plan", "body": body})
        )


async def prepare(db: Database, folder: Path, count: int, now: datetime) -> None:
    await upgrade_schema(db)
    await load_seeds(db, folder, now=now - timedelta(hours=1))
    due = now - timedelta(minutes=1)
    async with db.write() as session:
        for i in range(count):
            await subscribers.save(
                session, chat_id=FIRST_CHAT + i, user_id=FIRST_CHAT + i, minute=0,
                timezone="UTC", topics=[], digest_size=5, active=True,
                next_due=(now.date(), due), now=now,
            )  # fmt: skip


async def compose_cpu(runner: DigestRunner, db: Database, now: datetime, samples: int) -> float:
    """CPU seconds to compose one digest (summaries already stored, as after a backfill)."""
    async with db.read() as session:
        subs = await subscribers.active(session, after_id=0, limit=samples)
        pool = await articles.fresh_since(session, now - timedelta(days=1), limit=5000)
    context = DigestContext(now, pool)
    await runner.compose(subs[0], context, now.date())  # warm up
    started = time.process_time()
    for subscriber in subs:
        await runner.compose(subscriber, context, now.date())
    return (time.process_time() - started) / len(subs)


@contextlib.asynccontextmanager
async def fresh_database(workdir: Path, server: str | None) -> AsyncIterator[str]:
    """A new SQLite file, or a new database on the PostgreSQL server of `server` (dropped after)."""
    if server is None:
        yield f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
        return
    name = f"newsbot_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


async def fanout(
    count: int, article_count: int, workdir: Path, paid: bool, server: str | None
) -> list[str]:
    async with fresh_database(workdir, server) as url:
        return await _fanout(count, article_count, workdir, paid, url)


async def _fanout(count: int, article_count: int, workdir: Path, paid: bool, url: str) -> list[str]:
    """One digest run against a fresh database and fake; the table's column for it."""
    workdir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    db = Database(url)
    write_articles(workdir / "seeds", article_count)
    await prepare(db, workdir / "seeds", count, now)
    summaries = SummaryService(db)
    await summaries.backfill()
    rate = PAID_RATE if paid else FREE_RATE
    with FakeTelegramThread() as tg:
        for i in range(count):  # a bot may only write to people who wrote to it first
            tg.send_message(FIRST_CHAT + i, "/start")
        tg.set_flood_limit(True)  # Telegram's: ~30 a second free, 1,000 paid
        app = (
            ApplicationBuilder()
            .token(tg.token)
            .base_url(tg.base_url)
            .rate_limiter(PacedRateLimiter(bulk_per_second=rate, paid_broadcast=paid))
            .build()
        )
        async with app:
            runner = DigestRunner(
                db=db, bot=app.bot, clock=SystemClock(), summaries=summaries,
                instance="bench", rate=rate,
            )  # fmt: skip
            cpu = await compose_cpu(runner, db, now, min(count, 500))
            wall = time.perf_counter()
            report = await runner.run()
            wall = time.perf_counter() - wall
        stats = tg.rate_stats()
        sent = [m.chat_id for m in tg.messages() if m.text.startswith("🗞")]
    await summaries.close()
    await db.dispose()
    times = sorted(t for chat, ts in stats.times.items() if chat >= FIRST_CHAT for t in ts)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    achieved = (len(times) - 1) / span if len(times) > 1 else float("nan")
    return [
        f"{report.due}",
        f"{report.sent}",
        f"{achieved:.1f}",
        f"{stats.max_per_second}",
        f"{count - len(set(sent))}",
        f"{len(sent) - len(set(sent))}",
        f"{stats.rejected_429}",
        f"{stats.paid_broadcast}",
        f"{stats.stars_spent:.1f}",
        f"{wall:.1f}",
        f"{cpu * 1000:.3f}",
    ]


MEASURES = [
    ("digests due", ""),
    ("digests sent", "all"),
    ("achieved messages/s", ">= 28 free"),
    ("busiest second (fake's count)", "<= 30 free"),
    ("messages lost", "0"),
    ("messages doubled", "0"),
    ("429s received", "0"),
    ("paid messages (fake's count)", ""),
    ("Stars spent (0.1 each)", ""),
    ("run wall time (s)", ""),
    ("CPU to compose one digest (ms)", "<= 2"),
]


async def main(
    count: int, article_count: int, workdir: Path, modes: list[str], server: str | None
) -> None:
    columns = {
        mode: await fanout(count, article_count, workdir / mode, mode == "paid", server)
        for mode in modes
    }
    kind = "PostgreSQL" if server else "SQLite"
    print(
        f"\nDigest fan-out on {kind}: {count} subscribers, {article_count} articles, fake flood "
        "limit on "
        f"(free {FREE_RATE:g}/s; paid broadcast {PAID_RATE:g}/s)"
    )
    print(f"{'measure':<34}" + "".join(f"{mode:>10}" for mode in modes) + f"  {'target':>12}")
    for row, (name, target) in enumerate(MEASURES):
        values = "".join(f"{columns[mode][row]:>10}" for mode in modes)
        print(f"{name:<34}{values}  {target:>12}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument(
        "--modes", default="free,paid", help="free (~30/s), paid (allow_paid_broadcast), or both"
    )
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL (a database is made and dropped per "
        "mode); SQLite by default",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        asyncio.run(
            main(
                args.subscribers, args.articles, args.workdir or Path(temporary),
                args.modes.split(","), args.database_url,
            )
        )  # fmt: skip
