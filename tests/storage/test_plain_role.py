"""The README's promise for PostgreSQL: the migrations need no extension, only a role that owns
its database (no superuser), and search works there."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.search.service import SearchService
from storage.database import Database
from storage.schema import upgrade_schema
from storage.seeds.loader import load_seeds
from tests.conftest import PG_HOW, pg_admin

pytestmark = pytest.mark.postgres


async def test_a_role_that_only_owns_its_database_can_migrate_and_search_it(
    tmp_path: Path,
) -> None:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip(PG_HOW)
    name = f"newsbot_plain_{uuid.uuid4().hex[:10]}"
    await pg_admin(
        f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE',
        f'CREATE DATABASE "{name}" OWNER "{name}"',
    )
    # PostgreSQL 15 and later: only the database owner may create in `public`; earlier, anyone.
    db = Database(
        make_url(server)
        .set(username=name, password=None, database=name)
        .render_as_string(hide_password=False)
    )
    try:
        await upgrade_schema(db)
        async with db.read() as session:
            found = await session.execute(text("SELECT extname FROM pg_extension"))
        assert sorted(found.scalars()) == ["plpgsql"]  # built in: no pg_trgm, no unaccent
        seeds = tmp_path / "seeds"
        seeds.mkdir()
        (seeds / "a.txt").write_text("Zürich harbour reopens\n\nThe harbour opened again.\n")
        await load_seeds(db, seeds, now=datetime(2026, 11, 27, tzinfo=UTC))
        search = SearchService(db, index_folder=tmp_path / "index")
        await search.index_ready()
        hits = (await search.search("zurich harbur")).hits
        assert [hit.article.title for hit in hits] == ["Zürich harbour reopens"]
        search.close()
    finally:
        await db.dispose()
        await pg_admin(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'DROP ROLE IF EXISTS "{name}"',
        )
