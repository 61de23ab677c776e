"""getUpdates: long polling, offsets, limits, allowed_updates, conflicts; a real Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import pytest
import telegram
from telegram import Update
from telegram.error import Conflict
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from fakeapi import ApiError, FakeTelegram

from .conftest import USER, message_of, texts


async def test_application_answers_a_command(tg: FakeTelegram):
    app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user is not None
        assert update.message is not None
        await update.message.reply_html(f"Hello <b>{update.effective_user.first_name}</b>")

    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
        await tg.wait_until_polling()
        started = time.monotonic()
        [reply] = await tg.ask(USER, "/start", first_name="Zoë", timeout=5)
        # the pending long poll (timeout=10) returned as soon as the update arrived
        assert time.monotonic() - started < 2
        assert reply.text == "Hello Zoë"
        assert reply.entities == ({"type": "bold", "offset": 6, "length": 3},)
        [again] = await tg.ask(USER, "/start@newsbot_test_bot", timeout=5)
        assert again.text == "Hello Zoë"
        await app.updater.stop()
        await app.stop()
    # PTB's last getUpdates on shutdown confirmed everything it had fetched
    assert tg.pending_updates() == []
    assert tg.errors() == []
    polls = tg.calls("getUpdates")
    assert polls[0].params["timeout"] == "10"


async def test_update_shapes_and_offsets(tg: FakeTelegram, bot: telegram.Bot):
    sent = [tg.send_message(USER, f"/cmd{i} arg") for i in range(3)]
    updates = await bot.get_updates()
    assert texts(updates) == ["/cmd0 arg", "/cmd1 arg", "/cmd2 arg"]
    ids = [u.update_id for u in updates]
    assert ids == list(range(ids[0], ids[0] + 3))
    first = message_of(updates[0])
    assert first.from_user is not None
    assert first.message_id == sent[0]["message_id"]
    assert first.from_user.first_name == "Ann"
    assert first.from_user.language_code == "en"
    assert first.chat.type == "private"
    assert first.entities[0].type == "bot_command"
    assert first.entities[0].length == 5

    # not confirmed yet: asked again, the same updates come back
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    # an offset confirms every earlier update
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert tg.pending_updates() == []

    for i in range(3):
        tg.send_message(USER, f"m{i}")
    # a negative offset keeps only the last -offset updates and forgets the rest
    [last] = await bot.get_updates(offset=-1)
    assert message_of(last).text == "m2"
    assert len(tg.pending_updates()) == 1


async def test_long_poll_returns_early_and_times_out(tg: FakeTelegram, bot: telegram.Bot):
    started = time.monotonic()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
    assert 0.25 < time.monotonic() - started < 2

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    tg.send_message(USER, "hi")
    updates = await asyncio.wait_for(poll, 2)
    assert texts(updates) == ["hi"]
    assert time.monotonic() - started < 1


async def test_text_utf8_cannot_carry_is_refused_and_the_queue_flows_on(
    tg: FakeTelegram, bot: telegram.Bot
):
    # A lone surrogate: Python's stand-in for a byte it could not decode (half a letter).
    with pytest.raises(ApiError) as info:
        tg.send_message(USER, "ыы\udcd0")
    assert info.value.error_code == 400
    assert info.value.description == "Bad Request: strings must be encoded in UTF-8"
    with pytest.raises(ApiError, match="strings must be encoded in UTF-8"):
        tg.inject_update("message", {"message_id": 1, "text": "\udcd0"})
    tg.send_message(USER, "ыы")
    assert texts(await bot.get_updates()) == ["ыы"]
    assert tg.errors() == []


async def test_allowed_updates_filters_future_updates(tg: FakeTelegram, bot: telegram.Bot):
    tg.send_message(USER, "before")
    await bot.get_updates(allowed_updates=["callback_query"])
    tg.send_message(USER, "after")  # never generated: messages are not allowed now
    message = await bot.send_message(
        USER,
        "pick",
        reply_markup=telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("A", callback_data="a")]]
        ),
    )
    tg.press_button(message.message_id, "a", user_id=USER)
    kinds = [u.callback_query is not None for u in await bot.get_updates()]
    assert kinds == [False, True]  # "before" was queued before the filter changed
    await bot.get_updates(allowed_updates=[])  # back to the default set
    tg.send_message(USER, "again")
    assert any(u.message and u.message.text == "again" for u in await bot.get_updates())


async def test_second_poller_terminates_the_first(tg: FakeTelegram):
    async with (
        telegram.Bot(tg.token, base_url=tg.base_url) as one,
        telegram.Bot(tg.token, base_url=tg.base_url) as two,
    ):
        first = asyncio.create_task(one.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(two.get_updates(timeout=dtm.timedelta(seconds=0.2)))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 2)
        assert await second == ()
    [conflict] = tg.errors()
    assert conflict.status == 409


async def test_group_privacy_mode(tg: FakeTelegram, bot: telegram.Bot):
    group = tg.add_group(title="Newsroom")
    gid = group["id"]
    tg.send_group_message(gid, USER, "just chatting")
    tg.send_group_message(gid, USER, "/digest")
    tg.send_group_message(gid, USER, "/digest@other_bot")
    tg.send_group_message(gid, USER, "hey @newsbot_test_bot")
    assert texts(await bot.get_updates()) == ["/digest", "hey @newsbot_test_bot"]
    updates = await bot.get_updates(offset=-1)
    assert message_of(updates[0]).chat.title == "Newsroom"
    assert message_of(updates[0]).chat.type == "group"
