"""Prometheus metrics: what the bot does, counted where it passes through one place.

One `Metrics` per Application (its own registry, never prometheus_client's global one), kept in
`bot_data[METRICS_KEY]` and fed from the central points: the flood guard sees every update,
handlers/timing.py every answer, the pacing rate limiter every request to Telegram (errors by
code, the bulk queue), the digest runner's report every run. The database figures /stats shows
(articles, subscribers, today's digests, the last seed load) are read with the same `gather` at
each scrape, so the two never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

METRICS_KEY = "metrics"
# Answer times from a cache hit (~1 ms) to a reload's first reply under load (~10 s).
ANSWER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SEARCHES = frozenset({"/search", "text search", "inline"})


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "newsbot_updates", "Updates received, by kind", ["kind"], registry=registry
        )
        self.dropped = Counter(
            "newsbot_updates_dropped", "Updates dropped from users who flood", registry=registry
        )
        self.answer_seconds = Histogram(
            "newsbot_answer_seconds", "Time to answer, by command", ["command"],
            buckets=ANSWER_BUCKETS, registry=registry,
        )  # fmt: skip
        self.search_seconds = Histogram(
            "newsbot_search_seconds", "Time to answer a search (/search, plain text, inline)",
            buckets=ANSWER_BUCKETS, registry=registry,
        )  # fmt: skip
        self.digests = Counter(
            "newsbot_digests", "Digests handled by this process, by outcome "
            "(sent, empty, failed, deactivated, skipped)", ["outcome"], registry=registry,
        )  # fmt: skip
        self.telegram_errors = Counter(
            "newsbot_telegram_errors", "Errors Telegram answered, by code (429, 403, 400, 5xx, "
            "network, timeout)", ["code"], registry=registry,
        )  # fmt: skip
        self.feed_polls = Counter(
            "newsbot_feed_polls", "Feeds fetched by this process, by outcome (ok, unchanged, "
            "error, busy)", ["outcome"], registry=registry,
        )  # fmt: skip
        self.feed_items = Counter(
            "newsbot_feed_items", "New feed items this process stored", registry=registry
        )
        self.pacing_queue = Gauge(
            "newsbot_pacing_queue_depth", "Bulk messages (digests, broadcasts) waiting for their "
            "slot", registry=registry,
        )  # fmt: skip
        # From the database at each scrape: the figures /stats shows, shared by every instance.
        self.articles = Gauge(
            "newsbot_articles", "Articles stored, by state", ["state"], registry=registry
        )
        self.subscribers = Gauge(
            "newsbot_subscribers", "Subscribers, by state", ["state"], registry=registry
        )
        self.digests_today = Gauge(
            "newsbot_digests_today", "Today's (UTC) digests in the ledger, by status", ["status"],
            registry=registry,
        )  # fmt: skip
        self.seed_load_time = Gauge(
            "newsbot_seed_load_timestamp_seconds", "When seeds were last loaded (Unix time)",
            registry=registry,
        )  # fmt: skip
        self.seed_load_files = Gauge(
            "newsbot_seed_load_files", "Files of the last seed load, by outcome (added, updated, "
            "unchanged, duplicates, retracted, rejected)", ["outcome"], registry=registry,
        )  # fmt: skip
        self.http_open = Gauge(
            "newsbot_http_connections", "Connections open to the webhook/metrics server",
            registry=registry,
        )  # fmt: skip
        self.http_closed = Counter(
            "newsbot_http_connections_cut", "Connections the server cut off, by reason "
            "(over_cap, slow_headers, slow_body)", ["reason"], registry=registry,
        )  # fmt: skip
        self.database_up = Gauge(
            "newsbot_database_up", "1 when the last scrape could read the database",
            registry=registry,
        )  # fmt: skip

    # Fed by the central points.
    def update(self, kind: str) -> None:
        self.updates.labels(kind).inc()

    def answered(self, command: str, seconds: float) -> None:
        self.answer_seconds.labels(command).observe(seconds)
        if command in SEARCHES:
            self.search_seconds.observe(seconds)

    def telegram_error(self, code: str) -> None:
        self.telegram_errors.labels(code).inc()

    def digest_run(self, report: Any) -> None:
        """A DigestRunner's RunReport: each outcome counted once per run."""
        for outcome in ("sent", "empty", "failed", "deactivated", "skipped"):
            if count := getattr(report, outcome, 0):
                self.digests.labels(outcome).inc(count)

    def feed_poll(self, report: Any) -> None:
        """A FeedPoller's PollReport: each feed's outcome, and the new items stored."""
        for outcome in report.outcomes:
            self.feed_polls.labels(outcome.status).inc()
        self.feed_items.inc(report.new_items)

    def database_figures(self, stats: Any) -> None:
        """The figures of an admin.stats.Stats, as /stats shows them."""
        for name, gauge in (
            ("articles", self.articles),
            ("subscribers", self.subscribers),
            ("digests_today", self.digests_today),
        ):
            for label, value in getattr(stats, name).items():
                gauge.labels(label).set(value)
        reload: Mapping[str, Any] | None = stats.last_reload
        if reload:
            self.seed_load_time.set(datetime.fromisoformat(reload["at"]).timestamp())
            for outcome, count in reload.get("counts", {}).items():
                if outcome != "files":
                    self.seed_load_files.labels(outcome).set(count)

    # Read back, for /stats.
    def since_start(self) -> dict[str, dict[str, float]]:
        """Counter totals by label since this process started: {"updates": {"message": 3}}."""
        out: dict[str, dict[str, float]] = {}
        for name, counter in (
            ("updates", self.updates),
            ("telegram_errors", self.telegram_errors),
            ("digests", self.digests),
        ):
            totals: dict[str, float] = {}
            for family in counter.collect():
                for sample in family.samples:
                    if sample.name.endswith("_total") and sample.labels:
                        totals[next(iter(sample.labels.values()))] = sample.value
            out[name] = totals
        return out

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
