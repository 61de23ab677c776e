"""The language each chat is written to in: chosen with /language, else Telegram's."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from babel import Locale

from bot.clock import Clock
from bot.i18n import DEFAULT, LANGUAGES, Translator, supported, translator
from storage import languages
from storage.database import Database
from storage.folding import fold


@functools.cache
def _names() -> dict[str, str]:
    """Each language's code and its name in every language spoken here, folded: `es`,
    `español`, `spanish`, `испанский`."""
    found: dict[str, str] = {}
    for code in LANGUAGES:
        found[code] = code
        for shown_in in LANGUAGES:
            name = Locale.parse(code).get_display_name(Locale.parse(shown_in))
            if name:
                found[fold(name)] = code
    return found


def language_named(typed: str) -> str | None:
    """The code of the language `typed` names (`/language es`, `es-419`, `Español`, `russian`),
    case and accents aside; None for one the bot does not speak."""
    folded = fold(typed.strip())
    primary = folded.replace("_", "-").split("-", 1)[0]
    return _names().get(folded) or (primary if primary in LANGUAGES else None)


async def chat_translator(db: Database, chat_id: int) -> Translator:
    """The stored language of one chat (English if none): for a message nobody asked for."""
    async with db.read() as session:
        stored = await languages.language_of(session, chat_id)
    return translator(stored.language if stored is not None else None)


class LanguageService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def for_chat(self, chat_id: int, telegram_code: str | None = None) -> Translator:
        """The chat's language: the one it chose, else Telegram's `language_code` of the person
        writing (recorded, so digests and broadcasts to the chat speak it too), else the one
        recorded before, else English."""
        async with self.db.read() as session:
            stored = await languages.language_of(session, chat_id)
        if stored is not None and (stored.chosen or not telegram_code):
            return translator(stored.language)
        if not telegram_code:
            return translator(None)
        seen = supported(telegram_code)
        # Nothing to write for a chat that is and was English: the default costs no row.
        if (stored is None and seen != DEFAULT) or (stored is not None and stored.language != seen):
            async with self.db.write() as session:
                await languages.seen_language(session, chat_id, seen, self.clock.now())
        return translator(seen)

    async def choose(self, chat_id: int, code: str) -> Translator:
        """The chat's choice, kept whatever language its people's apps are in."""
        chosen = supported(code)
        async with self.db.write() as session:
            await languages.set_language(
                session, chat_id, chosen, chosen=True, now=self.clock.now()
            )
        return translator(chosen)

    async def chosen(self, chat_id: int) -> Translator | None:
        """The language the chat chose with /language, if it did."""
        async with self.db.read() as session:
            stored = await languages.language_of(session, chat_id)
        return translator(stored.language) if stored is not None and stored.chosen else None

    async def for_chats(self, chat_ids: Iterable[int]) -> dict[int, Translator]:
        """Each chat's language, for messages nobody asked for (digests, announcements)."""
        ids = list(chat_ids)
        async with self.db.read() as session:
            stored = await languages.languages_of(session, ids)
        return {chat_id: translator(stored.get(chat_id)) for chat_id in ids}
