"""/digest previews at once: time and memory while many readers ask for theirs.

    python -m bench.previews [--articles 5000] [--previews 20] [--workdir DIR]

For each number of new articles: the wall time of `--previews` previews composed at once,
the peak memory Python allocated meanwhile (tracemalloc), and whether each preview was right
(5 shown, the rest counted in "and N more").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram.ext import ExtBot

from bot.clock import SystemClock
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.runner import DigestRunner
from bot.summaries.service import SummaryService
from storage.database import Database
from storage.models import Subscriber
from storage.schema import upgrade_schema
from storage.seeds.loader import load_seeds


def write_articles(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "\n\n".join(
            f"Paragraph {p} of story {i}. Officials said the plan would change the city. "
            + "Critics said it went too far and the council should wait. " * 20
            for p in range(8)
        )
        (folder / f"{i:05d}.json").write_text(json.dumps({"title": f"Story {i}", "body": body}))


def reader(chat: int) -> Subscriber:
    now = datetime.now(UTC)
    return Subscriber(
        id=0, chat_id=chat, user_id=chat, delivery_minute=420, timezone="UTC", topics=[],
        digest_size=5, active=False, last_digest_at=None, next_due_date=now.date(),
        next_due_at=now, created_at=now,
    )  # fmt: skip


async def measure(workdir: Path, count: int, previews: int) -> tuple[float, float, int]:
    db = Database(f"sqlite+aiosqlite:///{workdir / f'previews-{count}.sqlite3'}")
    await upgrade_schema(db)
    write_articles(workdir / f"seeds-{count}", count)
    await load_seeds(db, workdir / f"seeds-{count}", now=datetime.now(UTC) - timedelta(hours=1))
    summaries = SummaryService(db)
    await summaries.backfill()
    runner = DigestRunner(
        db=db, bot=ExtBot("1:unused", rate_limiter=PacedRateLimiter()), clock=SystemClock(),
        summaries=summaries, instance="bench",
    )  # fmt: skip
    started = time.perf_counter()
    replies = await asyncio.gather(*(runner.preview(reader(i)) for i in range(previews)))
    took = time.perf_counter() - started
    tracemalloc.start()  # a second round for memory: tracing would slow the timed one
    await asyncio.gather(*(runner.preview(reader(i)) for i in range(previews)))
    grown = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    right = sum(
        1
        for r in replies
        if r is not None and r.text.count("\n\n") >= 5 and f"and {count - 5} more" in r.text
    )
    await summaries.close()
    await db.dispose()
    return took, grown, right


async def main(sizes: list[int], previews: int, workdir: Path) -> None:
    print(f"\n/digest previews, {previews} at once (SQLite)")
    print(f"{'new articles':>12}  {'wall (s)':>9}  {'peak allocated (MB)':>21}  {'right':>7}")
    for count in sizes:
        took, grown, right = await measure(workdir, count, previews)
        print(f"{count:>12}  {took:>9.2f}  {grown:>21.1f}  {right:>3}/{previews}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--previews", type=int, default=20)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        asyncio.run(main(args.articles, args.previews, args.workdir or Path(temporary)))
