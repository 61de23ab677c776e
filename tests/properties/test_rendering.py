"""Arbitrary article text through the summariser and every renderer: always a valid message.

Validity is Telegram's, as the fake Bot API checks it: HTML that parses, at most 4,096
characters, not empty, and button data of at most 64 bytes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup, InputTextMessageContent

from bot.i18n import ENGLISH
from bot.rendering.cards import Reply, full_text, latest_page, search_page, summary_card
from bot.rendering.digest import digest_message
from bot.rendering.inline import article_result
from bot.rendering.markup import MAX_MESSAGE, clean, visible_length
from bot.rendering.texts import (
    did_you_mean,
    language_menu,
    no_topic,
    plain,
    unknown_article,
    unknown_command,
)
from bot.search.snippets import snippet
from bot.summaries import summarize
from fakeapi.limits import format_text
from storage.models import Article

ZONE = ZoneInfo("Europe/Berlin")
TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400)
LONG = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=6000)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    paragraphs = draw(st.lists(TEXT | LONG, min_size=1, max_size=8))
    moment = datetime(2020, 1, 1, tzinfo=UTC)
    return Article(
        id=draw(st.integers(1, 10**6)),
        short_id=draw(st.text("23456789abcdefghjkmnpqrstuvwxyz", min_size=6, max_size=6)),
        title=draw(TEXT)[:300],
        body="\n\n".join(paragraphs),
        published_at=draw(st.none() | st.just(moment)),
        sort_at=moment,
        loaded_at=moment,
        source=draw(st.none() | TEXT),
        dateline=draw(st.none() | TEXT),
        topics=[],
        summary=None,
    )


def assert_valid(reply: Reply | str) -> None:
    text = reply if isinstance(reply, str) else reply.text
    format_text(text, "HTML")  # raises Telegram's 400 for bad HTML, empty or over 4,096
    keyboard = None if isinstance(reply, str) else reply.keyboard
    if isinstance(keyboard, InlineKeyboardMarkup):
        for row in keyboard.inline_keyboard:
            for button in row:
                if button.callback_data is not None:
                    assert 1 <= len(str(button.callback_data).encode()) <= 64


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@settings(max_examples=2000, deadline=None)
@given(article=articles())
def test_article_cards_are_always_valid(article: Article) -> None:
    sentences = summarize(article.paragraphs)
    assert_valid(summary_card(ENGLISH, article, sentences, ZONE))
    for part in full_text(ENGLISH, article, ZONE):
        assert_valid(part)
    result = article_result(ENGLISH, article, "newsbot_test_bot", ZONE)
    content = result.input_message_content
    assert isinstance(content, InputTextMessageContent)
    assert_valid(content.message_text)


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@settings(max_examples=1000, deadline=None)
@given(shown=st.lists(articles(), min_size=1, max_size=5), query=TEXT, topic=TEXT)
def test_lists_and_results_are_always_valid(shown: list[Article], query: str, topic: str) -> None:
    assert_valid(latest_page(ENGLISH, shown, offset=5, total=60, limit=0, topic=topic, zone=ZONE))
    terms = {w.lower() for w in query.split()}
    results = [(a, snippet(a.paragraphs, terms)) for a in shown]
    assert_valid(search_page(ENGLISH, query, query, results, page=0, total=60, zone=ZONE))


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@settings(max_examples=1000, deadline=None)
@given(shown=st.lists(articles(), min_size=1, max_size=10), more=st.integers(0, 10**6))
def test_digests_are_always_one_valid_message(shown: list[Article], more: int) -> None:
    items = [(a, summarize(a.paragraphs, 2)) for a in shown]
    assert_valid(digest_message(ENGLISH, items, more, date(2026, 11, 27), ZONE))


# A line of markup as the renderers make them: plain, bold, code or italic runs of any text.
LINE = st.lists(
    st.tuples(st.sampled_from(["", "b", "code", "i"]), TEXT | LONG), min_size=1, max_size=4
).map(lambda runs: "".join(f"<{t}>{clean(x)}</{t}>" if t else clean(x) for t, x in runs))


@settings(max_examples=500, deadline=None)
@given(lines=st.lists(LINE, min_size=1, max_size=12))
def test_any_reply_is_fitted_to_one_valid_message(lines: list[str]) -> None:
    markup = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
    reply = Reply(markup)
    assert_valid(reply)
    if visible_length(markup) <= MAX_MESSAGE:
        assert reply.text == markup
    else:
        assert reply.text.endswith("…")


@settings(max_examples=500, deadline=None)
@given(typed=TEXT | LONG, known=st.lists(TEXT | LONG, max_size=40))
def test_replies_quoting_the_user_are_always_valid(typed: str, known: list[str]) -> None:
    for reply in (
        no_topic(ENGLISH, typed, known),
        plain("You said: " + typed * 3),
        unknown_command(ENGLISH, typed),
        did_you_mean(ENGLISH, "latest", typed),
        language_menu(ENGLISH, unknown=typed),
        unknown_article(ENGLISH, typed),
    ):
        assert_valid(reply)
    quoted = no_topic(ENGLISH, typed * 20, known).text
    assert "…" in quoted or len(" ".join((typed * 20).split())) <= 100  # spaces run together
