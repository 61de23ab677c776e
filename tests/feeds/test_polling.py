"""Polling feeds into the store, on SQLite and PostgreSQL, from a real server on loopback."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.admin.stats import gather
from bot.feeds.errors import FeedError
from bot.feeds.fetching import Fetcher, HostPacer
from bot.feeds.manage import FeedManager
from bot.feeds.poller import FeedPoller, backoff
from bot.i18n import ENGLISH
from bot.metrics import Metrics
from bot.rendering.admin import stats_text
from bot.rendering.feed_errors import english_error
from bot.search.service import SearchService
from storage import articles
from storage import feeds as store
from storage.database import Database
from storage.models import Article, Feed
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES
from tests.feeds.documents import LOGIN_WALL, Story, article_page, atom, long_body, rss1, rss2
from tests.feeds.server import FeedServer, Route

pytestmark = BOTH_DATABASES


class StepClock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
async def poller(db: Database, clock: StepClock) -> AsyncIterator[FeedPoller]:
    fetcher = Fetcher(pacer=HostPacer(0.0), timeout=3.0)
    running = FeedPoller(db, clock, instance="test-a", poll_minutes=15, fetcher=fetcher)
    yield running
    await running.stop()


def stories(prefix: str, count: int, host: str = "http://news.example") -> list[Story]:
    return [
        Story(
            f"{prefix} story number {n} about harbour dredging",
            long_body(f"{prefix} {n}"),
            link=f"{host}/{prefix}/{n}",
            guid=f"{prefix}-{n}",
            date=f"Sat, 28 Nov 2026 0{n % 10}:00:00 GMT",
            categories=["Local"],
        )
        for n in range(count)
    ]


async def add(db: Database, clock: StepClock, url: str) -> int:
    return (await FeedManager(db, clock).add(url)).feed.id


async def live_articles(db: Database) -> list[Article]:
    async with db.read() as session:
        return list(await session.scalars(select(Article).where(Article.retracted.is_(False))))


async def feed_row(db: Database, feed_id: int) -> Feed:
    async with db.read() as session:
        feed = await session.get(Feed, feed_id)
        assert feed is not None
        return feed


async def test_each_format_polled_into_articles_then_304_adds_nothing(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    rss = server.route(
        "/rss2", Route(rss2("Herald", "http://news.example/", stories("a", 3)), etag='"r1"')
    )
    rdf = server.route("/rss1", Route(rss1("Wire", "http://news.example/", stories("b", 2))))
    feed = server.route(
        "/atom",
        Route(
            atom("Post", "http://news.example/", stories("c", 2)),
            last_modified="Sat, 28 Nov 2026 09:00:00 GMT",
        ),
    )
    ids = [await add(db, clock, url) for url in (rss, rdf, feed)]
    report = await poller.poll()
    assert report.count("ok") == 3 and len(report.added) == 7
    found = await live_articles(db)
    assert len(found) == 7
    assert {a.source for a in found} == {"Herald", "Wire", "Post"}
    assert all(a.url and a.url.startswith("http://news.example/") for a in found)
    first = await feed_row(db, ids[0])
    assert first.items_seen == 3 and first.etag == '"r1"' and first.last_status == "ok"
    # Not due yet: nothing is fetched.
    hits = len(server.requests)
    assert (await poller.poll()).outcomes == []
    assert len(server.requests) == hits
    clock.moment += timedelta(minutes=16)
    again = await poller.poll()
    assert again.count("unchanged") == 2 and again.count("ok") == 1  # rss1 has no validators
    assert again.added == [] and len(await live_articles(db)) == 7
    assert server.hits("/rss2")[-1].headers["if-none-match"] == '"r1"'
    assert (await feed_row(db, ids[2])).last_status == "unchanged"


async def test_the_same_story_in_two_feeds_or_a_feed_and_a_seed_is_stored_once(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock, tmp_path: Path
) -> None:
    shared = stories("s", 2)
    one = server.route("/one", Route(rss2("One", "http://news.example/", shared)))
    # The second feed carries the same links under its own GUIDs and titles...
    renamed = [
        Story(s.title.upper(), s.body, link=s.link, guid="x" + (s.guid or "")) for s in shared
    ]
    two = server.route("/two", Route(atom("Two", "http://news.example/", renamed)))
    await add(db, clock, one)
    await add(db, clock, two)
    report = await poller.poll()
    assert len(report.added) == 2 and len(await live_articles(db)) == 2
    # ... and a seed file holds a third copy of the first story's text.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    first = next(a for a in await live_articles(db) if a.url == shared[0].link)
    (seeds / "copy.txt").write_text(first.title + "\n\n" + first.body, encoding="utf-8")
    seed_report = await load_seeds(db, seeds, now=clock.now())
    assert seed_report.duplicates and not seed_report.added
    # A seed load never retracts what feeds brought (the feeds' articles are no seed file's).
    shutil.rmtree(seeds)
    seeds.mkdir()
    await load_seeds(db, seeds, now=clock.now())
    assert len(await live_articles(db)) == 2


async def test_a_story_first_from_a_seed_is_not_stored_again_from_a_feed(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bridge.json").write_text(
        '{"title": "Bridge vote", "body": "The council voted.", '
        '"url": "http://news.example/bridge"}',
        encoding="utf-8",
    )
    await load_seeds(db, seeds, now=clock.now())
    story = Story(
        "Bridge vote: council says yes",
        long_body("bridge"),
        link="http://news.example/bridge",
        guid="b1",
    )
    await add(db, clock, server.route("/f", Route(rss2("Herald", "http://n.ex/", [story]))))
    report = await poller.poll()
    assert report.added == [] and report.new_items == 1
    assert len(await live_articles(db)) == 1


async def test_duplicate_guids_store_the_first_item(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    items = [
        Story("First take", long_body("first"), guid="dup", link="http://n.ex/1"),
        Story("Second take", long_body("second"), guid="dup", link="http://n.ex/2"),
    ]
    await add(db, clock, server.route("/dup", Route(rss2("Herald", "http://n.ex/", items))))
    await poller.poll()
    assert [a.title for a in await live_articles(db)] == ["First take"]


async def test_teasers_take_the_text_of_their_page_unless_it_is_a_login_wall(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    open_page = server.route(
        "/news/open",
        Route(article_page("Harbour reopens"), content_type="text/html; charset=utf-8"),
    )
    walled = server.route("/news/walled", Route(LOGIN_WALL, content_type="text/html"))
    items = [
        Story("Harbour reopens", "<p>The harbour reopened on Monday…</p>", link=open_page),
        Story("Secret budget", "<p>Ministers kept a second budget…</p>", link=walled),
    ]
    await add(db, clock, server.route("/teasers", Route(rss2("Herald", "http://n.ex/", items))))
    await poller.poll()
    by_title = {a.title: a for a in await live_articles(db)}
    opened = by_title["Harbour reopens"]
    assert len(opened.paragraphs) >= 5 and "harbour reopens" in opened.body
    assert "Home" not in opened.body and "All rights reserved" not in opened.body
    assert by_title["Secret budget"].body == "Ministers kept a second budget…"


async def test_a_failing_feed_backs_off_reports_and_recovers(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    url = server.route("/flaky", Route(b"down", status=500, content_type="text/plain"))
    feed_id = await add(db, clock, url)
    waits = []
    for failures in (1, 2, 3):
        report = await poller.poll()
        assert report.count("error") == 1
        feed = await feed_row(db, feed_id)
        assert (
            feed.consecutive_failures == failures
            and english_error(FeedError.decode(feed.last_error or "")) == "HTTP 500"
        )
        waits.append(feed.next_attempt_at - clock.now())
        clock.moment = feed.next_attempt_at
    assert waits == [backoff(timedelta(minutes=15), n) for n in (1, 2, 3)]
    assert waits[0] < waits[1] < waits[2]
    async with db.read() as session:
        assert (await store.feed_counts(session)).failing == 1
    server.route("/flaky", Route(rss2("Herald", "http://n.ex/", stories("f", 1))))
    report = await poller.poll()
    assert report.count("ok") == 1
    feed = await feed_row(db, feed_id)
    assert feed.consecutive_failures == 0 and feed.last_error is None
    assert feed.next_attempt_at == clock.now() + timedelta(minutes=15)


async def test_malformed_feed_keeps_its_items_and_shows_the_error(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    body = rss2("Herald", "http://n.ex/", stories("m", 2)).replace(
        b"</channel></rss>", b"<item><title>broken & cut"
    )
    feed_id = await add(db, clock, server.route("/bad", Route(body)))
    await poller.poll()
    assert len(await live_articles(db)) == 2
    feed = await feed_row(db, feed_id)
    assert (
        feed.last_status == "ok"
        and feed.last_error
        and "malformed" in english_error(FeedError.decode(feed.last_error))
    )
    garbage = await add(db, clock, server.route("/junk", Route(b"<html>no feed</html>")))
    await poller.poll()
    junk = await feed_row(db, garbage)
    assert junk.last_status == "error" and junk.consecutive_failures == 1


async def test_a_permanent_redirect_updates_the_stored_address(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    new = server.route("/moved-here", Route(rss2("Herald", "http://n.ex/", stories("r", 1))))
    server.route("/moved", Route(status=301, location="/moved-here"))
    server.route("/visiting", Route(status=302, location="/moved-here"))
    moved = await add(db, clock, server.url("/moved"))
    visiting = await add(db, clock, server.url("/visiting"))
    await poller.poll()
    assert (await feed_row(db, moved)).url == new
    assert (await feed_row(db, visiting)).url == server.url("/visiting")


async def test_one_instance_polls_a_feed_at_a_time_and_a_dead_ones_claim_runs_out(
    db: Database, server: FeedServer, clock: StepClock
) -> None:
    url = server.route("/shared", Route(rss2("Herald", "http://n.ex/", stories("c", 1))))
    feed_id = await add(db, clock, url)
    async with db.write() as session:  # an instance that claimed it and died
        assert await store.claim(session, feed_id, "dead", clock.now(), timedelta(minutes=10))
    other = FeedPoller(
        db, clock, instance="b", poll_minutes=15, fetcher=Fetcher(pacer=HostPacer(0.0))
    )
    try:
        assert (await other.poll()).outcomes == []
        assert server.hits("/shared") == []
        clock.moment += timedelta(minutes=11)
        report = await other.poll()
        assert report.count("ok") == 1 and len(report.added) == 1
        assert (await feed_row(db, feed_id)).claimed_by is None
    finally:
        await other.stop()


async def test_new_feed_articles_answer_search_and_top_latest_at_once(
    db: Database, server: FeedServer, clock: StepClock, tmp_path: Path
) -> None:
    search = SearchService(db, index_folder=tmp_path / "index")
    await search.warm_up()

    async def refreshed(_: list[str]) -> None:
        await search.warm_up()

    poller = FeedPoller(
        db,
        clock,
        instance="a",
        poll_minutes=15,
        fetcher=Fetcher(pacer=HostPacer(0.0)),
        on_new=refreshed,
    )
    story = Story(
        "Lighthouse keeper retires after forty years",
        long_body("the lighthouse"),
        link="http://n.ex/lighthouse",
        date="Sun, 29 Nov 2026 11:00:00 GMT",
    )
    await add(db, clock, server.route("/lh", Route(rss2("Coast News", "http://n.ex/", [story]))))
    try:
        await poller.poll()
        await search.index_ready()
        result = await search.search("lighthouse keeper")
        assert result.hits and result.hits[0].article.title.startswith("Lighthouse keeper")
        async with db.read() as session:
            newest = await articles.latest(session, limit=1)
            assert newest[0].url == "http://n.ex/lighthouse"
            total = await session.scalar(select(func.count()).select_from(Article))
            assert total == 1
    finally:
        await poller.stop()
        search.close()


async def test_stats_count_feeds_and_name_the_failing_ones(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    good = server.route("/ok", Route(rss2("Herald", "http://n.ex/", stories("k", 1))))
    bad = server.route("/gone", Route(b"gone", status=410, content_type="text/plain"))
    await add(db, clock, good)
    paused = await add(db, clock, server.route("/p", Route(b"")))
    await FeedManager(db, clock).set_paused(paused, True)
    await add(db, clock, bad)
    await poller.poll()
    stats = await gather(db, clock.now(), 60)
    text = stats_text(ENGLISH, stats, html=False)
    assert f"⚠️ Feeds: 3 (1 paused, 1 failing): {bad}: HTTP 410" in text


async def test_a_hanging_or_oversized_feed_fails_alone_and_the_others_are_stored(
    db: Database, server: FeedServer, clock: StepClock
) -> None:
    hang = server.route("/hang", Route(rss2("Slow", "http://n.ex/", stories("h", 1)), hang=4))
    huge = server.route("/huge", Route(stream_bytes=3_000_000))
    good = server.route("/fine", Route(rss2("Herald", "http://n.ex/", stories("g", 2)), gzip=True))
    ids = [await add(db, clock, url) for url in (hang, huge, good)]
    fetcher = Fetcher(pacer=HostPacer(0.0), timeout=1.5, max_bytes=1_000_000)
    poller = FeedPoller(db, clock, instance="a", poll_minutes=15, fetcher=fetcher)
    try:
        report = await poller.poll()
    finally:
        await poller.stop()
    assert report.count("error") == 2 and len(report.added) == 2
    errors = [
        english_error(FeedError.decode((await feed_row(db, feed_id)).last_error or ""))
        for feed_id in ids
    ]
    assert "no answer" in errors[0] and "MB" in errors[1] and errors[2] == ""
    for feed_id in ids:
        assert (await feed_row(db, feed_id)).claimed_by is None


async def test_a_feeds_password_stays_out_of_the_log(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.route("/private", Route(b"no", status=401, content_type="text/plain"))
    url = f"http://reader:s3cret-pass@127.0.0.1:{server.port}/private"
    await add(db, clock, url)
    with caplog.at_level("INFO"):
        report = await poller.poll()
    assert report.count("error") == 1
    # httpx's own request lines are silenced by bot/logging_setup.py (a Bot API URL holds the
    # token); ours must not bring the password back.
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "HTTP 401" in ours and "s3cret-pass" not in ours
    assert server.hits("/private")[0].headers["authorization"].startswith("Basic ")


async def test_feed_polls_show_in_the_metrics(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    metrics = Metrics()
    poller.on_report = metrics.feed_poll
    good = server.route("/good", Route(rss2("Herald", "http://n.ex/", stories("m", 2))))
    bad = server.route("/bad", Route(b"down", status=500, content_type="text/plain"))
    await add(db, clock, good)
    await add(db, clock, bad)
    await poller.poll()
    text = metrics.render()[0].decode()
    assert 'newsbot_feed_polls_total{outcome="ok"} 1.0' in text
    assert 'newsbot_feed_polls_total{outcome="error"} 1.0' in text
    assert "newsbot_feed_items_total 2.0" in text
