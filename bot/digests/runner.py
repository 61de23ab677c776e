"""Delivering due digests: claim in the ledger, compose, send paced, record; exactly once.

Every tick (once a minute) finds the subscribers whose digest is due, and for each: claims the
(subscriber, local date) ledger row, composes the digest, sends it through the bulk queue and
records the result with the next day's schedule in one transaction. Because the ledger row is
claimed before the send and marked after it, a crash in between can repeat at most the digests
that were in flight; nothing is skipped, and a restart never replays past days.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.delivery.durable import DurableWriter
from bot.delivery.errors import Verdict, VerdictKind
from bot.delivery.pacing import BULK, PacedRateLimiter, Priority, SendingStopped
from bot.delivery.sending import Sender
from bot.digests.composer import DigestComposer, DigestContext
from bot.digests.ledger import Claims, DigestLedger
from bot.languages import chat_translator
from bot.outages import UNREACHABLE, OutageLog
from bot.rendering.cards import Reply
from bot.rendering.chats import topic_gone_notice
from bot.summaries.service import SummaryService
from storage import state, subscribers
from storage.database import Database
from storage.models import Subscriber

log = logging.getLogger(__name__)

CLAIM_AHEAD_SECONDS = 4

NextBatch = Callable[[AsyncSession, int], Awaitable[list[tuple[Subscriber, date]] | None]]


@dataclass
class RunReport:
    due: int = 0
    sent: int = 0
    empty: int = 0
    failed: int = 0
    deactivated: int = 0
    skipped: int = 0
    seconds: float = 0.0


class DigestRunner:
    def __init__(
        self,
        *,
        db: Database,
        bot: ExtBot[Priority],
        clock: Clock,
        summaries: SummaryService,
        instance: str,
        rate: float = 29.0,
        tick_seconds: float = 60.0,
        concurrency: int = 64,
    ) -> None:
        self.db = db
        self.bot = bot
        self.clock = clock
        self.instance = instance
        self.concurrency = concurrency
        self.rate = rate
        # An instance unheard of for three ticks is taken for dead: the others take its share.
        self.heartbeat_ttl = state.alive_window(tick_seconds)
        self.share = rate  # this instance's part of the sending budget, messages a second
        self.writer = DurableWriter(db, clock, instance, OutageLog(log, "digest schedule"))
        self.ledger = DigestLedger(
            self.writer, clock, heartbeat_ttl=self.heartbeat_ttl,
            retry_later=timedelta(seconds=tick_seconds),
        )  # fmt: skip
        self.composer = DigestComposer(db, clock, summaries)
        self.sender = Sender(bot)
        self._beat: asyncio.Task[None] | None = None
        self._task: asyncio.Task[RunReport] | None = None
        self._lock = asyncio.Lock()
        self.last_tick_at: datetime | None = None
        # A fresh instance counts as having ticked when it started: its first tick is due.
        self.last_tick_monotonic = time.monotonic()
        self.on_report: Callable[[RunReport], None] | None = None  # metrics, told of each run

    def tick(self) -> None:
        """Called by the JobQueue every minute: start a run unless one is going."""
        self.last_tick_at = self.clock.now()
        self.last_tick_monotonic = time.monotonic()
        if self.writer.stopping:
            return
        if self._beat is None or self._beat.done():
            self._beat = asyncio.create_task(self.share_budget(), name="digest-heartbeat")
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="digest-run")

    async def share_budget(self) -> None:
        """Say this instance is alive, and pace bulk sends at its share of the budget.

        Telegram's 30 messages a second is for the bot, not for each process: with N instances
        alive, each sends at rate / N.
        """
        now = self.clock.now()
        try:
            async with self.db.write() as session:
                await state.heartbeat(session, self.instance, now)
                alive = await state.live_instances(session, now - self.heartbeat_ttl)
        except Exception as exc:  # the budget is re-read every batch; one miss is harmless
            self.writer.failed(exc)
            return
        self.writer.answered()
        self.share = self.rate / max(1, alive)
        limiter = self.bot.rate_limiter
        if isinstance(limiter, PacedRateLimiter):
            limiter.set_bulk_rate(self.share)

    async def wait_idle(self) -> None:
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def stop(self) -> None:
        """Take no new work; let the messages in flight finish and be recorded; then return.

        Digests still waiting for their turn in the bulk queue give their claim back, so the
        next start (or another instance) sends them at once.
        """
        self.writer.stop()
        limiter = self.bot.rate_limiter
        if isinstance(limiter, PacedRateLimiter):
            limiter.close()
        await self.wait_idle()
        if self._beat is not None:
            await asyncio.gather(self._beat, return_exceptions=True)
        try:
            async with self.db.write() as session:  # the others may take this share now
                await state.forget_instance(session, self.instance)
        except Exception:  # the database may be what is failing; the heartbeat will lapse
            log.warning("could not sign this instance off", exc_info=True)

    async def run(self, *, force: bool = False) -> RunReport:
        """Deliver every due digest (with `force`, today's to every active subscriber)."""
        async with self._lock:
            started = time.perf_counter()
            report = RunReport()
            now = self.clock.now()
            await self.share_budget()  # heartbeat first: our claims must read as alive
            try:
                await self.writer.record_unrecorded()
                if force:
                    await self._run_all_today(now, report)
                else:
                    await self._run_due(now, report)
            except Exception as exc:
                if self.writer.outage.failing and isinstance(exc, UNREACHABLE):  # said once
                    log.debug("digest run waits for the database", exc_info=True)
                else:
                    log.exception("digest run stopped early; the rest go on the next tick")
                raise
            finally:
                report.seconds = time.perf_counter() - started
                if self.on_report is not None:
                    self.on_report(report)
            if report.due:
                log.info(
                    "digests: %d due, %d sent, %d empty, %d failed, %d deactivated in %.1f s",
                    report.due, report.sent, report.empty, report.failed, report.deactivated,
                    report.seconds,
                )  # fmt: skip
            return report

    async def _run_due(self, now: datetime, report: RunReport) -> None:
        cursor: tuple[datetime, int] | None = None

        async def next_batch(
            session: AsyncSession, limit: int
        ) -> list[tuple[Subscriber, date]] | None:
            # On PostgreSQL the rows are locked with SKIP LOCKED: several instances take
            # different subscribers instead of queueing on the same ones.
            nonlocal cursor
            batch = await subscribers.due(session, now, limit=limit, after=cursor, lock=True)
            if not batch:
                return None
            cursor = (batch[-1].next_due_at, batch[-1].id)
            return self._count(await self.ledger.claim(session, batch, now, force=False), report)

        await self._pipeline(now, report, next_batch)

    async def _run_all_today(self, now: datetime, report: RunReport) -> None:
        after = 0

        async def next_batch(
            session: AsyncSession, limit: int
        ) -> list[tuple[Subscriber, date]] | None:
            nonlocal after
            batch = await subscribers.active(session, after_id=after, limit=limit, lock=True)
            if not batch:
                return None
            after = batch[-1].id
            return self._count(await self.ledger.claim(session, batch, now, force=True), report)

        await self._pipeline(now, report, next_batch)

    async def _pipeline(self, now: datetime, report: RunReport, next_batch: NextBatch) -> None:
        """Claim batches in one task and deliver in `concurrency` others, at the same time.

        Claiming the next batch while this one is still going out keeps the bulk queue full:
        waiting for a batch to drain before claiming the next would cost a pause per batch.
        """
        # Claim no more than a few seconds of sending ahead: with several instances, one that
        # claimed far ahead would be left sending alone at its share of the budget.
        await self.share_budget()
        ahead = max(16, math.ceil(self.share * CLAIM_AHEAD_SECONDS))
        workers = max(8, min(self.concurrency, math.ceil(self.share * 2)))
        queue: asyncio.Queue[tuple[Subscriber, date, DigestContext] | None] = asyncio.Queue(
            maxsize=ahead
        )

        async def produce() -> None:
            try:
                while not self.writer.stopping:
                    async with self.db.write() as session:
                        work = await next_batch(session, ahead)
                    if work is None:
                        return
                    if not work:
                        continue
                    await self.share_budget()  # instances come and go: re-read every batch
                    context = await self.composer.context(now, [s for s, _ in work])
                    report.due += len(work)
                    for subscriber, day in work:
                        await queue.put((subscriber, day, context))
            finally:
                for _ in range(workers):
                    await queue.put(None)

        async def deliver() -> None:
            while (item := await queue.get()) is not None:
                subscriber, day, context = item
                try:
                    await self._deliver(subscriber, day, context, report)
                except SendingStopped:  # shutting down: the claim went back for the next run
                    continue
                except Exception:  # one subscriber's trouble must not stop the run
                    log.exception("digest for subscriber %d failed", subscriber.id)
                    report.failed += 1

        # A producer stopped by the database must not end the run while digests it handed
        # out are still being sent and recorded: the run (and its lock) lasts until they are.
        delivering = [asyncio.create_task(deliver()) for _ in range(workers)]
        try:
            await produce()
        finally:
            await asyncio.gather(*delivering)

    @staticmethod
    def _count(claims: Claims, report: RunReport) -> list[tuple[Subscriber, date]]:
        report.skipped += claims.skipped
        return claims.claimed

    async def compose(
        self, subscriber: Subscriber, context: DigestContext, day: date, *, preview: bool = False
    ) -> tuple[Reply, int]:
        """The digest message for one subscriber, and how many articles it shows."""
        return await self.composer.compose(subscriber, context, day, preview=preview)

    async def preview(self, subscriber: Subscriber) -> Reply | None:
        """Today's digest as it would look now (for /digest); it records nothing."""
        return await self.composer.preview(subscriber)

    async def _deliver(
        self, subscriber: Subscriber, day: date, context: DigestContext, report: RunReport
    ) -> None:
        sid = subscriber.id
        try:
            if self.writer.stopping:
                raise SendingStopped
            reply, shown = await self.compose(subscriber, context, day)
        except BaseException:
            await self.ledger.release(sid, day)
            report.skipped += 1
            raise
        if not shown:
            await self.ledger.empty(subscriber, day)
            report.empty += 1
            return
        try:
            outcome = await self.sender.send(
                subscriber.chat_id,
                reply,
                on_move=partial(self.ledger.moved, sid),
                thread_id=subscriber.thread_id,
            )
        except SendingStopped:
            await self.ledger.release(sid, day)
            report.skipped += 1
            return
        if isinstance(outcome, Verdict):
            await self.ledger.failed(subscriber, day, outcome)
            report.failed += 1
            report.deactivated += outcome.kind in (VerdictKind.GONE, VerdictKind.TOPIC_GONE)
            if outcome.kind is VerdictKind.TOPIC_GONE:
                await self._tell_topic_gone(subscriber.chat_id)
            return
        await self.ledger.sent(subscriber, day, outcome, shown, context.now)
        report.sent += 1

    async def _tell_topic_gone(self, chat_id: int) -> None:
        """The digest's forum topic was deleted: say so in the group's General topic."""
        try:
            tr = await chat_translator(self.db, chat_id)
            await self.bot.send_message(chat_id, topic_gone_notice(tr), rate_limit_args=BULK)
        except TelegramError as exc:  # the group may be gone too: the digest is stopped anyway
            log.info("could not tell chat %d its topic is gone: %s", chat_id, exc)
