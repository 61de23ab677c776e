"""Telling admins about errors, at most once a minute for the same kind of error."""

from __future__ import annotations

import time
from collections.abc import Callable

QUIET_SECONDS = 60.0


class ErrorThrottle:
    """Decides whether an error of a kind is news: the first in a minute is, the rest are not."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last: dict[str, float] = {}
        self.suppressed: dict[str, int] = {}

    def should_notify(self, kind: str) -> bool:
        now = self._clock()
        last = self._last.get(kind)
        if last is not None and now - last < QUIET_SECONDS:
            self.suppressed[kind] = self.suppressed.get(kind, 0) + 1
            return False
        self._last[kind] = now
        return True

    def take_suppressed(self, kind: str) -> int:
        """How many of this kind were kept quiet since the last notice (and reset the count)."""
        return self.suppressed.pop(kind, 0)
