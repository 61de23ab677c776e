"""Feed bytes -> items ready to store. Pure: no network, no database; never raises on bad input.

feedparser reads RSS 0.9x/1.0/2.0 and Atom, guesses encodings, and keeps what it could parse of
malformed XML (its `bozo` flag): we keep those items and report the error. Titles and bodies
arrive as HTML: they are turned into plain text with paragraph breaks.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]

from bot.feeds.errors import FeedError, FeedErrorKind, feed_error
from storage.feeds import IncomingItem
from storage.seeds.records import ParsedArticle

MAX_TITLE_CHARS = 300
MAX_ITEMS = 1000  # a feed of more items than this is cut (feeds carry tens)
TEASER_WORDS = 80  # a body under this many words is a teaser: the page holds the story
MAX_TOPICS = 10
_SPACE = re.compile(r"\s+")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "hr", "tr", "blockquote", "section", "article"}
_BLOCKS |= {"pre", "table", "figure"} | _HEADINGS
_READ_FINE = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
_SKIPPED = frozenset({"script", "style", "noscript", "template"})


@dataclass(frozen=True, slots=True)
class FeedItemParsed:
    """One item as the feed gave it: `teaser` when its text is too short to be the story."""

    item: IncomingItem
    teaser: bool


@dataclass
class ParsedFeed:
    title: str | None
    items: list[FeedItemParsed] = field(default_factory=list)
    error: FeedError | None = None  # what was wrong with the feed (its items may still be here)
    skipped: int = 0  # items with neither title nor text


class _Text(HTMLParser):
    """Text of an HTML fragment, a paragraph per block element; linear in the input."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_paragraphs(fragment: str) -> list[str]:
    """Plain-text paragraphs of an HTML fragment (or of plain text, split at blank lines)."""
    parser = _Text()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # HTMLParser is lenient; whatever it trips on, keep the text as it is
        parser.parts = [fragment]
    text = "".join(parser.parts)
    paragraphs = (_SPACE.sub(" ", chunk).strip() for chunk in re.split(r"\n\s*\n", text))
    return [p for p in paragraphs if p]


def plain_title(fragment: str) -> str:
    title = " ".join(html_paragraphs(fragment))
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return title


def _date(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _link(entry: Any, base: str) -> str | None:
    """The item's page: its link resolved against the feed's address, http(s) only."""
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links", []) if isinstance(link, dict)]
    guid = entry.get("id")
    if guid and entry.get("guidislink", True):
        candidates.append(guid)
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        url = urljoin(base, candidate.strip())
        if urlsplit(url).scheme in ("http", "https"):
            return url
    return None


def _body(entry: Any) -> list[str]:
    """The fullest text the item carries: its content, else its summary."""
    best: list[str] = []
    texts = [c.get("value", "") for c in entry.get("content", []) if isinstance(c, dict)]
    texts.append(entry.get("summary", "") or "")
    for text in texts:
        paragraphs = html_paragraphs(text) if isinstance(text, str) else []
        if sum(len(p) for p in paragraphs) > sum(len(p) for p in best):
            best = paragraphs
    return best


def _topics(entry: Any) -> tuple[str, ...]:
    topics: list[str] = []
    for tag in entry.get("tags", []) or []:
        term = plain_title(str(tag.get("term") or tag.get("label") or ""))[:60]
        if term and term.casefold() not in {t.casefold() for t in topics}:
            topics.append(term)
    return tuple(topics[:MAX_TOPICS])


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def parse_feed(
    data: bytes, *, url: str, fetched_at: datetime, content_type: str | None = None
) -> ParsedFeed:
    """The items of a feed document; `url` is where it was fetched (relative links resolve
    against it), `fetched_at` dates items that carry no date."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False)
    except Exception as exc:  # feedparser catches nearly everything itself; never let one out
        return ParsedFeed(
            None, error=feed_error(FeedErrorKind.UNREADABLE, detail=exc.__class__.__name__)
        )
    error: FeedError | None = None
    reason = parsed.get("bozo_exception")
    # A missing content type or an encoding feedparser had to correct is read fine: no error.
    if parsed.get("bozo") and not isinstance(reason, _READ_FINE):
        message = _SPACE.sub(" ", str(reason))[:200] if reason else ""
        error = feed_error(FeedErrorKind.MALFORMED, detail=message)
    info = parsed.get("feed", {})
    feed_title = plain_title(info.get("title", "") or "") or None
    source = feed_title or urlsplit(url).hostname
    base = info.get("link") if isinstance(info.get("link"), str) else None
    base = urljoin(url, base) if base else url
    result = ParsedFeed(feed_title, error=error)
    entries = parsed.get("entries", [])[:MAX_ITEMS]
    if not entries and parsed.get("version", "") == "":
        result.error = error or feed_error(FeedErrorKind.NOT_A_FEED)
        return result
    for entry in entries:
        item = _item(entry, base=base, source=source, fetched_at=fetched_at)
        if item is None:
            result.skipped += 1
        else:
            result.items.append(item)
    return result


def _item(
    entry: Any, *, base: str, source: str | None, fetched_at: datetime
) -> FeedItemParsed | None:
    link = _link(entry, base)
    paragraphs = _body(entry)
    title = plain_title(entry.get("title", "") or "")
    if not title and paragraphs:
        title = plain_title(paragraphs[0].split(". ")[0])
    if not title:
        return None
    if not paragraphs:
        paragraphs = [title]
    guid = entry.get("id")
    key = guid.strip() if isinstance(guid, str) and guid.strip() else None
    if key is None:
        key = link or hashlib.sha256("\n".join([title, *paragraphs]).encode()).hexdigest()
    published = _date(entry) or fetched_at
    article = ParsedArticle(
        title=title,
        paragraphs=tuple(paragraphs),
        published_at=published,
        source=source,
        topics=_topics(entry),
        url=link,
    )
    return FeedItemParsed(
        IncomingItem(key=key, article=article), teaser=_words(paragraphs) < TEASER_WORDS
    )
