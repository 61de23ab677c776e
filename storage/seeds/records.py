"""What the seed parser hands to the loader: a parsed article or the reason a file was rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One article taken from a seed file, cleaned of page furniture."""

    title: str
    paragraphs: tuple[str, ...]
    published_at: datetime | None = None  # timezone-aware, UTC; None when the file gives no date
    source: str | None = None  # e.g. "The Associated Press"
    dateline: str | None = None  # e.g. "GENEVA"
    section: str | None = None  # e.g. "World"
    topics: tuple[str, ...] = field(default_factory=tuple)  # e.g. ("Syria",)
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A file the parser could not take an article from, and why (one short line for the admin)."""

    reason: str
