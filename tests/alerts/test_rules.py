"""The rules behind alerts, without Telegram: what matches, quiet hours, the hourly cap, and
what /follow reads from what was typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.following import Term, find_follow, parse_terms
from bot.alerts.limits import allowance, is_quiet
from bot.alerts.matching import Match, matches
from bot.i18n import ENGLISH
from bot.rendering.alerts import alert_message
from bot.rendering.markup import MAX_MESSAGE, visible_length
from storage.models import Article, Follow

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def _article(i: int, title: str, body: str = "", topics: list[str] | None = None) -> Article:
    return Article(
        id=i, short_id=f"a{i:05d}", title=title, body=body or title, topics=topics or [],
        section=None, loaded_at=NOW, published_at=NOW, source="Wire",
    )  # fmt: skip


def _follow(chat: int, kind: str, term: str, *, at: datetime = NOW - timedelta(hours=1)) -> Follow:
    return Follow(chat_id=chat, kind=kind, term=term, created_at=at)


def test_a_word_with_a_typo_and_a_topic_match_and_each_pair_comes_once() -> None:
    stories = [
        _article(1, "Election count begins", topics=["Politics"]),
        _article(2, "Harbour crane topples", topics=["harbour"]),
        _article(3, "Weather turns cold"),
    ]
    follows = [
        _follow(7, "word", "elecion"),  # one letter missing: still "election"
        _follow(7, "topic", "Politics"),  # the same article by its topic: sent once
        _follow(8, "topic", "Harbour"),  # topics compare folded
        _follow(9, "word", "weather", at=NOW + timedelta(minutes=1)),  # followed after it came
    ]
    assert matches(stories, follows) == [Match(7, 1), Match(8, 2)]


def test_quiet_hours_wrap_midnight_in_the_readers_zone() -> None:
    late = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert is_quiet(late, BERLIN, 22 * 60, 7 * 60)
    assert not is_quiet(late, UTC, 23 * 60, 7 * 60)  # 22:30 UTC is before 23:00
    assert not is_quiet(late.replace(hour=6), BERLIN, 22 * 60, 7 * 60)  # 07:30 in Berlin
    assert not is_quiet(late, BERLIN, None, None)


def test_the_cap_counts_the_last_hour_and_says_when_the_next_one_may_go() -> None:
    sent = [NOW - timedelta(minutes=50), NOW - timedelta(minutes=70)]  # one inside the hour
    allowed = allowance(NOW, 3, sent, wanting=5)
    assert allowed.count == 2
    assert allowed.next_at == NOW + timedelta(minutes=10)  # the 50-minute-old one frees first
    assert allowance(NOW, 3, sent, wanting=2).next_at is None
    full = allowance(NOW, 1, [NOW - timedelta(minutes=5)], wanting=1)
    assert (full.count, full.next_at) == (0, NOW + timedelta(minutes=55))


def test_follow_reads_words_topics_and_lists() -> None:
    assert parse_terms("Élection, topic: Politics, t:world, , “climate deal”") == [
        Term("word", "election"),
        Term("topic", "Politics"),
        Term("topic", "world"),
        Term("word", "climate deal"),
    ]
    assert parse_terms("!!!, topic:") == []
    assert parse_terms("x" * 101) == []


def test_unfollow_finds_the_follow_meant_despite_a_typo_either_way() -> None:
    follows = [_follow(7, "word", "elecion"), _follow(7, "word", "harbour"),
               _follow(7, "topic", "Politics")]  # fmt: skip
    terms = {f.term: f for f in follows}
    # Followed with a typo, unfollowed as spelt (and the other way round).
    assert find_follow(follows, Term("word", "election")) is terms["elecion"]
    assert find_follow(follows, Term("word", "harbor")) is terms["harbour"]
    assert find_follow(follows, Term("topic", "politics")) is terms["Politics"]
    # Too far from anything followed, or a short word (no typo forgiven): nothing.
    assert find_follow(follows, Term("word", "harvest")) is None
    assert find_follow(follows, Term("word", "elect")) is None


def test_a_batch_of_long_stories_fits_one_message_with_the_held_note() -> None:
    items = [(_article(i, "Headline " * 20, "Body"), ["A sentence. " * 60]) for i in range(8)]
    reply, shown = alert_message(ENGLISH, items, 4, NOW + timedelta(minutes=20), 30, BERLIN)
    assert (visible_length(reply.text), shown) <= (MAX_MESSAGE, 8)
    assert reply.text.startswith("🔔 <b>8 new stories on what you follow</b>")
    assert reply.text.endswith("⏳ 4 more are held back by your limit of 30 an hour: they "
                               "follow from 13:20.")  # fmt: skip
    many = [(_article(i, "Headline " * 40, "Body"), ["A sentence. " * 60]) for i in range(30)]
    reply, shown = alert_message(ENGLISH, many, 0, None, 30, BERLIN)
    assert visible_length(reply.text) <= MAX_MESSAGE
    assert 0 < shown < 30 and reply.text.startswith(f"🔔 <b>{shown} new stories")
    assert len(reply.keyboard.inline_keyboard if reply.keyboard else []) == shown
