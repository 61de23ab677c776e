"""Chat members, forum topics, chat_shared and my_chat_member in the fake, as a real PTB Bot
meets them (Telegram's answers and error texts)."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest, Forbidden

from fakeapi import FakeTelegram
from fakeapi.chat_events import (
    anonymous_admin_message,
    bot_membership,
    delete_topic,
    make_forum,
    open_topic,
    set_member,
    share_chat,
    topic_message,
)
from tests.fakeapi.conftest import USER


def supergroup(tg: FakeTelegram, *, forum: bool = False) -> int:
    chat_id = int(tg.add_group(title="Forum", chat_type="supergroup")["id"])
    if forum:
        make_forum(tg.backend, chat_id)
    return chat_id


async def test_get_chat_member_tells_admins_from_members(
    tg: FakeTelegram, bot: telegram.Bot, user_chat: int
) -> None:
    group = supergroup(tg)
    member = await bot.get_chat_member(group, USER)
    assert member.status == "member"
    set_member(tg.backend, group, USER, "administrator")
    admin = await bot.get_chat_member(group, USER)
    assert isinstance(admin, telegram.ChatMemberAdministrator) and admin.can_manage_topics
    set_member(tg.backend, group, USER, "creator")
    assert isinstance(await bot.get_chat_member(group, USER), telegram.ChatMemberOwner)
    with pytest.raises(BadRequest, match="User not found"):
        await bot.get_chat_member(group, 123_456)
    admins = await bot.get_chat_administrators(group)
    assert [a.user.id for a in admins] == [USER]
    with pytest.raises(BadRequest, match="no administrators in the private chat"):
        await bot.get_chat_administrators(USER)


async def test_a_channel_shows_members_only_to_a_bot_that_administers_it(
    tg: FakeTelegram, bot: telegram.Bot, user_chat: int
) -> None:
    channel = int(tg.add_group(title="Wire", chat_type="channel", username="wire")["id"])
    set_member(tg.backend, channel, USER, "administrator")
    me = await bot.get_chat_member("@wire", bot.id)
    assert isinstance(me, telegram.ChatMemberAdministrator) and me.can_post_messages
    user = await bot.get_chat_member(channel, USER)
    assert isinstance(user, telegram.ChatMemberAdministrator) and user.can_post_messages
    set_member(tg.backend, channel, bot.id, "member")
    with pytest.raises(BadRequest, match="Member list is inaccessible"):
        await bot.get_chat_member(channel, USER)


async def test_topics_carry_sends_and_a_deleted_one_is_not_found(
    tg: FakeTelegram, bot: telegram.Bot, user_chat: int
) -> None:
    with pytest.raises(BadRequest, match="not a forum"):
        await bot.create_forum_topic(supergroup(tg), "News")
    group = supergroup(tg, forum=True)
    with pytest.raises(BadRequest, match="Not enough rights to create a topic"):
        await bot.create_forum_topic(group, "News")
    set_member(tg.backend, group, bot.id, "administrator")
    created = await bot.create_forum_topic(group, "News")
    sent = await bot.send_message(group, "hi", message_thread_id=created.message_thread_id)
    assert sent.message_thread_id == created.message_thread_id and sent.is_topic_message
    theirs = open_topic(tg.backend, group, USER, "Sports")
    written = topic_message(tg.backend, group, USER, theirs, "/latest")
    assert written["message_thread_id"] == theirs and written["is_topic_message"]
    delete_topic(tg.backend, group, theirs)
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(group, "hi", message_thread_id=theirs)
    await bot.delete_forum_topic(group, created.message_thread_id)
    with pytest.raises(BadRequest, match=r"(?i)topic_id_invalid"):
        await bot.delete_forum_topic(group, created.message_thread_id)
    assert (await bot.send_message(group, "in General")).message_thread_id is None


async def test_anonymous_admin_shared_chats_and_the_bot_removed(
    tg: FakeTelegram, bot: telegram.Bot, user_chat: int
) -> None:
    group = supergroup(tg)
    anonymous = anonymous_admin_message(tg.backend, group, "/subscribe")
    assert anonymous["sender_chat"]["id"] == group
    assert anonymous["from"]["username"] == "GroupAnonymousBot"
    channel = int(tg.add_group(title="Wire", chat_type="channel")["id"])
    with pytest.raises(LookupError, match="no request_chat button"):
        share_chat(tg.backend, USER, 1, channel)  # a client shares only through a picker
    no = False
    rights = telegram.ChatAdministratorRights(
        no, no, no, no, no, no, no, no, no, no, no, can_post_messages=True
    )  # fmt: skip
    request = telegram.KeyboardButtonRequestChat(
        1, chat_is_channel=True, user_administrator_rights=rights, request_title=True
    )
    picker = telegram.ReplyKeyboardMarkup([[telegram.KeyboardButton("Pick", request_chat=request)]])
    await bot.send_message(USER, "Which channel?", reply_markup=picker)
    with pytest.raises(ValueError, match="user_administrator_rights not met"):
        share_chat(tg.backend, USER, 1, channel)
    set_member(tg.backend, channel, USER, "administrator")
    with pytest.raises(ValueError, match="does not offer supergroup"):
        share_chat(tg.backend, USER, 1, group)
    shared = share_chat(tg.backend, USER, 1, channel)
    assert shared["chat_shared"] == {"request_id": 1, "chat_id": channel, "title": "Wire"}
    bot_membership(tg.backend, channel, "left", by_user_id=USER)
    updates = await bot.get_updates()
    kinds = [u.my_chat_member for u in updates if u.my_chat_member is not None]
    assert [(c.old_chat_member.status, c.new_chat_member.status) for c in kinds] == [
        ("administrator", "left")
    ]
    with pytest.raises(Forbidden, match="not a member of the channel chat"):
        await bot.send_message(channel, "hello?")
    bot_membership(tg.backend, channel, "administrator", by_user_id=USER)
    assert (await bot.send_message(channel, "back")).chat.id == channel
