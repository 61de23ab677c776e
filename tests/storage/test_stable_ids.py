"""Article ids survive a rebuild: the same folder loaded into a new database gives every
article the id it had, edited or not (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from storage.database import Database
from storage.models import Article
from storage.schema import upgrade_schema
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES
from tests.seed_folders import write_article

pytestmark = BOTH_DATABASES

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))


async def ids(db: Database) -> dict[str, str]:
    """Live article title -> id."""
    async with db.read() as session:
        rows = await session.execute(
            select(Article.title, Article.short_id).where(Article.retracted.is_(False))
        )
        return dict(rows.all())


async def rebuilt_ids(url: str, folder: Path, tmp_path: Path) -> dict[str, str]:
    """The ids a new, empty database gives the same folder."""
    if url.startswith("sqlite"):
        url = f"sqlite+aiosqlite:///{tmp_path / 'rebuilt.sqlite3'}"
        fresh = Database(url)
    else:
        from tests.conftest import _create_pg_database, _drop_pg_database

        server = os.environ["TEST_DATABASE_URL"]
        url = await _create_pg_database(server)
        fresh = Database(url)
    try:
        await upgrade_schema(fresh)
        await load_seeds(fresh, folder, now=NOW + timedelta(days=1))
        return await ids(fresh)
    finally:
        await fresh.dispose()
        if not url.startswith("sqlite"):
            await _drop_pg_database(server, url)


async def test_an_edited_article_keeps_its_id_in_a_rebuilt_database(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    edited = write_article(folder, "budget.txt", "Budget vote delayed", "The vote was put off.")
    write_article(folder, "sub/port.txt", "Port strike ends", "Dockers return to work.")
    # The same article in two files: stored once, under one id.
    write_article(folder, "copy-of-port.txt", "Port strike ends", "Dockers return to work.")
    await load_seeds(db, folder, now=NOW)
    before = await ids(db)
    write_article(folder, "budget.txt", "Budget vote delayed again", "Put off twice.")
    touch_later(edited)
    report = await load_seeds(db, folder, now=NOW + timedelta(hours=1))
    assert report.updated == ["budget.txt"]
    after = await ids(db)
    assert after["Budget vote delayed again"] == before["Budget vote delayed"]
    # The old code: a new id for the edited article ("every shared link is dead").
    assert await rebuilt_ids(database_url, folder, tmp_path) == after


async def test_a_file_written_anew_after_retraction_has_the_id_a_rebuild_gives(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    path = write_article(folder, "a.txt", "First story", "Its body.")
    write_article(folder, "b.txt", "Second story", "Another body.")
    await load_seeds(db, folder, now=NOW)
    first_id = (await ids(db))["First story"]
    path.unlink()
    report = await load_seeds(db, folder, now=NOW)
    assert [title for _, title in report.retracted] == ["First story"]
    write_article(folder, "a.txt", "A different story", "A different body.")
    report = await load_seeds(db, folder, now=NOW)
    assert report.added == ["a.txt"]
    now_ids = await ids(db)
    assert now_ids["A different story"] == first_id
    assert await rebuilt_ids(database_url, folder, tmp_path) == now_ids


async def test_links_from_when_ids_came_from_the_text_open_the_article_after_a_rebuild(
    db: Database, tmp_path: Path
) -> None:
    from storage import articles
    from storage.seeds.loader import content_hash
    from storage.seeds.parsing import parse_seed
    from storage.seeds.records import ParsedArticle
    from storage.short_ids import short_id_candidates

    folder = tmp_path / "seeds"
    path = write_article(folder, "budget.txt", "Budget vote delayed", "The vote was put off.")
    parsed = parse_seed(path.read_bytes(), now=NOW)
    assert isinstance(parsed, ParsedArticle)
    # The id the old scheme gave this text (the first candidate of its content hash).
    old_link = next(short_id_candidates(content_hash(parsed)))
    await load_seeds(db, folder, now=NOW)  # a database rebuilt after the upgrade
    async with db.read() as session:
        article = await articles.by_short_id(session, old_link)
        assert article is not None and article.title == "Budget vote delayed"
        assert article.short_id != old_link  # its id now comes from the path
        assert await articles.by_short_id(session, article.short_id) is article
