"""The test clock: processes that read the same clock file agree on the time."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FileClock


def test_clocks_read_later_agree_with_those_read_earlier(tmp_path: Path) -> None:
    path = tmp_path / "clock.txt"
    path.write_text("2026-03-29T00:59:00+00:00")
    set_at = time.time() - 90  # as if the file had been written a minute and a half ago
    os.utime(path, (set_at, set_at))
    early, late = FileClock(path), FileClock(path)
    first = early.now()
    second = late.now()  # a CLI started later than the bot
    assert abs(second - first) < timedelta(seconds=1)
    assert first >= datetime(2026, 3, 29, 1, 0, 29, tzinfo=UTC)  # it runs on from the write


def test_writing_the_file_again_jumps(tmp_path: Path) -> None:
    path = tmp_path / "clock.txt"
    path.write_text("2026-03-29T00:59:00")  # naive means UTC
    clock = FileClock(path)
    assert clock.now().date().isoformat() == "2026-03-29"
    time.sleep(0.01)  # a new modification time
    path.write_text("2026-10-25T07:00:00+02:00")
    assert abs(clock.now() - datetime(2026, 10, 25, 5, 0, tzinfo=UTC)) < timedelta(seconds=2)
