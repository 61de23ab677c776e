"""Why fetching or reading a feed failed: a kind and the values its sentence needs, stored on
the feed as `code {json values}` (bot/rendering/feed_errors.py words it for the reader)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from storage.coded import decode, encode


class FeedErrorKind(StrEnum):
    TIMEOUT = "timeout"  # seconds
    NOT_WEB_REDIRECT = "not_web_redirect"
    BAD_ADDRESS = "bad_address"
    TOO_MANY_REDIRECTS = "too_many_redirects"  # limit (None: the client's own)
    HTTP_STATUS = "http_status"  # status (400 and up)
    UNEXPECTED_STATUS = "unexpected_status"  # status
    TOO_LARGE = "too_large"  # limit (MB)
    CANNOT_CONNECT = "cannot_connect"
    BROKEN_EXCHANGE = "broken_exchange"
    UNDECODABLE = "undecodable"
    NETWORK = "network"  # detail
    UNREADABLE = "unreadable"  # detail
    MALFORMED = "malformed"  # detail (the XML parser's message, as it gave it)
    NOT_A_FEED = "not_a_feed"
    INTERNAL = "internal"  # detail: the poll itself failed (a database hiccup)


@dataclass(frozen=True, slots=True)
class FeedError:
    kind: FeedErrorKind
    values: dict[str, str | int | float] = field(default_factory=dict)

    def encode(self) -> str:
        return encode(self.kind.value, self.values)

    @staticmethod
    def decode(stored: str) -> FeedError | str:
        """A stored error back; free text stored before errors were typed comes back as is."""
        found = decode(stored, {kind.value: kind for kind in FeedErrorKind})
        return stored if found is None else FeedError(*found)


def feed_error(kind: FeedErrorKind, /, **values: str | int | float) -> FeedError:
    return FeedError(kind, dict(values))


FeedReason = FeedError | str  # typed, or free text from a row stored before types
