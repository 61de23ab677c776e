"""Users, chats and messages the fake knows, with edit history and change notifications."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fakeapi.errors import CHAT_NOT_FOUND, bad_request
from fakeapi.models import (
    JSON,
    Button,
    CallbackQuery,
    Chat,
    InlineQuery,
    MessageVersion,
    SentMessage,
    StoredMessage,
    User,
)
from fakeapi.notify import Notifier
from fakeapi.text import Entity

log = logging.getLogger("fakeapi")

Listener = Callable[[SentMessage, str], None]


def _buttons(markup: JSON | None) -> tuple[tuple[Button, ...], ...]:
    if not markup or "inline_keyboard" not in markup:
        return ()
    rows = []
    for row in markup["inline_keyboard"]:
        buttons = []
        for raw in row:
            kind = next((k for k in raw if k != "text"), "")
            buttons.append(
                Button(
                    text=raw["text"],
                    callback_data=raw.get("callback_data"),
                    url=raw.get("url"),
                    kind=kind,
                    raw=dict(raw),
                )
            )
        rows.append(tuple(buttons))
    return tuple(rows)


class State:
    """Everything about chats and messages; only touched from the server's event loop."""

    def __init__(self, bot: User, clock: Callable[[], float] = time.time) -> None:
        self.bot = bot
        self.clock = clock
        self.changed = Notifier()
        self.listeners: list[Listener] = []
        # Counters survive reset(): a bot that remembers ids must never see one reused.
        self.seq = 0
        self._next_message_id: dict[int, int] = {}
        self._next_query_id = 4_382_000_000_000_000_000
        self._next_inline_message_id = 1
        self._init_data()

    def _init_data(self) -> None:
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[tuple[int, int], StoredMessage] = {}
        self.inline_messages: dict[str, tuple[int, int]] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.inline_queries: dict[str, InlineQuery] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.chat_actions: list[tuple[int, str, float]] = []

    def reset(self) -> None:
        self._init_data()
        self.listeners.clear()
        self.tick()

    # --- events --------------------------------------------------------------------------

    def tick(self) -> int:
        """Advance the event counter and wake waiters; returns the new event number."""
        self.seq += 1
        self.changed.notify()
        return self.seq

    def new_query_id(self) -> str:
        self._next_query_id += 1
        return str(self._next_query_id)

    def _emit(self, message: StoredMessage, event: str) -> None:
        if not (message.from_bot or message.via_bot is not None) or not self.listeners:
            return
        snapshot = self.snapshot(message)
        for listener in list(self.listeners):
            try:
                listener(snapshot, event)
            except Exception:
                log.warning("on_bot_message listener failed", exc_info=True)

    # --- users and chats -----------------------------------------------------------------

    def user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> User:
        """The user with this id, created (or updated with the given fields) on demand."""
        user = self.users.get(user_id)
        if user is None:
            user = User(user_id, first_name or "Ann", username, language_code=language_code)
            self.users[user_id] = user
        else:
            user.first_name = first_name or user.first_name
            user.username = username or user.username
            user.language_code = language_code or user.language_code
        return user

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(user.id, "private", first_name=user.first_name, username=user.username)
            self.chats[user.id] = chat
        return chat

    def add_chat(self, chat: Chat) -> Chat:
        self.chats[chat.id] = chat
        return chat

    def find_chat(self, chat_ref: int | str) -> Chat:
        """The chat for a ``chat_id`` parameter (id or ``@username``), else 400 chat not found."""
        if isinstance(chat_ref, str) and chat_ref.startswith("@"):
            name = chat_ref[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name and chat.type != "private":
                    return chat
            raise bad_request(CHAT_NOT_FOUND)
        try:
            chat_id = int(chat_ref)
        except (TypeError, ValueError):
            raise bad_request(CHAT_NOT_FOUND) from None
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request(CHAT_NOT_FOUND)
        return found

    # --- messages ------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        # One id sequence per chat, shared by the users' and the bot's messages.
        value = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = value + 1
        return value

    def new_inline_message_id(self) -> str:
        self._next_inline_message_id += 1
        return f"AgAAAF{self._next_inline_message_id:010d}fake"

    def add_message(
        self,
        chat: Chat,
        sender: User,
        text: str,
        entities: list[Entity],
        *,
        parse_mode: str | None = None,
        reply_markup: JSON | None = None,
        reply_to: int | None = None,
        kind: str = "text",
        via_bot: User | None = None,
        extra: JSON | None = None,
    ) -> StoredMessage:
        now = self.clock()
        message = StoredMessage(
            chat_id=chat.id,
            message_id=self.next_message_id(chat.id),
            sender=sender,
            from_bot=sender.id == self.bot.id,
            date=int(now),
            text=text,
            entities=self.resolve_mentions(entities),
            parse_mode=parse_mode,
            reply_markup=reply_markup,
            seq=0,
            sent_at=now,
            kind=kind,
            reply_to=reply_to,
            via_bot=via_bot,
            extra=dict(extra or {}),
        )
        self.messages[(chat.id, message.message_id)] = message
        message.seq = message.last_seq = self.tick()
        self._emit(message, "sent")
        return message

    def get_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        message = self.messages.get((chat_id, message_id))
        return None if message is None or message.deleted else message

    def inline_message(self, inline_message_id: str) -> StoredMessage | None:
        key = self.inline_messages.get(inline_message_id)
        return self.get_message(*key) if key else None

    def edit_message(
        self,
        message: StoredMessage,
        *,
        text: str | None = None,
        entities: list[Entity] | None = None,
        parse_mode: str | None = None,
        reply_markup: JSON | None,
    ) -> None:
        """Replace content (text None keeps it); reply_markup None removes the keyboard."""
        now = self.clock()
        message.history.append(
            MessageVersion(
                message.text,
                tuple(message.entities),
                message.reply_markup,
                message.edited_at or message.sent_at,
            )
        )
        if text is not None:
            message.text = text
            message.entities = self.resolve_mentions(entities or [])
            message.parse_mode = parse_mode
        message.reply_markup = reply_markup
        message.edit_date = int(now)
        message.edited_at = now
        message.last_seq = self.tick()
        self._emit(message, "edited")

    def delete_message(self, message: StoredMessage) -> None:
        message.deleted = True
        message.last_seq = self.tick()
        self._emit(message, "deleted")

    def resolve_mentions(self, entities: list[Entity]) -> list[Entity]:
        """Fill in text_mention users; Telegram cannot mention a user it does not know."""
        out = []
        for entity in entities:
            if entity["type"] == "text_mention":
                user = self.users.get(int(entity["user"]["id"]))
                if user is None:
                    continue
                entity = {**entity, "user": user.to_json()}
            out.append(entity)
        return out

    def message_json(self, message: StoredMessage, *, nested: bool = True) -> JSON:
        """The Message object as the Bot API returns it."""
        chat = self.chats.get(message.chat_id) or Chat(message.chat_id, "private")
        data: JSON = {
            "message_id": message.message_id,
            "from": message.sender.to_json(),
            "chat": chat.to_json(),
            "date": message.date,
        }
        if message.reply_to is not None and nested:
            replied = self.messages.get((message.chat_id, message.reply_to))
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_json(replied, nested=False)
        if message.via_bot is not None:
            data["via_bot"] = message.via_bot.to_json()
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = [dict(e) for e in message.entities]
        elif message.text:
            data["caption"] = message.text
            if message.entities:
                data["caption_entities"] = [dict(e) for e in message.entities]
        data.update(message.extra)
        keyboard = message.inline_keyboard()
        if keyboard is not None:
            # Telegram only echoes inline keyboards; reply keyboards stay client-side.
            data["reply_markup"] = keyboard
        return data

    def snapshot(self, message: StoredMessage) -> SentMessage:
        return SentMessage(
            chat_id=message.chat_id,
            message_id=message.message_id,
            text=message.text,
            parse_mode=message.parse_mode,
            entities=tuple(dict(e) for e in message.entities),
            reply_markup=message.reply_markup,
            buttons=_buttons(message.reply_markup),
            edit_count=len(message.history),
            history=tuple(message.history),
            sent_at=message.sent_at,
            edited_at=message.edited_at,
            deleted=message.deleted,
            reply_to_message_id=message.reply_to,
            seq=message.seq,
            last_seq=message.last_seq,
            kind=message.kind,
            inline_message_id=message.inline_message_id,
            raw=self.message_json(message),
        )

    def bot_messages(
        self, chat_id: int | None = None, *, after: int = 0, include_deleted: bool = True
    ) -> list[StoredMessage]:
        return [
            m
            for m in self.messages.values()
            if m.from_bot
            and m.seq > after
            and (chat_id is None or m.chat_id == chat_id)
            and (include_deleted or not m.deleted)
        ]

    # --- commands ------------------------------------------------------------------------

    @staticmethod
    def scope_key(scope: Any) -> str:
        """A canonical key for a BotCommandScope object (None = default)."""
        if not scope:
            return "default"
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = str(scope["type"])
        simple = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
        if kind in simple:
            return kind
        if kind in ("chat", "chat_administrators"):
            return f"{kind}:{scope.get('chat_id')}"
        if kind == "chat_member":
            return f"{kind}:{scope.get('chat_id')}:{scope.get('user_id')}"
        raise bad_request("unsupported bot command scope type")
