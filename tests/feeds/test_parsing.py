"""Feed documents of each format, and the faults feeds have in the wild, parsed into items."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.feeds.parsing import html_paragraphs, parse_feed
from bot.rendering.feed_errors import english_error
from tests.feeds.documents import Story, atom, long_body, rss1, rss2

FEED = "http://news.example/feeds/world.xml"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_rss2_items_become_articles_with_title_link_date_source_topics() -> None:
    data = rss2(
        "Town Herald",
        "http://news.example/",
        [
            Story(
                "Bridge vote passes",
                long_body("the bridge"),
                link="http://news.example/bridge",
                guid="herald-1",
                date="Sat, 28 Nov 2026 09:30:00 +0100",
                categories=["Politics", "Transport"],
            )
        ],
    )
    parsed = parse_feed(data, url=FEED, fetched_at=NOW)
    assert parsed.error is None and parsed.title == "Town Herald"
    [entry] = parsed.items
    article = entry.item.article
    assert article.title == "Bridge vote passes"
    assert article.url == "http://news.example/bridge"
    assert article.published_at == datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert article.source == "Town Herald"
    assert article.topics == ("Politics", "Transport")
    assert len(article.paragraphs) == 4 and not entry.teaser
    assert entry.item.key == "herald-1"


def test_rss1_and_atom_read_as_well() -> None:
    story = Story(
        "Rail strike ends",
        long_body("the strike"),
        link="http://news.example/rail",
        date="2026-11-28T07:00:00Z",
        categories=["Labour"],
    )
    for data in (rss1("Wire", "http://news.example/", [story]), atom("Wire", FEED, [story])):
        parsed = parse_feed(data, url=FEED, fetched_at=NOW)
        [entry] = parsed.items
        assert entry.item.article.title == "Rail strike ends"
        assert entry.item.article.url == "http://news.example/rail"
        assert entry.item.article.published_at == datetime(2026, 11, 28, 7, tzinfo=UTC)
        assert entry.item.article.topics == ("Labour",)
        assert entry.item.article.paragraphs[0].startswith("Paragraph 1 about the strike")


def test_html_in_titles_is_stripped_and_entities_decoded() -> None:
    data = rss2(
        "Herald",
        "http://news.example/",
        [
            Story(
                "<b>Breaking</b>: Q&amp;A with the <i>mayor</i> <script>x()</script>",
                "<p>Short.</p>",
                link="/qa",
            )
        ],
    )
    [entry] = parse_feed(data, url=FEED, fetched_at=NOW).items
    assert entry.item.article.title == "Breaking: Q&A with the mayor"


def test_relative_links_resolve_against_the_feed() -> None:
    data = atom("Wire", "http://news.example/", [Story("Relative", "<p>x</p>", link="/a/1")])
    [entry] = parse_feed(data, url=FEED, fetched_at=NOW).items
    assert entry.item.article.url == "http://news.example/a/1"
    data = rss2("Wire", "/", [Story("Relative", "<p>x</p>", link="story/2")])
    [entry] = parse_feed(data, url="http://other.example/rss/feed.xml", fetched_at=NOW).items
    assert entry.item.article.url is not None
    assert entry.item.article.url.startswith("http://other.example/")
    assert entry.item.article.url.endswith("story/2")


def test_items_without_dates_take_the_fetch_time_and_without_links_their_guid() -> None:
    data = rss2("Wire", "http://news.example/", [Story("Undated", "<p>Text</p>", guid="g-7")])
    [entry] = parse_feed(data, url=FEED, fetched_at=NOW).items
    assert entry.item.article.published_at == NOW
    assert entry.item.article.url is None
    assert entry.item.key == "g-7"
    # Neither link nor guid: the item is known by its text, the same text each time.
    data = rss2("Wire", "http://news.example/", [Story("Bare", "<p>Only text</p>")])
    first = parse_feed(data, url=FEED, fetched_at=NOW).items[0].item.key
    again = parse_feed(data, url=FEED, fetched_at=NOW).items[0].item.key
    assert first == again and len(first) == 64


def test_malformed_xml_keeps_what_parsed_and_reports_the_error() -> None:
    good = rss2(
        "Wire",
        "http://news.example/",
        [
            Story(f"Story {n}", long_body(f"story {n}"), link=f"http://news.example/{n}")
            for n in range(3)
        ],
    )
    broken = good.replace(b"</channel></rss>", b"<item><title>Cut off & <b>broken")
    parsed = parse_feed(broken, url=FEED, fetched_at=NOW)
    assert parsed.error is not None and english_error(parsed.error).startswith("malformed feed")
    assert [e.item.article.title for e in parsed.items][:3] == ["Story 0", "Story 1", "Story 2"]


def test_not_a_feed_is_an_error_with_no_items() -> None:
    parsed = parse_feed(b"<html><body>Not here</body></html>", url=FEED, fetched_at=NOW)
    assert parsed.items == [] and parsed.error is not None
    parsed = parse_feed(b"\x00\xff\xfe garbage", url=FEED, fetched_at=NOW)
    assert parsed.items == [] and parsed.error is not None


def test_wrong_or_missing_encodings_still_read() -> None:
    story = Story("Café in Zürich reopens", "<p>Crème brûlée for all.</p>", link="http://x.ex/1")
    latin = rss2("Wire", "http://x.ex/", [story], encoding="iso-8859-1")
    # Declared UTF-8 but written in Latin-1 (a common publisher error).
    lying = latin.replace(b'encoding="iso-8859-1"', b'encoding="utf-8"')
    for data, content_type in [
        (latin, None),
        (latin.replace(b' encoding="iso-8859-1"', b""), "text/xml; charset=iso-8859-1"),
        (lying, None),
    ]:
        parsed = parse_feed(data, url=FEED, fetched_at=NOW, content_type=content_type)
        [entry] = parsed.items
        assert "Z" in entry.item.article.title and "reopens" in entry.item.article.title
        assert "\x00" not in entry.item.article.title


def test_duplicate_guids_in_one_feed_parse_and_share_a_key() -> None:
    data = rss2(
        "Wire",
        "http://news.example/",
        [Story("First", "<p>a</p>", guid="same"), Story("Second", "<p>b</p>", guid="same")],
    )
    keys = {e.item.key_hash for e in parse_feed(data, url=FEED, fetched_at=NOW).items}
    assert len(keys) == 1  # storage keeps the first (tests/feeds/test_polling.py)


def test_html_paragraphs_are_linear_and_drop_scripts() -> None:
    paragraphs = html_paragraphs("<p>One <b>bold</b></p><script>evil()</script><p>Two<br>Three")
    assert paragraphs == ["One bold", "Two", "Three"]
    big = "<div>" * 50_000 + "text"
    assert html_paragraphs(big) == ["text"]


def test_teasers_are_marked() -> None:
    data = rss2(
        "Wire",
        "http://news.example/",
        [Story("Teaser", "<p>The first line of a story…</p>", link="http://news.example/t")],
    )
    [entry] = parse_feed(data, url=FEED, fetched_at=NOW).items
    assert entry.teaser
