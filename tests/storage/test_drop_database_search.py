"""Migration 0014: the database's own full-text indexes go (search is served by tantivy), and a
downgrade brings them back filled from the stored articles."""

from __future__ import annotations

import importlib
import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.search.service import SearchService
from storage.database import Database
from storage.schema import current_revision, upgrade_schema
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES
from tests.storage.migrating import downgrade_to, upgrade_to

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)

SQLITE_OBJECTS = (
    "SELECT name FROM sqlite_master WHERE name LIKE 'articles_fts%' OR name = 'articles_vocab'"
)
POSTGRES_OBJECTS = (
    "SELECT proname FROM pg_proc WHERE proname LIKE 'newsbot%' "
    "UNION ALL SELECT column_name FROM information_schema.columns "
    "WHERE table_name = 'articles' AND column_name IN ('search_vector', 'title_vector') "
    "UNION ALL SELECT table_name FROM information_schema.tables "
    "WHERE table_name IN ('search_terms', 'search_terms_pending') "
    "UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE '%search_terms%'"
)


async def search_objects(db: Database) -> set[str]:
    """The names of the database's own search objects (tables, triggers, columns, functions)."""
    query = SQLITE_OBJECTS if db.dialect == "sqlite" else POSTGRES_OBJECTS
    async with db.read() as session:
        return {str(name) for name in (await session.execute(text(query))).scalars()}


async def database_finds(db: Database, word: str) -> list[str]:
    """Titles the database's own index matches for one word (before 0014, or after a
    downgrade)."""
    if db.dialect == "sqlite":
        query = (
            "SELECT a.title FROM articles_fts AS f JOIN articles AS a ON a.id = f.rowid "
            "WHERE articles_fts MATCH :word ORDER BY a.title"
        )
    else:
        query = (
            "SELECT title FROM articles WHERE search_vector @@ CAST(:word AS tsquery) "
            "ORDER BY title"
        )
    async with db.read() as session:
        return [str(t) for t in (await session.execute(text(query), {"word": word})).scalars()]


async def vocabulary_count(db: Database, word: str) -> int | None:
    if db.dialect == "sqlite":
        query = "SELECT doc FROM articles_vocab WHERE term = :word"
    else:
        query = "SELECT doc_count FROM search_terms WHERE term = :word"
    async with db.read() as session:
        found = await session.scalar(text(query), {"word": word})
    return None if found is None else int(found)


def write_seeds(folder: Path, stories: dict[str, tuple[str, str]]) -> None:
    folder.mkdir(exist_ok=True)
    for name, (title, body) in stories.items():
        (folder / name).write_text(json.dumps({"title": title, "body": body}))


@BOTH_DATABASES
async def test_upgrade_drops_the_database_indexes_and_downgrade_refills_them(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    seeds = tmp_path / "seeds"
    try:
        await upgrade_to(db, "0013")
        write_seeds(seeds, {"a.json": ("Zürich harbour reopens", "The harbour opened again.")})
        await load_seeds(db, seeds, now=NOW)  # as the last release stored it, indexes and all
        before = await search_objects(db)
        assert before
        assert await database_finds(db, "zurich") == ["Zürich harbour reopens"]

        await upgrade_schema(db)
        assert await current_revision(db) == "0014"
        assert await search_objects(db) == set()
        # Written with the indexes gone: no trigger or generated column is left to fail.
        write_seeds(seeds, {"b.json": ("Quokka census published", "Counting marsupials.")})
        await load_seeds(db, seeds, now=NOW)
        search = SearchService(db, index_folder=tmp_path / "index")
        try:
            await search.index_ready()
            result = await search.search("zurich harbur")
            assert [hit.article.title for hit in result.hits] == ["Zürich harbour reopens"]
            assert result.corrected == "zurich harbour"
            assert [hit.article.title for hit in (await search.search("quokka")).hits] == [
                "Quokka census published"
            ]
        finally:
            search.close()

        await downgrade_to(db, "0013")
        assert await search_objects(db) == before
        # Filled from the stored articles, the one written after 0014 too.
        assert await database_finds(db, "zurich") == ["Zürich harbour reopens"]
        assert await database_finds(db, "quokka") == ["Quokka census published"]
        assert await vocabulary_count(db, "harbour") == 1
        assert await vocabulary_count(db, "marsupials") == 1

        await upgrade_schema(db)  # and up again
        assert await search_objects(db) == set()
    finally:
        await db.dispose()


def test_0003_tables_match_this_python() -> None:
    """A downgrade below 0014 recreates 0003's folding functions, with tables frozen from
    Python's Unicode data: they must still fold as the running Python does."""
    migration = importlib.import_module("storage.migrations.versions.0003_postgres_search")
    if unicodedata.unidata_version != migration.UNICODE_VERSION:
        pytest.fail(
            f"Python has Unicode {unicodedata.unidata_version}, migration 0003 folds with "
            f"{migration.UNICODE_VERSION}: regenerate its tables"
        )
    for name, value in migration.generate_tables().items():
        assert getattr(migration, name) == value, name
