"""The delivery ledger: one row per subscriber and local date, claimed before sending.

A row is `sending` while someone holds it, then `sent` (with the message id), `empty` (nothing
new, no message) or `failed` (to be tried again on a later tick). A `sending` row whose holder
stopped sending heartbeats belongs to a process that died: it may be claimed again, which may
repeat that one digest if it had gone out before the crash, and never loses it. A live holder
keeps its claims however long Telegram makes it wait.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import state
from storage.models import Delivery, Subscriber


def _zone_of(subscriber_id: int) -> Any:
    """The subscriber's present zone, as SQL: ledger days are dates of the zone they were for."""
    return select(Subscriber.timezone).where(Subscriber.id == subscriber_id).scalar_subquery()


# A claim is taken over when its holder's heartbeat is older than the caller's `alive_since`, or,
# whatever the heartbeat says, when it is older than this (a safety net, never reached in use).
LEASE_MAX = timedelta(minutes=30)
DONE = ("sent", "empty")


async def claim(
    session: AsyncSession,
    subscriber_id: int,
    day: date,
    now: datetime,
    owner: str,
    alive_since: datetime,
    *,
    take_over: bool = True,
) -> bool:
    """Take the (subscriber, day) digest for sending; False if it is done or someone has it.

    `alive_since`: an instance whose last heartbeat is older than this is taken for dead.
    `take_over=False`: no holder with a heartbeat is taken for dead, however old it is (the
    caller's own database was just away, so every heartbeat it reads is stale by that long).
    """
    zone = await session.scalar(select(_zone_of(subscriber_id)))
    row = await session.scalar(
        select(Delivery).where(
            Delivery.subscriber_id == subscriber_id,
            Delivery.local_date == day,
            Delivery.timezone == zone,
        )
    )
    if row is None:
        session.add(
            Delivery(
                subscriber_id=subscriber_id,
                local_date=day,
                timezone=zone or "",
                status="sending",
                attempts=1,
                claimed_at=now,
                claimed_by=owner,
                article_count=0,
            )
        )
        await session.flush()
        return True
    if row.status in DONE:
        return False
    if row.status == "sending" and row.claimed_at > now - LEASE_MAX:
        holder_seen = await state.last_heartbeat(session, row.claimed_by or "")
        if holder_seen is not None and (holder_seen >= alive_since or not take_over):
            return False  # its holder lives (or may): it is being sent
    row.status, row.claimed_at, row.claimed_by = "sending", now, owner
    row.attempts += 1
    return True


async def finish(
    session: AsyncSession,
    subscriber_id: int,
    day: date,
    *,
    status: str,
    now: datetime,
    message_id: int | None = None,
    article_count: int = 0,
    error: str | None = None,
) -> None:
    # The row being sent (its zone may have changed meanwhile: the claim is what counts).
    await session.execute(
        update(Delivery)
        .where(
            Delivery.subscriber_id == subscriber_id,
            Delivery.local_date == day,
            Delivery.status == "sending",
        )
        .values(
            status=status,
            sent_at=now if status == "sent" else None,
            message_id=message_id,
            article_count=article_count,
            error=error,
        )
    )


async def release(session: AsyncSession, subscriber_id: int, day: date) -> None:
    """Give back a claim whose message was never sent (the process is stopping)."""
    await session.execute(
        delete(Delivery).where(
            Delivery.subscriber_id == subscriber_id,
            Delivery.local_date == day,
            Delivery.status == "sending",
        )
    )


async def status_of(
    session: AsyncSession, subscriber_id: int, day: date, zone: str | None = None
) -> str | None:
    """The digest of `day` in `zone` (by default the subscriber's present zone)."""
    return await session.scalar(
        select(Delivery.status).where(
            Delivery.subscriber_id == subscriber_id,
            Delivery.local_date == day,
            Delivery.timezone == (zone if zone is not None else _zone_of(subscriber_id)),
        )
    )


async def delivered_between(
    session: AsyncSession, subscriber_id: int, start: datetime, end: datetime
) -> bool:
    """Whether a digest went out (or is going) to the subscriber in [start, end), whichever
    zone it was for."""
    found = await session.scalar(
        select(Delivery.id)
        .where(
            Delivery.subscriber_id == subscriber_id,
            Delivery.status.in_((*DONE, "sending")),
            Delivery.claimed_at >= start,
            Delivery.claimed_at < end,
        )
        .limit(1)
    )
    return found is not None


async def day_counts(session: AsyncSession, start: datetime, end: datetime) -> dict[str, int]:
    """Digests sent and failed in [start, end), and those still due before `end`."""
    sent = await session.scalar(
        select(func.count()).where(
            Delivery.status == "sent", Delivery.sent_at >= start, Delivery.sent_at < end
        )
    )
    failed = await session.scalar(
        select(func.count()).where(
            Delivery.status == "failed", Delivery.claimed_at >= start, Delivery.claimed_at < end
        )
    )
    pending = await session.scalar(
        select(func.count()).where(Subscriber.active.is_(True), Subscriber.next_due_at < end)
    )
    return {"sent": int(sent or 0), "failed": int(failed or 0), "pending": int(pending or 0)}
