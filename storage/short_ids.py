"""Short article ids people can type: six characters from an alphabet without look-alikes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

# No 0/o, 1/l/i: an id read aloud or copied by hand still works.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 6
_CANDIDATES = 8


def short_id_candidates(key: str) -> Iterator[str]:
    """Ids derived from an article's stable key (its seed file's path in the seed folder),
    first choice first.

    Deriving them (rather than drawing at random) gives the same article the same id in a fresh
    database, so links people shared keep working after a rebuild; from the path rather than
    the text, so an article edited since it was first loaded gets the id it had, too. The later
    candidates settle the rare collision.
    """
    # Made one at a time: the first is nearly always free.
    for salt in range(_CANDIDATES):
        number = int.from_bytes(hashlib.sha256(f"{salt}:{key}".encode()).digest()[:8], "big")
        chars = []
        for _ in range(LENGTH):
            number, index = divmod(number, len(ALPHABET))
            chars.append(ALPHABET[index])
        yield "".join(chars)


def text_short_id(content_hash: str) -> str:
    """The id an article's text gave it before ids came from seed file paths (the first
    candidate of its content hash): kept so links shared then still open the article."""
    return next(short_id_candidates(content_hash))


def normalise_short_id(text: str) -> str | None:
    """The id as stored, or None when `text` cannot be one (so no query is wasted on it)."""
    text = text.strip().lower()
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text
