"""Callback queries (button presses) and inline queries, answered by a real PTB Bot."""

from __future__ import annotations

import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.error import BadRequest

from fakeapi import FakeTelegram

from .conftest import USER


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


def article(result_id: str, text: str, markup: InlineKeyboardMarkup | None = None):
    content = InputTextMessageContent(text, parse_mode="HTML")
    return InlineQueryResultArticle(result_id, f"Title {result_id}", content, reply_markup=markup)


async def test_button_press_and_answer(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    message = await bot.send_message(user_chat, "Pick one", reply_markup=keyboard("a", "b"))
    query_id = tg.press_button(message.message_id, "b", user_id=USER)
    [update] = await bot.get_updates(offset=-1)
    query = update.callback_query
    assert query is not None
    assert query.id == query_id
    assert query.data == "b"
    assert query.from_user.id == USER
    assert query.chat_instance
    assert query.message is not None
    assert query.message.message_id == message.message_id
    assert isinstance(query.message, telegram.Message)
    assert query.message.reply_markup == keyboard("a", "b")

    assert await query.answer("Saved", show_alert=True) is True
    answer = await tg.callback_answer(query_id)
    assert (answer.text, answer.show_alert) == ("Saved", True)
    with pytest.raises(BadRequest, match="Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)

    second = tg.press_button(message.message_id, "a", user_id=USER)
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(second, text="x" * 201)
    await bot.answer_callback_query(second, text="x" * 200)


def test_pressing_a_missing_button_is_a_test_error(tg: FakeTelegram, user_chat: int):
    with pytest.raises(LookupError, match="no message"):
        tg.press_button(12345, "a", user_id=USER)


async def test_stale_button_press(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    message = await bot.send_message(user_chat, "Pick", reply_markup=keyboard("a"))
    with pytest.raises(LookupError, match="no button with callback_data 'gone'"):
        tg.press_button(message.message_id, "gone", user_id=USER)
    await bot.delete_message(user_chat, message.message_id)
    tg.press_button(message.message_id, "a", user_id=USER, strict=False)
    [update] = await bot.get_updates(offset=-1)
    assert update.callback_query is not None
    # Telegram sends an InaccessibleMessage (date 0); PTB 22.8's CallbackQuery still parses
    # it as a Message, so bots must check is_accessible rather than isinstance.
    assert update.callback_query.message is not None
    assert update.callback_query.message.is_accessible is False


async def test_inline_query_answers(tg: FakeTelegram, bot: telegram.Bot):
    query_id = tg.inline_query(USER, "python", offset="")
    [update] = await bot.get_updates()
    inline = update.inline_query
    assert inline is not None
    assert inline.id == query_id
    assert (inline.query, inline.offset, inline.chat_type) == ("python", "", "sender")

    results = [article(str(i), f"<b>News {i}</b>") for i in range(51)]
    with pytest.raises(BadRequest, match="Results_too_much"):
        await bot.answer_inline_query(query_id, results)
    with pytest.raises(BadRequest, match="Result_id_duplicate"):
        await bot.answer_inline_query(query_id, [results[0], results[0]])
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.answer_inline_query(query_id, [article("x", "<b>broken")])
    await bot.answer_inline_query(query_id, results[:50], next_offset="50", cache_time=0)

    answer = await tg.inline_answer(query_id)
    assert len(answer.results) == 50
    assert answer.next_offset == "50"
    assert answer.cache_time == 0
    assert answer.ids[:3] == ["0", "1", "2"]
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_inline_query(query_id, results[:1])

    posted = tg.choose_inline_result(USER, query_id, "3")
    assert posted["text"] == "News 3"
    assert posted["via_bot"]["id"] == tg.bot_id
    assert posted["entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    updates = await bot.get_updates(offset=update.update_id + 1)
    assert updates[0].message is not None
    assert updates[0].message.via_bot is not None
    chosen = updates[1].chosen_inline_result
    assert chosen is not None
    assert chosen.result_id == "3"
    assert chosen.query == "python"


async def test_inline_message_with_buttons_is_editable(tg: FakeTelegram, bot: telegram.Bot):
    query_id = tg.inline_query(USER, "q")
    await bot.answer_inline_query(query_id, [article("r", "Vote", keyboard("up"))])
    await tg.inline_answer(query_id)
    posted = tg.choose_inline_result(USER, query_id, "r")
    chosen = [u.chosen_inline_result for u in await bot.get_updates() if u.chosen_inline_result]
    inline_id = chosen[0].inline_message_id
    assert inline_id

    press = tg.press_button(posted["message_id"], "up", user_id=USER)
    [update] = await bot.get_updates(offset=-1)
    assert update.callback_query is not None
    assert update.callback_query.id == press
    assert update.callback_query.inline_message_id == inline_id
    assert update.callback_query.message is None

    assert await bot.edit_message_text("Voted", inline_message_id=inline_id) is True
    assert tg.inline_message(inline_id).text == "Voted"
