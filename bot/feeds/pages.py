"""An article page -> its story's text, for feed items that carry only a teaser. Pure.

trafilatura finds the main text of a page without any download of its own. A page that yields
little text (a login or paywall, a cookie notice, an error page) gives nothing, and the item
keeps its teaser.
"""

from __future__ import annotations

import logging

import trafilatura

MIN_PAGE_WORDS = 60
MAX_PAGE_PARAGRAPHS = 400

# trafilatura logs every page it finds no text in: the caller reports that itself.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def page_paragraphs(html: str, url: str | None = None) -> list[str] | None:
    """The story's paragraphs, or None when the page holds no story worth the name."""
    try:
        text = trafilatura.extract(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=True,
        )
    except Exception:  # a page that trips the extractor must cost only its own text
        return None
    if not text:
        return None
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if sum(len(p.split()) for p in paragraphs) < MIN_PAGE_WORDS:
        return None
    return paragraphs[:MAX_PAGE_PARAGRAPHS]


def page_title(html: str) -> str | None:
    """The page's own title (its metadata), for a saved page that is read as a seed."""
    try:
        metadata = trafilatura.extract_metadata(html)
    except Exception:
        return None
    title = getattr(metadata, "title", None) if metadata is not None else None
    return title.strip() if isinstance(title, str) and title.strip() else None
