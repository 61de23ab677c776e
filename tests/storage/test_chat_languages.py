"""Each chat's language (migration 0013): Telegram's until chosen, a choice never undone by
Telegram's, carried to the new id of a group that became a supergroup."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.languages import LanguageService, chat_translator
from storage import languages, subscribers
from storage.database import Database
from storage.models import Subscriber
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@BOTH_DATABASES
async def test_telegrams_language_until_one_is_chosen(db: Database) -> None:
    service = LanguageService(db, FixedClock(NOW))
    assert (await service.for_chat(1)).code == "en"  # nothing known: English
    assert (await service.for_chat(1, "ru-RU")).code == "ru"
    assert (await chat_translator(db, 1)).code == "ru"  # what a digest to the chat will speak
    assert (await service.for_chat(1, "pt-BR")).code == "en"  # one we do not speak
    assert (await service.for_chat(1)).code == "en"  # no code (a digest): the one recorded
    assert (await service.choose(1, "es")).code == "es"
    assert (await service.for_chat(1, "ru")).code == "es"  # the choice stays
    async with db.write() as session:  # even against a write that raced with the choice
        await languages.seen_language(session, 1, "ru", NOW)
    assert (await chat_translator(db, 1)).code == "es"
    assert (await service.chosen(1)) is not None and (await service.chosen(2)) is None
    found = await service.for_chats([1, 2, 3])
    assert {chat: tr.code for chat, tr in found.items()} == {1: "es", 2: "en", 3: "en"}


@BOTH_DATABASES
async def test_a_groups_language_follows_it_to_the_supergroup(db: Database) -> None:
    group, supergroup = -100, -1001234
    service = LanguageService(db, FixedClock(NOW))
    await service.choose(group, "ru")
    async with db.write() as session:
        session.add(
            Subscriber(
                chat_id=group, user_id=5, delivery_minute=480, timezone="UTC", topics=[],
                digest_size=5, active=True, next_due_date=NOW.date(), next_due_at=NOW,
                created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
    async with db.read() as session:
        [subscriber] = await subscribers.active(session, after_id=0, limit=10)
    async with db.write() as session:
        await subscribers.move_chat(session, subscriber.id, supergroup, NOW)
    assert (await chat_translator(db, supergroup)).code == "ru"
    assert await service.chosen(supergroup) is not None
    async with db.read() as session:
        assert await languages.language_of(session, group) is None
