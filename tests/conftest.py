"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import asyncio
import atexit
import itertools
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
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


async def _create_pg_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server of `server_url`, empty or a copy of the `template`
    database; returns its URL."""
    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_pg_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.dispose()


class MigratedTemplates:
    """A migrated, empty database of each kind, made once per test process: every `db` starts
    as a copy of it. Migrating each of some 230 test databases took about 0.1 s (20 s of the
    suite), a copy takes milliseconds; tests of migrating itself start from `database_url`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite_file: Path | None = None
        self.postgres_url: str | None = None

    async def sqlite(self) -> Path:
        if self.sqlite_file is None:
            path = self.folder / "migrated.sqlite3"
            await _migrate(f"sqlite+aiosqlite:///{path}")
            self.sqlite_file = path
        return self.sqlite_file

    async def postgres(self, server: str) -> str:
        """The template database's name."""
        if self.postgres_url is None:
            url = await _create_pg_database(server)
            self.postgres_url = url  # dropped at the end, even if migrating fails
            await _migrate(url)
        return str(make_url(self.postgres_url).database)


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await upgrade_schema(database)
    finally:
        # No connection may stay: on SQLite the last to close folds the WAL into the file, and
        # PostgreSQL copies a template only when nobody is connected to it.
        await database.dispose()


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("migrated"))
    yield templates
    server = os.environ.get("TEST_DATABASE_URL")
    if server and templates.postgres_url:
        asyncio.run(_drop_pg_database(server, templates.postgres_url))


@pytest.fixture
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: MigratedTemplates
) -> AsyncIterator[str]:
    """The URL of a database of the kind the test is parametrised with: empty, or already
    migrated (a copy of the template) when the test takes `db`."""
    kind = getattr(request, "param", "sqlite")
    migrated = "db" in request.fixturenames
    if kind == "sqlite":
        path = tmp_path / "test.sqlite3"
        if migrated:
            shutil.copyfile(await migrated_templates.sqlite(), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip(PG_HOW)
    template = await migrated_templates.postgres(server) if migrated else None
    url = await _create_pg_database(server, template)
    try:
        yield url
    finally:
        await _drop_pg_database(server, url)


BOTH_DATABASES = pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database, empty (`database_url` copied it from the migrated template)."""
    database = Database(database_url)
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


@pytest.hookimpl(trylast=True)  # after pytest's own grouping of items by shared fixtures
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each worker starts with its share of the slow modules, the short tests after them.

    `--dist worksteal` hands each worker an equal run of the items in order; whoever runs out
    takes the end of another's queue. With a minute-long test
    near the end, one worker waits that minute with nothing left to take; started first, the
    slow tests leave the short ones to even out the end. Whole modules move, in their own
    order, so a module's bot still starts once.
    """
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    if workers < 2:
        return
    modules: dict[Path, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.path, []).append(item)
    weight = {
        path: sum(1 for item in module if item.get_closest_marker("slow"))
        for path, module in modules.items()
    }
    # In collection order where weights tie: every worker must come to the same order.
    slow = sorted((path for path in modules if weight[path]), key=lambda path: -weight[path])
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for path in slow:  # each to the share with the fewest slow tests so far
        least = loads.index(min(loads))
        shares[least] += modules[path]
        loads[least] += weight[path]
    moved = set(slow)
    rest = iter(item for item in items if item.path not in moved)
    ordered: list[pytest.Item] = []
    for index, share in enumerate(shares):
        # xdist sends each worker in turn a 1/(workers left) part of what is still unsent.
        size = (len(items) - len(ordered)) // (workers - index)
        ordered += share + list(itertools.islice(rest, max(0, size - len(share))))
    ordered += list(rest)
    items[:] = ordered
