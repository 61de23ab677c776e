"""Fixtures for end-to-end tests: one fake Bot API and one bot process shared by the chat tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import BotProcess, e2e_corpus


@pytest.fixture(scope="session")
def tg() -> Iterator[FakeTelegramThread]:
    with FakeTelegramThread() as fake:
        yield fake


@pytest.fixture(scope="session", params=["polling", "webhook"])
def chat_bot(
    request: pytest.FixtureRequest, tg: FakeTelegramThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """The bot most chat tests talk to; tests use their own user ids so they do not collide."""
    bot = BotProcess(tg, tmp_path_factory.mktemp("chat-bot"), mode=request.param)
    e2e_corpus(bot.seeds)
    bot.start()
    yield bot
    bot.stop()


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
