"""One seed load at a time across processes: the bot's /reload, its start-up, `seeds load`.

Two loads at once both insert the same new articles (on PostgreSQL the second died with an
IntegrityError on the short id half-way through). PostgreSQL: a session advisory lock, held
on a connection of its own for the whole load. SQLite: an flock on a file next to the
database. Either goes when its process does, however it ends.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text

from storage.database import Database

log = logging.getLogger(__name__)

# The two-number form: its keys never meet the one-number locks of the migrations and of the
# search vocabulary (storage/schema.py, migration 0003).
_PG_LOAD_LOCK = {"space": 7_310_482, "key": 1}
POLL_SECONDS = 0.25


class LoadRunning(Exception):
    """Another process is loading seeds into this database (when asked not to wait)."""


def lock_file(db: Database) -> Path | None:
    """The SQLite database's lock file; None for an in-memory database (one process only)."""
    database = db.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).expanduser().with_name(Path(database).name + ".seeds-lock")


@asynccontextmanager
async def seed_load_lock(db: Database, *, wait: bool = True) -> AsyncIterator[None]:
    """Held while a load runs. With `wait`, waits for another process's load to end (and says
    so in the log once); else raises LoadRunning at once."""
    if db.is_sqlite:
        async with _file_lock(lock_file(db), wait=wait):
            yield
        return
    async with db.engine.connect() as connection:
        # Autocommit: the lock belongs to the session; no transaction is left open meanwhile.
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        acquire = text("SELECT pg_try_advisory_lock(:space, :key)")
        told = False
        while not await connection.scalar(acquire, _PG_LOAD_LOCK):
            told = _waiting(wait, told)
            await asyncio.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            await connection.execute(text("SELECT pg_advisory_unlock(:space, :key)"), _PG_LOAD_LOCK)


def _waiting(wait: bool, told: bool) -> bool:
    if not wait:
        raise LoadRunning("another process is loading seeds into this database")
    if not told:
        log.warning("another process is loading seeds into this database; waiting for it")
    return True


@asynccontextmanager
async def _file_lock(path: Path | None, *, wait: bool) -> AsyncIterator[None]:
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        told = False
        while True:
            try:
                # flock, not lockf: two opens in one process exclude each other too.
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                told = _waiting(wait, told)
                await asyncio.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
