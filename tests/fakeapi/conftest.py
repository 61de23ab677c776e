"""Fixtures: a fake Bot API per test, and a real PTB Bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram

from fakeapi import FakeTelegram

USER = 42


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(tg.token, base_url=tg.base_url) as real_bot:
        yield real_bot


@pytest.fixture
def user_chat(tg: FakeTelegram) -> int:
    """A private chat with USER (created by the user writing to the bot)."""
    tg.send_message(USER, "hello")
    return USER


def message_of(update: telegram.Update) -> telegram.Message:
    """The update's message (asserting it has one)."""
    assert update.message is not None
    return update.message


def texts(updates: tuple[telegram.Update, ...]) -> list[str | None]:
    return [u.message.text if u.message else None for u in updates]
