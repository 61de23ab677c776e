"""`run_bot.py feeds ...`: add, list, remove, poll, import and export OPML."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from bot.clock import Clock
from bot.feeds.manage import BadFeedUrl, FeedManager
from bot.feeds.opml import OpmlError, read_opml, write_opml
from bot.feeds.poller import FeedPoller
from bot.i18n import ENGLISH
from bot.rendering.feeds import feeds_plain, poll_plain
from bot.settings import Settings
from bot.store import open_database
from bot.summaries.service import SummaryService
from storage.seeds.names import shown


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    feeds = commands.add_parser("feeds", help="manage the RSS and Atom feeds the bot polls")
    feed_commands = feeds.add_subparsers(dest="feeds_command", required=True)
    add = feed_commands.add_parser("add", help="add a feed (it is fetched at the next poll)")
    add.add_argument("url")
    feed_commands.add_parser("list", help="every feed with its last fetch, items and errors")
    remove = feed_commands.add_parser("remove", help="remove a feed (its articles stay)")
    remove.add_argument("feed", metavar="URL|ID")
    poll = feed_commands.add_parser("poll", help="fetch the feeds now and store new articles")
    poll.add_argument("--due", action="store_true", help="only those due (default: every one)")
    opml_in = feed_commands.add_parser("import", help="add every feed of an OPML file")
    opml_in.add_argument("file", type=Path)
    opml_out = feed_commands.add_parser("export", help="write the feeds as OPML")
    opml_out.add_argument("file", type=Path, nargs="?", help="default: standard output")


def _fail(message: str) -> int:
    print(f"run_bot.py: {message}", file=sys.stderr)
    return 1


async def run(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    db = await open_database(settings)
    feeds = FeedManager(db, clock)
    try:
        command = args.feeds_command
        if command == "add":
            try:
                added = await feeds.add(args.url)
            except BadFeedUrl as exc:
                return _fail(f"not added: {exc}")
            state = "added" if added.new else "already on the list"
            print(f"Feed #{added.feed.id} {state}: {added.feed.url}")
            return 0
        if command == "list":
            print(feeds_plain(ENGLISH, await feeds.all(), clock.now()))
            return 0
        if command == "remove":
            found = await feeds.find(args.feed)
            if found is None or not await feeds.remove(found.id):
                return _fail(f"no feed {args.feed!r} (see: run_bot.py feeds list)")
            print(f"Feed #{found.id} removed: {found.url} (its articles stay)")
            return 0
        if command == "poll":
            summaries = SummaryService(db)

            async def summarise(_: list[str]) -> None:
                # As the bot does for its own polls: summaries are ready when a reader asks.
                await summaries.backfill()

            poller = FeedPoller(
                db,
                clock,
                instance=f"cli-{uuid.uuid4().hex[:8]}",
                poll_minutes=settings.FEEDS_POLL_MINUTES,
                on_new=summarise,
            )
            try:
                report = await poller.poll(every=not args.due)
            finally:
                await poller.stop()
                await summaries.close()
            print(poll_plain(ENGLISH, report))
            return 1 if report.count("error") else 0
        if command == "import":
            try:
                outlines = read_opml(args.file.read_bytes())
            except OSError as exc:
                return _fail(f"cannot read {shown(str(args.file))}: {exc.strerror or exc}")
            except OpmlError as exc:
                return _fail(f"{shown(str(args.file))}: {exc}")
            imported, problems = await feeds.add_many(outlines)
            print(f"Imported {len(imported)} new feeds of {len(outlines)} in the file.")
            for problem in problems:
                print(f"  not added: {problem}")
            return 1 if problems else 0
        data = write_opml(await feeds.outlines(), title="newsbot feeds", now=clock.now())
        if args.file is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            args.file.write_bytes(data)
            print(f"Wrote {shown(str(args.file))}")
        return 0
    finally:
        await db.dispose()
