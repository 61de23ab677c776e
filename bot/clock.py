"""Where the bot reads the time from: the system clock, or one a test sets."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FileClock:
    """The time written in a file (ISO 8601): lets a test move a bot process through days.

    The file holds an anchor; the clock runs on from it in real time, so a test sets the
    scene ("it is 07:59 in Berlin") and lets the minutes pass on their own or jumps again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._anchor: tuple[int, datetime] | None = None  # (mtime, time set)

    def now(self) -> datetime:
        # The clock runs on from when the file was written, not from when this process read
        # it: a bot and a CLI started later must agree on the time.
        mtime = self.path.stat().st_mtime_ns
        if self._anchor is None or self._anchor[0] != mtime:
            moment = datetime.fromisoformat(self.path.read_text().strip())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            self._anchor = (mtime, moment.astimezone(UTC))
        mtime, moment = self._anchor
        return moment + timedelta(seconds=max(0.0, time.time() - mtime / 1e9))
