"""Why a seed file was rejected: a typed reason that survives the files table and is worded in
the reader's language (English on the command line)."""

from __future__ import annotations

import pytest

from bot.i18n import ENGLISH, LANGUAGES, translator
from bot.rendering.seed_reasons import english, seed_reason
from storage.seeds.records import Rejection, RejectionKind, Value

K = RejectionKind
# The values each kind carries, as the parser and the folder scan give them.
SAMPLE_VALUES: dict[RejectionKind, dict[str, Value]] = {
    K.TOO_LARGE: {"size": 5.3, "limit": 5},
    K.OVER_LIMIT: {"limit": 5},
    K.CONTROLS: {"share": 42},
    K.BAD_DATE_LINE: {"line": "'31.02.2026'", "detail": "ConnectionError"},
    K.NO_TITLE_BEFORE_LEAD: {"dateline": "GENEVA", "agency": "AP"},
    K.JSON_SYNTAX: {"line": 3, "column": 14, "detail": "ConnectionError"},
    K.JSON_INVALID: {"detail": "ConnectionError"},
    K.JSON_FIELD_TYPE: {"field": "'url'"},
    K.BAD_PUBLISHED_AT: {"value": "'2026-13-01'"},
    K.TITLE_TOO_LONG: {"length": 412, "limit": 300},
    K.PAGE_UNREADABLE: {"detail": "ConnectionError"},
    K.PARSER_ERROR: {"detail": "ConnectionError"},
    K.BROKEN_LINK: {"target": "/srv/seeds"},
    K.LINK_GONE: {"target": "/srv/seeds"},
    K.CANNOT_FOLLOW: {"detail": "ConnectionError"},
    K.CANNOT_READ: {"detail": "ConnectionError"},
    K.CANNOT_READ_FOLDER: {"detail": "ConnectionError"},
}


def sample(kind: RejectionKind, kept: bool = False) -> Rejection:
    return Rejection(kind, dict(SAMPLE_VALUES.get(kind, {})), kept)


@pytest.mark.parametrize("kind", list(RejectionKind))
@pytest.mark.parametrize("kept", [False, True])
def test_every_reason_comes_back_from_the_files_table_as_it_went_in(
    kind: RejectionKind, kept: bool
) -> None:
    reason = sample(kind, kept)
    stored = reason.encode()
    assert Rejection.decode(stored) == reason
    assert stored.startswith(kind.value + " ") and "\n" not in stored


@pytest.mark.parametrize(
    "old", ["empty file", "file too large (6.0 MB, limit 5 MB)", "too_large {not json", "rejected"]
)
def test_a_reason_stored_as_english_text_is_shown_as_it_is(old: str) -> None:
    decoded = Rejection.decode(old)
    assert decoded == old
    for code in LANGUAGES:
        assert seed_reason(translator(code), decoded) == old


def test_english_stays_the_default_wording() -> None:
    assert english(sample(K.TOO_LARGE)) == "file too large (5.3 MB, limit 5 MB)"
    assert english(sample(K.FIFO)) == "not a regular file (a FIFO)"
    assert english(sample(K.EMPTY, kept=True)) == "empty file (the previous version stays)"
    assert seed_reason(translator("ru"), sample(K.TOO_LARGE)) == (
        "файл слишком большой (5,3 МБ, предел — 5 МБ)"
    )


@pytest.mark.parametrize("kind", list(RejectionKind))
def test_every_reason_is_one_short_line_in_every_language(kind: RejectionKind) -> None:
    worded = {code: seed_reason(translator(code), sample(kind, kept=True)) for code in LANGUAGES}
    for text in worded.values():
        assert text and "\n" not in text and "{" not in text and len(text) < 200
    assert worded["en"] == seed_reason(ENGLISH, sample(kind, kept=True))
    assert len(set(worded.values())) == len(LANGUAGES), worded
