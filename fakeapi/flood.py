"""Telegram-like flood limits on message sending, and the achieved-rate record.

A message sent with `allow_paid_broadcast` (Bot API 7.11) is not held to the free ~30 a second
over all chats but to 1,000 a second, and costs the bot 0.1 Telegram Stars; the per-chat
limits stay as they are.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fakeapi.errors import too_many_requests
from fakeapi.models import RateStats


@dataclass
class FloodConfig:
    enabled: bool = False
    global_per_second: float = 30.0  # over all chats
    private_per_second: float = 1.0  # per private chat ...
    private_burst: int = 3  # ... with a small burst allowance
    group_per_minute: float = 20.0  # per group/supergroup/channel
    group_burst: int = 20
    paid_per_second: float = 1000.0  # over all chats, with allow_paid_broadcast


class _Bucket:
    """A token bucket: ``rate`` tokens per second, at most ``capacity`` stored."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.tokens = self.capacity
        self.updated = now

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


def _max_in_window(times: Iterable[float], window: float) -> int:
    ordered = sorted(times)
    best = 0
    for i, t in enumerate(ordered):
        # messages within [t - window, t]; a window is half-open so exactly-1s apart is fine
        start = bisect_left(ordered, t - window + 1e-9)
        best = max(best, i - start + 1)
    return best


class FloodLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.config = FloodConfig()
        self._buckets: dict[object, _Bucket] = {}
        self.times: dict[int, list[float]] = {}
        self.group_chats: set[int] = set()
        self.rejected = 0  # every 429 the server answered (counted by the server)
        self.paid = 0  # messages sent with allow_paid_broadcast (0.1 Stars each)

    def reset(self) -> None:
        self.config = FloodConfig()
        self._buckets.clear()
        self.times.clear()
        self.group_chats.clear()
        self.rejected = 0
        self.paid = 0

    def configure(self, config: FloodConfig) -> None:
        self.config = config
        self._buckets.clear()

    def _bucket_list(
        self, chat_id: int, chat_type: str, now: float, paid: bool = False
    ) -> list[_Bucket]:
        cfg = self.config
        overall = ("paid", cfg.paid_per_second) if paid else ("all", cfg.global_per_second)
        specs: list[tuple[object, float, float]] = [(overall[0], overall[1], overall[1])]
        if chat_type == "private":
            specs.append((chat_id, cfg.private_per_second, cfg.private_burst))
        else:
            specs.append((chat_id, cfg.group_per_minute / 60.0, cfg.group_burst))
        buckets = []
        for key, rate, capacity in specs:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(rate, capacity, now)
            buckets.append(bucket)
        return buckets

    def check(self, chat_id: int, chat_type: str, paid: bool = False) -> None:
        """Raise 429 when sending to this chat now would exceed a limit."""
        if not self.config.enabled:
            return
        now = self.clock()
        wait = max(b.wait(now) for b in self._bucket_list(chat_id, chat_type, now, paid))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))

    def record(self, chat_id: int, chat_type: str, paid: bool = False) -> None:
        """Count an accepted message (always, so the achieved rate can be checked)."""
        now = self.clock()
        if self.config.enabled:
            for bucket in self._bucket_list(chat_id, chat_type, now, paid):
                bucket.take()
        self.paid += paid
        self.times.setdefault(chat_id, []).append(now)
        if chat_type != "private":
            self.group_chats.add(chat_id)

    def stats(self) -> RateStats:
        everything = [t for times in self.times.values() for t in times]
        return RateStats(
            accepted=len(everything),
            rejected_429=self.rejected,
            max_per_second=_max_in_window(everything, 1.0),
            max_per_second_by_chat={c: _max_in_window(t, 1.0) for c, t in self.times.items()},
            max_per_minute_by_group={
                c: _max_in_window(t, 60.0) for c, t in self.times.items() if c in self.group_chats
            },
            times={c: tuple(t) for c, t in self.times.items()},
            paid_broadcast=self.paid,
        )
