"""Logging for the bot: one record a line, quiet HTTP client, and the token never written anywhere.

Log lines carry text from outside (chat text, file names, Telegram's error messages): control
characters in a record's message are escaped (`\\n` for a newline), and the continuation lines of
a traceback are indented, so no outside text can start a line that looks like a record of its own.
"""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: all start a new line
# somewhere (a terminal, a log viewer, a JSON-unaware shipper) or rewrite what is shown.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
CONTINUATION = "    "


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def escape_controls(text: str) -> str:
    """`text` on one line, every control character written as an escape."""
    return _CONTROLS.sub(_escape_one, text)


def indent_continuation(text: str) -> str:
    """A traceback's lines, each escaped and indented: none can pass for a record of its own."""
    return "\n".join(CONTINUATION + escape_controls(line) for line in text.splitlines())


class RedactFilter(logging.Filter):
    """Replaces secrets in every record, however they got there (URLs, tracebacks, args)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        # Render once, scrub, and freeze: the args may hold the secret too.
        record.msg = self._scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub(record.stack_info)
        return True


class StartFailureFilter(logging.Filter):
    """Drops PTB's traceback for a failed start-up getMe: run_bot.py says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("Bootstrap Initialize Application" in message and "Aborting" in message)


class OneLineFormatter(logging.Formatter):
    """The usual text format, with the message (args included) escaped onto one line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        return indent_continuation(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return indent_continuation(stack_info)

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_text and not record.exc_text.startswith(CONTINUATION):
            # Rendered (and redacted) earlier by RedactFilter with a plain formatter.
            record.exc_text = indent_continuation(record.exc_text)
        return super().format(record)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The update being handled, for the log records written while it is: PTB handles each update in
# its own task (concurrent_updates), and a task's context variables are its own.
_UPDATE: ContextVar[dict[str, Any] | None] = ContextVar("update", default=None)


def bind_update(update_id: int, chat_id: int | None, command: str | None) -> None:
    """Tag every record the current task logs from now on with this update's ids."""
    fields: dict[str, Any] = {"update_id": update_id}
    if chat_id is not None:
        fields["chat_id"] = chat_id
    if command:
        fields["command"] = command
    _UPDATE.set(fields)


class UpdateFilter(logging.Filter):
    """Copies the bound update's ids onto each record (JSON logs show them as fields)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_UPDATE.get() or {}).items():
            setattr(record, key, value)
        return True


class JsonFormatter(_LibraryJsonFormatter):
    """One JSON object a line: time, level, logger, message, the update's ids, the traceback."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )

    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_text:
            return super().format(record)
        # RedactFilter left a scrubbed traceback in exc_text: use it, never a fresh one.
        saved, record.exc_info = record.exc_info, None
        try:
            return super().format(record)
        finally:
            record.exc_info = saved


def make_formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else OneLineFormatter(TEXT_FORMAT)


def setup_logging(
    level: str, secrets: list[str], stream: TextIO | None = None, log_format: str = "text"
) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(UpdateFilter())
    handler.addFilter(StartFailureFilter())
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and a Bot API URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler logs every run of the minute tick at INFO: twice a minute of nothing.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
