"""What the seed parser hands to the loader: a parsed article or the reason a file was rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from storage.coded import decode, encode


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


class RejectionKind(StrEnum):
    """Why a seed file was not loaded; the value is the stable code stored with the file.
    The comment names the values each kind carries (bot/rendering/seed_reasons.py words them)."""

    TOO_LARGE = "too_large"  # size (MB, one decimal), limit (MB)
    OVER_LIMIT = "over_limit"  # limit (MB): grew past it while being read
    EMPTY = "empty"
    UTF16 = "utf16"
    NUL_BYTES = "nul_bytes"
    CONTROLS = "controls"  # share (percent)
    BLANK = "blank"
    BAD_DATE_LINE = "bad_date_line"  # line, detail
    NO_TITLE_AFTER_DATE = "no_title_after_date"
    NO_TITLE_BEFORE_LEAD = "no_title_before_lead"  # dateline, agency
    JSON_SYNTAX = "json_syntax"  # line, column, detail
    JSON_TOO_DEEP = "json_too_deep"
    JSON_INVALID = "json_invalid"  # detail
    JSON_NOT_OBJECT = "json_not_object"
    JSON_NO_TITLE = "json_no_title"
    JSON_NO_BODY = "json_no_body"
    JSON_BODY_TYPE = "json_body_type"
    JSON_TOPICS_TYPE = "json_topics_type"
    JSON_FIELD_TYPE = "json_field_type"  # field
    BAD_PUBLISHED_AT = "bad_published_at"  # value
    TITLE_NO_TEXT = "title_no_text"
    TITLE_TOO_LONG = "title_too_long"  # length, limit
    NO_BODY = "no_body"
    PAGE_UNREADABLE = "page_unreadable"  # detail
    PAGE_NO_STORY = "page_no_story"
    PARSER_ERROR = "parser_error"  # detail
    OUTSIDE = "outside"
    LINK_LOOP_FOLDER = "link_loop_folder"
    LINK_TO_FOLDER = "link_to_folder"
    LINK_LOOP = "link_loop"
    BROKEN_LINK = "broken_link"  # target
    LINK_GONE = "link_gone"  # target
    CANNOT_FOLLOW = "cannot_follow"  # detail
    FIFO = "fifo"
    SOCKET = "socket"
    DEVICE = "device"
    NOT_A_FILE = "not_a_file"
    PERMISSION_DENIED = "permission_denied"
    GONE = "gone"
    CANNOT_READ = "cannot_read"  # detail
    CANNOT_READ_FOLDER = "cannot_read_folder"  # detail
    BAD_NAME = "bad_name"  # the name is not UTF-8


Value = str | int | float


@dataclass(frozen=True, slots=True)
class Rejection:
    """A file the parser could not take an article from, and why: a kind and the values its
    sentence needs (technical details, such as an OS error, stay as the system gave them)."""

    kind: RejectionKind
    values: dict[str, Value] = field(default_factory=dict)
    kept: bool = False  # the file's previous version stays loaded

    def encode(self) -> str:
        """`code {json values}`: what the files table keeps, read back by `decode`."""
        return encode(self.kind.value, {**self.values, **({"kept": 1} if self.kept else {})})

    @staticmethod
    def decode(stored: str) -> Rejection | str:
        """A stored reason back; free text stored before reasons were typed comes back as is."""
        found = decode(stored, {kind.value: kind for kind in RejectionKind})
        if found is None:
            return stored
        kind, values = found
        kept = bool(values.pop("kept", 0))
        return Rejection(kind, values, kept)


def rejection(kind: RejectionKind, /, **values: Value) -> Rejection:
    return Rejection(kind, dict(values))


# A rejection as a report shows it: typed, or free text from a row stored before types.
SeedReason = Rejection | str
