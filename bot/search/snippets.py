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
_NOT_AN_END = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|prof|st|sr|jr|gen|gov|sen|rep|pres|lt|col|sgt|capt|adm|rev|hon|"
    r"vs|etc|inc|ltd|corp|dept|mt|ft|approx|fig)|(?<![^\W_])[^\W\d_](?:\.[^\W\d_])*)\.$",
    re.IGNORECASE,
)

_ABBREVIATION_WINDOW = 16  # longer than any title above ("approx.")

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
        # Only the text just before the period can make it no end: looking back from the
        # sentence's start instead made "A. A. A. ..." quadratic (each initial rescanned it all).
        # A dotted run longer than the window is still matched, by its tail.
        window = max(start, end.start() + 1 - _ABBREVIATION_WINDOW)
        if paragraph[end.start()] == "." and _NOT_AN_END.search(paragraph, window, end.start() + 1):
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
