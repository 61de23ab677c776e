"""What chat owners and admins do, as updates: promote or demote a user, open and delete forum
topics, write in a topic or as the anonymous group admin, share a chat through a request_chat
button, add or remove the bot (my_chat_member). Call them on the fake's loop."""

from __future__ import annotations

from fakeapi import inject
from fakeapi.backend import Backend
from fakeapi.errors import bad_request
from fakeapi.members import ANONYMOUS_ADMIN, Member, admin, member_json
from fakeapi.methods.chats import create_topic, membership
from fakeapi.models import JSON

STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})


def set_member(b: Backend, chat_id: int, user_id: int, status: str, *, post: bool = True) -> None:
    """Give a user a status in a chat (`administrator`: every right, `post` for channels)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {sorted(STATUSES)}")
    chat = b.state.find_chat(chat_id)
    b.state.user(user_id)
    member = admin(chat.type, post=post) if status == "administrator" else Member(status)
    b.rosters.set(chat_id, user_id, member)


def make_forum(b: Backend, chat_id: int) -> None:
    """Turn topics on in a supergroup."""
    chat = b.state.find_chat(chat_id)
    if chat.type != "supergroup":
        raise ValueError("only supergroups can be forums")
    b.rosters.forums.add(chat_id)


def open_topic(b: Backend, chat_id: int, user_id: int, name: str) -> int:
    """A user opens a topic in a forum; returns its message_thread_id."""
    if chat_id not in b.rosters.forums:
        raise bad_request("the chat is not a forum")
    chat = b.state.find_chat(chat_id)
    return create_topic(b, chat, name, b.state.user(user_id)).thread_id


def delete_topic(b: Backend, chat_id: int, thread_id: int) -> None:
    """An admin deletes a topic: sends to its thread then fail with "message thread not found"."""
    topics = b.rosters.topics.get(chat_id, {})
    if thread_id not in topics:
        raise LookupError(f"no topic {thread_id} in {chat_id}")
    del topics[thread_id]
    b.state.tick()


def topic_message(b: Backend, chat_id: int, user_id: int, thread_id: int, text: str) -> JSON:
    """A user writes in a forum topic."""
    if b.rosters.topic(chat_id, thread_id) is None:
        raise LookupError(f"no topic {thread_id} in {chat_id}")
    extra = {"message_thread_id": thread_id, "is_topic_message": True}
    return inject.user_message(b, user_id, text, chat_id=chat_id, extra=extra)


def anonymous_admin_message(
    b: Backend, chat_id: int, text: str, *, thread_id: int | None = None
) -> JSON:
    """An admin who stays anonymous writes: from GroupAnonymousBot, sender_chat the group."""
    chat = b.state.find_chat(chat_id)
    extra: JSON = {"sender_chat": chat.to_json()}
    if thread_id is not None:
        extra.update(message_thread_id=thread_id, is_topic_message=True)
    return inject.user_message(
        b, ANONYMOUS_ADMIN.id, text, chat_id=chat_id, extra=extra, sender=ANONYMOUS_ADMIN
    )


def _picker(b: Backend, user_id: int, request_id: int) -> JSON:
    """The request_chat of the newest button with this request_id the bot sent the user."""
    for message in reversed(list(b.state.messages.values())):
        if message.chat_id != user_id or not message.from_bot or not message.reply_markup:
            continue
        for row in message.reply_markup.get("keyboard") or []:
            for button in row:
                request = button.get("request_chat") if isinstance(button, dict) else None
                if isinstance(request, dict) and request.get("request_id") == request_id:
                    return request
    raise LookupError(f"the bot sent user {user_id} no request_chat button {request_id}")


def share_chat(b: Backend, user_id: int, request_id: int, chat_id: int) -> JSON:
    """The user picks a chat with the bot's request_chat button: a chat_shared service message,
    with the title and username if the button asked for them. Like Telegram's client, only a
    chat the button's filters let through can be picked."""
    chat = b.state.find_chat(chat_id)
    user = b.state.user(user_id)
    request = _picker(b, user_id, request_id)
    if bool(request.get("chat_is_channel")) != (chat.type == "channel"):
        raise ValueError(f"the picker does not offer {chat.type} {chat_id}")
    for who, key in (
        (user_id, "user_administrator_rights"),
        (b.bot_user.id, "bot_administrator_rights"),
    ):
        wanted = [right for right, on in (request.get(key) or {}).items() if on]
        member = membership(b, chat, who)
        has = member.status == "creator" or (
            member.status == "administrator" and all(member.rights.get(r) for r in wanted)
        )
        if wanted and not has:
            raise ValueError(f"the picker does not offer {chat_id}: {key} not met")
    shared: JSON = {"request_id": request_id, "chat_id": chat.id}
    if request.get("request_title") and chat.title:
        shared["title"] = chat.title
    if request.get("request_username") and chat.username:
        shared["username"] = chat.username
    message = b.state.add_message(
        b.state.private_chat(user), user, "", [], kind="service", extra={"chat_shared": shared}
    )
    payload = b.state.message_json(message)
    b.updates.push("message", payload)
    return payload


def bot_membership(
    b: Backend, chat_id: int, status: str, *, by_user_id: int, post: bool = True
) -> JSON:
    """The bot is added, promoted, demoted or removed: its status changes and a my_chat_member
    update says so (old and new ChatMember)."""
    if status not in STATUSES - {"creator"}:
        raise ValueError("the bot can be administrator, member, left or kicked")
    chat = b.state.find_chat(chat_id)
    old = membership(b, chat, b.bot_user.id)
    new = admin(chat.type, post=post) if status == "administrator" else Member(status)
    b.rosters.set(chat_id, b.bot_user.id, new)
    chat.status = status if status in ("left", "kicked") else "ok"
    by = b.state.user(by_user_id)
    payload: JSON = {
        "chat": chat.to_json(),
        "from": by.to_json(),
        "date": int(b.state.clock()),
        "old_chat_member": member_json(old, b.bot_user),
        "new_chat_member": member_json(new, b.bot_user),
    }
    b.state.tick()
    b.updates.push("my_chat_member", payload)
    return payload
