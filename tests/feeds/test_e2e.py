"""Feeds end to end: `run_bot.py feeds add` to an article that answers /search and tops /latest,
and /feeds in the chat, with the real bot process, the fake Bot API and a feed server on
loopback. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PROJECT
from tests.e2e.harness import ADMIN_ID, BotProcess, fresh_fake, query_db, wait_until
from tests.feeds.documents import Story, article_page, atom, long_body, rss2
from tests.feeds.server import FeedServer, Route

pytestmark = pytest.mark.e2e
_ids = itertools.count(880_000)

tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture(scope="module")
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def run_cli(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "run_bot.py"), *args],
        env=bot.env(),
        cwd=bot.workdir,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def feed_bot(
    tg: FakeTelegramThread,
    feed_server: FeedServer,
    tmp_path_factory: pytest.TempPathFactory,
    module_database: dict[str, str],
) -> Iterator[BotProcess]:
    workdir: Path = tmp_path_factory.mktemp("feed-bot")
    bot = BotProcess(tg, workdir, extra_env=module_database)
    bot.seeds.mkdir(parents=True, exist_ok=True)
    page = feed_server.route(
        "/news/otters", Route(article_page("Otters return to the river"), content_type="text/html")
    )
    stories = [
        Story(
            "Otters return to the <em>river</em> after fifty years",
            "<p>Conservationists counted six otters…</p>",
            link=page,
            guid="otters",
            categories=["Nature"],
        ),
        Story(
            "Ferry timetable changes for winter",
            long_body("the ferry"),
            link=feed_server.url("/news/ferry"),
            guid="ferry",
            date="Sat, 28 Nov 2026 06:00:00 GMT",
        ),
    ]
    url = feed_server.route(
        "/river.xml", Route(rss2("River Gazette", "/", stories), etag='"g1"', gzip=True)
    )
    added = run_cli(bot, "feeds", "add", url)
    assert added.returncode == 0 and "Feed #1 added" in added.stdout, added.stderr
    bot.start()  # polls the due feeds at start-up
    tg.ask(ADMIN_ID, "/start")
    yield bot
    bot.stop()


def test_feed_added_on_the_command_line_answers_search_and_tops_latest(
    feed_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    user = next(_ids)

    def found() -> bool:
        [reply] = tg.ask(user, "/search otters river")
        return "Otters return to the river" in reply.text

    wait_until(found, 30, "the feed's article in search", interval=0.5)
    [latest] = tg.ask(user, "/latest 2")
    assert latest.text.index("Otters return") < latest.text.index("Ferry timetable")
    # The teaser became the page's story: the full text holds its paragraphs, not the teaser.
    [short_id] = [
        row[0] for row in query_db(feed_bot, "SELECT short_id FROM articles WHERE title LIKE ?",
                                   "Otters%")
    ]  # fmt: skip
    replies = tg.ask(user, f"/article {short_id}")
    assert "Paragraph 3 about otters return to the river" in replies[0].text
    assert "Read at the source" in replies[-1].text
    [summary] = tg.ask(user, f"/summary {short_id}")
    assert (summary.button("Read at the source").url or "").endswith("/news/otters")
    listed = run_cli(feed_bot, "feeds", "list")
    assert "River Gazette" in listed.stdout and "2 items" in listed.stdout


def test_feeds_in_the_chat_list_add_pause_and_remove(
    feed_bot: BotProcess, tg: FakeTelegramThread, feed_server: FeedServer
) -> None:
    [refused] = tg.ask(next(_ids), "/feeds")
    assert refused.text == "This command is for admins."
    [bad] = tg.ask(ADMIN_ID, "/feeds add javascript:alert(1)")
    assert bad.text.startswith("❌ Not added")
    second = feed_server.route(
        "/harbour.atom",
        Route(atom("Harbour Post", "/", [Story("Harbour crane topples in storm",
                                                long_body("the crane"), link="/crane")]),
              content_type="application/atom+xml"),
    )  # fmt: skip
    [added] = tg.ask(ADMIN_ID, f"/feeds add {second}")
    assert added.text.startswith("✅ Feed #2 added")

    def fetched() -> bool:
        [reply] = tg.ask(ADMIN_ID, "/feeds")
        return "Harbour Post" in reply.text and "ago, 1 item\n" in reply.text  # not "1 items"

    wait_until(fetched, 30, "the second feed to be fetched", interval=0.5)
    [listing] = tg.ask(ADMIN_ID, "/feeds")
    assert "River Gazette" in listing.text and "fetched" in listing.text
    mark = tg.mark()
    query = tg.press_button(
        listing.message_id, listing.button("Pause #2").callback_data or "", user_id=ADMIN_ID
    )
    assert tg.callback_answer(query).text == "Feed #2 paused."
    edited = tg.wait_for_edit(ADMIN_ID, listing.message_id, after=mark)
    assert "Resume #2" in str(edited.all_buttons)
    assert query_db(feed_bot, "SELECT paused FROM feeds WHERE id = 2")[0][0] in (1, True)
    [removed] = tg.ask(ADMIN_ID, "/feeds remove 2")
    assert removed.text == "Feed #2 removed; its articles stay."
    [search] = tg.ask(ADMIN_ID, "/search harbour crane")
    assert "Harbour crane topples" in search.text
    exported = run_cli(feed_bot, "feeds", "export")
    assert "river.xml" in exported.stdout and "harbour" not in exported.stdout
