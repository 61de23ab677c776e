"""Callback data for inline buttons: self-contained, at most 64 bytes, valid across restarts.

Every button says everything its press needs (which page of what, which article), so a button
on a message sent before a restart, or by another instance, still works. Button data comes from
the user's client and can be anything: `decode` is the one place that reads it, and it takes
only what `encode` could have made (numbers in range, known actions, ids of the right shape).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bot.i18n import LANGUAGES
from storage.short_ids import normalise_short_id

MAX_BYTES = 64
SEP = "|"
# Far past any list or page the bot shows: a bigger number was not made by us.
MAX_OFFSET = 100_000
MAX_LIMIT = 1_000
MAX_PAGE = 10_000
ACTIONS = frozenset({"latest", "subscribe", "noop"})
_BROADCAST = re.compile(r"bc_(ok|no):([0-9a-f]{1,32})")
# The /settings buttons and the values each may carry.
SETTINGS = {
    "time": range(-1439, 1440),  # minutes to shift the delivery by
    "size": range(1, 51),
    "topics": range(1),
    "off": range(1),
    "on": range(1),
    "ask_zone": range(1),
    "ask_topics": range(1),
    "ask_words": range(1),
    "no_words": range(1),
    "show": range(1),  # show the card of `chat` (switching between one's chats)
}
# A channel's id (-100 and up to 13 digits): the only chats a button may name.
_CHAT_ID = re.compile(r"-100[0-9]{1,13}")
# ASCII digits only: int() would also take "٣", "+3", " 3" and "1_000".
_NUMBER = re.compile(r"-?[0-9]{1,9}")
TOPIC_KEY_BYTES = 6  # 12 hex characters: collisions among a corpus's topics are negligible
_TOKEN = re.compile(f"[0-9a-f]{{{2 * TOPIC_KEY_BYTES}}}")


def topic_key(topic: str) -> str:
    """A short, stable stand-in for a topic name of any length, for button data."""
    return hashlib.blake2b(topic.encode(), digest_size=TOPIC_KEY_BYTES).hexdigest()


def topic_for_key(key: str, names: list[str]) -> str | None:
    """The topic a button's key stands for among the stored ones (buttons made before keys
    carried the name itself: that is taken too)."""
    for name in names:
        if key in (name, topic_key(name)):
            return name
    return None


@dataclass(frozen=True, slots=True)
class LatestPage:
    offset: int
    limit: int = 0  # how many of the newest to list; 0: all
    topic_key: str = ""  # `topic_key` of the topic; "": every article


@dataclass(frozen=True, slots=True)
class SearchPage:
    page: int
    query: str
    truncated: bool = False  # the query did not fit and was cut (buttons made before tokens)
    token: str = ""  # `query_token` of a query too long for the data: the query is stored


def query_token(query: str) -> str:
    """A short, stable stand-in for a search query too long for button data."""
    return hashlib.blake2b(query.encode(), digest_size=TOPIC_KEY_BYTES).hexdigest()


def query_fits(query: str) -> bool:
    """Whether a search page button can carry the query itself (at the largest page)."""
    return len(f"S{SEP}{MAX_PAGE}{SEP}{query}".encode()) <= MAX_BYTES


@dataclass(frozen=True, slots=True)
class OpenSummary:
    short_id: str


@dataclass(frozen=True, slots=True)
class OpenFullText:
    short_id: str


@dataclass(frozen=True, slots=True)
class Action:
    """A button that starts a command: `latest`, `subscribe`, `noop` and the like."""

    name: str


@dataclass(frozen=True, slots=True)
class BroadcastDecision:
    """The confirm or cancel button under an announcement waiting to go out."""

    send: bool
    token: str  # the prepared announcement's


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """A /settings button: `time` shifts the delivery by `value` minutes, `size` sets the size,
    `topics` (value 0) clears the topics, `off`/`on` stop or resume the digest. `chat`: the
    chat whose digest it changes, when not the one the button is in (a linked channel)."""

    action: str
    value: int = 0
    chat: int = 0


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """A button offering one timezone (an IANA name is at most 32 bytes)."""

    zone: str


@dataclass(frozen=True, slots=True)
class FeedButton:
    """A /feeds button: pause, resume or remove feed number `feed_id`."""

    action: str
    feed_id: int


FEED_ACTIONS = frozenset({"pause", "resume", "remove"})


@dataclass(frozen=True, slots=True)
class AlertButton:
    """An /alerts button: `cap` sets the hourly cap to `value`, `quiet_off` ends quiet hours,
    `unfollow` stops following follow number `value`."""

    action: str
    value: int


ALERT_ACTIONS = {"cap": range(1, 61), "quiet_off": range(1), "unfollow": range(1, 10**9)}


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """A /language button: the language to write to the chat in."""

    code: str


Callback = (
    LatestPage
    | SearchPage
    | OpenSummary
    | OpenFullText
    | Action
    | BroadcastDecision
    | SettingsChange
    | ZoneChoice
    | FeedButton
    | AlertButton
    | LanguageChoice
)


def _fit(prefix: str, text: str) -> tuple[str, bool]:
    """`prefix + text` cut to 64 bytes on a character boundary; True when something was cut."""
    room = MAX_BYTES - len(prefix.encode())
    data = text.encode()
    if len(data) <= room:
        return prefix + text, False
    return prefix + data[:room].decode("utf-8", errors="ignore").rstrip(), True


def encode(callback: Callback) -> str:
    match callback:
        case LatestPage(offset, limit, key):
            return f"L{SEP}{offset}{SEP}{limit}{SEP}{key}"
        case SearchPage(page, _, _, token) if token:
            return f"T{SEP}{page}{SEP}{token}"
        case SearchPage(page, query):
            data, cut = _fit(f"S{SEP}{page}{SEP}", query)
            return "T" + data[1:] if cut else data
        case OpenSummary(short_id):
            return f"M{SEP}{short_id}"
        case OpenFullText(short_id):
            return f"F{SEP}{short_id}"
        case Action(name):
            return f"A{SEP}{name}"
        case BroadcastDecision(send, token):
            return f"A{SEP}bc_{'ok' if send else 'no'}:{token}"
        case SettingsChange(action, value, 0):
            return f"G{SEP}{action}{SEP}{value}"
        case SettingsChange(action, value, chat):
            return f"G{SEP}{action}{SEP}{value}{SEP}{chat}"
        case ZoneChoice(zone):
            return f"Z{SEP}{zone}"
        case FeedButton(action, feed_id):
            return f"R{SEP}{action}{SEP}{feed_id}"
        case AlertButton(action, value):
            return f"W{SEP}{action}{SEP}{value}"
        case LanguageChoice(code):
            return f"N{SEP}{code}"
    raise TypeError(callback)


def _number(text: str, allowed: range) -> int | None:
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value in allowed else None


# The shape of an IANA name (or a stored fixed offset); the handler checks it is a real zone.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}|UTC[+-]\d{1,2}:\d{2}")


def decode(data: str | None) -> Callback | None:
    """The callback, or None for anything we did not make (old formats, forgeries)."""
    if not isinstance(data, str) or not data:
        return None
    try:
        size = len(data.encode())
    except UnicodeEncodeError:  # a lone surrogate: no client sends one
        return None
    if size > MAX_BYTES:
        return None
    kind, _, rest = data.partition(SEP)
    if kind == "L":
        offset, _, rest = rest.partition(SEP)
        limit, _, key = rest.partition(SEP)
        start = _number(offset, range(MAX_OFFSET + 1))
        count = _number(limit, range(MAX_LIMIT + 1))
        if start is None or count is None:
            return None
        return LatestPage(start, count, key)
    if kind in ("S", "T"):
        page, _, query = rest.partition(SEP)
        number = _number(page, range(MAX_PAGE + 1))
        if number is None:
            return None
        if kind == "T" and _TOKEN.fullmatch(query):  # a stored query's token
            return SearchPage(number, "", token=query)
        # T with text: a button from before tokens, with the query cut to fit
        return SearchPage(number, query, truncated=kind == "T")
    if kind == "G":
        action, _, rest = rest.partition(SEP)
        value, _, chat = rest.partition(SEP)
        allowed = SETTINGS.get(action)
        number = None if allowed is None else _number(value, allowed)
        chat_id = int(chat) if _CHAT_ID.fullmatch(chat) else None if chat else 0
        if number is None or chat_id is None:
            return None
        return SettingsChange(action, number, chat_id)
    if kind == "R":
        action, _, value = rest.partition(SEP)
        feed_id = _number(value, range(1, 10**9))
        if action not in FEED_ACTIONS or feed_id is None:
            return None
        return FeedButton(action, feed_id)
    if kind == "W":
        action, _, value = rest.partition(SEP)
        allowed = ALERT_ACTIONS.get(action)
        number = None if allowed is None else _number(value, allowed)
        return None if number is None else AlertButton(action, number)
    if kind in ("M", "F"):
        short_id = normalise_short_id(rest) if rest == rest.strip() else None
        if short_id is None:
            return None
        return OpenSummary(short_id) if kind == "M" else OpenFullText(short_id)
    if kind == "A" and rest in ACTIONS:
        return Action(rest)
    if kind == "A" and (decision := _BROADCAST.fullmatch(rest)):
        return BroadcastDecision(decision.group(1) == "ok", decision.group(2))
    if kind == "N" and rest in LANGUAGES:
        return LanguageChoice(rest)
    if kind == "Z" and _ZONE_NAME.fullmatch(rest):
        return ZoneChoice(rest)
    return None


def needs_chat(callback: Callback) -> bool:
    """Whether the press must come from a chat (not a message posted inline): everything but
    the pages, which edit the message they sit on, and the page-number button."""
    return not isinstance(callback, LatestPage | SearchPage) and callback != Action("noop")
