"""The engine and sessions: SQLite tuned for concurrent handlers, or PostgreSQL through asyncpg."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 30_000
# The plain forms people copy from elsewhere, and the async driver each one means here.
_ASYNC_SCHEMES = {
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def async_url(url: str) -> str:
    """`postgresql://`, `postgres://`, `sqlite:///` -> the same URL with our async driver."""
    scheme, separator, rest = url.partition("://")
    driver = _ASYNC_SCHEMES.get(scheme.lower()) if separator else None
    return f"{driver}://{rest}" if driver else url


log = logging.getLogger(__name__)


def _log_lost_connections(engine: AsyncEngine) -> None:
    """Say so when the server drops a connection (a restart, a kill): the pool replaces it."""

    @event.listens_for(engine.sync_engine, "invalidate")
    def _on_invalidate(_connection: Any, _record: Any, exception: BaseException | None) -> None:
        reason = exception.__class__.__name__ if exception is not None else "closed"
        log.warning("database connection lost (%s); reconnecting", reason)


class Database:
    """Owns the engines of one database URL and hands out one session per task.

    On SQLite, writes go through their own engine whose transactions start with `BEGIN IMMEDIATE`
    (the write lock is taken up front, so two writers queue on the busy timeout instead of
    deadlocking on a lock upgrade) and are serialised in-process by a lock; reads run in WAL
    snapshots and never wait for writers. On PostgreSQL both are the same engine.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        if self.is_sqlite:
            database = self.url.database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine = self._sqlite_engine(url, echo=echo, begin="BEGIN")
            self.write_engine = self._sqlite_engine(url, echo=echo, begin="BEGIN IMMEDIATE")
        else:
            self.engine = create_async_engine(url, echo=echo, pool_pre_ping=True)
            self.write_engine = self.engine
            _log_lost_connections(self.engine)
        self._read_sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)

    @staticmethod
    def _sqlite_engine(url: str, *, echo: bool, begin: str) -> AsyncEngine:
        engine = create_async_engine(
            url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take transaction control from the driver so BEGIN is ours to emit.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql(begin)

        return engine

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries; it sees one consistent snapshot and writes nothing."""
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one write transaction, committed on success and rolled back on error."""
        if self._write_lock is None:
            async with self._write_sessions() as session, session.begin():
                yield session
            return
        async with self._write_lock, self._write_sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.write_engine is not self.engine:
            await self.write_engine.dispose()
