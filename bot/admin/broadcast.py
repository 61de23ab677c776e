"""Announcements to every active subscriber: prepared, confirmed by a button, then paced out."""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from enum import Enum
from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.delivery.errors import VerdictKind, judge
from bot.delivery.pacing import BULK, Priority
from bot.rendering.markup import clean
from storage import subscribers
from storage.database import Database
from storage.state import get_state, set_state

log = logging.getLogger(__name__)

CONCURRENCY = 32
PAGE = 500


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    sent: int
    blocked: int
    failed: int


class BroadcastState(Enum):
    """Where an announcement is; a confirm press finds anything but PENDING too late."""

    UNKNOWN = "unknown"  # never prepared, or too old
    PENDING = "pending"
    SENDING = "sending"
    CANCELLED = "cancelled"
    SENT = "sent"


def _key(token: str) -> str:
    return f"broadcast:{token}"


class Broadcaster:
    def __init__(self, db: Database, bot: ExtBot[Priority], clock: Clock) -> None:
        self.db = db
        self.bot = bot
        self.clock = clock

    async def prepare(self, text: str, admin_id: int) -> tuple[str, int]:
        """Store the announcement until confirmed; returns its token and the audience size."""
        token = secrets.token_hex(6)
        async with self.db.write() as session:
            await set_state(
                session,
                _key(token),
                {"text": text, "admin": admin_id, "status": "pending"},
                self.clock.now(),
            )
            audience = (await subscribers.counts(session))["active"]
        return token, audience

    async def cancel(self, token: str) -> bool:
        async with self.db.write() as session:
            state = await get_state(session, _key(token))
            if state is None or state["status"] != "pending":
                return False
            await set_state(
                session, _key(token), {**state, "status": "cancelled"}, self.clock.now()
            )
        return True

    async def take(self, token: str) -> dict[str, Any] | BroadcastState:
        """Move a pending broadcast to sending, once: a second press finds it taken (and is
        told where it is)."""
        async with self.db.write() as session:
            state = await get_state(session, _key(token))
            if state is None:
                return BroadcastState.UNKNOWN
            if state["status"] != BroadcastState.PENDING.value:
                return BroadcastState(state["status"])
            await set_state(session, _key(token), {**state, "status": "sending"}, self.clock.now())
            return state

    async def deliver(self, token: str, state: dict[str, Any]) -> BroadcastReport:
        """Send a taken broadcast to every active subscriber, paced; blocked ones are let go."""
        log.info("admin %s: broadcast %s started", state["admin"], token)
        text = "📢 " + clean(state["text"])
        sent = blocked = failed = 0
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(subscriber_id: int, chat_id: int, thread_id: int | None) -> None:
            nonlocal sent, blocked, failed
            async with gate:
                try:
                    await self.bot.send_message(
                        chat_id,
                        text,
                        parse_mode=ParseMode.HTML,
                        message_thread_id=thread_id,
                        rate_limit_args=BULK,
                    )
                    sent += 1
                except TelegramError as exc:
                    verdict = judge(exc)
                    if verdict.kind is VerdictKind.GONE:
                        blocked += 1
                        async with self.db.write() as session:
                            await subscribers.deactivate(
                                session, subscriber_id, verdict.reason, self.clock.now()
                            )
                    else:
                        failed += 1
                        log.warning("broadcast to %d failed: %s", chat_id, verdict.reason)

        after = 0
        while True:
            async with self.db.read() as session:
                page = await subscribers.active(session, after_id=after, limit=PAGE)
            if not page:
                break
            after = page[-1].id
            await asyncio.gather(*(one(s.id, s.chat_id, s.thread_id) for s in page))
        report = BroadcastReport(sent, blocked, failed)
        async with self.db.write() as session:
            await set_state(
                session,
                _key(token),
                {**state, "status": "sent", "sent": sent, "blocked": blocked, "failed": failed},
                self.clock.now(),
            )
        log.info("admin %s: broadcast %s done: %s", state["admin"], token, report)
        return report
