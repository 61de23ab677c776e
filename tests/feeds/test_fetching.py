"""Fetching from a real HTTP server on loopback: validators, gzip, redirects, faults, limits."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.feeds.fetching import Fetcher, HostPacer
from bot.rendering.feed_errors import english_error
from tests.feeds.documents import Story, rss2
from tests.feeds.server import FeedServer, Route

BODY = rss2("Wire", "http://news.example/", [Story("One", "<p>x</p>", link="http://x.ex/1")])


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    client = Fetcher(pacer=HostPacer(0.0), timeout=2.0, max_bytes=200_000)
    yield client
    await client.close()


async def test_etag_and_last_modified_are_sent_back_and_304_costs_no_body(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route(
        "/rss", Route(BODY, etag='"v1"', last_modified="Sat, 28 Nov 2026 08:00:00 GMT")
    )
    first = await fetcher.fetch(url)
    assert first.status == 200 and first.body == BODY
    assert first.etag == '"v1"' and first.last_modified == "Sat, 28 Nov 2026 08:00:00 GMT"
    second = await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body is None and second.error is None
    sent = server.hits("/rss")[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Sat, 28 Nov 2026 08:00:00 GMT"


async def test_gzip_is_decoded(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.route("/gz", Route(BODY, gzip=True))
    fetched = await fetcher.fetch(url)
    assert fetched.body == BODY
    assert "gzip" in server.hits("/gz")[0].headers.get("accept-encoding", "")


async def test_a_permanent_redirect_moves_the_feed_a_temporary_one_does_not(
    server: FeedServer, fetcher: Fetcher
) -> None:
    new = server.route("/new", Route(BODY))
    server.route("/old", Route(status=301, location="/new"))
    server.route("/tmp", Route(status=302, location=new))
    server.route("/chain", Route(status=301, location="/tmp"))
    moved = await fetcher.fetch(server.url("/old"))
    assert moved.body == BODY and moved.moved_to == new
    temporary = await fetcher.fetch(server.url("/tmp"))
    assert temporary.body == BODY and temporary.moved_to is None
    chain = await fetcher.fetch(server.url("/chain"))  # 301 then 302: not moved for good
    assert chain.body == BODY and chain.moved_to is None
    server.route("/loop", Route(status=302, location="/loop"))
    loop = await fetcher.fetch(server.url("/loop"))
    assert loop.error is not None and "redirects" in english_error(loop.error)


async def test_server_errors_and_missing_feeds_are_reported(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route("/down", Route(b"oops", status=500, content_type="text/plain"))
    assert english_error((await fetcher.fetch(url)).error or "") == "HTTP 500"
    assert english_error((await fetcher.fetch(server.url("/nowhere"))).error or "") == "HTTP 404"


async def test_a_server_that_hangs_is_given_up_on(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.route("/hang", Route(BODY, hang=5))
    started = time.monotonic()
    fetched = await fetcher.fetch(url)
    assert fetched.error is not None and "no answer" in english_error(fetched.error)
    assert time.monotonic() - started < 4.5


async def test_nothing_answers_on_a_closed_port(fetcher: Fetcher) -> None:
    with FeedServer() as gone:
        url = gone.url("/rss")
    fetched = await fetcher.fetch(url)
    assert english_error(fetched.error or "") == "cannot connect"


async def test_oversized_feeds_are_cut_off_streamed_or_declared(
    server: FeedServer, fetcher: Fetcher
) -> None:
    streamed = server.route("/huge", Route(stream_bytes=5_000_000))
    fetched = await fetcher.fetch(streamed)
    assert (
        fetched.body is None and fetched.error is not None and "MB" in english_error(fetched.error)
    )
    declared = server.route("/big", Route(b"x" * 300_000))
    fetched = await fetcher.fetch(declared)
    assert (
        fetched.body is None and fetched.error is not None and "MB" in english_error(fetched.error)
    )
    # A gzip bomb: small on the wire, over the cap once decoded.
    bomb = server.route("/bomb", Route(b" " * 2_000_000, gzip=True))
    fetched = await fetcher.fetch(bomb)
    assert fetched.body is None and fetched.error is not None


async def test_one_request_a_second_per_host(server: FeedServer) -> None:
    server.route("/a", Route(BODY))
    server.route("/b", Route(BODY))
    fetcher = Fetcher(pacer=HostPacer(1.0), timeout=5)
    try:
        for path in ("/a", "/b", "/a"):
            await fetcher.fetch(server.url(path))
        await fetcher.fetch(server.url("/b", host="localhost"))  # another host: not held back
    finally:
        await fetcher.close()
    times = sorted(r.at for r in server.requests)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[:3])]
    assert all(gap >= 0.95 for gap in gaps), gaps
    assert times[3] - times[2] < 0.9
