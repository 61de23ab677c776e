"""The digest ledger as the runner uses it: claiming (subscriber, local date) rows before the
send, and recording each outcome with the reader's next schedule in one transaction.

A row is claimed before its digest is sent and marked after: a crash in between can repeat at
most the digests that were in flight; nothing is skipped, and a restart never replays past days.
Every record goes through the `DurableWriter`, so an outage delays it and never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery.durable import DurableWriter
from bot.delivery.errors import Verdict, VerdictKind
from bot.delivery.sending import Sent
from bot.digests.schedule import catch_up, local_date, next_due
from bot.timezones import zone_info
from storage import deliveries, subscribers
from storage.models import Subscriber

log = logging.getLogger(__name__)

Due = tuple[date, datetime]  # a local date and the UTC instant its digest is due


def _schedule(subscriber: Subscriber) -> tuple[int, str]:
    """What a computed next digest depends on: a reader's change of either wins over it."""
    return subscriber.delivery_minute, subscriber.timezone


def _what(subscriber_id: int) -> str:
    return f"the digest of subscriber {subscriber_id}"


def tomorrow(subscriber: Subscriber, day: date) -> Due:
    """When the digest after `day`'s is due."""
    return next_due(day, subscriber.delivery_minute, zone_info(subscriber.timezone))


@dataclass
class Claims:
    claimed: list[tuple[Subscriber, date]] = field(default_factory=list)
    skipped: int = 0  # done already, held by another instance, or sent and not yet recorded


class DigestLedger:
    def __init__(
        self,
        writer: DurableWriter,
        clock: Clock,
        *,
        heartbeat_ttl: timedelta,
        retry_later: timedelta,
    ) -> None:
        self.writer = writer
        self.clock = clock
        self.heartbeat_ttl = heartbeat_ttl
        self.retry_later = retry_later

    async def claim(
        self, session: AsyncSession, batch: Sequence[Subscriber], now: datetime, *, force: bool
    ) -> Claims:
        """Claim today's ledger row of each subscriber in the batch that is due (or forced)."""
        claims = Claims()
        for subscriber in batch:
            zone = zone_info(subscriber.timezone)
            if force:
                day = local_date(now, zone)
            else:
                day, instant = catch_up(
                    now, subscriber.next_due_date, subscriber.delivery_minute, zone
                )
                if instant > now:
                    # Days were missed (the bot was down): today's is not due yet; no replay.
                    await subscribers.reschedule(
                        session, subscriber.id, (day, instant), computed_for=_schedule(subscriber)
                    )
                    continue
            if self.writer.unrecorded((subscriber.id, day)):
                claims.skipped += 1  # sent, its record not written yet: never again
                continue
            alive_since = now - self.heartbeat_ttl
            take_over = self.writer.may_take_over(self.heartbeat_ttl)
            if await deliveries.claim(
                session, subscriber.id, day, now, self.writer.instance, alive_since,
                take_over=take_over,
            ):  # fmt: skip
                claims.claimed.append((subscriber, day))
                continue
            claims.skipped += 1
            if await deliveries.status_of(session, subscriber.id, day) in deliveries.DONE:
                # Already delivered (a restart, /senddigests, another instance): move on.
                await subscribers.reschedule(
                    session, subscriber.id, tomorrow(subscriber, day),
                    computed_for=_schedule(subscriber),
                )  # fmt: skip
        return claims

    async def release(self, subscriber_id: int, day: date) -> None:
        """Claimed but never sent: give the claim back so the next run sends it at once."""
        await self.writer.write(
            _what(subscriber_id), lambda s: deliveries.release(s, subscriber_id, day)
        )

    async def moved(self, subscriber_id: int, chat_id: int) -> None:
        """The group became a supergroup: its digests go to the new id from now on."""

        async def move(session: AsyncSession) -> None:
            await subscribers.move_chat(session, subscriber_id, chat_id, self.clock.now())

        await self.writer.write(_what(subscriber_id), move)

    async def empty(self, subscriber: Subscriber, day: date) -> None:
        """Nothing new for this reader today: no message, and tomorrow's is scheduled."""
        sid, now = subscriber.id, self.clock.now()
        after, schedule = tomorrow(subscriber, day), _schedule(subscriber)

        async def empty(session: AsyncSession) -> None:
            await deliveries.finish(session, sid, day, status="empty", now=now)
            await subscribers.reschedule(session, sid, after, computed_for=schedule)

        await self.writer.write(_what(sid), empty)

    async def sent(
        self, subscriber: Subscriber, day: date, sent: Sent, shown: int, composed_at: datetime
    ) -> None:
        """Telegram took it: recorded, and kept until recorded (never claimed again meanwhile)."""
        sid = subscriber.id
        after, schedule = tomorrow(subscriber, day), _schedule(subscriber)

        async def record(session: AsyncSession) -> None:
            await deliveries.finish(
                session, sid, day, status="sent", now=self.clock.now(),
                message_id=sent.message_id, article_count=shown,
            )  # fmt: skip
            await subscribers.reschedule(
                session, sid, after, last_digest_at=composed_at, computed_for=schedule
            )

        await self.writer.record((sid, day), _what(sid), record)

    async def failed(self, subscriber: Subscriber, day: date, verdict: Verdict) -> None:
        """Telegram refused it: a gone chat is let go, a passing trouble is tried next tick,
        a refused message waits for tomorrow's digest."""
        now = self.clock.now()
        sid, reason = subscriber.id, verdict.reason
        after, schedule = tomorrow(subscriber, day), _schedule(subscriber)
        if verdict.kind is VerdictKind.BUG:  # the same message would fail again: say so
            log.error("digest for subscriber %d rejected: %s", sid, reason)

        async def failed(session: AsyncSession) -> None:
            await deliveries.finish(session, sid, day, status="failed", now=now, error=reason)
            if verdict.kind in (VerdictKind.GONE, VerdictKind.TOPIC_GONE):
                await subscribers.deactivate(session, sid, reason, now)
            elif verdict.kind is VerdictKind.RETRY:
                # Left for the next tick, never dropped.
                await subscribers.reschedule(
                    session, sid, (day, now + self.retry_later), computed_for=schedule
                )
            else:
                await subscribers.reschedule(session, sid, after, computed_for=schedule)

        await self.writer.write(_what(sid), failed)
