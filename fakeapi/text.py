"""Message text the way Telegram stores it: UTF-16 offsets, cleaning, trimming, auto entities.

Mirrors tdlib's ``fix_formatted_text``: control characters become spaces, ``\\r`` and a
few invisible characters are removed, trailing spaces/newlines are cut, leading ones
are cut up to the first entity, and mentions, hashtags, cashtags, bot commands, URLs
and e-mails are detected and added as entities (as Telegram returns them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Entity = dict[str, Any]

# tdlib's sort priority: outer/structural entities first at equal offset and length.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
SPLITTABLE = frozenset({"bold", "italic", "underline", "strikethrough", "spoiler"})
BLOCKQUOTES = frozenset({"blockquote", "expandable_blockquote"})
_REMOVED = frozenset("\r\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u0333\u033f\u030a")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The part of ``text`` an entity (``offset``/``length`` in UTF-16 units) covers."""
    raw = text.encode("utf-16-le", "surrogatepass")
    return raw[2 * offset : 2 * (offset + length)].decode("utf-16-le", "surrogatepass")


def sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def _remap(entities: list[Entity], new_pos: list[int]) -> list[Entity]:
    """Move entity boundaries through ``new_pos`` (old UTF-16 offset -> new); drop empties."""
    out = []
    limit = len(new_pos) - 1
    for entity in entities:
        start = new_pos[min(entity["offset"], limit)]
        end = new_pos[min(entity["offset"] + entity["length"], limit)]
        if end > start:
            out.append({**entity, "offset": start, "length": end - start})
    return out


def clean(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """tdlib's ``clean_input_string``: control characters -> space, some characters removed."""
    if not any(ord(ch) < 32 or ch in _REMOVED for ch in text):
        return text, entities
    out: list[str] = []
    new_pos = [0]
    u16 = 0
    for ch in text:
        if ch in _REMOVED:
            new_pos.append(u16)
            continue
        if ord(ch) < 32 and ch != "\n":
            ch = " "
        out.append(ch)
        u16 += _units(ch)
        new_pos.extend([u16] * _units(ch))
    return "".join(out), _remap(entities, new_pos)


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Cut trailing spaces/newlines, and leading ones up to the first entity."""
    body = text.rstrip(" \n")
    if not body:
        return "", []
    end = utf16_len(body)
    kept = []
    for entity in entities:
        if entity["offset"] >= end:
            continue
        length = min(entity["length"], end - entity["offset"])
        kept.append({**entity, "length": length})
    kept = sort_entities(kept)
    first = kept[0]["offset"] if kept else len(body)
    lead = 0
    while lead < min(first, len(body)) and body[lead] in " \n":
        lead += 1
    if lead:
        body = body[lead:]
        kept = [{**e, "offset": e["offset"] - lead} for e in kept]
    return body, kept


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _hashtag_char(ch: str) -> bool:
    return ch.isalpha() or ch.isdecimal() or ch in "_\u200c\u00b7" or "\u0d80" <= ch <= "\u0dff"


_NAME = re.compile(r"[A-Za-z0-9_]*")
_CASHTAG = re.compile(r"1INCH|[A-Z]{1,8}")
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_TLDS = "com|org|net|io|ru|me|info|biz|dev|app|ai|co|uk|de|fr|eu|us|tv|ly|gl|gg|news|xyz"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?<![\w@.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{_TLDS})\b(?:[/?#][^\s<>\"]*)?",
    re.IGNORECASE,
)


def _before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _after(text: str, i: int) -> str:
    return text[i] if i < len(text) else ""


def _find_commands(text: str) -> Iterable[tuple[int, int, str]]:
    # tdlib: '/(?<!\b|[\/<>])\/([a-zA-Z0-9_]{1,64})(?:@([a-zA-Z0-9_]{3,32}))?(?!\B|[\/<>])/u'
    for m in re.finditer("/", text):
        i = m.start()
        prev = _before(text, i)
        if prev and (_word_char(prev) or prev in "/<>"):
            continue
        name_end = _NAME.match(text, i + 1)
        assert name_end is not None
        end = name_end.end()
        if not 1 <= end - i - 1 <= 64:
            continue
        if _after(text, end) == "@":
            bot = _NAME.match(text, end + 1)
            assert bot is not None
            if not 3 <= bot.end() - end - 1 <= 32:
                continue
            end = bot.end()
        nxt = _after(text, end)
        if nxt and (_word_char(nxt) or nxt in "/<>"):
            continue
        yield i, end, "bot_command"


def _find_mentions(text: str) -> Iterable[tuple[int, int, str]]:
    short_ok = {"gif", "wiki", "vid", "bing", "pic", "bold", "imdb", "coub", "like", "vote"}
    for m in re.finditer("@", text):
        i = m.start()
        if _word_char(_before(text, i) or " "):
            continue
        name = _NAME.match(text, i + 1)
        assert name is not None
        end = name.end()
        size = end - i - 1
        if not 2 <= size <= 32 or _word_char(_after(text, end) or " "):
            continue
        if size < 4 and text[i + 1 : end].lower() not in short_ok:
            continue
        yield i, end, "mention"


def _find_hashtags(text: str) -> Iterable[tuple[int, int, str]]:
    for m in re.finditer("#", text):
        i = m.start()
        if _hashtag_char(_before(text, i) or " "):
            continue
        end = i + 1
        while end < len(text) and _hashtag_char(text[end]):
            end += 1
        body = text[i + 1 : end]
        if not body or _after(text, end) == "#" or not any(ch.isalpha() for ch in body):
            continue
        yield i, min(end, i + 1 + 256), "hashtag"


def _find_cashtags(text: str) -> Iterable[tuple[int, int, str]]:
    for m in re.finditer(r"\$", text):
        i = m.start()
        prev = _before(text, i)
        if prev and (_hashtag_char(prev) or prev == "$"):
            continue
        tag = _CASHTAG.match(text, i + 1)
        if tag is None:
            continue
        nxt = _after(text, tag.end())
        if nxt and (_hashtag_char(nxt) or nxt == "$"):
            continue
        yield i, tag.end(), "cashtag"


def _find_links(text: str) -> Iterable[tuple[int, int, str]]:
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for start, end in emails:
        yield start, end, "email"
    for m in _URL.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in ".,;:!?'\")]":
            if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
                break
            end -= 1
        if not any(s < end and start < e for s, e in emails):
            yield start, end, "url"


def find_entities(text: str) -> list[Entity]:
    """Entities Telegram detects by itself in a bot's message text."""
    found: list[tuple[int, int, str]] = []
    for finder in (_find_commands, _find_mentions, _find_hashtags, _find_cashtags, _find_links):
        for start, end, kind in finder(text):
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, kind))
    prefix = [0]
    for ch in text:
        prefix.append(prefix[-1] + _units(ch))
    return sort_entities(
        {"type": kind, "offset": prefix[start], "length": prefix[end] - prefix[start]}
        for start, end, kind in found
    )


def merge_found(entities: list[Entity], found: list[Entity]) -> list[Entity]:
    """Add detected entities that do not cut through formatting that cannot be split."""
    result = list(entities)
    for new in found:
        a, b = new["offset"], new["offset"] + new["length"]
        clash = False
        for old in entities:
            c, d = old["offset"], old["offset"] + old["length"]
            if old["type"] in SPLITTABLE or not (a < d and c < b):
                continue
            if old["type"] in BLOCKQUOTES and c <= a and b <= d:
                continue
            clash = True
            break
        if not clash:
            result.append(new)
    return sort_entities(result)


def finish(text: str, entities: list[Entity], *, detect: bool = True) -> tuple[str, list[Entity]]:
    """Clean, trim and (for stored messages) add detected entities; ``""`` if nothing is left."""
    text, entities = clean(text, sort_entities(entities))
    text, entities = trim(text, entities)
    if text and detect:
        entities = merge_found(entities, find_entities(text))
    return text, entities
