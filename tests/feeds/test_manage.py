"""OPML in and out, the feed list's checks, button data and the /feeds message's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import callbacks
from bot.callbacks import FeedButton
from bot.cli import main
from bot.feeds.manage import BadFeedUrl, FeedView, check_url
from bot.feeds.opml import OpmlError, Outline, read_opml, write_opml
from bot.i18n import ENGLISH
from bot.rendering.feeds import feeds_reply
from bot.rendering.markup import visible_length
from handlers import register

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline type="rss" text="Herald" xmlUrl="http://news.example/rss.xml"/>
    <outline type="rss" title="Wire &amp; Co" xmlUrl="http://wire.example/atom?a=1&amp;b=2"/>
  </outline>
  <outline type="rss" text="Herald again" xmlUrl="http://news.example/rss.xml"/>
  <outline text="a folder with no feed"/>
</body></opml>"""


def test_opml_is_read_with_nested_outlines_each_feed_once() -> None:
    assert read_opml(OPML) == [
        Outline("http://news.example/rss.xml", "Herald"),
        Outline("http://wire.example/atom?a=1&b=2", "Wire & Co"),
    ]


def test_opml_written_escapes_and_reads_back() -> None:
    outlines = [Outline('http://x.example/?q=<a>&r="b"', 'Tom & "Jerry" <news>'),
                Outline("http://y.example/feed", None)]  # fmt: skip
    data = write_opml(outlines, title="newsbot feeds", now=NOW)
    assert b"<a>" not in data and b"&amp;" in data
    # A feed without a title is named by its address (readers need a text on every outline).
    assert read_opml(data) == [
        outlines[0],
        Outline("http://y.example/feed", "http://y.example/feed"),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<opml><body><outline xmlUrl='x'", "not well-formed"),
        (b"<rss version='2.0'></rss>", "not an OPML file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><opml><body>'
            b'<outline xmlUrl="&b;"/></body></opml>',
            "refused",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline xmlUrl="&x;"/></body></opml>',
            "refused",
        ),
    ],
)
def test_bad_or_hostile_opml_is_refused_in_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        read_opml(data)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://x.example/feed",
        "javascript:alert(1)",
        "http://",
        "http://a b/",
        "http://x:99999/",
    ],
)
def test_feed_addresses_are_checked(url: str) -> None:
    with pytest.raises(BadFeedUrl):
        check_url(url)


def test_feed_button_data_is_short_and_only_ours_decodes() -> None:
    for button in (FeedButton("pause", 1), FeedButton("remove", 999_999_999)):
        data = callbacks.encode(button)
        assert len(data.encode()) <= 64 and callbacks.decode(data) == button
    for forged in ("R|pause|0", "R|explode|3", "R|pause|x", "R|pause|٣", "R|remove|-1"):
        assert callbacks.decode(forged) is None


def test_the_feed_list_fits_one_message_however_long_the_names_and_errors() -> None:
    feeds = [
        FeedView(
            id=n,
            url="http://x.example/" + "very-long-path/" * 200,
            title="T<itle> " * 80,
            paused=n % 3 == 0,
            last_fetch_at=NOW - timedelta(minutes=n),
            last_status="error",
            last_error="malformed feed: " + "<junk> " * 500,
            items_seen=n,
            articles_added=n,
            failures=n,
            next_attempt_at=NOW + timedelta(hours=1),
        )
        for n in range(1, 60)
    ]
    reply = feeds_reply(ENGLISH, feeds, NOW)
    assert visible_length(reply.text) <= 4096 and "<itle>" not in reply.text
    shown = reply.text.count("<b>#")
    assert 5 < shown <= 25 and f"and {59 - shown} more" in reply.text
    assert reply.keyboard is not None
    data = [b.callback_data for row in reply.keyboard.inline_keyboard for b in row]
    assert all(isinstance(d, str) and len(d.encode()) <= 64 for d in data)


def test_cli_add_list_remove_export_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("SEEDS_DIR", str(tmp_path))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(register, list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("feeds", "add", "http://news.example/rss.xml")[:2] == (
        0, "Feed #1 added: http://news.example/rss.xml\n")  # fmt: skip
    assert "already on the list" in run("feeds", "add", "http://news.example/rss.xml")[1]
    code, _, err = run("feeds", "add", "gopher://x")
    assert code == 1 and "not added" in err
    assert run("feeds", "add", "http://wire.example/atom")[0] == 0
    code, listed, _ = run("feeds", "list")
    assert "#1 http://news.example/rss.xml" in listed and "never fetched" in listed
    assert run("feeds", "export", str(tmp_path / "out.opml"))[0] == 0
    code, removed, _ = run("feeds", "remove", "http://news.example/rss.xml")
    assert code == 0 and "#1 removed" in removed
    assert run("feeds", "remove", "7")[0] == 1
    code, imported, _ = run("feeds", "import", str(tmp_path / "out.opml"))
    assert code == 0 and "Imported 1 new feeds of 2" in imported
    (tmp_path / "bad.opml").write_bytes(b"<html>")
    code, _, err = run("feeds", "import", str(tmp_path / "bad.opml"))
    assert code == 1 and "bad.opml" in err
    code, _, err = run("feeds", "import", str(tmp_path / "missing.opml"))
    assert code == 1 and "cannot read" in err
