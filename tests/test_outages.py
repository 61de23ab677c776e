"""The outage log's lines: one when the database stops answering, one when it is back; a bug is
not taken for an outage."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from bot.outages import OutageLog


def test_one_line_an_outage_and_a_bug_shown_whole(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("test.outages")
    outage = OutageLog(log, "feed polling")
    caplog.set_level(logging.INFO, logger="test.outages")
    locked = OperationalError("UPDATE instances SET secret = ?", ("x",), Exception("locked"))
    for _ in range(5):
        outage.failed(locked)
    outage.failed(ConnectionRefusedError(111, "Connection refused"))
    outage.answered()
    outage.answered()
    outage.failed(ValueError("a bug"))
    lines = [(r.getMessage(), r.exc_info is not None) for r in caplog.records]
    assert lines == [
        ("feed polling: the database does not answer (Exception: locked); tried again every "
         "run", False),
        ("feed polling: the database answers again (down 0 s, 6 failed attempts)", False),
        ("feed polling failed; it tries again on its next run", True),
    ]  # fmt: skip
    assert "UPDATE" not in caplog.text  # the statement and its parameters stay out of the log
