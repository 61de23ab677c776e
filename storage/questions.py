"""Questions the bot asked a chat and awaits the answer to: one open question per chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Question


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
    """Record the question (it replaces any the chat had open)."""
    found = await open_question(session, chat_id)
    if found is None:
        session.add(
            Question(
                chat_id=chat_id, message_id=message_id, kind=kind, pending=pending, asked_at=now
            )
        )
    else:
        found.message_id, found.kind, found.pending, found.asked_at = (
            message_id,
            kind,
            pending,
            now,
        )
    await session.flush()


async def close(session: AsyncSession, chat_id: int) -> bool:
    """Forget the chat's open question; False if it had none."""
    result = await session.execute(delete(Question).where(Question.chat_id == chat_id))
    return bool(getattr(result, "rowcount", 0))
