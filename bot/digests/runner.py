"""Delivering due digests: claim in the ledger, compose, send paced, record; exactly once.

Every tick (once a minute) finds the subscribers whose digest is due, and for each: claims the
(subscriber, local date) ledger row, composes the digest, sends it through the bulk queue and
records the result with the next day's schedule in one transaction. Because the ledger row is
claimed before the send and marked after it, a crash in between can repeat at most the digests
that were in flight; nothing is skipped, and a restart never replays past days.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.delivery.errors import judge
from bot.delivery.pacing import BULK, PacedRateLimiter, Priority, SendingStopped
from bot.digests.compose import Candidate, select_articles
from bot.digests.schedule import catch_up, local_date, next_due
from bot.languages import chat_translator
from bot.rendering.cards import Reply
from bot.rendering.digest import digest_message
from bot.search.service import SearchService
from bot.summaries.service import SummaryService
from bot.timezones import zone_info
from storage import articles, deliveries, state, subscribers
from storage.database import Database
from storage.models import Article, Subscriber

log = logging.getLogger(__name__)

FIRST_DIGEST_WINDOW = timedelta(hours=24)
NETWORK_BACKOFF = (1.0, 2.0, 4.0)
POOL_LIMIT = 5000
TOPIC_RESULTS = 200
SUMMARY_SENTENCES = 2
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
CLAIM_AHEAD_SECONDS = 4
# Pauses between tries of a write while the database is away, the last repeated for as long as
# it takes: short, so a digest sent meanwhile is recorded soon after the database is back.
DB_BACKOFF = (0.5, 1.0, 2.0, 4.0, 5.0)
# Stopping while the database is away: how long the records of sent digests are still tried.
STOP_GRACE_SECONDS = 5.0
# While a write keeps failing, one warning a minute says so (not one per try and per digest).
OUTAGE_LOG_EVERY = 60.0
# Errors a retry cannot mend: everything else from the database is taken for an outage.
PERMANENT = (IntegrityError, ProgrammingError, DataError)

Write = Callable[[AsyncSession], Awaitable[None]]
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
    errors: list[str] = field(default_factory=list)


@dataclass
class _RunContext:
    """What one batch shares across subscribers: the candidates (ids and load times), topic
    matches, and the few articles shown so far, read whole once."""

    now: datetime
    pool: list[Candidate]
    topic_hits: dict[tuple[str, ...], dict[int, int]] = field(default_factory=dict)
    shown: dict[int, Article] = field(default_factory=dict)
    # New articles past the end of `pool`, counted but not fetched (a preview without topics
    # fetches only the ones it shows): they go in "and N more".
    beyond: int = 0


def _schedule(subscriber: Subscriber) -> tuple[int, str]:
    """What a computed next digest depends on: a reader's change of either wins over it."""
    return subscriber.delivery_minute, subscriber.timezone


class DigestRunner:
    def __init__(
        self,
        *,
        db: Database,
        bot: ExtBot[Priority],
        clock: Clock,
        search: SearchService,
        summaries: SummaryService,
        instance: str,
        rate: float = 29.0,
        tick_seconds: float = 60.0,
        concurrency: int = 64,
    ) -> None:
        self.db = db
        self.bot = bot
        self.clock = clock
        self.search = search
        self.summaries = summaries
        self.instance = instance
        self.concurrency = concurrency
        self.rate = rate
        # An instance unheard of for three ticks is taken for dead: the others take its share.
        self.heartbeat_ttl = state.alive_window(tick_seconds)
        self.retry_later = timedelta(seconds=tick_seconds)
        self.share = rate  # this instance's part of the sending budget, messages a second
        self._beat: asyncio.Task[None] | None = None
        self._task: asyncio.Task[RunReport] | None = None
        self._lock = asyncio.Lock()
        self.last_tick_at: datetime | None = None
        # A fresh instance counts as having ticked when it started: its first tick is due.
        self.last_tick_monotonic = time.monotonic()
        self.last_report: RunReport | None = None
        self.on_report: Callable[[RunReport], None] | None = None  # metrics, told of each run
        self._stopping = False
        self._stopped = asyncio.Event()
        self._stop_deadline = math.inf
        # Digests Telegram accepted whose record is not written yet: never claimed (nor sent)
        # again while they are here, and written first thing on every run until they are.
        self._unrecorded: dict[tuple[int, date], Write] = {}
        # Whether this instance's last database write failed, and when one next succeeded
        # (monotonic): see `_may_take_over`.
        self._db_failing = False
        self._db_back_at = -math.inf

    def tick(self) -> None:
        """Called by the JobQueue every minute: start a run unless one is going."""
        self.last_tick_at = self.clock.now()
        self.last_tick_monotonic = time.monotonic()
        if self._stopping:
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
        except Exception:  # the budget is re-read every batch; one miss is harmless
            self._db_failed()
            log.warning("could not share the sending budget", exc_info=True)
            return
        self._db_answered()
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
        self._stopping = True
        self._stop_deadline = time.monotonic() + STOP_GRACE_SECONDS
        self._stopped.set()
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

    def _db_failed(self) -> None:
        self._db_failing = True

    def _db_answered(self) -> None:
        if self._db_failing:
            self._db_failing = False
            self._db_back_at = time.monotonic()

    def _may_take_over(self) -> bool:
        """Whether claims of instances whose heartbeat looks stale may be taken over.

        Not for three ticks after this instance's own database came back: the outage stopped
        every instance's heartbeat, so a live holder looks dead until it has had a tick to say
        otherwise (and to write the records of what it sent meanwhile). A holder that really
        died has its digests sent three ticks late, never twice.
        """
        return time.monotonic() - self._db_back_at >= self.heartbeat_ttl.total_seconds()

    async def run(self, *, force: bool = False) -> RunReport:
        """Deliver every due digest (with `force`, today's to every active subscriber)."""
        async with self._lock:
            started = time.perf_counter()
            report = RunReport()
            now = self.clock.now()
            await self.share_budget()  # heartbeat first: our claims must read as alive
            try:
                await self._record_unrecorded()
                if force:
                    await self._run_all_today(now, report)
                else:
                    await self._run_due(now, report)
            except Exception:
                log.exception("digest run stopped early; the rest go on the next tick")
                raise
            finally:
                report.seconds = time.perf_counter() - started
                self.last_report = report
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
            return await self._claim(session, batch, now, report, force=False)

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
            return await self._claim(session, batch, now, report, force=True)

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
        queue: asyncio.Queue[tuple[Subscriber, date, _RunContext] | None] = asyncio.Queue(
            maxsize=ahead
        )

        async def produce() -> None:
            try:
                while not self._stopping:
                    async with self.db.write() as session:
                        work = await next_batch(session, ahead)
                    if work is None:
                        return
                    if not work:
                        continue
                    await self.share_budget()  # instances come and go: re-read every batch
                    context = await self._context(now, [s for s, _ in work])
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
                except Exception as exc:  # one subscriber's trouble must not stop the run
                    log.exception("digest for subscriber %d failed", subscriber.id)
                    report.failed += 1
                    report.errors.append(f"{exc.__class__.__name__}: {exc}")

        # A producer stopped by the database must not end the run while digests it handed
        # out are still being sent and recorded: the run (and its lock) lasts until they are.
        delivering = [asyncio.create_task(deliver()) for _ in range(workers)]
        try:
            await produce()
        finally:
            await asyncio.gather(*delivering)

    async def _claim(
        self,
        session: AsyncSession,
        batch: Sequence[Subscriber],
        now: datetime,
        report: RunReport,
        *,
        force: bool,
    ) -> list[tuple[Subscriber, date]]:
        """Claim today's ledger row of each subscriber in the batch that is due (or forced)."""
        claimed: list[tuple[Subscriber, date]] = []
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
            if (subscriber.id, day) in self._unrecorded:
                report.skipped += 1  # sent, its record not written yet: never again
                continue
            alive_since = now - self.heartbeat_ttl
            take_over = self._may_take_over()
            if await deliveries.claim(
                session, subscriber.id, day, now, self.instance, alive_since, take_over=take_over
            ):
                claimed.append((subscriber, day))
                continue
            report.skipped += 1
            if await deliveries.status_of(session, subscriber.id, day) in deliveries.DONE:
                # Already delivered (a restart, /senddigests, another instance): move on.
                tomorrow = next_due(day, subscriber.delivery_minute, zone)
                await subscribers.reschedule(
                    session, subscriber.id, tomorrow, computed_for=_schedule(subscriber)
                )
        return claimed

    async def _context(self, now: datetime, batch: Sequence[Subscriber]) -> _RunContext:
        since = min((s.last_digest_at or now - FIRST_DIGEST_WINDOW) for s in batch)
        async with self.db.read() as session:
            pool = await articles.fresh_since(session, since, limit=POOL_LIMIT)
        return _RunContext(now, pool)

    async def _read(self, context: _RunContext, ids: Sequence[int]) -> list[Article]:
        """The chosen articles, read whole once per batch (one retracted meanwhile is left out)."""
        missing = [i for i in ids if i not in context.shown]
        if missing:
            async with self.db.read() as session:
                context.shown.update(await articles.by_ids(session, missing))
        return [context.shown[i] for i in ids if i in context.shown]

    async def _topic_hits(self, context: _RunContext, topics: tuple[str, ...]) -> dict[int, int]:
        key = tuple(sorted(t.lower() for t in topics))
        if key not in context.topic_hits:
            hits: dict[int, int] = {}
            for topic in key:
                result = await self.search.search(topic, limit=TOPIC_RESULTS)
                for hit in result.hits:
                    hits[hit.article.id] = hits.get(hit.article.id, 0) + 1
            context.topic_hits[key] = hits
        return context.topic_hits[key]

    async def compose(
        self, subscriber: Subscriber, context: _RunContext, day: date, *, preview: bool = False
    ) -> tuple[Reply, int]:
        """The digest message for one subscriber (also used for /digest previews), and how
        many articles it shows."""
        since = subscriber.last_digest_at or context.now - FIRST_DIGEST_WINDOW
        hits = (
            await self._topic_hits(context, tuple(subscriber.topics)) if subscriber.topics else None
        )
        selection = select_articles(
            context.pool, since=since, until=context.now, size=subscriber.digest_size,
            topic_hits=hits,
        )  # fmt: skip
        items = [
            (a, (await self.summaries.for_article(a))[:SUMMARY_SENTENCES])
            for a in await self._read(context, selection.ids)
        ]
        more = selection.more + (context.beyond if hits is None else 0)
        zone = zone_info(subscriber.timezone)
        tr = await chat_translator(self.db, subscriber.chat_id)
        return digest_message(tr, items, more, day, zone, preview=preview), len(items)

    async def preview(self, subscriber: Subscriber) -> Reply | None:
        """Today's digest as it would look now, sent as a reply; it records nothing."""
        now = self.clock.now()
        if subscriber.topics:  # matched against the new articles' ids
            context = await self._context(now, [subscriber])
        else:  # the newest few, and a count
            since = subscriber.last_digest_at or now - FIRST_DIGEST_WINDOW
            size = subscriber.digest_size
            async with self.db.read() as session:
                pool = await articles.fresh_since(session, since, until=now, limit=size)
                total = await articles.count_fresh(session, since, until=now)
            context = _RunContext(now, pool, beyond=max(0, total - len(pool)))
        reply, shown = await self.compose(
            subscriber, context, local_date(now, zone_info(subscriber.timezone)), preview=True
        )
        return reply if shown else None

    async def _durably(self, what: str, write: Write) -> None:
        """One write transaction, tried until the database takes it (a restart, a lock, an
        outage of any length).

        What must not be lost is the record of a message Telegram accepted: without it the
        digest would go again. Only a stopping process gives up, after STOP_GRACE_SECONDS.
        """
        pauses = iter(DB_BACKOFF)
        failing_since: float | None = None
        last_warning = -math.inf
        while True:
            try:
                if failing_since is not None:
                    # Back from a failure: say this instance is alive before writing, so the
                    # others read the claims whose records are still pending as held.
                    async with self.db.write() as session:
                        await state.heartbeat(session, self.instance, self.clock.now())
                async with self.db.write() as session:
                    await write(session)
            except (DBAPIError, OSError) as exc:
                if isinstance(exc, PERMANENT):  # the same write would fail again
                    raise
                self._db_failed()
                now = time.monotonic()
                failing_since = now if failing_since is None else failing_since
                if now >= self._stop_deadline:
                    log.error("could not record %s before stopping: database still failing "
                              "(%s)", what, exc.__class__.__name__)  # fmt: skip
                    raise
                if now - last_warning >= OUTAGE_LOG_EVERY:
                    last_warning = now
                    log.warning(
                        "database write for %s failed (%s) for %.0f s; retrying until it answers",
                        what, exc.__class__.__name__, now - failing_since,
                    )  # fmt: skip
                pause = next(pauses, DB_BACKOFF[-1])
                if self._stopping:
                    pause = min(pause, max(0.0, self._stop_deadline - now))
                await self._pause(pause)
                continue
            self._db_answered()
            if failing_since is not None:
                log.info("recorded %s after the database failed for %.0f s",
                         what, time.monotonic() - failing_since)  # fmt: skip
            return

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the process starts stopping (its deadline is shorter)."""
        if self._stopping:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    async def _record_unrecorded(self) -> None:
        """Write the records a past run could not (it stopped on the database)."""
        for key, write in list(self._unrecorded.items()):
            try:
                await self._durably(f"the digest of subscriber {key[0]}", write)
            except (DBAPIError, OSError):
                if self._stopping:
                    raise
                # Kept: that digest stays unsent and unclaimed here; the others go on.
                log.exception("could not record the digest of subscriber %d", key[0])
                continue
            self._unrecorded.pop(key, None)

    async def _deliver(
        self, subscriber: Subscriber, day: date, context: _RunContext, report: RunReport
    ) -> None:
        sid = subscriber.id
        what = f"the digest of subscriber {sid}"
        zone = zone_info(subscriber.timezone)
        tomorrow = next_due(day, subscriber.delivery_minute, zone)
        schedule = _schedule(subscriber)
        try:
            if self._stopping:
                raise SendingStopped
            reply, shown = await self.compose(subscriber, context, day)
        except BaseException:
            # Claimed but never sent: give the claim back so the next run sends it at once.
            await self._durably(what, lambda s: deliveries.release(s, sid, day))
            report.skipped += 1
            raise
        if not shown:
            now = self.clock.now()

            async def empty(session: AsyncSession) -> None:
                await deliveries.finish(session, sid, day, status="empty", now=now)
                await subscribers.reschedule(session, sid, tomorrow, computed_for=schedule)

            await self._durably(what, empty)
            report.empty += 1
            return
        chat_id = subscriber.chat_id
        for _move in range(2):
            try:
                message_id = await self._send(chat_id, reply)
            except SendingStopped:
                await self._durably(what, lambda s: deliveries.release(s, sid, day))
                report.skipped += 1
                return
            except TelegramError as exc:
                verdict = judge(exc)
                if verdict.kind == "moved" and verdict.new_chat_id is not None:
                    chat_id = verdict.new_chat_id
                    await self._durably(what, partial(self._move, sid, chat_id))
                    continue
                await self._record_failure(
                    subscriber, day, verdict.kind, verdict.reason, tomorrow, report
                )
                return

            async def sent(session: AsyncSession, message_id: int = message_id) -> None:
                await deliveries.finish(
                    session, sid, day, status="sent", now=self.clock.now(),
                    message_id=message_id, article_count=shown,
                )  # fmt: skip
                await subscribers.reschedule(
                    session, sid, tomorrow, last_digest_at=context.now, computed_for=schedule
                )

            # Kept until written: a failure here must not let this digest be claimed again.
            self._unrecorded[(sid, day)] = sent
            await self._durably(what, sent)
            self._unrecorded.pop((sid, day), None)
            report.sent += 1
            return
        await self._record_failure(subscriber, day, "retry", "chat moved twice", tomorrow, report)

    async def _send(self, chat_id: int, reply: Reply) -> int:
        """Send through the bulk queue; network trouble is retried with back-off first."""
        for pause in (*NETWORK_BACKOFF, None):
            try:
                message = await self.bot.send_message(
                    chat_id,
                    reply.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply.keyboard,
                    link_preview_options=NO_PREVIEW,
                    rate_limit_args=BULK,
                )
                return message.message_id
            except NetworkError as exc:
                if pause is None or judge(exc).kind != "retry":
                    raise
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def _move(self, subscriber_id: int, chat_id: int, session: AsyncSession) -> None:
        await subscribers.move_chat(session, subscriber_id, chat_id, self.clock.now())

    async def _record_failure(
        self,
        subscriber: Subscriber,
        day: date,
        kind: str,
        reason: str,
        tomorrow: tuple[date, datetime],
        report: RunReport,
    ) -> None:
        now = self.clock.now()
        sid = subscriber.id
        schedule = _schedule(subscriber)
        if kind == "bug":  # the same message would fail again: try tomorrow's, and say so
            log.error("digest for subscriber %d rejected: %s", sid, reason)

        async def failed(session: AsyncSession) -> None:
            await deliveries.finish(session, sid, day, status="failed", now=now, error=reason)
            if kind == "gone":
                await subscribers.deactivate(session, sid, reason, now)
            elif kind == "retry":
                # Left for the next tick, never dropped.
                await subscribers.reschedule(
                    session, sid, (day, now + self.retry_later), computed_for=schedule
                )
            else:
                await subscribers.reschedule(session, sid, tomorrow, computed_for=schedule)

        await self._durably(f"the digest of subscriber {sid}", failed)
        report.failed += 1
        report.deactivated += kind == "gone"
