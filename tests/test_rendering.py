"""Rendering: escaping, Telegram's limits, message splitting, callback data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks
from bot.admin.stats import Stats
from bot.callbacks import Action, AlertButton, LatestPage, OpenFullText, OpenSummary, SearchPage
from bot.i18n import ENGLISH
from bot.rendering.admin import schedule_line
from bot.rendering.cards import full_text, latest_page, summary_card, when
from bot.rendering.markup import MAX_MESSAGE, clean, split_text, visible_length
from storage.models import Article

UTC_ZONE = ZoneInfo("UTC")


def make_article(title: str = "Title", body: str = "Body.", **extra: object) -> Article:
    return Article(
        id=1,
        short_id="a2b3c4",
        title=title,
        body=body,
        published_at=datetime(2017, 12, 14, 13, 20, tzinfo=UTC),
        sort_at=datetime(2017, 12, 14, 13, 20, tzinfo=UTC),
        source="The Associated Press",
        dateline=None,
        section=None,
        topics=[],
        summary=None,
        **extra,
    )


@pytest.mark.parametrize(
    "callback",
    [
        LatestPage(0),
        LatestPage(15, 10, "World"),
        SearchPage(3, "putin syria"),
        OpenSummary("a2b3c4"),
        OpenFullText("a2b3c4"),
        Action("noop"),
        AlertButton("cap", 30),
        AlertButton("unfollow", 123_456_789),
    ],
)
def test_callback_data_round_trips(callback: callbacks.Callback) -> None:
    assert callbacks.decode(callbacks.encode(callback)) == callback


@given(st.text(max_size=300), st.integers(0, callbacks.MAX_PAGE), st.integers(0, 50))
def test_callback_data_never_exceeds_64_bytes(query: str, page: int, limit: int) -> None:
    key = callbacks.topic_key(query)
    for callback in (SearchPage(page, query), LatestPage(page, limit, key)):
        data = callbacks.encode(callback)
        assert 1 <= len(data.encode()) <= 64
        decoded = callbacks.decode(data)
        assert decoded is not None


def test_long_search_query_is_marked_truncated() -> None:
    decoded = callbacks.decode(callbacks.encode(SearchPage(1, "ü" * 100)))
    assert isinstance(decoded, SearchPage) and decoded.truncated
    assert decoded.query == "ü" * 30  # 60 of 64 bytes, cut between letters, never inside one


@pytest.mark.parametrize(
    "junk",
    [
        None, "", "Q|1", "Z|", "Z|Mars/<b>", "L|x|y", "S|", "M|", "A|", "x" * 65,
        # Forged: numbers out of range or not ASCII digits, unknown actions, ids of no shape.
        "L|99999999999999999999|0|", "L|-1|0|", "L|٣|0|", "L|+3|0|", "L|1_0|0|", "S|10001|x",
        "G|ask_zone|5", "G|nope|0", "G|time|99999", "G|size|", "A|reload", "A|bc_ok:",
        "M|zz", "F|<b>x</b>", "M| a2b3c4",
        "S|0|\ud800",  # a lone surrogate, as JSON may carry
    ],
)  # fmt: skip
def test_foreign_callback_data_decodes_to_none(junk: str | None) -> None:
    assert callbacks.decode(junk) is None


def test_a_topic_of_any_length_pages_by_key() -> None:
    long_topic = "Международные отношения и мировая политика, " * 3
    shown = [make_article(title=f"Story {i}") for i in range(5)]
    reply = latest_page(
        ENGLISH, shown, offset=0, total=12, limit=0, topic=long_topic, zone=UTC_ZONE
    )
    assert reply.keyboard is not None
    data = reply.keyboard.inline_keyboard[-1][-1].callback_data
    assert isinstance(data, str) and len(data.encode()) <= callbacks.MAX_BYTES
    page = callbacks.decode(data)
    assert isinstance(page, LatestPage) and page.offset == 5
    names = ["Markets", long_topic, long_topic[:40]]
    assert callbacks.topic_for_key(page.topic_key, names) == long_topic


def test_visible_length_counts_like_telegram() -> None:
    assert visible_length("<b>a &lt; b</b>") == 5
    assert visible_length("🙂") == 2  # one astral character is two UTF-16 units


def test_split_text_cuts_at_sentences_within_the_limit() -> None:
    text = " ".join(f"Sentence number {i} ends here." for i in range(400))
    pieces = split_text(text, 1000)
    assert all(visible_length(clean(p)) <= 1000 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


def test_full_text_splits_between_paragraphs_under_4096() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * 150 for i in range(60)]
    paragraphs.append("x" * 9000)  # one paragraph longer than a message on its own
    parts = full_text(ENGLISH, make_article(body="\n\n".join(paragraphs)), UTC_ZONE)
    assert len(parts) > 3
    assert all(visible_length(part) <= MAX_MESSAGE for part in parts)
    joined = "".join(parts)
    assert all(f"Paragraph {i}." in joined for i in range(60))


def test_article_text_is_escaped() -> None:
    card = summary_card(ENGLISH, make_article(title="<b>x</b> & y"), ["a < b & c > d"], UTC_ZONE)
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in card.text
    assert "a &lt; b &amp; c &gt; d" in card.text


def test_dates_show_in_the_readers_zone() -> None:
    moment = datetime(2017, 12, 14, 13, 20, tzinfo=UTC)
    assert when(ENGLISH, moment, ZoneInfo("America/New_York")) == "14 Dec 2017, 08:20 EST"
    assert when(ENGLISH, moment, ZoneInfo("Europe/Berlin")) == "14 Dec 2017, 14:20 CET"
    assert when(ENGLISH, None, UTC_ZONE) == "date unknown"


def test_latest_page_has_paging_and_article_buttons() -> None:
    shown = [make_article(title=f"Story {i}") for i in range(5)]
    reply = latest_page(ENGLISH, shown, offset=5, total=12, limit=0, topic="", zone=UTC_ZONE)
    assert "(6–10 of 12)" in reply.text and "6. <b>Story 0</b>" in reply.text
    assert reply.keyboard is not None
    rows = reply.keyboard.inline_keyboard
    assert [b.text for b in rows[0]] == ["6. Summary", "6. Full text"]
    assert [b.text for b in rows[-1]] == ["◀", "2/3", "▶"]
    assert callbacks.decode(rows[-1][2].callback_data) == LatestPage(10, 0, "")  # type: ignore[arg-type]


def test_stats_tell_whether_the_digest_schedule_runs() -> None:
    now = datetime(2026, 11, 28, 9, 30, 0, tzinfo=UTC)

    def line(*ages: float) -> str:
        beats = [now - timedelta(seconds=age) for age in ages]
        return schedule_line(
            ENGLISH, Stats({}, {}, {}, None, now, beats, alive_window=timedelta(minutes=3))
        )

    assert line(4, 50) == "Digest schedule: 2 instances running, last tick 4 s ago"
    # One instance died an hour ago (its heartbeat row stays): it is not counted.
    assert line(12, 3600) == "Digest schedule: 1 instance running, last tick 12 s ago"
    assert line(3600) == "⚠️ Digest schedule: no tick since 2026-11-28 08:30 UTC"
    assert line() == "Digest schedule: no instance running"
