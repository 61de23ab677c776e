"""Keeping one over-eager user from crowding out everyone else.

Each user has a token bucket: a burst of `burst` updates, refilled at `rate` a second. Updates
beyond it are dropped; the first dropped one of a flood earns a single "please slow down".

Buckets are kept least recently seen first: a bucket that has refilled is the same as none, so
those at the front that have are dropped as updates come in, and past `max_users` (users seen
within one refill time) the least recently seen goes. Memory follows the users of the last few
seconds, not every user the bot ever met.
"""

from __future__ import annotations

import time
from collections import OrderedDict
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
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()
        self._max_users = max_users
        self.dropped = 0

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        self._forget_refilled(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            while len(self._buckets) >= self._max_users:
                self._buckets.popitem(last=False)
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        else:
            self._buckets.move_to_end(user_id)
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

    def _forget_refilled(self, now: float) -> None:
        """Drop the least recently seen buckets that have refilled: they hold nothing.

        Each bucket goes once, so this costs nothing per update on average; it stops at the
        first one still refilling (one refill time at most)."""
        while self._buckets:
            user, bucket = next(iter(self._buckets.items()))
            if bucket.tokens + (now - bucket.updated) * self.rate < self.burst:
                return
            del self._buckets[user]

    def __len__(self) -> int:
        return len(self._buckets)
