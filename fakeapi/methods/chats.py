"""Chat members and forum topics: getChatMember, getChatAdministrators, createForumTopic,
deleteForumTopic, closeForumTopic, reopenForumTopic, and the message_thread_id of a send.

Error texts are Telegram's ("message thread not found" for a deleted topic, "the chat is not a
forum", "there are no administrators in the private chat", "member list is inaccessible")."""

from __future__ import annotations

from fakeapi.backend import Backend
from fakeapi.errors import bad_request
from fakeapi.members import Member, Topic, admin, member_json
from fakeapi.models import JSON, Chat, User
from fakeapi.params import Params

THREAD_NOT_FOUND = "message thread not found"
MAX_TOPIC_NAME = 128


def membership(b: Backend, chat: Chat, user_id: int) -> Member:
    """The recorded status, else what the fake assumes: the bot posts in channels and is a
    member of groups; a user the fake knows is a member of groups and not of channels."""
    found = b.rosters.get(chat.id, user_id)
    if found is not None:
        return found
    if user_id == b.bot_user.id:
        if chat.status in ("left", "kicked"):
            return Member(chat.status)
        return admin("channel") if chat.type == "channel" else Member("member")
    if chat.type == "private":
        return Member("member")
    return Member("left" if chat.type == "channel" else "member")


def _member_list_readable(b: Backend, chat: Chat) -> None:
    """Channels show their members only to a bot that administers them."""
    if chat.type == "channel" and membership(b, chat, b.bot_user.id).status != "administrator":
        raise bad_request("member list is inaccessible")


def _user(b: Backend, user_id: int) -> User:
    user = b.bot_user if user_id == b.bot_user.id else b.state.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return user


async def get_chat_member(b: Backend, p: Params) -> JSON:
    chat = b.target_chat(p, sending=False)
    user_id = p.get_int("user_id")
    user = _user(b, user_id)
    if chat.type == "private" and user_id not in (chat.id, b.bot_user.id):
        raise bad_request("user not found")
    if user_id != b.bot_user.id:
        _member_list_readable(b, chat)
    return member_json(membership(b, chat, user_id), user)


async def get_chat_administrators(b: Backend, p: Params) -> list[JSON]:
    chat = b.target_chat(p, sending=False)
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    _member_list_readable(b, chat)
    # Bots other than this one are not listed, as Telegram does.
    return [
        member_json(member, _user(b, user_id))
        for user_id, member in b.rosters.admins(chat.id)
        if user_id == b.bot_user.id or user_id in b.state.users
    ]


def _forum(b: Backend, p: Params) -> Chat:
    chat = b.target_chat(p, sending=False)
    if chat.id not in b.rosters.forums:
        raise bad_request("the chat is not a forum")
    return chat


def _may_manage_topics(b: Backend, chat: Chat, action: str) -> None:
    bot = membership(b, chat, b.bot_user.id)
    if bot.status != "creator" and not bot.rights.get("can_manage_topics"):
        raise bad_request(f"not enough rights to {action} a topic")


def create_topic(b: Backend, chat: Chat, name: str, creator: User) -> Topic:
    """A new topic: its thread id is the id of the service message that opens it."""
    service = b.state.add_message(
        chat, creator, "", [], kind="service",
        extra={"forum_topic_created": {"name": name, "icon_color": 7322096}},
    )  # fmt: skip
    topic = Topic(service.message_id, name)
    b.rosters.topics.setdefault(chat.id, {})[topic.thread_id] = topic
    service.extra.update(message_thread_id=topic.thread_id, is_topic_message=True)
    return topic


async def create_forum_topic(b: Backend, p: Params) -> JSON:
    chat = _forum(b, p)
    _may_manage_topics(b, chat, "create")
    name = p.get_str("name") or ""
    if not name.strip():
        raise bad_request("topic name must be non-empty")
    if len(name) > MAX_TOPIC_NAME:
        raise bad_request("TOPIC_TITLE_INVALID")
    topic = create_topic(b, chat, name, b.bot_user)
    return {"message_thread_id": topic.thread_id, "name": topic.name, "icon_color": 7322096}


def _topic(b: Backend, p: Params) -> tuple[Chat, int]:
    chat = _forum(b, p)
    thread_id = p.get_int("message_thread_id")
    if b.rosters.topic(chat.id, thread_id) is None:
        raise bad_request("TOPIC_ID_INVALID")
    return chat, thread_id


async def delete_forum_topic(b: Backend, p: Params) -> bool:
    chat, thread_id = _topic(b, p)
    _may_manage_topics(b, chat, "delete")
    del b.rosters.topics[chat.id][thread_id]
    b.state.tick()
    return True


async def close_forum_topic(b: Backend, p: Params) -> bool:
    chat, thread_id = _topic(b, p)
    _may_manage_topics(b, chat, "close")
    topic = b.rosters.topic(chat.id, thread_id)
    if topic is not None:
        topic.closed = True
    return True


async def reopen_forum_topic(b: Backend, p: Params) -> bool:
    chat, thread_id = _topic(b, p)
    _may_manage_topics(b, chat, "reopen")
    topic = b.rosters.topic(chat.id, thread_id)
    if topic is not None:
        topic.closed = False
    return True


def thread_of_send(b: Backend, p: Params, chat: Chat) -> JSON:
    """The fields a sent message carries for its message_thread_id (none without one)."""
    if not p.has("message_thread_id"):
        return {}
    thread_id = p.get_int("message_thread_id")
    topic = b.rosters.topic(chat.id, thread_id)
    if topic is None:
        raise bad_request(THREAD_NOT_FOUND)
    if topic.closed and membership(b, chat, b.bot_user.id).status not in (
        "creator",
        "administrator",
    ):
        raise bad_request("TOPIC_CLOSED")
    return {"message_thread_id": thread_id, "is_topic_message": True}
