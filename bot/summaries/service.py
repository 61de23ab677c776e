"""Summaries computed once per article and stored: on first request, and in the background.

Sentence splitting costs about 10 ms an article, too slow to do while loading 100,000 seeds
and too slow for the event loop, so the work runs in one worker process: a backfill after
every load, and a single article at once when someone asks before the backfill reached it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from bot.summaries.extractive import summarize
from storage import articles
from storage.database import Database
from storage.models import Article

log = logging.getLogger(__name__)

BATCH = 64
SENTENCES = 3

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z\"“(])")

Job = tuple[int, str, str]  # article id, content hash, body


def lead_sentences(paragraphs: list[str], count: int = SENTENCES) -> list[str]:
    """The first sentences, split by a cheap rule: a stand-in until the real summary is stored."""
    out: list[str] = []
    for paragraph in paragraphs:
        out.extend(s for s in _SENTENCE_END.split(paragraph.strip()) if s)
        if len(out) >= count:
            break
    return out[:count]


def summarize_many(jobs: list[Job]) -> list[tuple[int, str, list[str]]]:
    """Runs in the worker process."""
    return [(i, h, summarize(body.split("\n\n"), SENTENCES)) for i, h, body in jobs]


def _exit_with_parent(parent: int) -> None:
    """Runs in the worker as it starts: leave when the bot is gone.

    A bot killed outright (SIGKILL, the OOM killer) cannot stop its worker, and the worker's
    queue never reports the end (the worker holds both ends of its pipes): without this it
    would live on, orphaned, for good.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class SummaryService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pool: ProcessPoolExecutor | None = None
        self._backfill: asyncio.Task[int] | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: forking a process that runs an event loop and threads is unsafe.
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    async def _compute(self, jobs: list[Job]) -> list[tuple[int, str, list[str]]]:
        # Ctrl-C in a terminal reaches the whole process group: the worker (started by this
        # submit) inherits SIGINT ignored, even while it imports, and the bot stops it.
        quiet = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if quiet else None
        try:
            future = self._executor().submit(summarize_many, jobs)
        finally:
            if quiet:
                signal.signal(signal.SIGINT, previous)
        return await asyncio.wrap_future(future)

    async def for_article(self, article: Article) -> list[str]:
        """The stored summary, computing and storing it first if it is not there yet."""
        if article.summary is not None:
            return article.summary
        [(_, _, sentences)] = await self._compute(
            [(article.id, article.content_hash, article.body)]
        )
        async with self.db.write() as session:
            await articles.store_summary(session, article.id, article.content_hash, sentences)
        article.summary = sentences
        return sentences

    def start_backfill(self) -> None:
        """Summarise every article that lacks one, in the background; once at a time."""
        if self._backfill is None or self._backfill.done():
            self._backfill = asyncio.create_task(self.backfill(), name="summary-backfill")

    async def backfill(self) -> int:
        done = 0
        while True:
            async with self.db.read() as session:
                jobs = await articles.missing_summaries(session, limit=BATCH)
            if not jobs:
                break
            results = await self._compute(jobs)
            async with self.db.write() as session:
                for article_id, digest, sentences in results:
                    await articles.store_summary(session, article_id, digest, sentences)
            done += len(results)
        if done:
            log.info("articles summarised: %d", done)  # "1 articles" read oddly
        return done

    async def close(self) -> None:
        if self._backfill is not None and not self._backfill.done():
            self._backfill.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._backfill
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
