"""Migration 0012 on a database with private and group subscribers, and /stats by kind."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from storage import subscribers
from storage.database import Database
from storage.schema import upgrade_schema
from tests.conftest import BOTH_DATABASES
from tests.storage.migrating import upgrade_to

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


@BOTH_DATABASES
async def test_groups_stay_groups_and_stats_count_each_kind(database_url: str) -> None:
    db = Database(database_url)
    try:
        await upgrade_to(db, "0009")
        async with db.write_engine.begin() as connection:
            for chat_id in (42, -4001, -1005002):
                await connection.execute(
                    text(
                        "INSERT INTO subscribers (chat_id, delivery_minute, timezone, topics, "
                        "digest_size, active, next_due_date, next_due_at, created_at, "
                        "updated_at) VALUES (:chat, 3, 'UTC', '[]', 5, true, :day, :now, "
                        ":now, :now)"
                    ),
                    {"chat": chat_id, "day": date(2026, 12, 1),
                     "now": NOW.replace(tzinfo=None)},
                )  # fmt: skip
        await upgrade_schema(db)
        async with db.read() as session:
            found = {s.chat_id: s for s in await subscribers.active(session, after_id=0, limit=9)}
        assert {c: (s.kind, s.thread_id, s.words) for c, s in found.items()} == {
            42: ("private", None, []),
            -4001: ("group", None, []),
            -1005002: ("group", None, []),
        }
        async with db.write() as session:
            await session.execute(
                text("UPDATE subscribers SET thread_id = 7 WHERE chat_id = -1005002")
            )
            await subscribers.save(
                session, chat_id=-1009, user_id=42, minute=0, timezone="UTC", topics=(),
                digest_size=5, active=True, next_due=(date(2026, 12, 1), NOW), now=NOW,
                words=("+vote",), kind="channel", title="Wire",
            )  # fmt: skip
        async with db.read() as session:
            assert await subscribers.counts_by_kind(session) == {
                "private": 1, "group": 1, "topic": 1, "channel": 1,
            }  # fmt: skip
            [channel] = await subscribers.channels_of(session, 42)
            assert (channel.title, channel.words) == ("Wire", ["+vote"])
    finally:
        await db.dispose()
