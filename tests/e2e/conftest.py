"""Fixtures for end-to-end tests: one fake Bot API and one bot process shared by the chat tests."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PG_HOW, _create_pg_database, _drop_pg_database
from tests.e2e.harness import BotProcess, e2e_corpus


@pytest.fixture(scope="session")
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


@contextmanager
def database_env(kind: str) -> Iterator[dict[str, str]]:
    """DATABASE_URL for a bot process: its own SQLite file (the default), or a fresh
    PostgreSQL database made for it and dropped afterwards."""
    if kind == "sqlite":
        yield {}
        return
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip(PG_HOW)
    url = asyncio.run(_create_pg_database(server))
    try:
        yield {"DATABASE_URL": url}
    finally:
        asyncio.run(_drop_pg_database(server, url))


# The chat suite runs in both update modes, on SQLite and (when configured) on PostgreSQL.
CHAT_BOTS = [("polling", "sqlite"), ("webhook", "sqlite"), ("webhook", "postgres")]


@pytest.fixture(scope="session", params=CHAT_BOTS, ids=["-".join(p) for p in CHAT_BOTS])
def chat_bot(
    request: pytest.FixtureRequest, tg: FakeTelegramThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """The bot most chat tests talk to; tests use their own user ids so they do not collide."""
    mode, kind = request.param
    with database_env(kind) as env:
        bot = BotProcess(tg, tmp_path_factory.mktemp("chat-bot"), extra_env=env, mode=mode)
        e2e_corpus(bot.seeds)
        bot.start()
        yield bot
        bot.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """A fresh database for one test's bot, of each kind."""
    with database_env(request.param) as env:
        yield env


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_database(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """A database for a module's bot, of each kind."""
    with database_env(request.param) as env:
        yield env


class Users:
    """Hands out a fresh user id per test so conversations never mix."""

    def __init__(self) -> None:
        self.next = 100_000

    def new(self) -> int:
        self.next += 1
        return self.next


@pytest.fixture(scope="session")
def users() -> Users:
    return Users()


@pytest.fixture
def user(users: Users) -> int:
    return users.new()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
