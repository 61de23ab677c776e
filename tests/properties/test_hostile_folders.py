"""Arbitrary seed folders of files, links (in, out, to folders, to themselves), FIFOs and odd
names: a load finishes, reads nothing outside the folder, and accounts for every entry."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering.seed_reasons import english
from storage import articles
from storage.database import Database
from storage.seeds.loader import load_seeds
from tests.properties.test_loading import _empty_database

NOW = datetime(2026, 11, 27, tzinfo=UTC)
SECRET = "sk-outside-0123456789"

PART = st.sampled_from(["a", "b", "sub", "x y", "é", "n\nl", "..x", "caf\udce9"])
PATH = st.lists(PART, min_size=1, max_size=3)
KIND = st.sampled_from(
    ["file", "empty", "link-in", "link-out", "link-out-dir", "link-dir-in", "self", "up",
     "dangling", "fifo", "link-loop"]
)  # fmt: skip
ENTRIES = st.lists(st.tuples(PATH, KIND, st.integers(0, 20)), max_size=12)


def _build(root: Path, outside: Path, entries: list[tuple[list[str], str, int]]) -> int:
    """Make the entries (those that can be made); returns how many good files were written."""
    made: list[Path] = []
    for parts, kind, pick in entries:
        path = root.joinpath(*parts)
        raw = os.fsencode(path)  # names from undecodable bytes too
        try:
            os.makedirs(os.path.dirname(raw), exist_ok=True)
            if os.path.lexists(raw):
                continue
            if kind == "file":
                with open(raw, "wb") as handle:
                    handle.write(f"Story {len(made)}\n\nBody {len(made)}.\n".encode())
            elif kind == "empty":
                open(raw, "wb").close()
            elif kind == "link-in":
                os.symlink(made[pick % len(made)] if made else root, raw)
            elif kind == "link-out":
                os.symlink(outside / "secret.txt", raw)
            elif kind == "link-out-dir":
                os.symlink(outside, raw)
            elif kind == "link-dir-in":
                os.symlink(root, raw)
            elif kind == "self":
                os.symlink(".", raw)
            elif kind == "up":
                os.symlink("..", raw)
            elif kind == "dangling":
                os.symlink(root / "nowhere", raw)
            elif kind == "fifo":
                os.mkfifo(raw)
            elif kind == "link-loop":
                os.symlink(raw, raw)
        except OSError:
            continue  # a part of the path is a file or a link already: not made
        made.append(path)
    return len(made)


async def _load(entries: list[tuple[list[str], str, int]], empty: Path) -> None:
    work = Path(tempfile.mkdtemp())
    try:
        root, outside = work / "seeds", work / "outside"
        root.mkdir()
        outside.mkdir()
        (outside / "secret.txt").write_text(f"Secret\n\nThe key is {SECRET}.\n")
        (outside / "note.txt").write_text(f"Note\n\nAlso {SECRET}.\n")
        _build(root, outside, entries)
        shutil.copy(empty, work / "db.sqlite3")
        db = Database(f"sqlite+aiosqlite:///{work / 'db.sqlite3'}")
        try:
            report = await asyncio.wait_for(load_seeds(db, root, now=NOW), 60)
            async with db.read() as session:
                stored = await articles.latest(session, limit=100)
        finally:
            await db.dispose()
        assert not any(SECRET in a.body for a in stored)
        counts = report.counts()
        accounted = sum(counts[k] for k in ("added", "unchanged", "duplicates", "rejected"))
        assert accounted == counts["files"] - counts["updated"]
        for name, reason in report.rejected:
            assert "\n" not in name and english(reason).strip()
        for name, sid in report.duplicates:
            assert "\n" not in name and sid.strip()
    finally:
        shutil.rmtree(work)


@settings(max_examples=100, deadline=None)
@given(entries=ENTRIES)
def test_any_folder_loads_without_reading_outside_it(
    entries: list[tuple[list[str], str, int]],
) -> None:
    asyncio.run(_load(entries, _empty_database()))
