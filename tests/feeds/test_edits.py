"""A story the publisher edits (the same GUID, another text) updates its article in place; a
seed's article is never overwritten by a feed. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from bot.feeds.poller import FeedPoller
from storage.database import Database
from storage.models import FeedItem
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES
from tests.feeds.documents import Story, long_body, rss2
from tests.feeds.server import FeedServer, Route
from tests.feeds.test_polling import StepClock, add, clock, live_articles, poller, server

pytestmark = BOTH_DATABASES
__all__ = ["clock", "poller", "server"]  # the fixtures, shared with the polling tests

LINK = "http://n.ex/bridge"


def publish(server: FeedServer, title: str, topic: str, market: str = "Market opens") -> str:
    stories = [
        Story(title, long_body(topic), link=LINK, guid="bridge-1"),
        Story(market, long_body("the market"), link="http://n.ex/market", guid="m-1"),
    ]
    return server.route("/edits", Route(rss2("Herald", "http://n.ex/", stories)))


async def test_an_item_whose_text_changed_under_its_guid_updates_its_article(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock
) -> None:
    await add(db, clock, publish(server, "Bridge closes for repairs", "the bridge"))
    await poller.poll()
    [bridge] = [a for a in await live_articles(db) if a.url == LINK]
    publish(server, "Bridge closes for two weeks of repairs", "the bridge works")
    clock.moment += timedelta(minutes=16)
    report = await poller.poll()
    assert (report.updated, report.added, report.new_items) == (1, [], 0)
    after = {a.id: a for a in await live_articles(db)}
    assert len(after) == 2
    edited = after[bridge.id]
    assert edited.title == "Bridge closes for two weeks of repairs"
    assert "the bridge works" in edited.body and edited.summary is None
    # The same article for readers: its id, and its place among what arrived when.
    assert (edited.short_id, edited.loaded_at) == (bridge.short_id, bridge.loaded_at)
    clock.moment += timedelta(minutes=16)
    assert (await poller.poll()).updated == 0  # carried again unchanged: nothing to do


async def test_items_stored_before_their_text_was_kept_and_seed_stories_are_left_alone(
    db: Database, poller: FeedPoller, server: FeedServer, clock: StepClock, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bridge.json").write_text(
        f'{{"title": "Bridge vote", "body": "The council voted.", "url": "{LINK}"}}',
        encoding="utf-8",
    )
    await load_seeds(db, seeds, now=clock.now())
    await add(db, clock, publish(server, "Bridge closes for repairs", "the bridge"))
    await poller.poll()
    async with db.write() as session:  # as rows stored before migration 0011 are
        await session.execute(update(FeedItem).values(item_hash=None))
    # The market's text is recorded now; with nothing to compare with, it is no edit yet.
    publish(server, "Bridge closes for repairs", "the bridge", market="Market opens early")
    clock.moment += timedelta(minutes=16)
    assert (await poller.poll()).updated == 0
    publish(server, "Bridge closes for repairs", "the bridge", market="Market opens at six")
    clock.moment += timedelta(minutes=16)
    assert (await poller.poll()).updated == 1
    # The bridge item's article is the seed's: the seed file is its text.
    publish(server, "Bridge closes for two weeks", "the bridge works", market="Market opens at six")
    clock.moment += timedelta(minutes=16)
    assert (await poller.poll()).updated == 0
    [seeded] = [a for a in await live_articles(db) if a.url == LINK]
    assert (seeded.title, seeded.body) == ("Bridge vote", "The council voted.")
