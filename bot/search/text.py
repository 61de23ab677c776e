"""Folding and splitting text the way the search index does, so query words meet index terms."""

from __future__ import annotations

import unicodedata

from storage.folding import fold, words

__all__ = ["fold", "has_word", "typo_budget", "words"]


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


def typo_budget(word: str, *, known: bool = True) -> int:
    """Typos forgiven in a word: none up to 4 letters, one up to 8, two from 9 (as Meilisearch).

    `known=False`: a 4-letter word the corpus does not hold is most likely a longer word with a
    letter dropped ("sump" for slump, "oins" for joins): one typo then."""
    if len(word) == UNKNOWN_SHORT and not known:
        return 1
    if len(word) <= 4:
        return 0
    if len(word) <= 8:
        return 1
    return 2


UNKNOWN_SHORT = 4


def scripts(text: str) -> frozenset[str]:
    """The alphabets the text's letters are written in ("LATIN", "CYRILLIC", "GREEK", ...),
    by the first word of each letter's Unicode name."""
    found = set()
    for char in set(text):
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add(name.split(" ", 1)[0] if name else "OTHER")
    return frozenset(found)
