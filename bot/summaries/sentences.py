"""Sentence splitting for article bodies: pysbd, with a fast path for one-sentence paragraphs."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence

import pysbd

# pysbd is quadratic in the number of sentences of a paragraph (~2 s for 12,000 characters of
# "1. 1. 1."); real paragraphs are far shorter, so longer ones get the plain regex splitter.
PYSBD_MAX_CHARS = 3_000

# Sentence punctuation and closing quotes/brackets that may end a paragraph.
_TAIL_CHARS = frozenset(".!?…\"'”’)]")
# Anything pysbd might treat as an internal boundary: sentence punctuation not followed by a word
# character ("1.5" and "bbc.co.uk" are fine, "said. The" and 'Stop."Go' are not), or a line break.
_INTERNAL_BOUNDARY = re.compile(r"[.!?](?!\w)|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# A piece opening with a lowercase word ("at", "and"; not a brand like "iPod" or "eBay").
_CONTINUATION = re.compile(r"[\"'“‘(]*[a-z]+\b")
# Quotes that close a sentence but start a piece: a space follows them, not a word.
_CLOSING_QUOTES = re.compile(r"[\"”’']+(?=\s)")
# Fallback splitter. The lookbehind and possessive quantifiers keep it linear on "......".
_REGEX_BOUNDARY = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s++(?![a-z])\S)")


@functools.lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # Building a Segmenter compiles many regexes; one per process is enough.
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(paragraphs: Sequence[str]) -> list[str]:
    """Split paragraphs into stripped sentences, keeping the original text of each."""
    return list(iter_sentences(paragraphs))


def iter_sentences(paragraphs: Iterable[str]) -> Iterator[str]:
    """Lazy `split_sentences`, for callers that only need the first sentences."""
    for paragraph in paragraphs:
        text = paragraph.strip()
        if not text:
            continue
        if _is_single_sentence(text):
            # pysbd costs ~2 ms a paragraph; with no internal boundary it is one sentence.
            yield text
        else:
            yield from _split_paragraph(text)


def _is_single_sentence(text: str) -> bool:
    end = len(text)
    while end and (text[end - 1] in _TAIL_CHARS or text[end - 1].isspace()):
        end -= 1
    return _INTERNAL_BOUNDARY.search(text, 0, end) is None


def _split_paragraph(text: str) -> list[str]:
    spans = None
    if len(text) <= PYSBD_MAX_CHARS:
        try:
            spans = _locate(text, _segmenter().segment(text))
        except Exception:  # pysbd is regex-heavy third-party code; never let it break a summary
            spans = None
    if spans is None:
        spans = _locate(text, _regex_split(text)) or [(0, len(text))]
    spans = _reattach_closing_quotes(text, spans)
    return [text[start:end] for start, end in _merge_continuations(text, spans)]


def _locate(text: str, segments: Sequence[str]) -> list[tuple[int, int]] | None:
    """Map segments back to (start, end) spans of `text`, or None if they do not tile it.

    pysbd uses private marker characters (e.g. "∯", "☉") and drops text that already contains
    them, so its output is trusted only if it covers the paragraph in order.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for segment in segments:
        piece = segment.strip()
        if not piece:
            continue
        found = text.find(piece, position)
        if found < 0 or text[position:found].strip():
            return None
        position = found + len(piece)
        spans.append((found, position))
    return spans if not text[position:].strip() else None


def _reattach_closing_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # pysbd cuts 'the club." It emerged' before the quote: a piece opening with quotes and then
    # a space opens with the previous sentence's closing quotes (an opening one touches its word).
    out: list[tuple[int, int]] = []
    for start, end in spans:
        closing = _CLOSING_QUOTES.match(text, start, end)
        if out and closing is not None and out[-1][1] <= start:
            out[-1] = (out[-1][0], closing.end())
            start = closing.end()
            while start < end and text[start].isspace():
                start += 1
            if start == end:
                continue
        out.append((start, end))
    return out


def _merge_continuations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # pysbd splits after titles and odd dots ('Shall We Dance? | at number three', 'The . | post
    # domain'); a piece opening with a lowercase word on the same line continues the previous one.
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _CONTINUATION.match(text, start) and "\n" not in text[merged[-1][1] : start]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _regex_split(text: str) -> list[str]:
    cuts = [match.end() for match in _REGEX_BOUNDARY.finditer(text)]
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]
