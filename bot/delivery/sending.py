"""Sending one paced message to a chat, and what each refusal means for the sender.

Shared by every bulk sender (digests, alerts): the bulk queue paces it and waits out a 429 as
Telegram asks; network trouble is retried here with back-off; a group that became a supergroup
is followed to its new id (the caller stores it); anything else comes back as a `Verdict` for
the caller's own policy (a blocked or vanished chat is `GONE`, a refused message is `BUG`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.delivery.errors import Verdict, VerdictKind, judge
from bot.delivery.pacing import BULK, Priority
from bot.rendering.cards import Reply

NETWORK_BACKOFF = (1.0, 2.0, 4.0)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# A chat followed to its new id this many times and still refused is tried again later.
MAX_MOVES = 2

OnMove = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int
    chat_id: int  # where it went: a migrated group's new id


class Sender:
    def __init__(self, bot: ExtBot[Priority]) -> None:
        self.bot = bot

    async def send(
        self, chat_id: int, reply: Reply, *, on_move: OnMove, thread_id: int | None = None
    ) -> Sent | Verdict:
        """Send through the bulk queue; `on_move(new_chat_id)` is awaited before a resend to a
        migrated group. `SendingStopped` (shutting down, not sent) goes to the caller."""
        for _move in range(MAX_MOVES):
            try:
                return Sent(await self._post(chat_id, reply, thread_id), chat_id)
            except TelegramError as exc:
                verdict = judge(exc)
                if verdict.kind is VerdictKind.MOVED and verdict.new_chat_id is not None:
                    chat_id = verdict.new_chat_id
                    await on_move(chat_id)
                    continue
                return verdict
        return Verdict(VerdictKind.RETRY, "chat moved twice")

    async def _post(self, chat_id: int, reply: Reply, thread_id: int | None) -> int:
        for pause in (*NETWORK_BACKOFF, None):
            try:
                message = await self.bot.send_message(
                    chat_id,
                    reply.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply.keyboard,
                    link_preview_options=NO_PREVIEW,
                    message_thread_id=thread_id,
                    rate_limit_args=BULK,
                )
                return message.message_id
            except NetworkError as exc:
                if pause is None or judge(exc).kind is not VerdictKind.RETRY:
                    raise
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")
