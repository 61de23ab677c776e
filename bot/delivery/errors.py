"""What a Telegram error means for a message we tried to send."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
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


class VerdictKind(Enum):
    GONE = "gone"  # blocked, kicked, chat deleted: never send here again
    TOPIC_GONE = "topic_gone"  # the forum topic was deleted (the group is still there)
    MOVED = "moved"  # the group became a supergroup: resend to `new_chat_id`
    RETRY = "retry"  # flood limit, network, Telegram's own trouble: try later
    BUG = "bug"  # Telegram refused this message: the same one would fail again


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: VerdictKind
    reason: str
    new_chat_id: int | None = None


_SERVER_ERROR = re.compile(
    r"bad gateway|internal server error|service unavailable|gateway time|5\d\d", re.I
)
# Telegram's answer to a message_thread_id whose forum topic was deleted.
TOPIC_GONE_TEXT = "message thread not found"
_GONE_TEXTS = ("chat not found", "user not found", "peer_id_invalid", "bot was kicked")


def error_code(exc: TelegramError) -> str:
    """A Telegram error as a metric label: the HTTP code where Telegram gave one."""
    if isinstance(exc, RetryAfter):
        return "429"
    if isinstance(exc, Forbidden):
        return "403"
    if isinstance(exc, InvalidToken):
        return "401"
    if isinstance(exc, BadRequest | ChatMigrated):
        return "400"
    if isinstance(exc, TimedOut):
        return "timeout"
    if isinstance(exc, NetworkError):
        # PTB raises NetworkError for a 5xx with Telegram's own words ("Bad Gateway"), and for a
        # connection that failed: only the first came from Telegram.
        return "5xx" if _SERVER_ERROR.search(exc.message or "") else "network"
    return "other"


def judge(exc: TelegramError) -> Verdict:
    if isinstance(exc, ChatMigrated):
        return Verdict(VerdictKind.MOVED, "group became a supergroup", int(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        # Blocked, deactivated, kicked: retrying won't heal.
        return Verdict(VerdictKind.GONE, exc.message)
    if isinstance(exc, BadRequest):
        if TOPIC_GONE_TEXT in exc.message.lower():
            return Verdict(VerdictKind.TOPIC_GONE, exc.message)
        if any(text in exc.message.lower() for text in _GONE_TEXTS):
            return Verdict(VerdictKind.GONE, exc.message)
        return Verdict(VerdictKind.BUG, exc.message)  # it would fail again: ours to fix
    # A flood limit, the network, Telegram's own trouble: passing.
    return Verdict(VerdictKind.RETRY, exc.message or exc.__class__.__name__)
