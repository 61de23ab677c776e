"""What a digest holds and how it looks: selection, order, one message whatever the size."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.callbacks import OpenFullText
from bot.digests.selection import article_words, passing, select_articles
from bot.i18n import ENGLISH
from bot.rendering.digest import digest_message
from bot.rendering.markup import MAX_MESSAGE, visible_length
from bot.search.wordmatch import parse_filter
from storage.models import Article

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


DIGITS = str.maketrans("0123456789", "abcdefghjk")  # ids are made of letters without look-alikes


def article(number: int, loaded: datetime, title: str | None = None) -> Article:
    return Article(
        id=number, short_id=f"{number:06d}".translate(DIGITS), title=title or f"Story {number}",
        body="Body.", published_at=loaded, sort_at=loaded, loaded_at=loaded,
        source="Agency", topics=[], summary=None,
    )  # fmt: skip


def candidates(*articles: Article) -> list[tuple[int, datetime]]:
    return [(a.id, a.loaded_at) for a in articles]


def test_only_articles_loaded_since_the_last_digest_count() -> None:
    pool = candidates(*(article(i, T0 - timedelta(hours=i)) for i in range(1, 30)))
    chosen = select_articles(pool, since=T0 - timedelta(hours=10), until=T0, size=5)
    assert chosen.ids == [1, 2, 3, 4, 5]
    assert chosen.more == 4  # 6..9 were new too; 10 is exactly at `since`, not after it


def test_nothing_new_selects_nothing() -> None:
    pool = candidates(article(1, T0 - timedelta(days=3)))
    chosen = select_articles(pool, since=T0 - timedelta(days=1), until=T0, size=5)
    assert chosen.ids == [] and chosen.more == 0


def test_articles_loaded_after_composing_wait_for_the_next_digest() -> None:
    pool = candidates(article(1, T0 + timedelta(seconds=1)), article(2, T0))
    chosen = select_articles(pool, since=T0 - timedelta(days=1), until=T0, size=5)
    assert chosen.ids == [2]


def test_topics_keep_only_matches_and_more_matches_first() -> None:
    pool = candidates(*(article(i, T0 - timedelta(hours=i)) for i in range(1, 6)))
    chosen = select_articles(
        pool, since=T0 - timedelta(days=1), until=T0, size=5, topic_hits={4: 2, 2: 1, 1: 1}
    )
    assert chosen.ids == [4, 1, 2]


def test_digest_message_lists_articles_with_summaries_and_more() -> None:
    items = [(article(i, T0), [f"Sentence one of {i}.", f"Sentence two of {i}.", "Third."])
             for i in range(1, 4)]  # fmt: skip
    reply = digest_message(ENGLISH, items, 7, date(2026, 11, 27), BERLIN)
    assert "Your daily digest" in reply.text and "Fri 27 Nov 2026" in reply.text
    assert "1. <b>Story 1</b>" in reply.text
    assert "Sentence one of 1. Sentence two of 1." in reply.text and "Third." not in reply.text
    assert reply.text.endswith("and 7 more: /latest")
    assert reply.keyboard is not None
    first = reply.keyboard.inline_keyboard[0][0]
    assert callbacks.decode(first.callback_data) == OpenFullText("aaaaab")  # type: ignore[arg-type]


def test_digest_of_huge_articles_still_fits_one_message() -> None:
    long = "word " * 2000
    items = [(article(i, T0, title="T" * 300), [long, long]) for i in range(10)]
    reply = digest_message(ENGLISH, items, 0, date(2026, 11, 27), BERLIN)
    assert visible_length(reply.text) <= MAX_MESSAGE
    assert "1. <b>" in reply.text


def test_word_filters_keep_required_words_and_drop_excluded_ones_typos_forgiven() -> None:
    texts = {
        1: ("Voters queue as the election nears", "Turnout may be a record."),
        2: ("Football final tonight", "The election of a new captain came first."),
        3: ("Markets steady", "Shares and bonds held."),
    }
    words = {i: article_words(title, body) for i, (title, body) in texts.items()}
    wanted = parse_filter(["+electoin", "-fotball"])  # a typo in each
    allowed = passing(wanted, words.items())
    assert allowed == {1}
    pool = [(i, T0 - timedelta(minutes=i)) for i in (1, 2, 3)]
    picked = select_articles(pool, since=T0 - timedelta(days=1), until=T0, size=5, allowed=allowed)
    assert (picked.ids, picked.more) == ([1], 0)
    assert passing(parse_filter(["-bnods"]), words.items()) == {1, 2}
