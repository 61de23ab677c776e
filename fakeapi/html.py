"""Telegram's HTML parse mode, ported from tdlib's ``parse_html`` (MessageEntity.cpp).

The port is deliberately literal: same scanning rules, same error texts and byte
offsets, same quirks (a bare ``&`` or an unknown ``&name;`` is kept as text, a
value-less attribute is ignored, ``</>`` closes the innermost tag).  Offsets and
lengths of entities are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

from typing import Any

from fakeapi.errors import ApiError
from fakeapi.links import check_link, link_user_id
from fakeapi.text import sort_entities

_SPACES = frozenset(" \t\r\n\0\v")
_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class EntityParseError(ApiError):
    """Telegram's 400 answer for text that does not parse in the chosen parse mode."""

    def __init__(self, reason: str) -> None:
        super().__init__(400, f"Bad Request: can't parse entities: {reason}")
        self.reason = reason


def _ascii_lower(value: str) -> str:
    # tdlib lowers ASCII only; str.lower() would change e.g. "İ" and its length.
    return value.translate(_LOWER)


def decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at ``text[pos] == "&"``: (char, end) or None."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        digits = _HEX if end < n and text[end] == "x" else _DIGITS
        base = 16 if digits is _HEX else 10
        if base == 16:
            end += 1
        start = end
        while end < n and text[end] in digits:
            end += 1
        code = int(text[start:end], base) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        while end < n and text[end] in _ALPHA:
            end += 1
        named = _NAMED.get(text[pos + 1 : end])
        if named is None:
            return None  # unsupported named entity: Telegram keeps "&" as text
        char = named
    if end < n and text[end] == ";":
        end += 1
    return char, end


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)

    def at(self, i: int) -> str:
        # tdlib reads a NUL-terminated buffer: past the end is "\0".
        return self.text[i] if i < self.n else "\0"

    def byte_offset(self, i: int) -> int:
        return len(self.text[:i].encode("utf-8", "surrogatepass"))

    def fail(self, reason: str) -> EntityParseError:
        return EntityParseError(reason)

    def start_tag(self, begin: int) -> tuple[int, str, str]:
        """Parse ``<tag attrs>`` starting at ``begin``; return (index of '>', tag, argument)."""
        at = self.at
        i = begin + 1
        while at(i) not in _SPACES and at(i) != ">":
            i += 1
        if at(i) == "\0":
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = _ascii_lower(self.text[begin + 1 : i])
        where = f"at byte offset {self.byte_offset(begin)}"
        if tag not in _TAGS:
            raise self.fail(f'Unsupported start tag "{tag}" {where}')
        argument = ""
        while at(i) != ">":
            while at(i) != "\0" and at(i) in _SPACES:
                i += 1
            if at(i) == ">":
                break
            name_begin = i
            while at(i) not in _SPACES and at(i) not in "=>/\"'":
                i += 1
            name = self.text[name_begin:i]
            if not name:
                raise self.fail(f'Empty attribute name in the tag "{tag}" {where}')
            while at(i) != "\0" and at(i) in _SPACES:
                i += 1
            if at(i) != "=":
                if at(i) == "\0":
                    raise self.fail(f'Unclosed start tag "{tag}" {where}')
                if tag == "blockquote" and name == "expandable":
                    argument = "1"
                continue
            i += 1
            while at(i) != "\0" and at(i) in _SPACES:
                i += 1
            if at(i) == "\0":
                raise self.fail(f'Unclosed start tag "{tag}" {where}')
            value, i = self.attribute_value(i)
            if at(i) == "\0":
                raise self.fail(f"Unclosed start tag {where}")
            if tag == "a" and name == "href":
                argument = value
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value[9:]
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value[3:]
            elif tag == "tg-emoji" and name == "emoji-id":
                argument = value
            elif tag == "blockquote" and name == "expandable":
                argument = "1"
        if tag == "span" and argument != "spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" {where}')
        return i, tag, argument

    def attribute_value(self, i: int) -> tuple[str, int]:
        at = self.at
        quote = at(i)
        if quote not in "'\"":
            # A name token: letters, digits, periods, hyphens; case-insensitive.
            start = i
            while at(i) in _ALNUM or at(i) in ".-":
                i += 1
            if at(i) not in _SPACES and at(i) != ">":
                raise self.fail(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return _ascii_lower(self.text[start:i]), i
        i += 1
        parts: list[str] = []
        while at(i) != quote and at(i) != "\0":
            if at(i) == "&":
                decoded = decode_entity(self.text, i)
                if decoded is not None:
                    parts.append(decoded[0])
                    i = decoded[1]
                    continue
            parts.append(self.text[i])
            i += 1
        if at(i) == quote:
            i += 1
        return "".join(parts), i

    def end_tag(self, begin: int, open_tag: str) -> int:
        at = self.at
        i = begin + 2
        while at(i) not in _SPACES and at(i) != ">":
            i += 1
        name = _ascii_lower(self.text[begin + 2 : i])
        while at(i) in _SPACES and at(i) != "\0":
            i += 1
        offset = self.byte_offset(begin)
        if at(i) != ">":
            raise self.fail(f"Unclosed end tag at byte offset {offset}")
        if name and name != open_tag:
            raise self.fail(
                f'Unmatched end tag at byte offset {offset}, expected "</{open_tag}>", '
                f'found "</{name}>"'
            )
        return i


def _entity(tag: str, argument: str, offset: int, length: int, inner: str) -> dict[str, Any] | None:
    base: dict[str, Any] = {"offset": offset, "length": length}
    if tag in _SIMPLE:
        return {"type": _SIMPLE[tag], **base}
    if tag == "tg-emoji":
        if not argument.isdigit() or not 0 < int(argument) < 2**63:
            raise EntityParseError("Invalid custom emoji identifier specified")
        return {"type": "custom_emoji", **base, "custom_emoji_id": argument}
    if tag == "a":
        url = argument or inner
        user_id = link_user_id(url)
        if user_id is not None:
            # Filled in with the user's details (or dropped) by the message layer.
            return {"type": "text_mention", **base, "user": {"id": user_id}}
        checked = check_link(url)
        return {"type": "text_link", **base, "url": checked} if checked else None
    if tag == "blockquote":
        kind = "expandable_blockquote" if argument else "blockquote"
        return {"type": kind, **base}
    raise AssertionError(tag)  # pre/code are handled by the caller


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML; return (plain text, entities) or raise EntityParseError."""
    p = _Parser(text)
    out: list[str] = []
    u16 = 0
    entities: list[dict[str, Any]] = []
    # (tag, argument, utf16 offset, index into `out`) for each open tag
    stack: list[tuple[str, str, int, int]] = []
    code_language: dict[int, str] = {}  # id(code entity) -> language, until its <pre> closes
    has_surrogates = False
    i = 0
    while i < p.n:
        c = text[i]
        if c == "&":
            decoded = decode_entity(text, i)
            if decoded is not None:
                char, i = decoded
                has_surrogates |= 0xD800 <= ord(char) <= 0xDFFF
                out.append(char)
                u16 += 2 if ord(char) > 0xFFFF else 1
                continue
        if c != "<":
            out.append(c)
            u16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        if p.at(i + 1) != "/":
            i, tag, argument = p.start_tag(begin)
            stack.append((tag, argument, u16, len(out)))
            i += 1
            continue
        if not stack:
            raise p.fail(f"Unexpected end tag at byte offset {p.byte_offset(begin)}")
        tag, argument, start, out_index = stack[-1]
        i = p.end_tag(begin, tag) + 1
        stack.pop()
        if u16 <= start:
            continue  # empty entities are dropped
        length = u16 - start
        last = entities[-1] if entities else None
        same_span = last is not None and last["offset"] == start and last["length"] == length
        if tag == "pre":
            if (
                same_span
                and last is not None
                and last["type"] == "code"
                and id(last) in code_language
            ):
                last["type"] = "pre"
                last["language"] = code_language.pop(id(last))
            else:
                entities.append({"type": "pre", "offset": start, "length": length})
        elif tag == "code":
            if same_span and last is not None and last["type"] == "pre" and argument:
                last["language"] = argument
            else:
                entity = {"type": "code", "offset": start, "length": length}
                entities.append(entity)
                if argument:
                    code_language[id(entity)] = argument
        else:
            made = _entity(tag, argument, start, length, "".join(out[out_index:]))
            if made is not None:
                entities.append(made)
    if stack:
        raise p.fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    plain = "".join(out)
    if has_surrogates:
        plain = _join_surrogates(plain)
    return plain, sort_entities(entities)


def _join_surrogates(text: str) -> str:
    # Numeric references may spell a surrogate pair; a lone half is an error, as in tdlib.
    try:
        joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        joined.encode("utf-8")
    except UnicodeError:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        ) from None
    return joined
