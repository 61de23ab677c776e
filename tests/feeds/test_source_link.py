"""Articles with a page (feed items, seeds with a url) link to it: "Read at the source"."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import ENGLISH
from bot.rendering.cards import full_text, summary_card
from storage.models import Article

ZONE = UTC


def article(url: str | None) -> Article:
    moment = datetime(2026, 11, 29, 8, tzinfo=UTC)
    return Article(
        id=1, short_id="a2b3c4", title="Otters return", body="They came back.\n\nAll six.",
        published_at=moment, sort_at=moment, source="River Gazette", dateline=None,
        section=None, topics=[], summary=None, url=url,
    )  # fmt: skip


def test_summary_and_full_text_link_to_the_source_page() -> None:
    link = 'https://herald.example/otters?a=1&b="2"'
    card = summary_card(ENGLISH, article(link), ["They came back."], ZONE)
    assert card.keyboard is not None
    [row] = card.keyboard.inline_keyboard
    assert [b.text for b in row] == ["📄 Full text", "🔗 Read at the source"]
    assert row[1].url == link
    [message] = full_text(ENGLISH, article(link), ZONE)
    assert message.endswith(
        '<a href="https://herald.example/otters?a=1&amp;b=&quot;2&quot;">Read at the source</a>'
    )


def test_no_link_without_a_web_address() -> None:
    for url in (None, "javascript:alert(1)", "ftp://x.example/a", "https://x/" + "a" * 2000):
        card = summary_card(ENGLISH, article(url), ["They came back."], ZONE)
        assert card.keyboard is not None
        assert [b.text for b in card.keyboard.inline_keyboard[0]] == ["📄 Full text"]
        assert "Read at the source" not in full_text(ENGLISH, article(url), ZONE)[-1]
