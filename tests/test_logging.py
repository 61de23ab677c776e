"""Log lines: outside text cannot forge a record, and secrets never reach the log."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.logging_setup import bind_update, setup_logging
from bot.store import sync_seeds
from storage.database import Database

FORGED = "\n2026-01-01 00:00:00,000 CRITICAL bot.admin: database dropped\r\n"
TOKEN = "123456:AAH-secret-token-value"
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ [\w.]+: ")


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    setup_logging("INFO", [TOKEN], stream=stream)
    try:
        yield stream
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def records(stream: io.StringIO) -> list[str]:
    """The lines that start a record (a timestamp at column 0)."""
    return [line for line in stream.getvalue().splitlines() if RECORD_START.match(line)]


def test_a_forged_newline_in_user_text_stays_on_its_line(log_stream: io.StringIO) -> None:
    logging.getLogger("bot.search").info("search by %s: %s", 42, "putin" + FORGED + "syria")
    logging.getLogger("bot.x").warning("text itself" + FORGED)
    lines = log_stream.getvalue().splitlines()
    assert len(lines) == 2
    assert [line.split(" ")[2] for line in lines] == ["INFO", "WARNING"]
    assert (
        "putin\\n2026-01-01 00:00:00,000 CRITICAL bot.admin: database dropped\\r\\nsyria"
        in (lines[0])
    )


def test_other_controls_and_line_separators_are_escaped(log_stream: io.StringIO) -> None:
    logging.getLogger("bot").info("%s", "a\x1b[2Jb\x85c\u2028d\x00e\tf")
    [line] = log_stream.getvalue().splitlines()
    assert line.endswith("a\\x1b[2Jb\\x85c\\u2028d\\x00e\\tf")


def test_a_traceback_cannot_start_a_record_and_keeps_the_token_out(
    log_stream: io.StringIO,
) -> None:
    try:
        raise ValueError(f"bad input{FORGED}token {TOKEN}")
    except ValueError:
        logging.getLogger("bot.handlers").exception("error while handling %s", "/search")
    text = log_stream.getvalue()
    assert TOKEN not in text and "[redacted]" in text
    [first] = records(log_stream)
    assert first.endswith("error while handling /search")
    rest = text.splitlines()[1:]
    assert rest and all(line.startswith("    ") for line in rest)


async def test_a_seed_file_named_like_a_log_line_is_logged_on_one_line(
    log_stream: io.StringIO, db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / f"x{FORGED.replace(chr(13), '')}.txt").write_bytes(b"")  # empty: rejected
    (folder / "good.txt").write_text("A title\n\nA body of text that is long enough.\n")
    await sync_seeds(db, folder, datetime.now(UTC), by="test")
    lines = log_stream.getvalue().splitlines()
    assert len(lines) == len(records(log_stream)) == 2  # the summary and one rejection
    [rejected] = [line for line in lines if "seed rejected" in line]
    assert "x\\n2026-01-01 00:00:00,000 CRITICAL bot.admin: database dropped\\n.txt" in rejected
    assert [line.split(" ")[2] for line in lines] == ["INFO", "WARNING"]


def test_json_logs_one_object_a_line_with_the_update_and_no_secret() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    setup_logging("INFO", [TOKEN], stream=stream, log_format="json")
    try:

        async def handle_update() -> None:  # each update is handled in a task of its own
            bind_update(77, -100123, "/search")
            logging.getLogger("handlers.search").info("search by %s: %s", 5, "a" + FORGED)
            try:
                raise RuntimeError(f"token {TOKEN} in an error")
            except RuntimeError:
                logging.getLogger("handlers.errors").exception("error while handling /search")

        asyncio.run(handle_update())
        logging.getLogger("bot").warning("outside any update")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    text = stream.getvalue()
    assert TOKEN not in text
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == 3
    first, error, outside = records
    assert first["message"] == "search by 5: a" + FORGED
    assert (first["update_id"], first["chat_id"], first["command"]) == (77, -100123, "/search")
    assert first["level"] == "INFO" and first["logger"] == "handlers.search" and first["time"]
    assert "[redacted]" in error["exc_info"] and error["update_id"] == 77
    assert "update_id" not in outside
