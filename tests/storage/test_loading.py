"""Loading seed folders into the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.rendering.seed_reasons import english
from storage import articles
from storage.database import Database
from storage.models import Article, SeedFile
from storage.seeds.loader import SeedFolderError, load_seeds
from storage.seeds.records import Rejection, RejectionKind
from storage.short_ids import ALPHABET, LENGTH
from tests.conftest import BOTH_DATABASES

pytestmark = BOTH_DATABASES

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def write_article(folder: Path, name: str, title: str, *paragraphs: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def touch_later(path: Path, seconds: int = 10) -> None:
    """Move the mtime on so the loader cannot take the file as unchanged by its stat alone."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


async def live_titles(db: Database) -> list[str]:
    async with db.read() as session:
        return sorted(a.title for a in await articles.latest(session, limit=1000))


async def test_shipped_seed_is_stored_with_every_field(db: Database, seeds_dir: Path) -> None:
    report = await load_seeds(db, seeds_dir, now=NOW)
    assert report.counts()["added"] == 1 and not report.rejected
    async with db.read() as session:
        [article] = await articles.latest(session, limit=10)
    assert article.title == "UN Syria envoy urges Putin to have 'courage' to push Assad"
    assert article.published_at == datetime(2017, 12, 14, 13, 20, tzinfo=UTC)
    assert (article.source, article.dateline, article.section) == (
        "The Associated Press",
        "GENEVA",
        "World",
    )
    assert article.topics == ["Syria"]
    assert article.paragraphs[0].startswith("The U.N. Syria envoy has called on")
    assert article.paragraphs[-1].endswith("driven over 12 million from their homes.")
    assert article.loaded_at == NOW and article.retracted is False
    assert len(article.short_id) == LENGTH and set(article.short_id) <= set(ALPHABET)
    assert article.seed_path.endswith("000_e65de5108a7689b8.txt")


async def test_loading_again_changes_nothing(db: Database, seeds_dir: Path) -> None:
    write_article(seeds_dir, "b.txt", "Second story", "Body of the second story.")
    first = await load_seeds(db, seeds_dir, now=NOW)
    async with db.read() as session:
        before = {a.short_id: a.updated_at for a in await articles.latest(session, limit=10)}
    again = await load_seeds(db, seeds_dir, now=NOW + timedelta(hours=1))
    assert first.counts()["added"] == 2
    assert again.counts() == {
        "files": 2, "added": 0, "updated": 0, "unchanged": 2,
        "duplicates": 0, "retracted": 0, "rejected": 0,
    }  # fmt: skip
    async with db.read() as session:
        after = {a.short_id: a.updated_at for a in await articles.latest(session, limit=10)}
    assert after == before


async def test_touched_but_identical_file_is_unchanged(db: Database, seeds_dir: Path) -> None:
    await load_seeds(db, seeds_dir, now=NOW)
    touch_later(next(seeds_dir.iterdir()))
    report = await load_seeds(db, seeds_dir, now=NOW)
    assert report.counts()["unchanged"] == 1 and report.counts()["updated"] == 0


async def test_changed_file_updates_its_article_in_place(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    path = write_article(folder, "a.txt", "Budget vote delayed", "The vote was put off.")
    await load_seeds(db, folder, now=NOW)
    async with db.read() as session:
        [old] = await articles.latest(session, limit=5)
    write_article(folder, "a.txt", "Budget vote delayed again", "The vote was put off twice.")
    touch_later(path)
    report = await load_seeds(db, folder, now=NOW + timedelta(minutes=5))
    assert report.updated == ["a.txt"]
    async with db.read() as session:
        [new] = await articles.latest(session, limit=5)
        assert await articles.by_short_id(session, old.short_id) is not None
    assert new.short_id == old.short_id and new.id == old.id
    assert new.title == "Budget vote delayed again"
    assert new.loaded_at == NOW and new.updated_at == NOW + timedelta(minutes=5)


async def test_same_article_in_two_files_is_stored_once(db: Database, seeds_dir: Path) -> None:
    original = next(seeds_dir.iterdir())
    (seeds_dir / "copy.txt").write_bytes(original.read_bytes())
    report = await load_seeds(db, seeds_dir, now=NOW)
    assert len(report.added) == 1
    assert [path for path, _ in report.duplicates] == ["copy.txt"]
    assert len(await live_titles(db)) == 1
    # Deleting the original keeps the article: its copy still holds it.
    original.unlink()
    report = await load_seeds(db, seeds_dir, now=NOW)
    assert not report.retracted
    assert len(await live_titles(db)) == 1


async def test_article_whose_file_is_gone_is_retracted_and_hidden(
    db: Database, seeds_dir: Path
) -> None:
    extra = write_article(seeds_dir, "gone.txt", "Story to withdraw", "Text of it.")
    await load_seeds(db, seeds_dir, now=NOW)
    async with db.read() as session:
        short_id = (
            await session.scalar(
                select(Article.short_id).where(Article.title == "Story to withdraw")
            )
        ) or ""
    extra.unlink()
    report = await load_seeds(db, seeds_dir, now=NOW)
    assert report.retracted == [(short_id, "Story to withdraw")]
    assert "Story to withdraw" not in await live_titles(db)
    async with db.read() as session:
        assert await articles.by_short_id(session, short_id) is None
        assert await articles.count_live(session) == 1
    # Putting the file back brings the same article back under the same id.
    write_article(seeds_dir, "gone.txt", "Story to withdraw", "Text of it.")
    report = await load_seeds(db, seeds_dir, now=NOW)
    assert report.added == ["gone.txt"]
    async with db.read() as session:
        assert await articles.by_short_id(session, short_id) is not None


async def test_bad_files_are_reported_and_the_good_ones_load(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write_article(folder, "good1.txt", "A good story", "It has a body.")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.bin").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "huge.txt").write_bytes(b"Title\n\n" + b"word " * (1_100_000))
    (folder / "title-only.txt").write_text("Just a title\n")
    (folder / "broken.json").write_text('{"title": "x", "body": ')
    unreadable = folder / "unreadable.txt"
    # root reads any file whatever its mode; (links out of the folder are never read at all)
    as_root = os.geteuid() == 0
    if not as_root:
        write_article(folder, "unreadable.txt", "Locked", "Body.")
        unreadable.chmod(0)
    write_article(folder, "sub/good2.txt", "Another good story", "With its own body.")
    (folder / "gone.txt").symlink_to(folder / "deleted-long-ago.txt")
    report = await load_seeds(db, folder, now=NOW)
    reasons = {name: english(reason) for name, reason in report.rejected}
    assert sorted(report.added) == ["good1.txt", "sub/good2.txt"]
    assert set(reasons) == {
        "empty.txt", "binary.bin", "huge.txt", "title-only.txt", "broken.json", "gone.txt",
    } | (set() if as_root else {"unreadable.txt"})  # fmt: skip
    assert reasons["gone.txt"].startswith("broken link: it points to ")
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.bin"]
    assert "too large" in reasons["huge.txt"]
    assert "body" in reasons["title-only.txt"]
    assert "JSON" in reasons["broken.json"]
    assert as_root or "cannot read" in reasons["unreadable.txt"]
    assert await live_titles(db) == ["A good story", "Another good story"]
    # The sub-folder names the section when the file does not.
    async with db.read() as session:
        assert await articles.topic_names(session) == ["Sub"]
    # A bad file is reported again on the next load, not forgotten.
    again = await load_seeds(db, folder, now=NOW)
    assert set(dict(again.rejected)) == set(reasons)
    # ...with the same typed reason, read back from the files table.
    assert dict(again.rejected) == dict(report.rejected)


async def test_file_that_turns_bad_keeps_its_article(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    path = write_article(folder, "a.txt", "Kept story", "Its body.")
    await load_seeds(db, folder, now=NOW)
    path.write_bytes(b"\x00\x00garbage\x00")
    touch_later(path)
    report = await load_seeds(db, folder, now=NOW)
    [(name, reason)] = report.rejected
    assert name == "a.txt" and "previous version stays" in english(reason)
    assert not report.retracted
    assert await live_titles(db) == ["Kept story"]
    again = await load_seeds(db, folder, now=NOW)
    assert again.rejected == report.rejected  # the stored reason keeps "the previous version"


async def test_a_reason_stored_as_text_before_reasons_were_typed_is_shown_as_it_is(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    [(_, reason)] = (await load_seeds(db, folder, now=NOW)).rejected
    assert reason == Rejection(RejectionKind.EMPTY)
    async with db.write() as session:
        await session.execute(update(SeedFile).values(reason="empty file"))
    [(name, reason)] = (await load_seeds(db, folder, now=NOW)).rejected
    assert (name, reason) == ("empty.txt", "empty file")


async def test_missing_folder_changes_nothing(db: Database, seeds_dir: Path) -> None:
    await load_seeds(db, seeds_dir, now=NOW)
    with pytest.raises(SeedFolderError, match="does not exist"):
        await load_seeds(db, seeds_dir / "nope", now=NOW)
    assert len(await live_titles(db)) == 1


async def test_readers_never_see_half_an_update(db: Database, tmp_path: Path) -> None:
    """While a load rewrites every article, each read shows an old or a new one, whole."""
    folder = tmp_path / "s"
    count = 120
    for i in range(count):
        write_article(folder, f"{i:03}.txt", f"v1 story {i}", f"v1 body {i}.", f"v1 more {i}.")
    await load_seeds(db, folder, now=NOW)
    for i in range(count):
        path = write_article(
            folder, f"{i:03}.txt", f"v2 story {i}", f"v2 body {i}.", f"v2 more {i}."
        )
        touch_later(path)
    seen_versions: set[str] = set()
    done = asyncio.Event()

    async def reader() -> None:
        while not done.is_set():
            async with db.read() as session:
                for article in await articles.latest(session, limit=count):
                    version = article.title[:2]
                    assert article.body.startswith(version + " body")
                    assert article.paragraphs[1].startswith(version + " more")
                    seen_versions.add(version)
            await asyncio.sleep(0)

    task = asyncio.create_task(reader())
    from storage.seeds.loader import SeedLoader

    report = await SeedLoader(db, folder, now=NOW).run(batch_size=10)
    done.set()
    await task
    assert len(report.updated) == count
    assert seen_versions >= {"v1"}
    assert {t[:2] for t in await live_titles(db)} == {"v2"}


async def test_topics_filter_and_latest_order(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    (folder).mkdir()
    for day, topic in [(1, "Syria"), (3, "Elections"), (2, "Syria")]:
        article = {
            "title": f"Story {day}",
            "body": f"Body {day}.",
            "topics": [topic],
            "published_at": f"2024-01-0{day}T10:00:00Z",
        }
        (folder / f"{day}.json").write_text(json.dumps(article))
    await load_seeds(db, folder, now=NOW)
    async with db.read() as session:
        newest = [a.title for a in await articles.latest(session, limit=10)]
        syria = [a.title for a in await articles.latest(session, limit=10, topic="Syria")]
        assert await articles.count_live(session, "Syria") == 2
        assert await articles.topic_names(session) == ["Elections", "Syria"]
    assert newest == ["Story 3", "Story 2", "Story 1"]
    assert syria == ["Story 2", "Story 1"]


async def test_an_article_dated_in_the_future_does_not_top_the_list_for_years(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    dates = {"typo": "2099-01-01T10:00:00Z", "today": "2026-11-27T11:00:00Z"}
    for name, published in dates.items():
        article = {"title": f"Story {name}", "body": "Body.", "published_at": published}
        (folder / f"{name}.json").write_text(json.dumps(article))
    await load_seeds(db, folder, now=NOW)
    async with db.read() as session:
        newest = await articles.latest(session, limit=10)
    assert [a.title for a in newest] == ["Story typo", "Story today"]  # loaded now: newest now
    assert newest[0].published_at == datetime(2099, 1, 1, 10, 0, tzinfo=UTC)  # its date kept
    assert newest[0].sort_at == NOW
    # Tomorrow's news comes on top of it, as a reader expects.
    write_article(folder, "later.txt", "Story later", "Body.")
    await load_seeds(db, folder, now=NOW + timedelta(days=1))
    async with db.read() as session:
        assert (await articles.latest(session, limit=1))[0].title == "Story later"
