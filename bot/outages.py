"""Saying in the log when the database stops answering and when it answers again: one line
each, not a traceback for every tick of the outage in between."""

from __future__ import annotations

import logging
import time

from sqlalchemy.exc import DBAPIError

# What a database that does not answer raises (connection refused or cut, a lock held too long).
UNREACHABLE = (DBAPIError, OSError, TimeoutError)


def reason(exc: BaseException) -> str:
    """The error's kind and first line, without the SQL statement or its parameters (which
    SQLAlchemy appends) that say nothing about the outage and may hold readers' data."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{cause.__class__.__name__}: {first}" if first else cause.__class__.__name__


class OutageLog:
    """Told of every attempt's outcome by one periodic job (`who`: "digest schedule"); writes a
    line when the outage starts and when it ends."""

    def __init__(self, log: logging.Logger, who: str) -> None:
        self.log = log
        self.who = who
        self.failing_since: float | None = None  # monotonic
        self.failures = 0

    @property
    def failing(self) -> bool:
        return self.failing_since is not None

    def failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UNREACHABLE):  # not an outage but a bug: shown whole, each time
            self.log.warning("%s failed; it tries again on its next run", self.who, exc_info=exc)
            return
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            self.log.warning(
                "%s: the database does not answer (%s); tried again every run",
                self.who, reason(exc),
            )  # fmt: skip

    def answered(self) -> None:
        if self.failing_since is None:
            return
        seconds = time.monotonic() - self.failing_since
        self.log.warning(
            "%s: the database answers again (down %.0f s, %d failed attempts)",
            self.who, seconds, self.failures,
        )  # fmt: skip
        self.failing_since, self.failures = None, 0
