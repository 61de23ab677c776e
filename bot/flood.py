"""Keeping one over-eager user from crowding out everyone else.

Each user has a token bucket: a burst of `burst` updates, refilled at `rate` a second. Updates
beyond it are dropped; the first dropped one of a flood earns a single "please slow down".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    PASS = "pass"
    WARN = "warn"  # drop it, and say "please slow down" (once per flood)
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class FloodGuard:
    def __init__(
        self,
        *,
        burst: int = 20,
        rate: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 100_000,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._max_users = max_users
        self.dropped = 0

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self._max_users:
                self._forget_full(now)
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            if bucket.tokens >= self.burst / 2:
                bucket.warned = False  # calmed down: a later flood earns a new warning
            return Verdict.PASS
        self.dropped += 1
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled: they hold nothing worth remembering."""
        for user, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated) * self.rate >= self.burst:
                del self._buckets[user]
