"""Telegram HTML basics: escaping, measuring and splitting messages."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units of the text after entity parsing
_TAG = re.compile(r"<[^>]*>")


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
