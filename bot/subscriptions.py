"""Subscribing, unsubscribing and changing digest settings: the rules behind the commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.arguments import SubscribeArgs
from bot.clock import Clock
from bot.digests.schedule import first_due, next_due
from bot.rendering.markup import echo
from bot.timezones import EXAMPLES, match_timezone
from storage import deliveries, subscribers
from storage.database import Database
from storage.models import Subscriber

DEFAULT_MINUTE = 8 * 60
DEFAULT_SIZE = 5
SIZES = (3, 5, 10)


@dataclass(frozen=True, slots=True)
class Subscribed:
    subscriber: Subscriber
    next_day: date
    next_at: datetime  # UTC
    was_active: bool


def zone_problem(typed: str) -> str | None:
    """Why `typed` is not a timezone we can use, or None when it is."""
    found = match_timezone(typed)
    if found.zone:
        return None
    if found.candidates:
        choices = ", ".join(found.candidates)
        return f"“{echo(typed)}” could be {choices}. Which one? Send the full name."
    return f"I don't know the timezone “{echo(typed)}”. Try a city or an IANA name: {EXAMPLES}."


class SubscriptionService:
    def __init__(self, db: Database, clock: Clock, default_zone: str) -> None:
        self.db = db
        self.clock = clock
        self.default_zone = default_zone

    async def get(self, chat_id: int) -> Subscriber | None:
        async with self.db.read() as session:
            return await subscribers.by_chat(session, chat_id)

    async def zone_for(self, chat_id: int) -> ZoneInfo:
        """The reader's zone: the one they chose, else the bot's default."""
        async with self.db.read() as session:
            name = await subscribers.zone_of(session, chat_id)
        return ZoneInfo(name or self.default_zone)

    async def subscribe(
        self, chat_id: int, user_id: int | None, args: SubscribeArgs
    ) -> Subscribed | str:
        """Subscribe or change the subscription; a string is what to tell the user instead."""
        zone_name: str | None = None
        if args.zone:
            if problem := zone_problem(args.zone):
                return problem
            zone_name = match_timezone(args.zone).zone
        now = self.clock.now()
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            was_active = bool(existing and existing.active)
            minute = (
                args.minute
                if args.minute is not None
                else (existing.delivery_minute if existing else DEFAULT_MINUTE)
            )
            zone_name = zone_name or (existing.timezone if existing else self.default_zone)
            topics = (
                args.topics if args.topics is not None else (existing.topics if existing else ())
            )
            day, instant = await _first_digest(
                session, existing.id if existing else None, now, minute, ZoneInfo(zone_name)
            )
            subscriber = await subscribers.save(
                session,
                chat_id=chat_id,
                user_id=user_id,
                minute=minute,
                timezone=zone_name,
                topics=topics,
                digest_size=existing.digest_size if existing else DEFAULT_SIZE,
                active=True,
                next_due=(day, instant),
                now=now,
            )
        return Subscribed(subscriber, day, instant, was_active)

    def transient(self, chat_id: int, user_id: int | None) -> Subscriber:
        """Default settings for someone not subscribed (for a /digest preview); not stored."""
        now = self.clock.now()
        return Subscriber(
            id=0,
            chat_id=chat_id,
            user_id=user_id,
            delivery_minute=DEFAULT_MINUTE,
            timezone=self.default_zone,
            topics=[],
            digest_size=DEFAULT_SIZE,
            active=False,
            last_digest_at=None,
            next_due_date=now.date(),
            next_due_at=now,
            created_at=now,
            updated_at=now,
        )

    async def unsubscribe(self, chat_id: int) -> bool:
        """Stop the digest (settings are kept for a comeback); False if there was none."""
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            if existing is None or not existing.active:
                return False
            await subscribers.deactivate(session, existing.id, "unsubscribed", self.clock.now())
        return True

    async def reactivate(self, chat_id: int) -> bool:
        """/start after a block brings a subscriber back who did not unsubscribe themselves."""
        async with self.db.read() as session:
            existing = await subscribers.by_chat(session, chat_id)
        if existing is None or existing.active or existing.inactive_reason == "unsubscribed":
            return False
        args = SubscribeArgs(existing.delivery_minute, "", None)
        return not isinstance(await self.subscribe(chat_id, existing.user_id, args), str)

    async def change(
        self,
        chat_id: int,
        *,
        minute: int | None = None,
        size: int | None = None,
        topics: tuple[str, ...] | None = None,
        zone: str | None = None,
    ) -> Subscriber | None:
        """Change one setting from the /settings buttons; None if not subscribed."""
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            if existing is None:
                return None
            if size is not None:
                existing.digest_size = size
            if topics is not None:
                existing.topics = list(topics)
            if zone is not None:
                existing.timezone = zone
            if minute is not None:
                existing.delivery_minute = minute % (24 * 60)
            if minute is not None or zone is not None:
                day, instant = await _first_digest(
                    session,
                    existing.id,
                    self.clock.now(),
                    existing.delivery_minute,
                    ZoneInfo(existing.timezone),
                )
                existing.next_due_date, existing.next_due_at = day, instant
            existing.updated_at = self.clock.now()
            return existing


async def _first_digest(
    session: AsyncSession, subscriber_id: int | None, now: datetime, minute: int, zone: ZoneInfo
) -> tuple[date, datetime]:
    """The next digest after a change of time or zone: today's if its time is still ahead and
    today's has not gone out already (the ledger has one digest a local day), else tomorrow's."""
    day, instant = first_due(now, minute, zone)
    if subscriber_id is not None and await deliveries.status_of(session, subscriber_id, day):
        return next_due(day, minute, zone)
    return day, instant
