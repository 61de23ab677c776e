"""What a Telegram error means for a message we tried to send."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning


def retry_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whichever form this PTB version gives it in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass(frozen=True, slots=True)
class Verdict:
    """`gone`: never send here again; `moved`: resend to `new_chat_id`; `retry`: try later."""

    kind: str  # gone | moved | retry | bug
    reason: str
    new_chat_id: int | None = None


_GONE_TEXTS = ("chat not found", "user not found", "peer_id_invalid", "bot was kicked")


def judge(exc: TelegramError) -> Verdict:
    if isinstance(exc, ChatMigrated):
        return Verdict("moved", "group became a supergroup", int(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return Verdict("gone", exc.message)  # blocked, deactivated, kicked: retrying won't heal
    if isinstance(exc, BadRequest):
        if any(text in exc.message.lower() for text in _GONE_TEXTS):
            return Verdict("gone", exc.message)
        return Verdict("bug", exc.message)  # the same message would fail again: ours to fix
    if isinstance(exc, RetryAfter | TimedOut | NetworkError):
        return Verdict("retry", exc.message or exc.__class__.__name__)
    return Verdict("retry", exc.message or exc.__class__.__name__)
