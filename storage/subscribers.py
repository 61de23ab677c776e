"""Subscribers: their settings, their place in the schedule, and their standing (active or not)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.languages import move_language
from storage.models import Subscriber


async def by_chat(session: AsyncSession, chat_id: int) -> Subscriber | None:
    return await session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))


async def zone_of(session: AsyncSession, chat_id: int) -> str | None:
    """The timezone this chat chose, if it ever did (subscribed or not)."""
    return await session.scalar(select(Subscriber.timezone).where(Subscriber.chat_id == chat_id))


async def save(
    session: AsyncSession,
    *,
    chat_id: int,
    user_id: int | None,
    minute: int,
    timezone: str,
    topics: Sequence[str],
    digest_size: int,
    active: bool,
    next_due: tuple[date, datetime],
    now: datetime,
    words: Sequence[str] | None = None,
    kind: str | None = None,
    thread_id: int | None = None,
    title: str | None = None,
) -> Subscriber:
    """Create or update the chat's subscription with these settings (`kind` None: as it was;
    `thread_id`: the forum topic its digest goes to, set with `kind`)."""
    subscriber = await by_chat(session, chat_id)
    values: dict[str, Any] = {
        "user_id": user_id,
        "delivery_minute": minute,
        "timezone": timezone,
        "topics": list(topics),
        "digest_size": digest_size,
        "active": active,
        "next_due_date": next_due[0],
        "next_due_at": next_due[1],
        "updated_at": now,
    }
    if active:
        values["inactive_reason"] = None
    if words is not None:
        values["words"] = list(words)
    if kind is not None:
        values["kind"] = kind
        values["thread_id"] = thread_id
        values["title"] = title
    if subscriber is None:
        subscriber = Subscriber(chat_id=chat_id, created_at=now, last_digest_at=None, **values)
        session.add(subscriber)
    else:
        for name, value in values.items():
            setattr(subscriber, name, value)
    await session.flush()
    return subscriber


async def deactivate(session: AsyncSession, subscriber_id: int, reason: str, now: datetime) -> None:
    """Stop sending to a subscriber (blocked, gone, unsubscribed); their settings stay."""
    await session.execute(
        update(Subscriber)
        .where(Subscriber.id == subscriber_id)
        .values(active=False, inactive_reason=reason, updated_at=now)
    )


async def move_chat(
    session: AsyncSession, subscriber_id: int, new_chat_id: int, now: datetime
) -> None:
    """A group became a supergroup: its subscription and its language follow it to the new
    chat id."""
    old_chat_id = await session.scalar(
        select(Subscriber.chat_id).where(Subscriber.id == subscriber_id)
    )
    if old_chat_id is not None:
        await move_language(session, old_chat_id, new_chat_id)
    await session.execute(
        update(Subscriber)
        .where(Subscriber.id == subscriber_id)
        .values(chat_id=new_chat_id, updated_at=now)
    )


async def reschedule(
    session: AsyncSession,
    subscriber_id: int,
    next_due: tuple[date, datetime],
    *,
    last_digest_at: datetime | None = None,
    computed_for: tuple[int, str] | None = None,
) -> None:
    """Set the next digest's day and time (and when the last one went out).

    `computed_for`: the (delivery minute, timezone) `next_due` was computed from. A reader who
    changed either meanwhile (while the digest was being sent) keeps the schedule their change
    set: the runner's would be for the old time.
    """
    values: dict[str, Any] = {"next_due_date": next_due[0], "next_due_at": next_due[1]}
    if computed_for is not None:
        unchanged = and_(
            Subscriber.delivery_minute == computed_for[0], Subscriber.timezone == computed_for[1]
        )
        values = {
            "next_due_date": case((unchanged, next_due[0]), else_=Subscriber.next_due_date),
            "next_due_at": case((unchanged, next_due[1]), else_=Subscriber.next_due_at),
        }
    if last_digest_at is not None:
        values["last_digest_at"] = last_digest_at
    # One statement: a sent digest's record costs one round trip, as it did.
    await session.execute(update(Subscriber).where(Subscriber.id == subscriber_id).values(**values))


async def due(
    session: AsyncSession,
    now: datetime,
    *,
    limit: int,
    after: tuple[datetime, int] | None = None,
    lock: bool = False,
) -> list[Subscriber]:
    """Active subscribers whose next digest is due, the longest-waiting first.

    `after` is the (due time, id) of the last one of the previous page: a run pages through
    the due list once, so a subscriber it had to skip is not fetched again and again.
    """
    query = select(Subscriber).where(Subscriber.active.is_(True), Subscriber.next_due_at <= now)
    if after is not None:
        query = query.where(tuple_(Subscriber.next_due_at, Subscriber.id) > tuple_(*after))
    query = query.order_by(Subscriber.next_due_at, Subscriber.id).limit(limit)
    rows = await session.scalars(_locked(query) if lock else query)
    return list(rows)


async def active(
    session: AsyncSession, *, after_id: int, limit: int, lock: bool = False
) -> list[Subscriber]:
    """Every active subscriber, in id order, a page at a time."""
    query = (
        select(Subscriber)
        .where(Subscriber.active.is_(True), Subscriber.id > after_id)
        .order_by(Subscriber.id)
        .limit(limit)
    )
    rows = await session.scalars(_locked(query) if lock else query)
    return list(rows)


def _locked(query: Select[Subscriber]) -> Select[Subscriber]:
    """Rows another instance holds are skipped, not waited for (PostgreSQL; SQLite ignores it:
    its writers are serialised anyway)."""
    return query.with_for_update(skip_locked=True)


async def channels_of(session: AsyncSession, user_id: int) -> list[Subscriber]:
    """The channels this user linked, in the order they were linked."""
    rows = await session.scalars(
        select(Subscriber)
        .where(Subscriber.kind == "channel", Subscriber.user_id == user_id)
        .order_by(Subscriber.id)
    )
    return list(rows)


async def counts_by_kind(session: AsyncSession) -> dict[str, int]:
    """Active subscriptions by kind: private, group, topic (a group's forum topic), channel."""
    kind = case(
        (and_(Subscriber.kind == "group", Subscriber.thread_id.is_not(None)), "topic"),
        else_=Subscriber.kind,
    )
    rows = await session.execute(
        select(kind, func.count()).where(Subscriber.active.is_(True)).group_by(kind)
    )
    found = {str(name): int(n) for name, n in rows}
    return {name: found.get(name, 0) for name in ("private", "group", "topic", "channel")}


async def counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Subscriber.active, func.count()).group_by(Subscriber.active)
    )
    found = {bool(is_active): int(n) for is_active, n in rows}
    return {"active": found.get(True, 0), "inactive": found.get(False, 0)}
