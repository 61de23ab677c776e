"""Pacing what the bot sends to Telegram's flood limits, with bulk sends behind replies.

Telegram allows about 30 messages a second over all chats, about one a second in one chat and
20 a minute in a group, and answers 429 with `retry_after` beyond that. Bulk sends (digests,
broadcasts; marked with `rate_limit_args=BULK`) are spaced evenly under a budget that leaves
room for interactive replies, which are never held back by us but in a group that had its 20
messages of the minute (replies and bulk sends together): a reply never waits behind a digest
run of thousands. A 429 on a bulk send pauses bulk sending for exactly `retry_after`,
then the same message goes again; a reply that meets a 429 waits and retries on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter

from bot.delivery.errors import error_code, retry_seconds
from bot.metrics import Metrics

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Priority:
    bulk: bool
    max_retries: int


class SendingStopped(Exception):
    """The bot is shutting down: a bulk message still waiting for its turn was not sent."""


PAID_PER_SECOND = 1000.0
# Methods that put a message in a chat: the ones allow_paid_broadcast applies to.
_SENDING = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendVideo", "copyMessage"})
BULK = Priority(bulk=True, max_retries=20)
INTERACTIVE = Priority(bulk=False, max_retries=3)
INTERACTIVE_NETWORK_RETRIES = (0.5, 1.5)  # pauses before each retry of a reply
GROUP_PER_MINUTE = 20  # Telegram's limit for one group (or channel), replies and bulk together


class PacedRateLimiter(BaseRateLimiter[Priority]):
    def __init__(
        self,
        *,
        overall_per_second: float = 30,
        bulk_per_second: float = 29,
        chat_interval: float = 1.0,
        group_interval: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        metrics: Metrics | None = None,
        paid_broadcast: bool = False,
    ) -> None:
        self.metrics = metrics or Metrics()  # every request to Telegram passes here
        # Paid broadcasts (allow_paid_broadcast) are held to Telegram's 1,000 a second instead
        # of the free ~30; each costs 0.1 Stars, so replies stay free.
        self.paid_broadcast = paid_broadcast
        self.overall = max(overall_per_second, PAID_PER_SECOND if paid_broadcast else 0)
        self.bulk_interval = 1.0 / bulk_per_second
        self.chat_interval = chat_interval
        self.group_interval = group_interval
        self._now = clock
        self._sent: deque[float] = deque()  # every send in the last second, replies included
        self._next_bulk = 0.0
        self._bulk_paused_until = 0.0
        self._chat_ready: dict[int | str, float] = {}
        # Each group's sends of the last minute, replies and bulk alike.
        self.group_per_minute = GROUP_PER_MINUTE
        self._group_sent: dict[int | str, deque[float]] = {}
        self._lock = asyncio.Lock()
        self._closed = asyncio.Event()

    def close(self) -> None:
        """Stop handing out bulk slots: whoever still waits gets SendingStopped at once."""
        self._closed.set()

    def set_bulk_rate(self, per_second: float) -> None:
        """Change the bulk pace (several instances share Telegram's budget)."""
        self.bulk_interval = 1.0 / per_second

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _in_last_second(self, now: float) -> int:
        while self._sent and self._sent[0] <= now - 1.0:
            self._sent.popleft()
        return len(self._sent)

    async def _bulk_slot(self, chat_id: int | str | None) -> None:
        """Wait for this bulk send's turn: even spacing, room in the overall budget, chat pace."""
        self.metrics.pacing_queue.inc()
        try:
            await self._take_bulk_slot(chat_id)
        finally:
            self.metrics.pacing_queue.dec()

    async def _take_bulk_slot(self, chat_id: int | str | None) -> None:
        async with self._lock:  # slots are handed out one at a time, in order
            while True:
                if self._closed.is_set():
                    raise SendingStopped
                now = self._now()
                wait = max(self._next_bulk, self._bulk_paused_until) - now
                if chat_id is not None:
                    wait = max(wait, self._chat_ready.get(chat_id, 0.0) - now)
                    wait = max(wait, self.group_wait(chat_id, now))
                if wait <= 0 and self._in_last_second(now) >= self.overall:
                    wait = self._sent[0] + 1.0 - now
                if wait <= 0:
                    break
                with contextlib.suppress(TimeoutError):  # woken early only by close()
                    await asyncio.wait_for(self._closed.wait(), wait)
            # Keep the cadence: the next slot follows this one's, not the moment a late sleep
            # woke up (those small delays would add up to a slower rate), unless we were idle.
            behind = now - self._next_bulk
            base = self._next_bulk if 0 <= behind < self.bulk_interval else now
            self._next_bulk = base + self.bulk_interval
            if chat_id is not None:
                interval = self.group_interval if _is_group(chat_id) else self.chat_interval
                self._chat_ready[chat_id] = now + interval
                if len(self._chat_ready) > 10_000:
                    self._forget_idle_chats(now)
                self._record_group(chat_id, now)
            self._sent.append(now)

    def group_wait(self, chat_id: int | str, now: float) -> float:
        """Seconds until the group may have one more message (0: now)."""
        sent = self._group_sent.get(chat_id)
        if not sent:
            return 0.0
        while sent and sent[0] <= now - 60.0:
            sent.popleft()
        return sent[0] + 60.0 - now if len(sent) >= self.group_per_minute else 0.0

    def _record_group(self, chat_id: int | str, now: float) -> None:
        if not _is_group(chat_id):
            return
        self._group_sent.setdefault(chat_id, deque()).append(now)
        if len(self._group_sent) > 10_000:
            self._group_sent = {
                key: sent for key, sent in self._group_sent.items() if sent[-1] > now - 60.0
            }

    async def _reply_slot(self, chat_id: int | str) -> None:
        """A reply in a group waits only when the group had its 20 messages this minute."""
        wait = self.group_wait(chat_id, self._now())
        if wait > 0:  # the oldest of the minute's 20 has aged out by then
            await asyncio.sleep(wait)
        self._record_group(chat_id, self._now())
        self._sent.append(self._now())

    def _forget_idle_chats(self, now: float) -> None:
        for key in [k for k, ready in self._chat_ready.items() if ready <= now]:
            del self._chat_ready[key]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> JSON:
        priority = rate_limit_args or INTERACTIVE
        chat_id = data.get("chat_id")
        if priority.bulk and self.paid_broadcast and endpoint in _SENDING:
            data["allow_paid_broadcast"] = True  # the request is built from this dict
        waits_429 = network_failures = 0
        while True:
            if priority.bulk:
                await self._bulk_slot(chat_id)
            elif chat_id is not None:
                await self._reply_slot(chat_id)
            try:
                try:
                    return await callback(*args, **kwargs)
                except TelegramError as exc:
                    self.metrics.telegram_error(error_code(exc))
                    raise
            except RetryAfter as exc:
                if waits_429 >= priority.max_retries:
                    raise
                waits_429 += 1
                seconds = retry_seconds(exc)
                log.info("flood limit on %s: waiting %.1f s as Telegram asks", endpoint, seconds)
                if priority.bulk:
                    # Everyone in the bulk queue waits: Telegram said we are going too fast.
                    self._bulk_paused_until = max(self._bulk_paused_until, self._now() + seconds)
                else:
                    await asyncio.sleep(seconds)
            except (BadRequest, TimedOut):
                raise  # a 400 would fail again; after a timeout Telegram may have taken it
            except NetworkError:
                # A reply that met a 5xx or a dropped connection never arrived: try it again
                # soon. Bulk sends are retried by their sender (the digest runner) instead.
                if priority.bulk or network_failures >= len(INTERACTIVE_NETWORK_RETRIES):
                    raise
                await asyncio.sleep(INTERACTIVE_NETWORK_RETRIES[network_failures])
                network_failures += 1


def _is_group(chat_id: int | str) -> bool:
    """Negative ids and @usernames are groups and channels (20 a minute)."""
    return isinstance(chat_id, str) or chat_id < 0
