"""DIGEST_PAID_BROADCAST: bulk sends carry allow_paid_broadcast and are paced to 1,000 a second."""

from __future__ import annotations

import asyncio

import pytest
from telegram.ext import ExtBot

from bot.delivery.pacing import BULK, PacedRateLimiter
from bot.settings import SettingsError, load_settings
from fakeapi import FakeTelegram

CHATS = list(range(7000, 7120))


def test_rates_over_thirty_need_paid_broadcast() -> None:
    assert load_settings().DIGEST_RATE == 29
    assert load_settings(DIGEST_PAID_BROADCAST=True).DIGEST_RATE == 1000
    assert load_settings(DIGEST_PAID_BROADCAST=True, DIGEST_RATE=300).DIGEST_RATE == 300
    with pytest.raises(
        SettingsError, match="DIGEST_RATE: 100 a second needs DIGEST_PAID_BROADCAST"
    ):
        load_settings(DIGEST_RATE=100)
    with pytest.raises(SettingsError, match="DIGEST_RATE"):
        load_settings(DIGEST_PAID_BROADCAST=True, DIGEST_RATE=1001)


async def send_all(tg: FakeTelegram, paid: bool) -> None:
    limiter = PacedRateLimiter(
        bulk_per_second=1000 if paid else 29, paid_broadcast=paid, chat_interval=0
    )
    async with ExtBot(tg.token, base_url=tg.base_url, rate_limiter=limiter) as bot:
        await asyncio.gather(
            *(bot.send_message(chat, "🗞 digest", rate_limit_args=BULK) for chat in CHATS[:60])
        )
        await bot.send_message(CHATS[-1], "a reply")  # interactive: never paid


@pytest.mark.parametrize("paid", [True, False], ids=["paid", "free"])
async def test_bulk_sends_are_paid_only_when_asked(paid: bool) -> None:
    async with FakeTelegram() as tg:
        for chat in CHATS:
            tg.send_message(chat, "/start")
        tg.set_flood_limit()  # Telegram's: 30 a second free, 1,000 paid
        await send_all(tg, paid)
        stats = tg.rate_stats()
    assert stats.rejected_429 == 0
    assert stats.accepted == 61
    assert stats.paid_broadcast == (60 if paid else 0)
    assert stats.stars_spent == (6.0 if paid else 0)
