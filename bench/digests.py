"""Digest fan-out benchmark: thousands of digests against the fake Bot API with its flood limit on.

    python -m bench.digests [--subscribers 3000] [--articles 200] [--workdir DIR]

Prints achieved messages a second (target >= 28), messages lost and doubled (target 0), the 429s
the bot received, and the CPU time to compose one digest (target <= 2 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram.ext import ApplicationBuilder

from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.runner import DigestRunner, _RunContext
from bot.search.service import SearchService
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
    context = _RunContext(now, pool)
    await runner.compose(subs[0], context, now.date())  # warm up
    started = time.process_time()
    for subscriber in subs:
        await runner.compose(subscriber, context, now.date())
    return (time.process_time() - started) / len(subs)


async def main(count: int, article_count: int, workdir: Path) -> None:
    now = datetime.now(UTC)
    db = Database(f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}")
    write_articles(workdir / "seeds", article_count)
    await prepare(db, workdir / "seeds", count, now)
    summaries = SummaryService(db)
    await summaries.backfill()
    with FakeTelegramThread() as tg:
        for i in range(count):  # a bot may only write to people who wrote to it first
            tg.send_message(FIRST_CHAT + i, "/start")
        tg.set_flood_limit(True)
        app = (
            ApplicationBuilder()
            .token(tg.token)
            .base_url(tg.base_url)
            .rate_limiter(PacedRateLimiter())
            .build()
        )
        async with app:
            search = SearchService(db)
            runner = DigestRunner(
                db=db, bot=app.bot, clock=SystemClock(), search=search, summaries=summaries,
                instance="bench",
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
    rate = (len(times) - 1) / span if len(times) > 1 else float("nan")
    lost = count - len(set(sent))
    doubled = len(sent) - len(set(sent))
    rows = [
        ("digests due", f"{report.due}", ""),
        ("digests sent", f"{report.sent}", f"{count}"),
        ("achieved messages/s", f"{rate:.1f}", ">= 28"),
        ("busiest second (fake's count)", f"{stats.max_per_second}", "<= 30"),
        ("messages lost", f"{lost}", "0"),
        ("messages doubled", f"{doubled}", "0"),
        ("429s received", f"{stats.rejected_429}", ""),
        ("run wall time (s)", f"{wall:.1f}", ""),
        ("CPU to compose one digest (ms)", f"{cpu * 1000:.3f}", "<= 2"),
    ]
    print(f"\nDigest fan-out: {count} subscribers, {article_count} articles, fake flood limit on")
    print(f"{'measure':<34}{'value':>10}  {'target':>8}")
    for name, value, target in rows:
        print(f"{name:<34}{value:>10}  {target:>8}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        asyncio.run(main(args.subscribers, args.articles, args.workdir or Path(temporary)))
