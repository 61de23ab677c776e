"""Why a feed failed: a typed error that survives the feeds table and is worded in the
reader's language (English on the command line)."""

from __future__ import annotations

import pytest

from bot.feeds.errors import FeedError, FeedErrorKind
from bot.i18n import LANGUAGES, translator
from bot.rendering.feed_errors import english_error, feed_error_text

K = FeedErrorKind
SAMPLE_VALUES: dict[FeedErrorKind, dict[str, str | int | float]] = {
    K.TIMEOUT: {"seconds": 20.0},
    K.TOO_MANY_REDIRECTS: {"limit": 5},
    K.HTTP_STATUS: {"status": 503},
    K.UNEXPECTED_STATUS: {"status": 204},
    K.TOO_LARGE: {"limit": 5},
    K.NETWORK: {"detail": "ConnectionError"},
    K.UNREADABLE: {"detail": "ConnectionError"},
    K.MALFORMED: {"detail": "ConnectionError"},
    K.INTERNAL: {"detail": "ConnectionError"},
}


def sample(kind: FeedErrorKind, kept: int | None = None) -> FeedError:
    values = dict(SAMPLE_VALUES.get(kind, {}))
    return FeedError(kind, values if kept is None else {**values, "kept": kept})


@pytest.mark.parametrize("kind", list(FeedErrorKind))
@pytest.mark.parametrize("kept", [None, 3])
def test_every_error_comes_back_from_the_feeds_table_as_it_went_in(
    kind: FeedErrorKind, kept: int | None
) -> None:
    error = sample(kind, kept)
    assert FeedError.decode(error.encode()) == error


@pytest.mark.parametrize("old", ["HTTP 500", "larger than 5 MB: not read", "timeout {oops"])
def test_an_error_stored_as_english_text_is_shown_as_it_is(old: str) -> None:
    assert FeedError.decode(old) == old
    assert all(feed_error_text(translator(code), old) == old for code in LANGUAGES)


def test_english_stays_the_default_wording() -> None:
    assert english_error(sample(K.HTTP_STATUS)) == "HTTP 503"
    assert english_error(sample(K.TOO_LARGE)) == "larger than 5 MB: not read"
    assert english_error(sample(K.TIMEOUT)) == "no answer within 20 s"
    assert english_error(sample(K.MALFORMED, kept=2)) == (
        "malformed feed: ConnectionError (2 items kept)"
    )
    assert feed_error_text(translator("es"), sample(K.HTTP_STATUS)) == (
        "el servidor respondió HTTP 503"
    )


@pytest.mark.parametrize("kind", list(FeedErrorKind))
def test_every_error_is_one_short_line_in_every_language(kind: FeedErrorKind) -> None:
    worded = {code: feed_error_text(translator(code), sample(kind, kept=1)) for code in LANGUAGES}
    for text in worded.values():
        assert text and "\n" not in text and "{" not in text and len(text) < 200
    assert len(set(worded.values())) == len(LANGUAGES), worded
