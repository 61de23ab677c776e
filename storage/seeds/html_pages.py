"""Saved web pages (`.html` in the seed folder) -> an article: the story's text, title, date,
site and address, found by trafilatura (which downloads nothing). Pure; never raises."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import trafilatura

from storage.seeds.records import ParsedArticle, Rejection, RejectionKind, rejection

MIN_WORDS = 40  # less is a login wall, a cookie notice or an index page, not a story
MAX_PARAGRAPHS = 400
MAX_TITLE_CHARS = 300

# trafilatura logs every page it finds no text in: the caller reports that itself.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def looks_like_html(text: str, name: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def page_paragraphs(
    html: str | bytes, url: str | None = None, min_words: int = MIN_WORDS
) -> list[str]:
    """The main text of a page, a paragraph a line; [] when it holds too little to be a story."""
    try:
        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=False,
            favor_precision=True, deduplicate=True,
        )  # fmt: skip
    except Exception:  # a page that trips the extractor must cost only itself
        return []
    paragraphs = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if sum(len(p.split()) for p in paragraphs) < min_words:
        return []
    return paragraphs[:MAX_PARAGRAPHS]


def parse_html_page(html: str) -> ParsedArticle | Rejection:
    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, deduplicate=True,
        )  # fmt: skip
    except Exception as exc:
        return rejection(RejectionKind.PAGE_UNREADABLE, detail=exc.__class__.__name__)
    text = getattr(document, "text", None) or ""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    title = " ".join(str(getattr(document, "title", None) or "").split())[:MAX_TITLE_CHARS]
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the page repeats its headline as the first line
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        return rejection(RejectionKind.PAGE_NO_STORY)
    if not title:
        title = paragraphs[0][:MAX_TITLE_CHARS]
        paragraphs = paragraphs[1:] or paragraphs
    published = None
    if date := getattr(document, "date", None):
        try:
            published = datetime.fromisoformat(str(date)).replace(tzinfo=UTC)
        except ValueError:
            published = None
    url = getattr(document, "url", None)
    return ParsedArticle(
        title=title,
        paragraphs=tuple(paragraphs[:MAX_PARAGRAPHS]),
        published_at=published,
        source=getattr(document, "sitename", None) or None,
        url=url if isinstance(url, str) and url.startswith(("http://", "https://")) else None,
    )
