"""One-line snippets that show why an article matched, with the matched words marked."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.search.text import fold

_WORD = re.compile(r"[^\W_]+")
# A sentence ends at . ! or ? (closing quotes or brackets may follow), then space, then what can
# start a sentence: not a lower-case letter. pysbd (the summaries' splitter) costs milliseconds
# a paragraph, too much for every search result; this is the cheap rule plus the commonest
# exceptions: a period after a title, an initial or a dotted abbreviation ends no sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?![a-z])")
# Words whose period ends no sentence: titles and common abbreviations (any case).
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "gen",
        "gov",
        "sen",
        "rep",
        "pres",
        "lt",
        "col",
        "sgt",
        "capt",
        "adm",
        "rev",
        "hon",
        "vs",
        "etc",
        "inc",
        "ltd",
        "corp",
        "dept",
        "mt",
        "ft",
        "approx",
        "fig",
    ]
)
_LONGEST_TITLE = max(map(len, _TITLES))


def _ends_no_sentence(paragraph: str, period: int, start: int) -> bool:
    """Whether the period at `period` follows a title ("Dr.") or an initial ("J.", the "S" of
    "U.S."): the run of word characters just before it decides, so each check looks back a
    few characters at most (a check from the sentence's start made "A. A. A. ..." quadratic)."""
    first = period
    while first > start and period - first <= _LONGEST_TITLE:
        before = paragraph[first - 1]
        if not (before.isalnum() or before == "_"):
            break
        first -= 1
    else:
        if first > start:
            return False  # a longer word than any title
    word = paragraph[first:period]
    if len(word) == 1:
        return word.isalpha()
    return word.lower() in _TITLES


Segments = list[tuple[str, bool]]  # (text, is a matched word)


def _mark(text: str, terms: Collection[str]) -> tuple[Segments, int]:
    """Split text into plain and matched runs; also count the distinct terms it holds."""
    segments: Segments = []
    seen: set[str] = set()
    last = 0
    for found in _WORD.finditer(text):
        folded = fold(found.group())
        if folded in terms:
            seen.add(folded)
            if found.start() > last:
                segments.append((text[last : found.start()], False))
            segments.append((found.group(), True))
            last = found.end()
    if last < len(text):
        segments.append((text[last:], False))
    return segments, len(seen)


def sentences(paragraph: str) -> list[str]:
    """The paragraph cut into sentences (cheaply: see _SENTENCE_END), every character kept."""
    found: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(paragraph):
        if paragraph[end.start()] == "." and _ends_no_sentence(paragraph, end.start(), start):
            continue
        found.append(paragraph[start : end.end()])
        start = end.end()
    found.append(paragraph[start:])
    return found


def _clip(text: str, terms: Collection[str], width: int) -> str:
    """Cut a long sentence to `width` characters around its first matched word."""
    if len(text) <= width:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if fold(m.group()) in terms), 0)
    start = max(0, min(first - width // 4, len(text) - width))
    # Cut on spaces so no word is halved.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def snippet(paragraphs: list[str], terms: Collection[str], width: int = 160) -> Segments:
    """The body sentence that holds the most matched terms (the lead when none), marked."""
    best_text = ""
    best_count = -1
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            _, count = _mark(sentence, terms)
            if count > best_count:
                best_text, best_count = sentence, count
                if count == len(terms):
                    break
        if best_count == len(terms) and best_count > 0:
            break
    segments, _ = _mark(_clip(best_text.strip(), terms, width), terms)
    return segments
