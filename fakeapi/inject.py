"""What users do: messages, button presses, inline queries — turned into queued updates."""

from __future__ import annotations

from typing import Any

from fakeapi.backend import Backend
from fakeapi.errors import require_utf8
from fakeapi.models import JSON, CallbackQuery, Chat, InlineQuery, StoredMessage, User
from fakeapi.text import finish

GROUP_TYPES = frozenset({"group", "supergroup", "channel"})


def chat_instance(chat_id: int, bot_id: int) -> str:
    # Stable per chat, opaque like Telegram's (a signed 64-bit number as text).
    return str((chat_id * 6364136223846793005 + bot_id) % (2**63) - 2**62)


def add_group(
    b: Backend,
    chat_id: int | None = None,
    title: str = "Test group",
    *,
    chat_type: str = "group",
    username: str | None = None,
) -> Chat:
    if chat_type not in GROUP_TYPES:
        raise ValueError(f"chat_type must be one of {sorted(GROUP_TYPES)}")
    if chat_id is None:
        # Basic groups get small negative ids, supergroups and channels -100...
        chat_id = (-4_000_000_001 if chat_type == "group" else -1_001_000_000_001) - len(
            b.state.chats
        )
        while chat_id in b.state.chats:
            chat_id -= 1
    if chat_id >= 0:
        raise ValueError("group and channel ids are negative")
    existing = b.state.chats.get(chat_id)
    if existing is not None:
        return existing
    return b.state.add_chat(Chat(chat_id, chat_type, title=title, username=username))


def _is_for_bot(b: Backend, chat: Chat, message: StoredMessage) -> bool:
    """Privacy mode: which group messages Telegram hands to the bot."""
    if chat.type == "private" or b.config.can_read_all_group_messages:
        return True
    if message.reply_to is not None:
        replied = b.state.get_message(chat.id, message.reply_to)
        if replied is not None and replied.from_bot:
            return True
    me = (b.config.username or "").lower()
    for entity in message.entities:
        part = message.text[entity["offset"] : entity["offset"] + entity["length"]]
        if entity["type"] == "bot_command" and entity["offset"] == 0:
            target = part.partition("@")[2].lower()
            return not target or target == me
        if entity["type"] == "mention" and part[1:].lower() == me:
            return True
    return False


def user_message(
    b: Backend,
    user_id: int,
    text: str,
    *,
    chat_id: int | None = None,
    chat_type: str = "private",
    first_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "en",
    reply_to_message_id: int | None = None,
    title: str | None = None,
    extra: JSON | None = None,
    sender: User | None = None,
) -> JSON:
    """A user writes ``text``; returns the Message and queues it if the bot would get it.

    ``extra``: more Message fields (message_thread_id, sender_chat); ``sender``: who it shows as
    from (the anonymous group admin), when not the user."""
    require_utf8([text, first_name, username, title])  # before the message is stored
    user = b.state.user(
        user_id, first_name=first_name, username=username, language_code=language_code
    )
    if chat_id is None and chat_type != "private":
        raise ValueError(f"a {chat_type} message needs chat_id (see add_group)")
    if chat_id is None or chat_id == user_id:
        chat = b.state.private_chat(user)
        if chat.status == "blocked":
            chat.status = "ok"  # writing to the bot again means it was unblocked
    else:
        chat = b.state.chats.get(chat_id) or add_group(
            b,
            chat_id,
            title or "Test group",
            chat_type="group" if chat_type == "private" else chat_type,
        )
    body, entities = finish(text, [])
    if not body:
        raise ValueError("Telegram clients do not send empty messages")
    message = b.state.add_message(
        chat, sender or user, body, entities, reply_to=reply_to_message_id, extra=extra
    )
    payload = b.state.message_json(message)
    if _is_for_bot(b, chat, message):
        b.updates.push("message", payload)
    return payload


def press_button(
    b: Backend,
    message_id: int,
    callback_data: str,
    *,
    user_id: int,
    chat_id: int | None = None,
    strict: bool = True,
    first_name: str | None = None,
) -> str:
    """A user presses an inline button; returns the callback query id."""
    chat_id = user_id if chat_id is None else chat_id
    message = b.state.get_message(chat_id, message_id)
    if strict:
        if message is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        found = [
            btn.get("callback_data")
            for row in (message.inline_keyboard() or {}).get("inline_keyboard", [])
            for btn in row
        ]
        if callback_data not in found:
            raise LookupError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"it has {found} (pass strict=False to press it anyway)"
            )
    user = b.state.user(user_id, first_name=first_name)
    query = CallbackQuery(b.state.new_query_id(), user, chat_id, message_id, None, callback_data)
    payload: JSON = {
        "id": query.id,
        "from": user.to_json(),
        "chat_instance": chat_instance(chat_id, b.bot_user.id),
        "data": callback_data,
    }
    if message is not None and message.inline_message_id and not message.from_bot:
        query.inline_message_id = message.inline_message_id
        payload["inline_message_id"] = message.inline_message_id
    elif message is not None:
        payload["message"] = b.state.message_json(message)
    else:
        chat = b.state.chats.get(chat_id) or Chat(chat_id, "private")
        # Telegram's InaccessibleMessage: date 0 marks a message the bot cannot see.
        payload["message"] = {"message_id": message_id, "chat": chat.to_json(), "date": 0}
    b.state.callbacks[query.id] = query
    b.state.tick()
    b.updates.push("callback_query", payload)
    return query.id


def inline_query(
    b: Backend,
    user_id: int,
    query: str,
    *,
    offset: str = "",
    chat_type: str | None = "sender",
    first_name: str | None = None,
) -> str:
    """A user types ``@bot query``; returns the inline query id."""
    if len(query) > 256:
        raise ValueError("inline queries are at most 256 characters")
    require_utf8([query, first_name])
    user = b.state.user(user_id, first_name=first_name)
    record = InlineQuery(b.state.new_query_id(), user, query, offset, chat_type or "")
    payload: JSON = {"id": record.id, "from": user.to_json(), "query": query, "offset": offset}
    if chat_type:
        payload["chat_type"] = chat_type
    b.state.inline_queries[record.id] = record
    b.state.tick()
    b.updates.push("inline_query", payload)
    return record.id


def choose_inline_result(
    b: Backend,
    user_id: int,
    inline_query_id: str,
    result_id: str,
    *,
    chat_id: int | None = None,
    feedback: bool = True,
) -> JSON:
    """The user picks a result: it is posted ``via_bot`` into the chat; returns that Message."""
    record = b.state.inline_queries.get(inline_query_id)
    if record is None or record.answer is None:
        raise LookupError(f"inline query {inline_query_id} was not answered")
    result = next((r for r in record.answer.results if str(r["id"]) == result_id), None)
    if result is None:
        raise LookupError(f"no result {result_id!r}; results are {record.answer.ids}")
    user = b.state.user(user_id)
    chat_id = user_id if chat_id is None else chat_id
    chat = b.state.private_chat(user) if chat_id == user_id else b.state.chats.get(chat_id)
    if chat is None:
        raise LookupError(f"unknown chat {chat_id}")
    content: dict[str, Any] = result.get("input_message_content") or {}
    markup = result.get("reply_markup")
    message = b.state.add_message(
        chat,
        user,
        str(content.get("message_text", "")),
        list(content.get("entities") or []),
        parse_mode=content.get("parse_mode"),
        reply_markup=markup,
        via_bot=b.bot_user,
    )
    if markup:
        message.inline_message_id = b.state.new_inline_message_id()
        b.state.inline_messages[message.inline_message_id] = (chat.id, message.message_id)
    payload = b.state.message_json(message)
    b.updates.push("message", payload)  # messages sent via the bot reach it even in groups
    if feedback:
        chosen: JSON = {"result_id": result_id, "from": user.to_json(), "query": record.query}
        if message.inline_message_id:
            chosen["inline_message_id"] = message.inline_message_id
        b.updates.push("chosen_inline_result", chosen)
    return payload


def migrate(
    b: Backend, chat_id: int, new_chat_id: int | None = None, *, notify: bool = True
) -> int:
    """Upgrade a group to a supergroup; the old id then answers "group chat was upgraded"."""
    chat = b.state.chats.get(chat_id)
    if chat is None or chat.type != "group":
        raise LookupError(f"{chat_id} is not a known basic group")
    new_id = new_chat_id if new_chat_id is not None else int(f"-100{abs(chat_id)}")
    new_chat = b.state.add_chat(
        Chat(new_id, "supergroup", title=chat.title, username=chat.username)
    )
    chat.status, chat.migrate_to = "migrated", new_id
    if notify:
        admin = _last_sender(b, chat_id) or b.state.user(1, first_name="Admin")
        for where, extra in (
            (chat, {"migrate_to_chat_id": new_id}),
            (new_chat, {"migrate_from_chat_id": chat_id}),
        ):
            service = b.state.add_message(where, admin, "", [], kind="service", extra=extra)
            b.updates.push("message", b.state.message_json(service))
    return new_id


def _last_sender(b: Backend, chat_id: int) -> User | None:
    users = [m.sender for m in b.state.messages.values() if m.chat_id == chat_id and not m.from_bot]
    return users[-1] if users else None
