"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.database import Database
from storage.schema import upgrade_schema

# Property tests draw new examples on every local run, to keep finding what nobody thought of;
# CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci) draws the same ones every time, so a red build
# means a change broke something, not that today's dice found an old corner.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Search indexes of server databases default to $TMPDIR/newsbot-search/<database>: every test
# database is new, so each would leave a folder behind. This process (pytest's own temp folders
# stay where they were) and the bots it starts put theirs in a folder removed at exit.
tempfile.gettempdir()
_TEST_TEMP = tempfile.mkdtemp(prefix="newsbot-tests-")
os.environ["TMPDIR"] = _TEST_TEMP
atexit.register(shutil.rmtree, _TEST_TEMP, ignore_errors=True)

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED_SEED = PROJECT / "seeds" / "000_e65de5108a7689b8.txt"
BBC = Path(os.environ.get("BBC_DATA", PROJECT.parent / "shared" / "data" / "bbc-news-summary"))
PG_HOW = (
    "PostgreSQL tests need TEST_DATABASE_URL, e.g. "
    "TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres (.ci/run sets it)"
)


async def pg_admin(*statements: str) -> None:
    """Run statements on the PostgreSQL server of TEST_DATABASE_URL as its administrator."""
    import asyncpg

    admin = await asyncpg.connect(os.environ["TEST_DATABASE_URL"].replace("+asyncpg", ""))
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()


async def _create_pg_database(server_url: str) -> str:
    """A new empty database on the server of `server_url`; returns its URL."""
    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_pg_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.dispose()


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database of the kind the test is parametrised with."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
        return
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip(PG_HOW)
    url = await _create_pg_database(server)
    try:
        yield url
    finally:
        await _drop_pg_database(server, url)


BOTH_DATABASES = pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade_schema(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A seed folder holding a copy of the shipped seed."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SHIPPED_SEED, folder / SHIPPED_SEED.name)
    return folder
