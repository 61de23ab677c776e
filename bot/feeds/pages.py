"""An article page -> its story's text, for feed items that carry only a teaser.

The same extraction reads saved pages in the seed folder (storage/seeds/html_pages.py). A page
that yields little text (a login or paywall, a cookie notice, an error page) gives nothing, and
the item keeps its teaser.
"""

from __future__ import annotations

from storage.seeds.html_pages import page_paragraphs as _extract

MIN_PAGE_WORDS = 60


def page_paragraphs(html: str | bytes, url: str | None = None) -> list[str] | None:
    """The story's paragraphs, or None when the page holds no story worth the name."""
    return _extract(html, url, MIN_PAGE_WORDS) or None
