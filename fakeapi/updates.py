"""The bot's update queue: update_ids, offsets, long polling, allowed_updates."""

# The wait API takes `timeout=` like its synchronous twin (FakeTelegramThread).
# ruff: noqa: ASYNC109

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

from fakeapi.errors import ApiError, require_utf8
from fakeapi.models import JSON
from fakeapi.notify import Notifier

# Update types Telegram leaves out unless asked for explicitly.
OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateQueue:
    """Pending (unconfirmed) updates, shared by getUpdates and webhook delivery."""

    def __init__(self, first_update_id: int = 700_000_001) -> None:
        self.changed = Notifier()
        # Kept across reset(): a polling bot's offset must keep matching new updates.
        self._ids = itertools.count(first_update_id)
        self._pending: deque[JSON] = deque()
        self.allowed: frozenset[str] | None = None  # None: Telegram's default set
        self.filtered: list[JSON] = []  # updates Telegram would not have generated
        self._poller: object | None = None
        self._terminated: set[int] = set()
        self.polls = 0  # getUpdates calls seen

    def reset(self) -> None:
        self._pending.clear()
        self.filtered.clear()
        self.changed.notify()

    def is_allowed(self, kind: str) -> bool:
        if self.allowed:
            return kind in self.allowed
        return kind not in OPT_IN_TYPES

    def set_allowed(self, value: list[Any] | None) -> None:
        """Apply allowed_updates; like Telegram, only future updates are affected."""
        if value is not None:
            self.allowed = frozenset(str(v) for v in value)

    def push(self, kind: str, payload: JSON) -> JSON | None:
        """Queue an update of type ``kind``; None when allowed_updates filters it out.

        One that no answer could carry is refused (400), not queued: it would fail every
        getUpdates (and webhook post) after it, and Telegram never delivers such text."""
        require_utf8(payload)
        update = {"update_id": next(self._ids), kind: payload}
        if not self.is_allowed(kind):
            self.filtered.append(update)
            return None
        self._pending.append(update)
        self.changed.notify()
        return update

    def pending(self) -> list[JSON]:
        return list(self._pending)

    def first(self) -> JSON | None:
        return self._pending[0] if self._pending else None

    def drop(self, update_id: int) -> None:
        self._pending = deque(u for u in self._pending if u["update_id"] != update_id)
        self.changed.notify()

    def drop_all(self) -> None:
        self._pending.clear()
        self.changed.notify()

    def confirm(self, offset: int) -> None:
        """getUpdates ``offset``: forget earlier updates (negative: keep the last -offset)."""
        if offset > 0:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
        elif offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()

    async def poll(self, offset: int, limit: int, timeout: float) -> list[JSON]:
        """Long-poll: answer as soon as updates are pending, or [] after ``timeout`` s."""
        self.polls += 1
        token = object()
        if self._poller is not None:
            # Telegram answers the older request with 409 and serves the new one.
            self._terminated.add(id(self._poller))
        self._poller = token
        self.changed.notify()
        self.confirm(offset)
        limit = min(max(limit, 1), 100)

        def ready() -> list[JSON] | None:
            if id(token) in self._terminated:
                self._terminated.discard(id(token))
                raise ApiError(409, TERMINATED)
            return list(itertools.islice(self._pending, limit)) or None

        try:
            return await self.changed.wait_for(ready, max(timeout, 0.0)) or []
        finally:
            if self._poller is token:
                self._poller = None
            self._terminated.discard(id(token))
