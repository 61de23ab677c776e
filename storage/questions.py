"""Questions the bot asked a chat and awaits the answer to: one open question per chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Question
from storage.upsert import upsert_rows


async def open_question(session: AsyncSession, chat_id: int) -> Question | None:
    return await session.scalar(select(Question).where(Question.chat_id == chat_id))


async def ask(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    kind: str,
    pending: dict[str, Any],
    now: datetime,
) -> None:
    """Open the question (it replaces any the chat had open); one statement, so two handlers
    of the same chat at once cannot both insert."""
    row = {
        "chat_id": chat_id,
        "message_id": message_id,
        "kind": kind,
        "pending": pending,
        "asked_at": now,
    }
    await upsert_rows(session, Question, [row], ["chat_id"])


async def asked_in(session: AsyncSession, chat_id: int, kind: str, message_id: int) -> None:
    """The question went out as `message_id`; if it was answered meanwhile, nothing to do."""
    await session.execute(
        update(Question)
        .where(Question.chat_id == chat_id, Question.kind == kind, Question.message_id == 0)
        .values(message_id=message_id)
    )


async def close(session: AsyncSession, chat_id: int) -> bool:
    """Forget the chat's open question; False if it had none."""
    result = await session.execute(delete(Question).where(Question.chat_id == chat_id))
    return bool(getattr(result, "rowcount", 0))
