"""How text is folded and split into index terms: one rule for the search index and queries.

The tantivy index (storage.search_engine), its vocabulary and the query side must agree on it
exactly, or a corrected query word would not meet its article.
"""

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
    """The folded words of `text`, split on everything that is not a letter or digit."""
    return _WORD.findall(fold(text))
