"""One seed load at a time, across processes and within one (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.database import Database
from storage.seeds.loader import load_seeds
from storage.seeds.lock import LoadRunning, seed_load_lock
from tests.conftest import BOTH_DATABASES
from tests.seed_folders import write_article

pytestmark = BOTH_DATABASES

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


async def test_a_second_load_waits_for_the_first_or_says_one_runs(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    write_article(tmp_path / "seeds", "a.txt", "Harbour reopens", "Ships sail again.")
    other = Database(database_url)  # another process's engine, in effect
    try:
        async with seed_load_lock(other):
            with pytest.raises(LoadRunning):
                await load_seeds(db, tmp_path / "seeds", now=NOW, wait=False)
            waiting = asyncio.create_task(load_seeds(db, tmp_path / "seeds", now=NOW))
            await asyncio.sleep(0.6)
            assert not waiting.done()  # it waits while the other load runs
        report = await asyncio.wait_for(waiting, 30)
        assert report.added == ["a.txt"]
    finally:
        await other.dispose()
