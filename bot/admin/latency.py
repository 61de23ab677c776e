"""How long the bot took to answer each command over the last hour (p50 / p95)."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict, deque
from collections.abc import Callable

WINDOW_SECONDS = 3600.0
MAX_SAMPLES = 10_000  # per command: enough for a p95, bounded memory under a flood


class LatencyRecorder:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._samples: dict[str, deque[tuple[float, float]]] = defaultdict(
            lambda: deque(maxlen=MAX_SAMPLES)
        )

    def record(self, command: str, seconds: float) -> None:
        self._samples[command].append((self._clock(), seconds))

    def summary(self) -> dict[str, tuple[int, float, float]]:
        """command -> (answers in the last hour, p50 ms, p95 ms)."""
        since = self._clock() - WINDOW_SECONDS
        out: dict[str, tuple[int, float, float]] = {}
        for command, samples in sorted(self._samples.items()):
            recent = sorted(s for at, s in samples if at >= since)
            if not recent:
                continue
            p95 = recent[min(len(recent) - 1, int(len(recent) * 0.95))]
            out[command] = (len(recent), statistics.median(recent) * 1000, p95 * 1000)
        return out
