"""Folding and splitting text the way the full-text index does, so query words meet index terms."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _strip_accents(run: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", run.group())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case without accents: 'Zürich' and 'zurich' are the same word."""
    text = text.casefold()
    # Only the non-ASCII runs need the slow path; most news text has a handful.
    return text if text.isascii() else _NON_ASCII.sub(_strip_accents, text)


def words(text: str) -> list[str]:
    """The folded words of `text`, split on everything that is not a letter or digit (as FTS5)."""
    return _WORD.findall(fold(text))


def has_word(folded: str, term: str) -> bool:
    """Whether `term` stands in folded text as a whole word: a substring scan, no tokenising."""
    start = folded.find(term)
    while start >= 0:
        end = start + len(term)
        if (start == 0 or not folded[start - 1].isalnum()) and (
            end == len(folded) or not folded[end].isalnum()
        ):
            return True
        start = folded.find(term, start + 1)
    return False


def typo_budget(word: str) -> int:
    """Typos forgiven in a word: none up to 4 letters, one up to 8, two from 9 (as Meilisearch)."""
    if len(word) <= 4:
        return 0
    if len(word) <= 8:
        return 1
    return 2
