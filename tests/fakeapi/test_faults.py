"""Flood limits, per-chat states, injected errors, random transport faults, outages."""

from __future__ import annotations

import asyncio
import socket

import pytest
import telegram
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from fakeapi import FakeTelegram

from .conftest import USER, message_of


async def test_fail_next_429_is_retry_after(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    tg.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(user_chat, "hi")
    await bot.send_message(user_chat, "hi")  # only the next call failed
    [error] = tg.errors()
    assert error.description == "Too Many Requests: retry after 3"
    assert error.fault == "fail_next"
    assert error.injected
    assert tg.rate_stats().rejected_429 == 1


async def test_fail_next_counts_and_any_method(tg: FakeTelegram, bot: telegram.Bot):
    tg.fail_next("*", 400, "Bad Request: something odd", count=2)
    for _ in range(2):
        with pytest.raises(BadRequest, match="Something odd"):
            await bot.get_me()
    await bot.get_me()


async def test_flood_limit_per_private_chat(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    tg.set_flood_limit(private_burst=3)
    for i in range(3):
        await bot.send_message(user_chat, f"burst {i}")
    with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
        await bot.send_message(user_chat, "one too many")
    stats = tg.rate_stats()
    assert stats.accepted == 3
    assert stats.rejected_429 == 1
    assert stats.max_per_second_by_chat[user_chat] == 3
    [error] = tg.errors()
    assert error.fault == "flood"
    assert not error.injected


async def test_flood_limit_per_group(tg: FakeTelegram, bot: telegram.Bot):
    gid = tg.add_group(title="g")["id"]
    tg.set_flood_limit(group_per_minute=20, group_burst=20)
    for i in range(20):
        await bot.send_message(gid, f"m{i}")
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):  # 60 s / 20 messages
        await bot.send_message(gid, "m20")
    assert tg.rate_stats().max_per_minute_by_group == {gid: 20}


async def test_rate_limited_bot_stays_under_the_limit(tg: FakeTelegram, user_chat: int):
    tg.set_flood_limit(private_burst=1)
    limited = ExtBot(tg.token, base_url=tg.base_url, rate_limiter=AIORateLimiter(max_retries=3))
    async with limited:
        for i in range(3):
            await limited.send_message(user_chat, f"m{i}")
    stats = tg.rate_stats()
    assert stats.accepted == 3
    # PTB's AIORateLimiter has no per-private-chat limit: it got 429s and retried
    assert stats.rejected_429 >= 1
    assert stats.max_per_second_by_chat[user_chat] == 1


async def test_migrated_group(tg: FakeTelegram, bot: telegram.Bot):
    gid = tg.add_group(title="Old group")["id"]
    tg.send_group_message(gid, USER, "/start")
    new_id = tg.migrate(gid)
    assert str(new_id).startswith("-100")
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(gid, "hi")
    assert info.value.new_chat_id == new_id
    message = await bot.send_message(new_id, "hi")
    assert message.chat.type == "supergroup"
    assert message.chat.title == "Old group"
    updates = await bot.get_updates()
    assert message_of(updates[-2]).migrate_to_chat_id == new_id
    assert message_of(updates[-1]).migrate_from_chat_id == gid


async def test_kicked_and_deactivated(tg: FakeTelegram, bot: telegram.Bot):
    gid = tg.add_group(title="g", chat_type="supergroup")["id"]
    tg.kick(gid)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(gid, "hi")
    tg.deactivate(USER)
    with pytest.raises(Forbidden, match="user is deactivated"):
        await bot.send_chat_action(USER, "typing")


async def test_random_500_and_502(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    tg.set_fault_rate(1.0, kinds=("500",), delivered_share=0.0)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(user_chat, "lost")
    tg.set_fault_rate(1.0, kinds=("502",), delivered_share=1.0)
    with pytest.raises(NetworkError, match=r"Bad Gateway \(502\)"):
        await bot.send_message(user_chat, "delivered, answer lost")
    tg.set_fault_rate(0.0)
    assert [m.text for m in tg.messages(user_chat)] == ["delivered, answer lost"]
    first, second = tg.errors()
    assert (first.fault, first.delivered, first.status) == ("random:500", False, 500)
    assert (second.fault, second.delivered, second.status) == ("random:502", True, 502)


async def test_random_fault_rate_is_seeded(tg: FakeTelegram, bot: telegram.Bot):
    async def outcomes() -> list[bool]:
        tg.set_fault_rate(0.5, kinds=("500",), seed=7, methods=["getMe"])
        results = []
        for _ in range(12):
            try:
                await bot.get_me()
                results.append(True)
            except NetworkError:
                results.append(False)
        return results

    first = await outcomes()
    assert first == await outcomes()
    assert True in first
    assert False in first


async def test_disconnect_and_timeout(tg: FakeTelegram, user_chat: int):
    request = HTTPXRequest(read_timeout=0.3)
    async with telegram.Bot(tg.token, base_url=tg.base_url, request=request) as bot:
        tg.set_fault_rate(1.0, kinds=("disconnect",), delivered_share=1.0)
        with pytest.raises(NetworkError, match="Server disconnected"):
            await bot.send_message(user_chat, "cut")
        tg.set_fault_rate(1.0, kinds=("timeout",), delivered_share=0.0, timeout_delay=2.0)
        with pytest.raises(TimedOut):
            await bot.send_message(user_chat, "slow")
        tg.set_fault_rate(0.0)
        await bot.send_message(user_chat, "fine")
    assert [m.text for m in tg.messages(user_chat)] == ["cut", "fine"]
    assert [c.status for c in tg.calls("sendMessage")] == [None, None, 200]


async def test_unreachable_drop_and_refuse(tg: FakeTelegram, bot: telegram.Bot):
    tg.unreachable(0.3)
    with pytest.raises(NetworkError):
        await bot.get_me()
    await asyncio.sleep(0.35)
    await bot.get_me()

    tg.unreachable(0.3, mode="refuse")
    await asyncio.sleep(0.05)
    with pytest.raises(NetworkError):
        await bot.get_me()
    # Refused, yet the port stays the fake's: nothing else can listen on it meanwhile.
    with socket.socket() as other, pytest.raises(OSError, match="in use"):
        other.bind(("127.0.0.1", tg.port))
    await asyncio.sleep(0.4)
    assert (await bot.get_me()).username == tg.bot_username


async def test_paid_broadcast_lifts_the_global_limit_for_a_fee(tg: FakeTelegram, bot: telegram.Bot):
    """Free: about 30 a second over all chats. With allow_paid_broadcast: up to 1,000 a second,
    0.1 Stars a message; the per-chat limit still holds."""
    chats = list(range(5000, 5100))
    for chat in chats:
        tg.send_message(chat, "/start")
    # A free limit of 5 a second (Telegram's 30 scaled down) keeps the test apart from the
    # machine's speed: a hundred sends take well under ten seconds.
    tg.set_flood_limit(global_per_second=5)

    async def burst(paid: bool) -> tuple[int, int]:
        results = await asyncio.gather(
            *(bot.send_message(c, "news", allow_paid_broadcast=paid) for c in chats),
            return_exceptions=True,
        )
        return (
            sum(not isinstance(r, Exception) for r in results),
            sum(isinstance(r, RetryAfter) for r in results),
        )

    accepted, limited = await burst(paid=False)
    assert limited >= len(chats) // 2 and accepted + limited == len(chats)
    await asyncio.sleep(1.1)  # each chat's own bucket refills (one a second)
    accepted, limited = await burst(paid=True)
    assert (accepted, limited) == (len(chats), 0)
    stats = tg.rate_stats()
    assert stats.paid_broadcast == len(chats) and stats.stars_spent == 10.0
    for _ in range(2):  # one chat is still one a second, paid or not (a burst of three)
        await bot.send_message(chats[0], "again", allow_paid_broadcast=True)
    with pytest.raises(RetryAfter):
        await bot.send_message(chats[0], "once too often", allow_paid_broadcast=True)
