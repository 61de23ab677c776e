"""Alerts: the words and topics chats follow, each chat's settings and claim, and the alert
ledger (one row per chat and article matched, so no article is sent to a chat twice)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import state
from storage.models import AlertChat, AlertItem, Article, Follow

# stale: held past the age alerts are worth (runner.STALE_AFTER) and never sent.
PENDING, SENT, FAILED, STALE = "pending", "sent", "failed", "stale"
SCANNED = "alerts:scanned"  # app_state: articles loaded up to this have been matched


async def chat(session: AsyncSession, chat_id: int) -> AlertChat | None:
    return await session.get(AlertChat, chat_id)


async def ensure_chat(session: AsyncSession, chat_id: int, now: datetime) -> AlertChat:
    """The chat's settings, made with the defaults on its first follow; a chat that had
    stopped (blocked the bot) is active again."""
    found = await session.get(AlertChat, chat_id)
    if found is None:
        found = AlertChat(chat_id=chat_id, active=True, created_at=now, updated_at=now)
        session.add(found)
        await session.flush()
    elif not found.active:
        found.active, found.inactive_reason, found.updated_at = True, None, now
    return found


async def follows_of(session: AsyncSession, chat_id: int) -> list[Follow]:
    rows = await session.scalars(
        select(Follow).where(Follow.chat_id == chat_id).order_by(Follow.kind, Follow.term)
    )
    return list(rows)


async def add_follow(
    session: AsyncSession, chat_id: int, kind: str, term: str, now: datetime
) -> bool:
    """False if the chat follows it already."""
    found = await session.scalar(
        select(Follow.id).where(Follow.chat_id == chat_id, Follow.kind == kind, Follow.term == term)
    )
    if found is not None:
        return False
    session.add(Follow(chat_id=chat_id, kind=kind, term=term, created_at=now))
    await session.flush()
    return True


async def remove_follow(session: AsyncSession, chat_id: int, follow_id: int) -> Follow | None:
    found = await session.get(Follow, follow_id)
    if found is None or found.chat_id != chat_id:
        return None
    await session.delete(found)
    if not await follows_of(session, chat_id):  # nothing left to send: drop what waits
        await session.execute(
            delete(AlertItem).where(AlertItem.chat_id == chat_id, AlertItem.status == PENDING)
        )
    return found


async def active_follows(session: AsyncSession) -> list[Follow]:
    """Every follow of a chat that takes alerts."""
    rows = await session.scalars(
        select(Follow)
        .join(AlertChat, AlertChat.chat_id == Follow.chat_id)
        .where(AlertChat.active.is_(True))
        .order_by(Follow.id)
    )
    return list(rows)


async def scanned_through(session: AsyncSession) -> datetime | None:
    found = await state.get_state(session, SCANNED)
    return datetime.fromisoformat(found["through"]) if found else None


async def mark_scanned(session: AsyncSession, through: datetime, now: datetime) -> None:
    await state.set_state(session, SCANNED, {"through": through.isoformat()}, now)


async def arrived(session: AsyncSession, since: datetime) -> list[tuple[int, datetime]]:
    """(id, loaded at) of the live articles loaded after `since`, in id order: which to match
    (the few not matched yet are then read whole)."""
    rows = await session.execute(
        select(Article.id, Article.loaded_at)
        .where(Article.retracted.is_(False), Article.loaded_at > since)
        .order_by(Article.id)
    )
    return [(article_id, loaded_at) for article_id, loaded_at in rows]


async def add_items(
    session: AsyncSession, matches: Sequence[tuple[int, int]], now: datetime
) -> None:
    """Queue (chat, article) pairs; a pair queued before (by this or another instance) stays
    as it is: that is what makes an article go to a chat once."""
    if not matches:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(AlertItem).on_conflict_do_nothing(index_elements=["chat_id", "article_id"])
    await session.execute(
        statement,
        [{"chat_id": c, "article_id": a, "status": PENDING, "matched_at": now} for c, a in matches],
    )


async def chats_waiting(session: AsyncSession) -> list[int]:
    """Active chats with alerts waiting to be sent."""
    rows = await session.scalars(
        select(AlertItem.chat_id)
        .join(AlertChat, AlertChat.chat_id == AlertItem.chat_id)
        .where(AlertItem.status == PENDING, AlertChat.active.is_(True))
        .distinct()
    )
    return list(rows)


async def claim(
    session: AsyncSession,
    chat_id: int,
    owner: str,
    now: datetime,
    alive_since: datetime,
    *,
    take_over: bool = True,
) -> AlertChat | None:
    """Take the chat's alerts for sending, as the digest ledger takes a digest: None if an
    instance that is alive (or may be: `take_over=False`) holds them."""
    found = await session.scalar(
        select(AlertChat).where(AlertChat.chat_id == chat_id).with_for_update()
    )
    if found is None or not found.active:
        return None
    if found.claimed_by is not None and found.claimed_by != owner:
        holder_seen = await state.last_heartbeat(session, found.claimed_by)
        if holder_seen is not None and (holder_seen >= alive_since or not take_over):
            return None
    found.claimed_by, found.claimed_at = owner, now
    return found


async def release(session: AsyncSession, chat_id: int) -> None:
    await session.execute(
        update(AlertChat).where(AlertChat.chat_id == chat_id).values(claimed_by=None)
    )


async def waiting(session: AsyncSession, chat_id: int) -> list[tuple[int, int, datetime]]:
    """(item id, article id, matched at) of the chat's pending alerts, in the order they
    arrived."""
    rows = await session.execute(
        select(AlertItem.id, AlertItem.article_id, AlertItem.matched_at)
        .where(AlertItem.chat_id == chat_id, AlertItem.status == PENDING)
        .order_by(AlertItem.id)
    )
    return [(item_id, article_id, matched_at) for item_id, article_id, matched_at in rows]


async def drop_pending(session: AsyncSession, chat_id: int, article_ids: Sequence[int]) -> None:
    """Forget alerts not sent yet (what the chat no longer follows)."""
    if article_ids:
        await session.execute(
            delete(AlertItem).where(
                AlertItem.chat_id == chat_id,
                AlertItem.status == PENDING,
                AlertItem.article_id.in_(list(article_ids)),
            )
        )


async def sent_since(session: AsyncSession, chat_id: int, since: datetime) -> list[datetime]:
    """When each alert sent to the chat after `since` went, oldest first."""
    rows = await session.scalars(
        select(AlertItem.sent_at)
        .where(AlertItem.chat_id == chat_id, AlertItem.status == SENT, AlertItem.sent_at > since)
        .order_by(AlertItem.sent_at)
    )
    return [moment for moment in rows if moment is not None]


async def finish(
    session: AsyncSession,
    chat_id: int,
    item_ids: Sequence[int],
    *,
    status: str,
    now: datetime,
    message_id: int | None = None,
) -> None:
    """Record the items' outcome and give the chat's claim back, in one transaction."""
    await session.execute(
        update(AlertItem)
        .where(AlertItem.id.in_(list(item_ids)), AlertItem.status == PENDING)
        .values(status=status, sent_at=now if status == SENT else None, message_id=message_id)
    )
    await release(session, chat_id)


async def deactivate(session: AsyncSession, chat_id: int, reason: str, now: datetime) -> None:
    """The chat is gone (blocked, deleted): no more alerts; its follows stay."""
    await session.execute(
        update(AlertChat)
        .where(AlertChat.chat_id == chat_id)
        .values(active=False, inactive_reason=reason, claimed_by=None, updated_at=now)
    )


async def move_chat(session: AsyncSession, chat_id: int, new_chat_id: int, now: datetime) -> None:
    """A group became a supergroup: its follows, settings and ledger follow it."""
    for model in (Follow, AlertItem):
        await session.execute(
            update(model).where(model.chat_id == chat_id).values(chat_id=new_chat_id)
        )
    await session.execute(
        update(AlertChat)
        .where(AlertChat.chat_id == chat_id)
        .values(chat_id=new_chat_id, updated_at=now)
    )


async def counts(session: AsyncSession, since: datetime) -> dict[str, int]:
    """For /stats: chats taking alerts, what they follow, alerts sent since `since`, and
    those waiting now (for the cap or quiet hours)."""
    active = select(AlertChat.chat_id).where(AlertChat.active.is_(True))
    chats = await session.scalar(
        select(func.count(func.distinct(Follow.chat_id))).where(Follow.chat_id.in_(active))
    )
    follows = await session.scalar(select(func.count()).where(Follow.chat_id.in_(active)))
    sent = await session.scalar(
        select(func.count()).where(AlertItem.status == SENT, AlertItem.sent_at >= since)
    )
    waiting = await session.scalar(
        select(func.count()).where(AlertItem.status == PENDING, AlertItem.chat_id.in_(active))
    )
    return {
        "chats": int(chats or 0), "follows": int(follows or 0),
        "sent": int(sent or 0), "waiting": int(waiting or 0),
    }  # fmt: skip
