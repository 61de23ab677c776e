"""The bot's health in figures, for /stats and `run_bot.py stats`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from bot.feeds.errors import FeedError, FeedReason
from storage import alerts, articles, deliveries, subscribers
from storage import feeds as feed_store
from storage.database import Database
from storage.feeds import FeedCounts
from storage.state import LAST_RELOAD, alive_window, get_state, heartbeats


@dataclass(frozen=True, slots=True)
class Stats:
    articles: dict[str, int]
    subscribers: dict[str, int]
    digests_today: dict[str, int]
    last_reload: dict[str, Any] | None
    now: datetime
    heartbeats: list[datetime]  # each instance's last digest tick, newest first
    alive_window: timedelta  # a tick older than this is an instance that stopped or died
    uptime: timedelta | None = None
    latency: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    # This process's counters since it started (bot/metrics.py's, as /metrics shows them).
    counters: dict[str, dict[str, float]] = field(default_factory=dict)
    feeds: FeedCounts | None = None
    failing_feeds: list[tuple[str, FeedReason]] = field(default_factory=list)  # (url, error)
    # Active subscriptions by kind: private, group, topic, channel.
    kinds: dict[str, int] = field(default_factory=dict)
    # Chats taking alerts, their follows, alerts sent in the last day and waiting now.
    alerts: dict[str, int] = field(default_factory=dict)


async def gather(db: Database, now: datetime, tick_seconds: float) -> Stats:
    """Figures from the database (shared by every instance); uptime and latency are added by the
    process that has them."""
    day_start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    async with db.read() as session:
        return Stats(
            articles=await articles.counts(session),
            subscribers=await subscribers.counts(session),
            kinds=await subscribers.counts_by_kind(session),
            digests_today=await deliveries.day_counts(
                session, day_start, day_start + timedelta(days=1)
            ),
            last_reload=await get_state(session, LAST_RELOAD),
            now=now,
            heartbeats=await heartbeats(session),
            alive_window=alive_window(tick_seconds),
            feeds=await feed_store.feed_counts(session),
            alerts=await alerts.counts(session, now - timedelta(days=1)),
            failing_feeds=[
                (feed.url, FeedError.decode(feed.last_error or "error"))
                for feed in await feed_store.failing_feeds(session, limit=3)
            ],
        )
