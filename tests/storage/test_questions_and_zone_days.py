"""Migration 0009 on a database with digests already sent, and the stored questions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from storage import deliveries, questions
from storage.database import Database
from storage.schema import upgrade_schema
from tests.conftest import BOTH_DATABASES
from tests.storage.migrating import upgrade_to

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


@BOTH_DATABASES
async def test_ledger_rows_keep_their_day_and_take_their_zone(database_url: str) -> None:
    db = Database(database_url)
    try:
        await upgrade_to(db, "0003")
        async with db.write_engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO subscribers (id, chat_id, delivery_minute, timezone, topics, "
                    "digest_size, active, next_due_date, next_due_at, created_at, updated_at) "
                    "VALUES (1, 42, 3, 'Asia/Tokyo', '[]', 5, true, :day, :now, :now, :now)"
                ),
                {"day": date(2026, 12, 1), "now": NOW.replace(tzinfo=None)},
            )
            await connection.execute(
                text(
                    "INSERT INTO deliveries (subscriber_id, local_date, status, attempts, "
                    "claimed_at, article_count) VALUES (1, :day, 'sent', 1, :now, 3)"
                ),
                {"day": date(2026, 11, 30), "now": NOW.replace(tzinfo=None)},
            )
        await upgrade_schema(db)
        async with db.read() as session:
            rows = (
                await session.execute(text("SELECT local_date, timezone FROM deliveries"))
            ).all()
            assert [(str(day), zone) for day, zone in rows] == [("2026-11-30", "Asia/Tokyo")]
        # The same date in another zone is another digest: both can be claimed.
        async with db.write() as session:
            await session.execute(text("UPDATE subscribers SET timezone = 'Europe/Berlin'"))
            claimed = await deliveries.claim(session, 1, date(2026, 11, 30), NOW, "me", NOW)
            assert claimed
        async with db.read() as session:
            assert await deliveries.status_of(session, 1, date(2026, 11, 30)) == "sending"
            assert (
                await deliveries.status_of(session, 1, date(2026, 11, 30), "Asia/Tokyo") == "sent"
            )
    finally:
        await db.dispose()


@BOTH_DATABASES
async def test_one_open_question_per_chat(db: Database) -> None:
    async with db.write() as session:
        await questions.ask(session, 7, 0, "zone", {"minute": 450}, NOW)
    async with db.write() as session:
        await questions.asked_in(session, 7, "zone", 99)
        await questions.ask(session, 8, 5, "topics", {}, NOW)
    async with db.read() as session:
        found = await questions.open_question(session, 7)
        assert found is not None and (found.message_id, found.kind) == (99, "zone")
        assert found.pending == {"minute": 450}
    async with db.write() as session:
        await questions.ask(session, 7, 0, "topics", {}, NOW)  # a new question replaces it
        await questions.asked_in(session, 7, "zone", 100)  # the old one's id: not taken
    async with db.read() as session:
        found = await questions.open_question(session, 7)
        assert found is not None and (found.message_id, found.kind) == (0, "topics")
    async with db.write() as session:
        assert await questions.close(session, 7)
        assert not await questions.close(session, 7)
