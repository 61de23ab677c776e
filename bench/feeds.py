"""Feed polling benchmark: N feeds of 50 items each from a loopback server, polled twice.

Run by hand:

    python -m bench.feeds [--feeds 50 200] [--items 50]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

The server runs in a child process (its memory is not counted) and answers on 127.0.0.2 up to
127.0.0.N+1, one address per feed, each a host of its own as real feeds are (the poller allows
one request a second per host: on one host, 200 feeds would take 200 s by design). Feeds are
RSS 2.0 with full bodies (no page fetches), ETag and Last-Modified, gzip. The first pass stores
every item; the second should get 304 from every feed and store nothing. Printed per size:
seconds per pass, peak RSS of the polling process (VmHWM, with its baseline before the first
pass) and the quality figures: articles stored against items served, feeds answered 304.
Each size runs in a fresh database (SQLite in a temporary folder, or a new PostgreSQL database
dropped at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import os
import secrets
import tempfile
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.ingest import peak_rss_mb
from bot.clock import SystemClock
from bot.feeds.fetching import Fetcher
from bot.feeds.poller import FeedPoller
from storage import feeds as store
from storage.database import Database
from storage.models import Article
from storage.schema import upgrade_schema

_SENTENCE = (
    "council harbour bridge vote budget river ferry storm school minister market police court "
    "hospital rail strike election museum festival weather energy housing water farm port"
)
WORDS = _SENTENCE.split()


def feed_document(feed: int, items: int) -> bytes:
    out = []
    for n in range(items):
        words = [WORDS[(feed * 7 + n * 3 + k) % len(WORDS)] for k in range(6)]
        title = f"Feed {feed} story {n}: " + " ".join(words)
        body = "".join(
            f"<p>Paragraph {p} of story {n} in feed {feed}: " + " ".join(words * 4) + ".</p>"
            for p in range(4)
        )
        out.append(
            f"<item><title>{escape(title)}</title><link>http://f{feed}.example/{n}</link>"
            f"<guid>f{feed}-{n}</guid><pubDate>Sat, 28 Nov 2026 08:{n % 60:02d}:00 GMT</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><link>http://f{feed}.example/</link>"
        + "".join(out)
        + "</channel></rss>"
    ).encode()


def _serve(feeds: int, items: int, port: int, ready: Any) -> None:
    bodies = {f: gzip.compress(feed_document(f, items)) for f in range(feeds)}
    modified = format_datetime(datetime(2026, 11, 28, 9, tzinfo=UTC), usegmt=True)

    async def handle(request: web.Request) -> web.Response:
        feed = int(request.match_info["feed"])
        etag = f'"feed-{feed}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=bodies[feed],
            headers={"ETag": etag, "Last-Modified": modified, "Content-Encoding": "gzip",
                     "Content-Type": "application/rss+xml"},
        )  # fmt: skip

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{feed}.xml", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for feed in range(feeds):
            await web.TCPSite(runner, _host(feed), port).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def _host(feed: int) -> str:
    return f"127.0.{(feed + 2) // 256}.{(feed + 2) % 256}"


async def _fresh_database(postgres: str | None, folder: Path) -> tuple[str, str | None]:
    if postgres is None:
        return f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}", None
    from sqlalchemy.ext.asyncio import create_async_engine

    name = f"newsbot_bench_{secrets.token_hex(4)}"
    admin = create_async_engine(postgres, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    await admin.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False), name


async def _drop(postgres: str, name: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    admin = create_async_engine(postgres, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.dispose()


async def run_size(feeds: int, items: int, port: int, postgres: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as folder:
        url, pg_name = await _fresh_database(postgres, Path(folder))
        db = Database(url)
        try:
            await upgrade_schema(db)
            clock = SystemClock()
            async with db.write() as session:
                for feed in range(feeds):
                    await store.add_feed(session, f"http://{_host(feed)}:{port}/feed/{feed}.xml",
                                         clock.now())  # fmt: skip
            poller = FeedPoller(db, clock, instance="bench", poll_minutes=15,
                                fetcher=Fetcher(), concurrency=8)  # fmt: skip
            base = peak_rss_mb()
            started = time.perf_counter()
            first = await poller.poll(every=True)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            second = await poller.poll(every=True)
            second_s = time.perf_counter() - started
            peak = peak_rss_mb()
            await poller.stop()
            async with db.read() as session:
                stored = await session.scalar(select(func.count()).select_from(Article))
        finally:
            await db.dispose()
            if postgres and pg_name:
                await _drop(postgres, pg_name)
    return {
        "feeds": feeds,
        "items": feeds * items,
        "first_s": first_s,
        "first_ok": first.count("ok"),
        "stored": int(stored or 0),
        "second_s": second_s,
        "second_304": second.count("unchanged"),
        "second_new": len(second.added),
        "base_mb": base,
        "peak_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    port = 18000 + os.getpid() % 1000
    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=_serve, args=(max(args.feeds), args.items, port, ready), daemon=True
    )
    server.start()
    try:
        if not ready.wait(60):
            raise SystemExit("the feed server did not start")
        rows = []
        for feeds in args.feeds:
            rows.append(asyncio.run(run_size(feeds, args.items, port, args.postgres)))
    finally:
        server.terminate()
        server.join()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Feed polling, {args.items} items a feed, {backend}, one host per feed, 8 at once")
    print(
        f"{'feeds':>6} {'items':>7} {'1st s':>7} {'stored':>7} {'2nd s':>7} "
        f"{'304s':>6} {'new':>4} {'base MB':>8} {'peak MB':>8}"
    )
    for r in rows:
        print(
            f"{r['feeds']:>6} {r['items']:>7} {r['first_s']:>7.1f} {r['stored']:>7} "
            f"{r['second_s']:>7.1f} {r['second_304']:>6} {r['second_new']:>4} "
            f"{r['base_mb']:>8.0f} {r['peak_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
