"""Telegram HTML basics: escaping, measuring and splitting messages."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units of the text after entity parsing
MAX_ECHO = 100  # characters of a user's own text quoted back in a reply
ELLIPSIS = "…"
_TAG = re.compile(r"<[^>]*>")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def esc(text: str) -> str:
    """Text made safe for HTML parse mode; one stray '<' would fail the whole send."""
    return html.escape(text, quote=False)


def clean(text: str) -> str:
    """Text without control characters (Telegram drops or rejects some), then escaped."""
    return esc("".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ch != "\x7f")))


def bold(text: str) -> str:
    return f"<b>{clean(text)}</b>"


def visible_length(markup: str) -> int:
    """Length as Telegram counts it: tags removed, entities decoded, in UTF-16 code units."""
    return len(html.unescape(_TAG.sub("", markup)).encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word end with an ellipsis."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    cut = window.rsplit(" ", 1)[0] if " " in window.strip() else window
    return cut.rstrip() + ELLIPSIS


def echo(text: str, limit: int = MAX_ECHO) -> str:
    """What a user typed, quoted back in a reply: one line, at most `limit` characters, cut
    with an ellipsis. Plain text: the reply escapes it with the rest."""
    return clip(" ".join(text[: limit * 4].split()), limit)


def _balanced(markup: str) -> bool:
    open_tags: list[str] = []
    for closing, name in _TAG_NAME.findall(markup):
        if not closing:
            open_tags.append(name.lower())
        elif not open_tags or open_tags.pop() != name.lower():
            return False
    return not open_tags


def fit(markup: str, limit: int = MAX_MESSAGE) -> str:
    """A message's markup within Telegram's limit: whole lines from the end are dropped for an
    ellipsis (a first line too long on its own keeps its words, without the formatting).

    The renderers keep their messages short; this is the net under every one of them, so no
    text from a seed or a user can make a reply Telegram refuses.
    """
    if visible_length(markup) <= limit:
        return markup
    kept: list[str] = []
    used = len(ELLIPSIS) + 1
    for line in markup.split("\n"):
        size = visible_length(line) + 1
        if used + size > limit:
            break
        kept.append(line)
        used += size
    text = "\n".join(kept).rstrip()
    if text and _balanced(text):
        return text + "\n" + ELLIPSIS
    plain = html.unescape(_TAG.sub("", markup))
    # UTF-16 units: an astral character counts twice, so clip by the worst case.
    return esc(clip(plain, (limit - len(ELLIPSIS)) // 2))


def join_within(blocks: Iterable[str], *, limit: int = MAX_MESSAGE, sep: str = "\n\n") -> list[str]:
    """Pack blocks of markup into as few messages as fit, never splitting a block.

    A block longer than the limit on its own must be split by the caller first (see
    `split_text`), since only the caller knows where its markup may be cut.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = current + sep + block if current else block
        if current and visible_length(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def split_text(text: str, limit: int) -> list[str]:
    """Cut plain text into pieces of at most `limit` UTF-16 units, at sentence or word ends."""
    pieces: list[str] = []
    while len(text.encode("utf-16-le")) // 2 > limit:
        window = text[:limit]
        # Astral characters count twice: shrink until the window fits.
        while len(window.encode("utf-16-le")) // 2 > limit:
            window = window[:-1]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
        cut = cut + 1 if cut > limit // 2 else window.rfind(" ")
        if cut <= 0:
            cut = len(window)
        pieces.append(text[:cut].strip())
        text = text[cut:].lstrip()
    if text.strip():
        pieces.append(text.strip())
    return pieces


def counted(number: int, noun: str) -> str:
    """`1 file`, `2 files`: the nouns we count all take a plain -s."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
