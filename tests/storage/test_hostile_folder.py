"""A seed folder with links out, link loops, sockets and odd names: nothing outside is read,
every odd entry is reported, the rest loads (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.rendering.seed_reasons import english
from storage.database import Database
from storage.models import Article
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES
from tests.seed_folders import SECRET, hostile_folder, write_article

pytestmark = BOTH_DATABASES

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


async def stored_text(db: Database) -> list[str]:
    async with db.read() as session:
        rows = await session.execute(select(Article.title, Article.body, Article.retracted))
        return [f"{title}\n{body}" for title, body, retracted in rows if not retracted]


async def test_hostile_folder_is_reported_and_the_rest_loads(db: Database, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    # (FIFOs are covered end to end: on the old code they block the load for good.)
    expected = hostile_folder(seeds, tmp_path / "outside", fifo=False)
    report = await load_seeds(db, seeds, now=NOW)
    assert sorted(report.added) == ["good.txt", "sub/also-good.txt"]
    reasons = {name: english(reason) for name, reason in report.rejected}
    assert set(reasons) == set(expected)
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])
    assert not any(SECRET in text for text in await stored_text(db))
    assert all("\n" not in name for name, _ in report.rejected)
    # Again: the same, reported again, nothing loaded twice.
    again = await load_seeds(db, seeds, now=NOW)
    assert set(dict(again.rejected)) == set(expected)
    assert again.counts()["unchanged"] == 2 and not again.added


async def test_a_link_out_is_never_kept_even_if_an_old_load_let_it_in(
    db: Database, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    path = write_article(seeds, "story.txt", "Council meets", "The council met.")
    write_article(seeds, "other.txt", "Port strike ends", "Dockers return to work.")
    # What a load before this fix stored from a link to a secret: the same text as a file.
    secret = write_article(tmp_path / "outside", "secret.txt", "Leaked", f"Key {SECRET}.")
    path.write_bytes(secret.read_bytes())
    await load_seeds(db, seeds, now=NOW)
    assert any(SECRET in text for text in await stored_text(db))
    path.unlink()
    path.symlink_to(secret)
    report = await load_seeds(db, seeds, now=NOW)
    [(name, reason)] = report.rejected
    assert name == "story.txt" and "outside the seed folder" in english(reason)
    assert [title for _, title in report.retracted] == ["Leaked"]
    texts = await stored_text(db)
    assert len(texts) == 1 and texts[0].startswith("Port strike ends")
    assert not any(SECRET in text for text in texts)


async def test_links_inside_the_folder_still_load(db: Database, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_article(seeds, "real/story.txt", "Port strike ends", "Dockers return to work.")
    (seeds / "alias.txt").symlink_to(seeds / "real" / "story.txt")
    report = await load_seeds(db, seeds, now=NOW)
    assert report.added == ["alias.txt"]
    assert [name for name, _ in report.duplicates] == ["real/story.txt"]
    assert not report.rejected


async def test_a_seed_folder_that_is_a_link_loop_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    from storage.seeds.loader import SeedFolderError

    (tmp_path / "seeds").symlink_to("seeds")
    # The old code: RuntimeError("Symlink loop"), and the bot's start-up died of it.
    with pytest.raises(SeedFolderError, match="not a folder"):
        await load_seeds(db, tmp_path / "seeds", now=NOW)
