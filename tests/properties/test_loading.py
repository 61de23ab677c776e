"""Arbitrary bytes as seed files through the loader: rejected with a reason, or stored whole."""

from __future__ import annotations

import asyncio
import functools
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering.seed_reasons import english
from storage import articles
from storage.database import Database
from storage.schema import upgrade_schema
from storage.seeds.loader import load_seeds
from storage.seeds.records import SeedReason

NOW = datetime(2026, 11, 27, tzinfo=UTC)
SEEDISH = st.lists(
    st.sampled_from(
        ["Dec 14, 8:20 AM EST", "Title here", "", "GENEVA (AP) -- Body text.", "© 2017 AP",
         '{"title": "T", "body": "B"}', "\x00", "\ufeff", "\r\n", "é", "<b>x</b>"]
    ),
    max_size=12,
).map(lambda parts: "\n".join(parts).encode("utf-8"))  # fmt: skip


@functools.cache
def _empty_database() -> Path:
    """A migrated, empty database file; each example starts from a copy (migrating is slow)."""
    path = Path(tempfile.mkdtemp()) / "empty.sqlite3"

    async def make() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade_schema(db)
        await db.dispose()  # the last connection to close folds the WAL into the file

    asyncio.run(make())
    return path


async def _load(data: bytes, empty: Path) -> tuple[list[str], list[tuple[str, SeedReason]], int]:
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "seeds").mkdir()
        (folder / "seeds" / "file.txt").write_bytes(data)
        shutil.copy(empty, folder / "db.sqlite3")
        db = Database(f"sqlite+aiosqlite:///{folder / 'db.sqlite3'}")
        report = await load_seeds(db, folder / "seeds", now=NOW)
        async with db.read() as session:
            stored = await articles.latest(session, limit=5)
            for article in stored:  # whole: a title and a body, nothing half-made
                assert article.title.strip() and article.body.strip()
                assert article.paragraphs and all(p.strip() for p in article.paragraphs)
        await db.dispose()
        return report.added, report.rejected, len(stored)
    finally:
        shutil.rmtree(folder)


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000) | SEEDISH)
def test_any_bytes_are_stored_whole_or_rejected_with_a_reason(data: bytes) -> None:
    added, rejected, stored = asyncio.run(_load(data, _empty_database()))
    if rejected:
        [(name, rejection)] = rejected
        reason = english(rejection)
        assert name == "file.txt" and reason.strip() and "\n" not in reason
        assert stored == 0 and not added
    else:
        assert added == ["file.txt"] and stored == 1
