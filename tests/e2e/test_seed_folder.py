"""A seed folder someone else writes to, end to end: links out, loops, FIFOs, odd names, long
names, and loads from two processes at once. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PROJECT
from tests.e2e.harness import ADMIN_ID, BotProcess, fresh_fake, query_db, wait_until
from tests.seed_folders import FORGED_NAME, SECRET, hostile_folder, write_article

pytestmark = pytest.mark.e2e

FORGED_LINE = "2026-11-29 10:00:00 CRITICAL"
_ids = itertools.count(760_000)

tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


def run_cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "run_bot.py"), *args],
        env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile_bot(
    tg: FakeTelegramThread,
    tmp_path_factory: pytest.TempPathFactory,
    module_database: dict[str, str],
) -> Iterator[tuple[BotProcess, dict[str, str]]]:
    workdir = tmp_path_factory.mktemp("hostile")
    bot = BotProcess(tg, workdir, extra_env=module_database)
    expected = hostile_folder(bot.seeds, workdir / "outside")
    bot.start()  # the old code exited 1 on the undecodable name, or hung on the FIFO
    yield bot, expected
    bot.stop()


def reload(tg: FakeTelegramThread, timeout: float = 60) -> str:
    mark = tg.mark()
    tg.send_message(ADMIN_ID, "/reload")
    [status] = tg.wait_for_messages(ADMIN_ID, 1, after=mark)

    def reported() -> bool:
        texts = [tg.message(ADMIN_ID, status.message_id).text]
        texts += [m.text for m in tg.messages(ADMIN_ID, after=mark)]
        return any(t.startswith(("✅", "❌")) for t in texts)

    wait_until(reported, timeout, "the reload report")
    texts = [tg.message(ADMIN_ID, status.message_id).text]
    texts += [m.text for m in tg.messages(ADMIN_ID, after=mark)]
    return next(t for t in texts if t.startswith(("✅", "❌")))


def test_start_up_and_reload_survive_a_hostile_folder(
    hostile_bot: tuple[BotProcess, dict[str, str]], tg: FakeTelegramThread
) -> None:
    bot, expected = hostile_bot
    [found] = tg.ask(next(_ids), "/search harbour reopens")
    assert "Harbour reopens after storm" in found.text
    for words in ["zebracorn", "telegram bot token", "private note"]:
        [reply] = tg.ask(next(_ids), f"/search {words}")
        assert SECRET not in reply.text and "Private note" not in reply.text
    report = reload(tg)
    assert report.startswith("✅"), report
    assert "rejected        " in report
    for name in ["devnull.txt", "pipe-link.txt", "caf\\xe9.txt"]:
        assert name in report
    # Never stuck: a second reload runs and reports too.
    assert reload(tg).startswith("✅")
    log = bot.log()
    assert SECRET not in log
    assert not any(line.startswith(FORGED_LINE) for line in log.splitlines())
    assert FORGED_NAME in log  # the name, escaped, on one line
    for name in expected:  # every odd entry is in the log, with its reason
        assert f"seed rejected: {name}: " in log


def test_cli_load_of_a_hostile_folder(tmp_path: Path, database: dict[str, str]) -> None:
    seeds = tmp_path / "seeds"
    expected = hostile_folder(seeds, tmp_path / "outside")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    env |= {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3", **database}
    env["SEEDS_DIR"] = str(seeds)
    result = run_cli(env, tmp_path, "seeds", "load")  # the old code hung on the FIFO
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "added            2" in out
    assert f"rejected   {len(expected):>7}" in out
    for name, words in expected.items():
        [line] = [line for line in out.splitlines() if line.strip().startswith(name + ": ")]
        assert words in line
    both = out + result.stderr
    assert SECRET not in both
    assert not any(line.startswith(FORGED_LINE) for line in both.splitlines())


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
def test_reload_during_a_command_line_load_waits_for_it(
    tg: FakeTelegramThread, tmp_path: Path, database: dict[str, str]
) -> None:
    bot = BotProcess(tg, tmp_path / "bot", extra_env=database)
    write_article(bot.seeds, "first.txt", "Harbour reopens after storm", "Ships sail again.")
    bot.start()
    try:
        count = 3000
        for i in range(count):
            (bot.seeds / f"{i:04d}.json").write_text(
                json.dumps({"title": f"Bulk item {i} on fisheries", "body": f"Catch {i}."})
            )
        cli = subprocess.Popen(
            [sys.executable, str(PROJECT / "run_bot.py"), "seeds", "load"],
            env=bot.env(), cwd=bot.workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        # The command line has stored its first batch and is loading the rest: reload now.
        wait_until(
            lambda: query_db(bot, "SELECT count(*) FROM seed_files")[0][0] > 1 or cli.poll() == 0,
            60,
            "the command line load to begin",
            interval=0.02,
        )
        report = reload(tg, timeout=120)
        out, err = cli.communicate(timeout=120)
        assert cli.returncode == 0, err
        assert report.startswith("✅"), report  # the old code: "❌ Reload failed: IntegrityError"
        assert out.startswith("Seeds from ")
        [(articles, distinct)] = query_db(
            bot, "SELECT count(*), count(DISTINCT title) FROM articles WHERE retracted = ?", False
        )
        assert articles == distinct == count + 1
        assert "IntegrityError" not in bot.log()
    finally:
        bot.stop()


def test_reload_report_with_long_file_names_fits_one_message(
    hostile_bot: tuple[BotProcess, dict[str, str]], tg: FakeTelegramThread
) -> None:
    bot, _ = hostile_bot
    long_names = bot.seeds / "long"
    long_names.mkdir()
    copy = (bot.seeds / "good.txt").read_bytes()
    for i in range(24):  # the old report: "Message is too long", and no report at all
        # Half rejected (empty), half duplicates of an article: two long lists.
        name = long_names / f"{i:02d}-{'quarterly-fisheries-report-' * 9}.txt"
        name.write_bytes(b"" if i % 2 else copy)
    try:
        report = reload(tg)
        assert report.startswith("✅"), report
        assert "…" in report and "more (the full list" in report
        assert "duplicates      12" in report
        assert len(report.encode("utf-16-le")) // 2 <= 4096
    finally:
        for path in long_names.iterdir():
            path.unlink()
        long_names.rmdir()
