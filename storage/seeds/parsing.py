"""Seed file -> ParsedArticle, or a Rejection with a one-line reason. Pure; never raises.

Three layouts, told apart from the text itself (and saved web pages, `.html`, read by
storage/seeds/html_pages.py):
- JSON: an object with title, body, published_at, source, url, topics.
- Wire page: optional date line, title, navigation furniture, then "GENEVA (AP) -- text...",
  ending at the copyright line.
- Plain: title line, blank line, paragraphs separated by blank lines (the BBC files).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from storage.seeds.dates import parse_date_line, parse_iso, resolve
from storage.seeds.decoding import clean_text, decode_seed
from storage.seeds.html_pages import looks_like_html, parse_html_page
from storage.seeds.records import ParsedArticle, Rejection, RejectionKind, rejection

MAX_TITLE_CHARS = 300

AGENCIES = {"AP": "The Associated Press", "Reuters": "Reuters", "AFP": "Agence France-Presse"}

# "GENEVA (AP) -- ", "RIO DE JANEIRO (AP) -- ", "LONDON (Reuters) - ", "PARIS (AFP) — ".
# Every part is bounded, so trying it costs the same on a line of any length; the story text is
# the rest of the line.
_LEAD_IN = re.compile(
    r"(?P<dateline>[A-Z][^()]{0,59}?)\s{0,9}\((?P<agency>AP|Reuters|AFP)\)\s{0,9}(?:--|[-–—])"
)
# "© 2017 The Associated Press. All rights reserved. ..." (also "(c)", "Copyright ©", "2016-2017").
_COPYRIGHT = re.compile(
    r"(?:Copyright\s*)?(?:©|\([cC]\))\s*(?:\d{4}\s*[-–]\s*)?(?P<year>\d{4})\b[\s,]*(?P<holder>.*)"
)
_SENTENCE_BREAK = re.compile(r"\.\s")
_SECTION = re.compile(r"(?P<name>\S.{0,40}?) Video")  # "World Video"
_TOPICS = (
    re.compile(r"Latest (?P<name>\S.{0,60}?) News"),  # "Latest Syria News"
    re.compile(r"(?P<name>\S.{0,60}?) Under Scrutiny"),  # "Syria Under Scrutiny"
)
# Page furniture that can trail the story when there is no copyright line to stop at.
_WIRE_FURNITURE = frozenset({"Latest News", "Buy AP Photo Reprints", "Advertisement"})
# Wire page furniture before the lead-in (each line is collapsed and cut to these lengths before
# a pattern sees it, so none of them costs more than a constant per line).
_MAX_FURNITURE = 80  # lines before the lead-in
_MAX_CAPTION = 600
_MAX_HEADLINE = 160
_PHOTO_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|Getty Images|EPA)\b[^()]{0,80}\)$|\b(?:AP|AFP|Reuters) Photo\b"
    r"|\b(?:AP|AFP|Reuters)/[A-Z]|^(?:Photo|Image|Picture)s?(?: credit)?:",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:By|BY|From) [A-Z]")
_CONTRIBUTOR = re.compile(r"\b(?:writers?|correspondents?|reporters?)\b.{0,120}\bcontributed\b")
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,3}$")
# One sentence ending and another beginning: "He spoke. She left." (not "U.S. envoy", "Mr. X").
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z]")
# Character references with their semicolon only: "AT&T" and "&copy" without one stay text.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HAS_TEXT = re.compile(r"[^\W_]")  # a letter or digit


class _Rejected(Exception):
    """Internal: carries a rejection out of nested helpers."""

    def __init__(self, kind: RejectionKind, /, **values: str | int) -> None:
        super().__init__(kind.value)
        self.rejection = rejection(kind, **values)


def parse_seed(
    data: bytes, *, name: str = "", now: datetime | None = None
) -> ParsedArticle | Rejection:
    """Parse one seed file.

    `name` is the file name; the caller puts it next to the reason in its messages (the reason
    itself stays the same for every file). `now` (aware UTC) only dates a date line without a year.
    """
    text = decode_seed(data)
    if isinstance(text, Rejection):
        return text
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if looks_like_html(text, name):  # a saved web page: its main text, by trafilatura
        return parse_html_page(text)
    try:
        if text.lstrip().startswith("{"):
            return _parse_json(text)
        return _parse_text(text, now)
    except _Rejected as rejected:
        return rejected.rejection


# --- text layouts (wire and plain) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Copyright:
    year: int
    holder: str | None


def _parse_text(text: str, now: datetime) -> ParsedArticle:
    lines = [line.strip() for line in text.split("\n")]
    filled = [i for i, line in enumerate(lines) if line]
    if not filled:
        raise _Rejected(RejectionKind.BLANK)
    date_line = lines[filled[0]]
    try:
        date = parse_date_line(date_line)
    except ValueError as error:
        raise _Rejected(
            RejectionKind.BAD_DATE_LINE, line=_quoted(date_line), detail=str(error)
        ) from error
    if date is not None:
        filled = filled[1:]
        if not filled:
            raise _Rejected(RejectionKind.NO_TITLE_AFTER_DATE)
    title = lines[filled[0]]
    if lead := _lead_in(title):
        raise _Rejected(
            RejectionKind.NO_TITLE_BEFORE_LEAD, dateline=lead.dateline, agency=lead.agency
        )
    body, copyright = _split_copyright(lines[filled[0] + 1 :])

    source = copyright.holder if copyright else None
    dateline = section = None
    topics: tuple[str, ...] = ()
    found = _find_lead_in(body)
    if found is not None:
        index, lead = found
        source = AGENCIES[lead.agency]
        dateline = lead.dateline.rstrip(" ,")
        section, topics = _read_furniture(body[:index])
        body = [lead.text, *body[index + 1 :]]

    published_at = None
    if date is not None:
        try:
            published_at = resolve(date, year=copyright.year if copyright else None, now=now)
        except ValueError as error:
            raise _Rejected(
                RejectionKind.BAD_DATE_LINE, line=_quoted(date_line), detail=str(error)
            ) from error

    paragraphs = _paragraphs(body)
    if found is not None:
        paragraphs = tuple(p for p in paragraphs if p not in _WIRE_FURNITURE)
    return ParsedArticle(
        title=_checked_title(title),
        paragraphs=_checked_body(paragraphs),
        published_at=published_at,
        source=source,
        dateline=dateline,
        section=section,
        topics=topics,
    )


def _split_copyright(lines: list[str]) -> tuple[list[str], _Copyright | None]:
    """The story ends at the copyright line; what follows it is page footer."""
    for index, line in enumerate(lines):
        if match := _COPYRIGHT.fullmatch(line):
            name = _holder(match["holder"])
            return lines[:index], _Copyright(int(match["year"]), AGENCIES.get(name, name) or None)
    return lines, None


def _holder(text: str) -> str:
    """The holder in "© 2017 The Associated Press. All rights reserved. ...": the words before.

    Found with plain searches: a pattern like `\\.?\\s*All rights` retried at every space of a
    long run of them is quadratic.
    """
    end = len(text)
    if (rights := text.find("All rights reserved")) >= 0:
        end = rights
    if (stop := _SENTENCE_BREAK.search(text, 0, end)) is not None:
        end = stop.start()
    return text[:end].strip().strip(" .,")


def _find_lead_in(lines: Sequence[str]) -> tuple[int, _Lead] | None:
    """The "CITY (AP) -- " line opening a wire story, if only page furniture comes before it.

    Headlines, navigation links, bylines, photo captions and separators may precede it; a line
    of prose may not, so a plain article that quotes a wire story further down is not cut at
    that paragraph. Headlines are told from prose by more than their last character: related
    headlines often end in "?" or "!".
    """
    furniture = 0
    for index, line in enumerate(lines):
        if lead := _lead_in(line):
            return index, lead
        if not line:
            continue
        furniture += 1
        if furniture > _MAX_FURNITURE or not _is_furniture(line):
            return None
    return None


def _is_furniture(line: str) -> bool:
    """A line of a wire page that is not the story: a headline, a link, a byline, a caption."""
    text = " ".join(line.split())
    if not _HAS_TEXT.search(text) or text in _WIRE_FURNITURE:
        return True  # "___", "* * *", "Advertisement"
    if len(text) > _MAX_CAPTION:
        return False
    if _PHOTO_CREDIT.search(text):
        return True  # "Rebels in Idlib, Syria, on Dec. 2, 2017. (AP Photo/Hassan Ammar)"
    if len(text) > _MAX_HEADLINE:
        return False
    if _BYLINE.match(text) or _CONTRIBUTOR.search(text):
        return True
    if _SENTENCE_INSIDE.search(text):
        return False  # two sentences: prose
    # Headlines end in a word, "?", "!" or a quote, hardly ever in a period ("... in the U.S.").
    return not (text.endswith(".") and not _ABBREVIATION_END.search(text))


class _Lead(NamedTuple):
    dateline: str
    agency: str
    text: str


def _lead_in(line: str) -> _Lead | None:
    # Collapsed first: the pattern's runs of spaces are bounded, and a long run must not hide a
    # lead-in (the story text is collapsed into its paragraph anyway).
    line = " ".join(line.split())
    lead = _LEAD_IN.match(line)
    # Datelines are capitals ("GENEVA", "SAN JUAN, Puerto Rico"); "Officials (AP) -" is not one.
    if lead is None or not lead["dateline"].split()[0].isupper():
        return None
    return _Lead(lead["dateline"], lead["agency"], line[lead.end() :].strip())


def _read_furniture(lines: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """Section ("World Video") and topics ("Latest Syria News") from the wire page navigation."""
    section = None
    topics: list[str] = []
    for line in (" ".join(raw.split()) for raw in lines):
        if section is None and (match := _SECTION.fullmatch(line)):
            section = match["name"]
        for pattern in _TOPICS:
            if (match := pattern.fullmatch(line)) and match["name"] not in topics:
                topics.append(match["name"])
    return section, tuple(topics)


def _paragraphs(lines: Iterable[str]) -> tuple[str, ...]:
    """Blank-line separated blocks of lines, one paragraph each."""
    blocks: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            blocks.append(" ".join(block))
            block = []
    return _with_text(blocks)


def _with_text(paragraphs: Iterable[str]) -> tuple[str, ...]:
    """Whitespace collapsed; paragraphs with no letter or digit (separators like "***") dropped."""
    collapsed = (_collapse(paragraph) for paragraph in paragraphs)
    return tuple(paragraph for paragraph in collapsed if _HAS_TEXT.search(paragraph))


# --- JSON layout ---------------------------------------------------------------------------


def _parse_json(text: str) -> ParsedArticle:
    try:
        # strict=False lets raw tabs/newlines through inside strings; they are collapsed anyway.
        document: Any = json.loads(text, strict=False)
    except json.JSONDecodeError as error:
        raise _Rejected(
            RejectionKind.JSON_SYNTAX, line=error.lineno, column=error.colno, detail=error.msg
        ) from error
    except RecursionError as error:
        raise _Rejected(RejectionKind.JSON_TOO_DEEP) from error
    except ValueError as error:  # e.g. an integer over the interpreter's 4300-digit limit
        raise _Rejected(RejectionKind.JSON_INVALID, detail=str(error).split(":")[0]) from error
    if not isinstance(document, dict):
        raise _Rejected(RejectionKind.JSON_NOT_OBJECT)

    title = _json_str(document, "title")
    if title is None:
        raise _Rejected(RejectionKind.JSON_NO_TITLE)
    body = document.get("body")
    if isinstance(body, str):
        paragraphs = _paragraphs(clean_text(body).split("\n"))
    elif isinstance(body, list) and all(isinstance(item, str) for item in body):
        paragraphs = _with_text(clean_text(item) for item in body)
    elif body is None:
        raise _Rejected(RejectionKind.JSON_NO_BODY)
    else:
        raise _Rejected(RejectionKind.JSON_BODY_TYPE)

    published_at = None
    if (published := _json_str(document, "published_at")) is not None:
        try:
            published_at = parse_iso(published)
        except ValueError as error:
            raise _Rejected(RejectionKind.BAD_PUBLISHED_AT, value=repr(published[:40])) from error

    topics = document.get("topics")
    if topics is not None and not (
        isinstance(topics, list) and all(isinstance(topic, str) for topic in topics)
    ):
        raise _Rejected(RejectionKind.JSON_TOPICS_TYPE)
    return ParsedArticle(
        title=_checked_title(title),
        paragraphs=_checked_body(paragraphs),
        published_at=published_at,
        source=_collapse(_json_str(document, "source") or "") or None,
        url=_json_str(document, "url"),
        topics=tuple(dict.fromkeys(_with_text(topics or []))),
    )


def _json_str(document: dict[str, Any], key: str) -> str | None:
    """A string field, stripped of control characters; None when missing, null or blank."""
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Rejected(RejectionKind.JSON_FIELD_TYPE, field=repr(key))
    return clean_text(value).strip() or None


# --- shared --------------------------------------------------------------------------------


def _quoted(line: str, limit: int = 60) -> str:
    """A line of the file quoted in a reason: one short line however long it is."""
    line = " ".join(line.split())
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def _checked_title(title: str) -> str:
    title = _collapse(title)
    if not _HAS_TEXT.search(title):
        raise _Rejected(RejectionKind.TITLE_NO_TEXT)
    if len(title) > MAX_TITLE_CHARS:
        raise _Rejected(RejectionKind.TITLE_TOO_LONG, length=len(title), limit=MAX_TITLE_CHARS)
    return title


def _checked_body(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    if not paragraphs:
        raise _Rejected(RejectionKind.NO_BODY)
    return paragraphs


def _collapse(text: str) -> str:
    """Entities decoded (scraped text keeps some, e.g. "fianc&#233;e"), whitespace collapsed."""
    text = _ENTITY.sub(lambda entity: html.unescape(entity[0]), text)
    return " ".join(clean_text(text).split())
