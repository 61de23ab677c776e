"""Sending alerts: new articles matched to the chats that follow them, then sent in batches.

Each run (every tick, and at once when a feed poll or a reload brings articles) matches the
articles that arrived since the last scan against every follow and queues (chat, article) pairs
in the alert ledger, one row per pair, so an article is queued for a chat once whichever
instance sees it. Then, for each chat with alerts waiting, it claims the chat (as a digest is
claimed: an instance that is alive keeps its claim, a dead one's is taken over), sends what the
chat's quiet hours and hourly cap allow in one message through the shared bulk queue, and
records it; a record the database could not take yet is kept and the chat is not claimed again
meanwhile. So an alert goes once, except that a crash between Telegram taking it and the record
may repeat that one message, as for digests.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts.limits import HOUR, allowance, is_quiet
from bot.alerts.matching import matches
from bot.clock import Clock
from bot.delivery.durable import DurableWriter
from bot.delivery.errors import Verdict, VerdictKind
from bot.delivery.pacing import SendingStopped
from bot.delivery.sending import Sender, Sent
from bot.i18n import translator
from bot.rendering.alerts import alert_message
from bot.summaries.service import SummaryService
from bot.timezones import zone_info
from storage import alerts, articles, languages, subscribers
from storage.database import Database
from storage.models import Follow

log = logging.getLogger(__name__)

# Articles loaded this long before the newest one seen are looked at again: a load that began
# earlier (a long reload, a poll in another process) may commit after a later one.
OVERLAP = timedelta(minutes=15)
PAGE = 200
CONCURRENCY = 16
SUMMARY_SENTENCES = 1
# An alert is for fresh news: a story the cap or quiet hours held longer than this is dropped
# (the next message says how many), so a busy word with a low cap builds no endless queue.
STALE_AFTER = timedelta(hours=24)


@dataclass
class AlertReport:
    matched: int = 0  # (chat, article) pairs queued
    messages: int = 0
    articles: int = 0  # articles sent in those messages
    held: int = 0  # articles waiting for quiet hours or the hourly cap to end
    stale: int = 0  # held past STALE_AFTER: dropped
    failed: int = 0


class AlertRunner:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        writer: DurableWriter,
        sender: Sender,
        summaries: SummaryService,
        heartbeat_ttl: timedelta,
        default_zone: str,
    ) -> None:
        self.db = db
        self.clock = clock
        self.writer = writer
        self.sender = sender
        self.summaries = summaries
        self.heartbeat_ttl = heartbeat_ttl
        self.default_zone = default_zone
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._again = False
        # Ids of articles this instance has matched already, with when they were loaded: the
        # overlap window is looked at every run, its articles matched once.
        self._scanned: dict[int, datetime] = {}

    def tick(self) -> None:
        """Every minute: a run unless one is going (it finds what another process brought)."""
        if not self.writer.stopping and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._runs(), name="alerts-run")

    def kick(self) -> None:
        """New articles here: a run now, or one more after the run going on (which may have
        looked before they were stored)."""
        if self._task is not None and not self._task.done():
            self._again = True
        self.tick()

    async def _runs(self) -> None:
        while True:
            self._again = False
            try:
                await self.run()
            except Exception:
                log.exception("alert run stopped early; the rest go on the next tick")
            if not self._again or self.writer.stopping:
                return

    async def wait_idle(self) -> None:
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def run(self) -> AlertReport:
        async with self._lock:
            report = AlertReport()
            # One read when there is nothing to do: this runs every tick on every instance.
            async with self.db.read() as session:
                follows = await alerts.active_follows(session)
                through = await alerts.scanned_through(session)
                chats = await alerts.chats_waiting(session)
            if follows:
                report.matched = await self.match_new(follows, through)
            if report.matched:
                async with self.db.read() as session:
                    chats = await alerts.chats_waiting(session)
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one(chat_id: int) -> None:
                async with gate:
                    try:
                        await self._deliver(chat_id, report)
                    except SendingStopped:
                        pass
                    except Exception:  # one chat's trouble must not stop the others
                        log.exception("alerts for chat %d failed", chat_id)
                        report.failed += 1

            await asyncio.gather(*(one(chat_id) for chat_id in chats))
            if report.messages or report.held or report.stale:
                log.info(
                    "alerts: %d matched, %d messages with %d articles, %d held, %d stale, "
                    "%d failed",
                    report.matched, report.messages, report.articles, report.held, report.stale,
                    report.failed,
                )  # fmt: skip
            return report

    async def match_new(self, follows: Sequence[Follow], through: datetime | None) -> int:
        """Queue the articles that arrived since `through` (the last scan) for the chats that
        follow them; how many pairs matched."""
        now = self.clock.now()
        since = (through - OVERLAP) if through else min(f.created_at for f in follows)
        self._scanned = {i: at for i, at in self._scanned.items() if at > since}
        async with self.db.read() as session:
            fresh = [(i, at) for i, at in await alerts.arrived(session, since)
                     if i not in self._scanned]  # fmt: skip
        queued = 0
        newest = max([at for _, at in fresh] + ([through] if through else []), default=None)
        for start in range(0, len(fresh), PAGE):
            page = fresh[start : start + PAGE]
            async with self.db.read() as session:
                found = await articles.by_ids(session, [i for i, _ in page])
            paired = matches(sorted(found.values(), key=lambda a: a.id), follows)
            if paired:
                async with self.db.write() as session:
                    await alerts.add_items(
                        session, [(m.chat_id, m.article_id) for m in paired], now
                    )
                queued += len(paired)
            self._scanned.update(page)
        if newest is not None and newest != through:
            async with self.db.write() as session:
                await alerts.mark_scanned(session, newest, now)
        return queued

    async def _deliver(self, chat_id: int, report: AlertReport) -> None:
        if self.writer.unrecorded(("alerts", chat_id)):
            return  # its last message went out and is not recorded yet: never again
        now = self.clock.now()
        async with self.db.write() as session:
            held = await alerts.claim(
                session, chat_id, self.writer.instance, now, now - self.heartbeat_ttl,
                take_over=self.writer.may_take_over(self.heartbeat_ttl),
            )  # fmt: skip
            if held is None:
                return
            zone = zone_info(await subscribers.zone_of(session, chat_id) or self.default_zone)
            queued = await alerts.waiting(session, chat_id)
            stale = [item for item, _, matched in queued if matched < now - STALE_AFTER]
            waiting = [(item, article) for item, article, matched in queued
                       if matched >= now - STALE_AFTER]  # fmt: skip
            quiet = is_quiet(now, zone, held.quiet_start, held.quiet_end)
            sent = await alerts.sent_since(session, chat_id, now - HOUR)
            allowed = allowance(now, held.hourly_cap, sent, len(waiting))
            if quiet or (waiting and not allowed.count):
                await alerts.release(session, chat_id)
                report.held += len(queued)
                return
            cap = held.hourly_cap
            # The chat's language: once per chat per run, in the claim's own session.
            stored = await languages.language_of(session, chat_id)
            tr = translator(stored.language if stored is not None else None)
        batch = waiting[: allowed.count]
        async with self.db.read() as session:
            found = await articles.by_ids(session, [article_id for _, article_id in batch])
        shown = [(item, found[article_id]) for item, article_id in batch if article_id in found]
        gone = [item for item, article_id in batch if article_id not in found]  # retracted
        items = [
            (article, (await self.summaries.for_article(article))[:SUMMARY_SENTENCES])
            for _, article in shown
        ]
        held_back = len(waiting) - len(batch)
        reply, fitted = alert_message(
            tr, items, held_back, allowed.next_at, cap, zone, skipped=len(stale)
        )
        shown = shown[:fitted]  # the rest wait for the next message, within the cap
        what = f"the alerts of chat {chat_id}"
        report.stale += len(stale)
        if not items:
            await self.writer.write(what, partial(self._drop, chat_id, gone, stale))
            return
        try:
            outcome = await self.sender.send(chat_id, reply, on_move=partial(self._moved, chat_id))
        except SendingStopped:
            await self.writer.write(what, lambda s: alerts.release(s, chat_id))
            raise
        if isinstance(outcome, Verdict):
            await self._failed(chat_id, [item for item, _ in shown], outcome)
            report.failed += 1
            return
        ids = [item for item, _ in shown]

        async def record(session: AsyncSession, sent: Sent = outcome) -> None:
            await self._drop(sent.chat_id, gone, stale, session)
            await alerts.finish(
                session, sent.chat_id, ids, status=alerts.SENT, now=self.clock.now(),
                message_id=sent.message_id,
            )  # fmt: skip

        await self.writer.record(("alerts", chat_id), what, record)
        report.messages += 1
        report.articles += len(ids)
        report.held += held_back

    async def _drop(
        self, chat_id: int, gone: list[int], stale: list[int], session: AsyncSession
    ) -> None:
        """Record what will never be sent: retracted articles, and those held too long."""
        now = self.clock.now()
        await alerts.finish(session, chat_id, gone, status=alerts.FAILED, now=now)
        await alerts.finish(session, chat_id, stale, status=alerts.STALE, now=now)

    async def _moved(self, chat_id: int, new_chat_id: int) -> None:
        async def move(session: AsyncSession) -> None:
            await alerts.move_chat(session, chat_id, new_chat_id, self.clock.now())

        await self.writer.write(f"the alerts of chat {chat_id}", move)

    async def _failed(self, chat_id: int, item_ids: list[int], verdict: Verdict) -> None:
        """A gone chat gets no more alerts; a passing trouble is tried next run; a message
        Telegram refused is not tried again (the same one would fail)."""
        now = self.clock.now()

        async def failed(session: AsyncSession) -> None:
            if verdict.kind is VerdictKind.GONE:
                await alerts.deactivate(session, chat_id, verdict.reason, now)
            elif verdict.kind is VerdictKind.RETRY:
                await alerts.release(session, chat_id)
            else:
                log.error("alerts for chat %d rejected: %s", chat_id, verdict.reason)
                await alerts.finish(session, chat_id, item_ids, status=alerts.FAILED, now=now)

        await self.writer.write(f"the alerts of chat {chat_id}", failed)
