"""Which language each chat is written to in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatLanguage
from storage.upsert import upsert_rows


async def language_of(session: AsyncSession, chat_id: int) -> ChatLanguage | None:
    return await session.get(ChatLanguage, chat_id)


async def languages_of(session: AsyncSession, chat_ids: Iterable[int]) -> dict[int, str]:
    """The stored language of each of these chats that has one."""
    ids = list(set(chat_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # within every database's bound-parameter limit
        rows = await session.execute(
            select(ChatLanguage.chat_id, ChatLanguage.language).where(
                ChatLanguage.chat_id.in_(ids[start : start + 500])
            )
        )
        for chat_id, language in rows:
            found[chat_id] = language
    return found


async def set_language(
    session: AsyncSession, chat_id: int, language: str, *, chosen: bool, now: datetime
) -> None:
    row = {"chat_id": chat_id, "language": language, "chosen": chosen, "updated_at": now}
    await upsert_rows(session, ChatLanguage, [row], ["chat_id"])


async def seen_language(session: AsyncSession, chat_id: int, language: str, now: datetime) -> None:
    """Telegram's language for a chat that has not chosen one: recorded in one statement that
    never undoes a choice, even one made at the same moment."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(ChatLanguage).values(
        chat_id=chat_id, language=language, chosen=False, updated_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["chat_id"],
            set_={"language": language, "updated_at": now},
            where=ChatLanguage.chosen.is_(False),
        )
    )


async def move_language(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its language follows it to the new chat id (a language the
    new chat already has was set there after the move, and is kept)."""
    moved = await session.get(ChatLanguage, old_chat_id)
    if moved is None:
        return
    if await session.get(ChatLanguage, new_chat_id) is None:
        session.add(
            ChatLanguage(
                chat_id=new_chat_id,
                language=moved.language,
                chosen=moved.chosen,
                updated_at=moved.updated_at,
            )
        )
    await session.execute(delete(ChatLanguage).where(ChatLanguage.chat_id == old_chat_id))
