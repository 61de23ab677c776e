"""What the bot process keeps for feeds: the list's manager and the one poller, in `bot_data`."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot.feeds.manage import FeedManager
from bot.feeds.poller import FeedPoller

FEEDS_KEY = "feeds"
CHECK_SECONDS = 60.0  # how often due feeds are looked for (each is fetched every poll interval)

log = logging.getLogger(__name__)


@dataclass
class FeedsService:
    manager: FeedManager
    poller: FeedPoller
    _tasks: set[asyncio.Task[object]] = field(default_factory=set)

    def poll_soon(self, feed_id: int) -> None:
        """Fetch one feed now in the background (an admin just added or resumed it)."""
        task: asyncio.Task[object] = asyncio.create_task(
            self.poller.poll(feed_ids=[feed_id]), name=f"feed-{feed_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.poller.stop()
