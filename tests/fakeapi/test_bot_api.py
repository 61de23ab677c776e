"""The fake answers a real PTB Bot (and raw HTTP) the way api.telegram.org does."""

from __future__ import annotations

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken

from fakeapi import FakeTelegram

from .conftest import USER


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


async def test_get_me_shape(tg: FakeTelegram, bot: telegram.Bot):
    me = await bot.get_me()
    assert me.id == int(tg.token.split(":")[0]) == tg.bot_id
    assert me.is_bot is True
    assert me.username == "newsbot_test_bot" == tg.bot_username
    assert me.first_name == "News Bot"
    assert me.supports_inline_queries is True
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False


async def test_raw_answers_have_telegram_shapes(tg: FakeTelegram, user_chat: int):
    async with httpx.AsyncClient(base_url=tg.url) as http:
        me = (await http.get(f"/bot{tg.token}/getMe")).json()
        assert me["ok"] is True
        assert me["result"]["is_bot"] is True
        # JSON body, nested values inline; method names are case-insensitive
        sent = await http.post(
            f"/bot{tg.token}/sendmessage",
            json={
                "chat_id": user_chat,
                "text": "<b>hi</b>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
            },
        )
        message = sent.json()["result"]
        assert isinstance(message["date"], int)
        assert message["chat"] == {"id": USER, "type": "private", "first_name": "Ann"}
        assert message["from"]["id"] == tg.bot_id
        assert message["from"]["is_bot"] is True
        assert message["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
        assert message["reply_markup"] == {
            "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
        }
        # GET with query parameters works too
        got = await http.get(f"/bot{tg.token}/sendMessage", params={"chat_id": USER, "text": "q"})
        assert got.json()["result"]["text"] == "q"

        unknown = await http.post(f"/bot{tg.token}/sendTelepathy")
        assert (unknown.status_code, unknown.json()) == (
            404,
            {"ok": False, "error_code": 404, "description": "Not Found"},
        )
        wrong = await http.get("/bot123:wrong-token-value/getMe")
        assert wrong.status_code == 401
        assert wrong.json()["description"] == "Unauthorized"
        assert (await http.get("/bot123:ab/getMe")).status_code == 401
        assert (await http.get("/botnotatoken/getMe")).status_code == 404
        for response in (unknown, wrong):
            assert tg.token not in response.text


async def test_wrong_token_is_invalid_token_in_ptb(tg: FakeTelegram):
    # PTB's initialize() (getMe) raises before any other call is made
    bot = telegram.Bot("123:not-the-fakes-token", base_url=tg.base_url)
    with pytest.raises(InvalidToken, match="was rejected by the server"):
        await bot.initialize()
    await bot.shutdown()


async def test_send_html_message(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    message = await bot.send_message(
        user_chat,
        "<b>News</b> &amp; <i>views</i> /help",
        parse_mode="HTML",
        reply_markup=keyboard("a"),
    )
    assert message.text == "News & views /help"
    assert [e.type for e in message.entities] == ["bold", "italic", "bot_command"]
    [sent] = tg.messages(user_chat)
    assert sent.message_id == message.message_id
    assert sent.parse_mode == "HTML"
    assert sent.callback_data == ["a"]
    assert sent.button("A").callback_data == "a"
    assert tg.errors() == []


async def test_invalid_html_is_bad_request(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    with pytest.raises(BadRequest) as info:
        await bot.send_message(user_chat, "Price <10 EUR", parse_mode="HTML")
    # PTB strips "Bad Request: " and capitalize()s the rest (lower-casing it)
    assert (
        info.value.message == 'Can\'t parse entities: unsupported start tag "10" at byte offset 6'
    )
    [error] = tg.errors()
    assert error.status == 400
    assert error.method == "sendMessage"
    assert error.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "10" at byte offset 6'
    )
    assert not error.injected
    assert tg.messages(user_chat) == []


async def test_text_limits(bot: telegram.Bot, user_chat: int):
    await bot.send_message(user_chat, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(user_chat, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(user_chat, " \n ")


async def test_text_utf8_cannot_carry_is_bad_request(tg: FakeTelegram, user_chat: int):
    # A lone surrogate as a JSON escape, and a form body with a byte that is not UTF-8: no
    # answer could echo them, and Telegram refuses both.
    url = f"/bot{tg.token}/sendMessage"
    async with httpx.AsyncClient(base_url=tg.url) as http:
        escaped = await http.post(
            url,
            content=f'{{"chat_id": {user_chat}, "text": "\\u044b\\udcd0"}}'.encode(),
            headers={"Content-Type": "application/json"},
        )
        raw = await http.post(
            url,
            content=f"chat_id={user_chat}&text=".encode() + b"\xd1\x8b\xd0",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    for answer in (escaped, raw):
        assert answer.status_code == 400
        assert answer.json() == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: strings must be encoded in UTF-8",
        }
    assert tg.messages(user_chat) == []


async def test_photo_caption(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    photo = await bot.send_photo(
        user_chat, b"\x89PNG...", caption="<i>Chart</i>", parse_mode="HTML"
    )
    assert photo.caption == "Chart"
    assert photo.photo
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(user_chat, "https://example.com/a.png", caption="x" * 1025)
    assert tg.messages(user_chat)[0].kind == "photo"


async def test_callback_data_of_65_bytes(bot: telegram.Bot, user_chat: int):
    await bot.send_message(user_chat, "ok", reply_markup=keyboard("d" * 64))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(user_chat, "x", reply_markup=keyboard("d" * 65))


async def test_unknown_chat(bot: telegram.Bot):
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hi")


async def test_editing(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    message = await bot.send_message(
        user_chat, "<b>v1</b>", parse_mode="HTML", reply_markup=keyboard("a")
    )
    mark = tg.mark()
    with pytest.raises(BadRequest, match="Message is not modified: specified new message content"):
        await bot.edit_message_text(
            "<strong>v1</strong>",
            user_chat,
            message.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("a"),
        )
    # Same text without reply_markup is a change: Telegram drops the keyboard.
    edited = await bot.edit_message_text(
        "<b>v1</b>", user_chat, message.message_id, parse_mode="HTML"
    )
    assert isinstance(edited, telegram.Message)
    assert edited.reply_markup is None
    await bot.edit_message_reply_markup(user_chat, message.message_id, reply_markup=keyboard("b"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            user_chat, message.message_id, reply_markup=keyboard("b")
        )
    await bot.edit_message_text("v2", user_chat, message.message_id)

    current = await tg.wait_for_edit(user_chat, message.message_id, after=mark)
    assert current.text == "v2"
    assert current.edit_count == 3
    assert current.buttons == ()
    assert [v.text for v in current.history] == ["v1", "v1", "v1"]
    assert current.raw["edit_date"] >= current.raw["date"]

    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", user_chat, 9999)
    user_message_id = tg.send_message(USER, "mine")["message_id"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", user_chat, user_message_id)


async def test_delete_and_reply(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    question = tg.send_message(USER, "question")
    answer = await bot.send_message(user_chat, "answer", reply_to_message_id=question["message_id"])
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "question"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(user_chat, "x", reply_to_message_id=9999)
    assert await bot.delete_message(user_chat, answer.message_id) is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(user_chat, answer.message_id)
    assert tg.messages(user_chat) == []
    [deleted] = tg.messages(user_chat, include_deleted=True)
    assert deleted.deleted


async def test_commands_per_scope(tg: FakeTelegram, bot: telegram.Bot):
    private = telegram.BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([("start", "Start"), ("search", "Search news")])
    await bot.set_my_commands([("digest", "Daily digest")], scope=private, language_code="de")
    assert [c.command for c in await bot.get_my_commands()] == ["start", "search"]
    assert [c.command for c in await bot.get_my_commands(scope=private, language_code="de")] == [
        "digest"
    ]
    assert await bot.get_my_commands(scope=private) == ()
    assert tg.commands() == [
        {"command": "start", "description": "Start"},
        {"command": "search", "description": "Search news"},
    ]
    assert tg.commands({"type": "all_private_chats"}, "de")[0]["command"] == "digest"
    await bot.delete_my_commands()
    assert tg.commands() == []
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start", "capital letters are not allowed")])


async def test_chat_action_and_misc(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    assert await bot.send_chat_action(user_chat, "typing") is True
    assert tg.chat_actions(user_chat)[0][1] == "typing"
    with pytest.raises(BadRequest):
        await bot.send_chat_action(user_chat, "dancing")
    assert await bot.set_chat_menu_button() is True
    chat = await bot.get_chat(user_chat)
    assert chat.first_name == "Ann"
    assert await bot.log_out() is True


async def test_blocked_user_is_forbidden(tg: FakeTelegram, bot: telegram.Bot, user_chat: int):
    tg.block(user_chat)
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(user_chat, "hi")
    tg.deactivate(user_chat)
    with pytest.raises(Forbidden, match="Forbidden: user is deactivated"):
        await bot.send_message(user_chat, "hi")
    [first, second] = tg.errors()
    assert first.status == second.status == 403
    assert first.injected
    assert tg.errors(include_injected=False) == []
