"""Records the fake keeps, and the read-only snapshots the control API hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakeapi.text import Entity

JSON = dict[str, Any]


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class Chat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    # What Telegram would answer the bot for this chat: "ok", "blocked", "deactivated",
    # "kicked" or "migrated" (then ``migrate_to`` holds the supergroup id).
    status: str = "ok"
    migrate_to: int | None = None

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class Button:
    """One inline keyboard button: its text and its action (callback data, URL, ...)."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    kind: str = ""  # the action field: "callback_data", "url", "switch_inline_query", ...
    raw: JSON = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class MessageVersion:
    """A message's content before an edit (or its current content)."""

    text: str
    entities: tuple[Entity, ...]
    reply_markup: JSON | None
    at: float


@dataclass
class StoredMessage:
    """A message in a chat: sent by the bot, or injected as the user's."""

    chat_id: int
    message_id: int
    sender: User
    from_bot: bool
    date: int
    text: str
    entities: list[Entity]
    parse_mode: str | None
    reply_markup: JSON | None
    seq: int
    sent_at: float
    kind: str = "text"  # "text" or "photo" (then text is the caption)
    last_seq: int = 0
    edit_date: int | None = None
    edited_at: float | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    reply_to: int | None = None
    via_bot: User | None = None
    inline_message_id: str | None = None
    extra: JSON = field(default_factory=dict)

    def inline_keyboard(self) -> JSON | None:
        markup = self.reply_markup
        return markup if markup and "inline_keyboard" in markup else None


@dataclass(frozen=True)
class SentMessage:
    """A snapshot of a message the bot sent, in its current state after edits."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    entities: tuple[Entity, ...]
    reply_markup: JSON | None
    buttons: tuple[tuple[Button, ...], ...]
    edit_count: int
    history: tuple[MessageVersion, ...]  # earlier versions, oldest first
    sent_at: float  # time.time() when the bot sent it
    edited_at: float | None
    deleted: bool
    reply_to_message_id: int | None
    seq: int  # event number when sent; compare with a mark()
    last_seq: int  # event number of the last change (send, edit or delete)
    kind: str
    inline_message_id: str | None
    raw: JSON = field(compare=False, repr=False)  # the Message object Telegram would return

    @property
    def all_buttons(self) -> list[Button]:
        return [b for row in self.buttons for b in row]

    @property
    def callback_data(self) -> list[str]:
        return [b.callback_data for b in self.all_buttons if b.callback_data is not None]

    def button(self, text: str | None = None, *, data: str | None = None) -> Button:
        """The first button whose text contains ``text`` / whose callback data is ``data``."""
        for b in self.all_buttons:
            if (text is None or text in b.text) and (data is None or b.callback_data == data):
                return b
        raise LookupError(f"no button text~{text!r} data={data!r} in {self.all_buttons}")


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made, and how the fake answered it."""

    method: str
    params: JSON
    status: int | None  # HTTP status; None when the connection was cut before answering
    description: str | None  # the error description (None when ok)
    started: float
    duration: float
    # Why it failed, when not because of the request itself: "fail_next", "chat_status",
    # "unreachable", "random:<kind>" (asked for by the test), "flood" (the bot sent too
    # fast) or "fakeapi_bug".
    fault: str | None = None
    delivered: bool | None = None  # for a faulted sending call: did the message still arrive?

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def injected(self) -> bool:
        """True for errors the test asked for (not caused by what the bot sent)."""
        fault = self.fault or ""
        return fault in ("fail_next", "chat_status", "unreachable") or fault.startswith("random:")


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    at: float


@dataclass(frozen=True)
class InlineAnswer:
    query_id: str
    results: tuple[JSON, ...]
    next_offset: str
    cache_time: int
    is_personal: bool
    button: JSON | None
    at: float

    @property
    def ids(self) -> list[str]:
        return [str(r["id"]) for r in self.results]


@dataclass
class CallbackQuery:
    id: str
    user: User
    chat_id: int | None
    message_id: int | None
    inline_message_id: str | None
    data: str
    answer: CallbackAnswer | None = None


@dataclass
class InlineQuery:
    id: str
    user: User
    query: str
    offset: str
    chat_type: str
    answer: InlineAnswer | None = None


@dataclass(frozen=True)
class WebhookDelivery:
    update_id: int
    url: str
    status: int | None  # the receiver's HTTP status, None when it could not be reached
    error: str | None
    at: float

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class RateStats:
    """What the bot achieved, measured over every accepted message-sending call."""

    accepted: int
    rejected_429: int
    max_per_second: int  # over all chats, in any sliding 1 s window
    max_per_second_by_chat: dict[int, int]  # per chat, any sliding 1 s window
    max_per_minute_by_group: dict[int, int]  # per group chat, any sliding 60 s window
    times: dict[int, tuple[float, ...]]  # accepted send times per chat (time.monotonic())
    paid_broadcast: int = 0  # accepted with allow_paid_broadcast, 0.1 Telegram Stars each

    @property
    def stars_spent(self) -> float:
        return round(self.paid_broadcast * 0.1, 1)
