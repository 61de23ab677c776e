"""Reloading seeds on an admin's word: one at a time, with progress, while the bot answers on."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.search.service import SearchService
from bot.store import sync_seeds
from bot.summaries.service import SummaryService
from storage.database import Database
from storage.seeds.loader import LoadReport

log = logging.getLogger(__name__)

EDIT_INTERVAL = 1.0  # Telegram allows about one edit a second in a chat

ProgressShown = Callable[[int, int], Coroutine[Any, Any, None]]


class AlreadyRunning(Exception):
    """A reload is under way in this process."""


class Reloader:
    def __init__(
        self,
        db: Database,
        seeds_dir: Path,
        clock: Clock,
        search: SearchService,
        summaries: SummaryService,
    ) -> None:
        self.db = db
        self.seeds_dir = seeds_dir
        self.clock = clock
        self.search = search
        self.summaries = summaries
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._lock.locked()

    async def reload(self, admin_id: int | None, show: ProgressShown | None = None) -> LoadReport:
        """Sync the seed folder; `show` is called at most once a second with (done, total)."""
        if self._lock.locked():
            raise AlreadyRunning
        async with self._lock:
            log.info("admin %s: reload of %s", admin_id, self.seeds_dir)
            pending: set[asyncio.Task[None]] = set()
            last = 0.0

            def progress(done: int, total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if show is None or pending or now - last < EDIT_INTERVAL:
                    return
                last = now
                task = asyncio.create_task(show(done, total))
                pending.add(task)
                task.add_done_callback(pending.discard)

            report = await sync_seeds(
                self.db,
                self.seeds_dir,
                self.clock.now(),
                progress,
                by=f"admin {admin_id}" if admin_id is not None else "reload",
            )
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
            # Searchable the moment the report arrives: load the new vocabulary now.
            await self.search.warm_up()
            self.summaries.start_backfill()
            return report
