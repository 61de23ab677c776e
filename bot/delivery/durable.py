"""Records of sent messages, written whatever the database is going through.

What must not be lost is the record of a message Telegram accepted: without it the message
would go again. Each write is tried until the database takes it (a restart, a lock, an outage
of any length); only a stopping process gives up, after STOP_GRACE_SECONDS. A record that could
not be written yet is kept here, and whatever it guards is never claimed again meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from datetime import timedelta

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.outages import OutageLog
from storage import state
from storage.database import Database

log = logging.getLogger(__name__)

# Pauses between tries of a write while the database is away, the last repeated for as long as
# it takes: short, so a message sent meanwhile is recorded soon after the database is back.
DB_BACKOFF = (0.5, 1.0, 2.0, 4.0, 5.0)
# Stopping while the database is away: how long the records of sent messages are still tried.
STOP_GRACE_SECONDS = 5.0
# While a write keeps failing, one warning a minute says so (not one per try and per message).
OUTAGE_LOG_EVERY = 60.0
# Errors a retry cannot mend: everything else from the database is taken for an outage.
PERMANENT = (IntegrityError, ProgrammingError, DataError)

Write = Callable[[AsyncSession], Awaitable[None]]


class DurableWriter:
    def __init__(self, db: Database, clock: Clock, instance: str, outage: OutageLog) -> None:
        self.db = db
        self.clock = clock
        self.instance = instance
        self.outage = outage  # one log line when the database stops answering, one when back
        self.stopping = False
        self._stopped = asyncio.Event()
        self._stop_deadline = math.inf
        # Records of messages Telegram accepted that are not written yet, by what they guard.
        self._unrecorded: dict[Hashable, tuple[str, Write]] = {}
        # Whether this instance's last database write failed, and when one next succeeded
        # (monotonic): see `may_take_over`.
        self._db_failing = False
        self._db_back_at = -math.inf

    def stop(self) -> None:
        """Start stopping: pauses end at once, and failing writes are given up after the grace."""
        self.stopping = True
        self._stop_deadline = time.monotonic() + STOP_GRACE_SECONDS
        self._stopped.set()

    def failed(self, exc: BaseException) -> None:
        self._db_failing = True
        self.outage.failed(exc)

    def answered(self) -> None:
        self.outage.answered()
        if self._db_failing:
            self._db_failing = False
            self._db_back_at = time.monotonic()

    def may_take_over(self, heartbeat_ttl: timedelta) -> bool:
        """Whether claims of instances whose heartbeat looks stale may be taken over.

        Not for a heartbeat window after this instance's own database came back: the outage
        stopped every instance's heartbeat, so a live holder looks dead until it has had a tick
        to say otherwise (and to write the records of what it sent meanwhile). A holder that
        really died has its messages sent that much late, never twice.
        """
        return time.monotonic() - self._db_back_at >= heartbeat_ttl.total_seconds()

    def unrecorded(self, key: Hashable) -> bool:
        """Whether `key`'s message went out and its record is still to be written."""
        return key in self._unrecorded

    async def record(self, key: Hashable, what: str, write: Write) -> None:
        """Write the record of a sent message; kept until written, so that message is never
        claimed (nor sent) again meanwhile."""
        self._unrecorded[key] = (what, write)
        await self.write(what, write)
        self._unrecorded.pop(key, None)

    async def record_unrecorded(self) -> None:
        """Write the records a past run could not (it stopped on the database)."""
        for key, (what, write) in list(self._unrecorded.items()):
            try:
                await self.write(what, write)
            except (DBAPIError, OSError):
                if self.stopping:
                    raise
                # Kept: that message stays unclaimed here; the others go on.
                log.exception("could not record %s", what)
                continue
            self._unrecorded.pop(key, None)

    async def write(self, what: str, write: Write) -> None:
        """One write transaction, tried until the database takes it."""
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
                self.failed(exc)
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
                if self.stopping:
                    pause = min(pause, max(0.0, self._stop_deadline - now))
                await self._pause(pause)
                continue
            self.answered()
            if failing_since is not None:
                log.info("recorded %s after the database failed for %.0f s",
                         what, time.monotonic() - failing_since)  # fmt: skip
            return

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the process starts stopping (its deadline is shorter)."""
        if self.stopping:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)
