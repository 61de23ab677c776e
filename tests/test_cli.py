"""The command line as a user meets it: configuration errors, seeds load and seeds check."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PROJECT, SHIPPED_SEED
from tests.e2e.conftest import database_env


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    return subprocess.run(
        [sys.executable, str(PROJECT / "run_bot.py"), *args],
        env={**clean_env, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "unknown timezone 'Mars/Olympus'"),
        ("ADMIN_IDS", "12,abc", "not a numeric Telegram user id: 'abc'"),
        ("TELEGRAM_API_BASE_URL", "not a url", "not an http(s) URL"),
        ("DATABASE_URL", "mysql://x", "expected sqlite+aiosqlite"),
        ("LOG_LEVEL", "LOUD", "expected one of DEBUG"),
    ],
)
def test_bad_setting_stops_with_one_line(
    tmp_path: Path, name: str, value: str, complaint: str
) -> None:
    result = run_bot("seeds", "load", env={name: value}, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"run_bot.py: configuration error: {name}: ")
    assert complaint in line
    assert "Traceback" not in result.stderr


def test_settings_come_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=Nowhere/Land\n")
    result = run_bot("seeds", "load", env={}, cwd=tmp_path)
    assert result.returncode == 2 and "DEFAULT_TIMEZONE" in result.stderr


def test_no_token_and_no_terminal_exits_with_a_clear_line(tmp_path: Path) -> None:
    result = run_bot(
        env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3"}, cwd=tmp_path
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "TELEGRAM_BOT_TOKEN is not set" in line


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_seeds_load_reports_and_is_idempotent(tmp_path: Path, kind: str) -> None:
    with database_env(kind) as database:
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/db.sqlite3",
            **database,
            "SEEDS_DIR": str(SHIPPED_SEED.parent),
        }
        first = run_bot("seeds", "load", env=env, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "added            1" in first.stdout
        if kind == "sqlite":
            assert (tmp_path / "data" / "db.sqlite3").exists()  # created on first use
        second = run_bot("seeds", "load", env=env, cwd=tmp_path)
        assert "unchanged        1" in second.stdout and "added            0" in second.stdout
        stats = run_bot("stats", env=env, cwd=tmp_path)
        assert "(command line): added 0, updated 0, unchanged 1" in stats.stdout


def test_seeds_load_of_a_missing_folder_fails_clearly(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3"}
    result = run_bot("seeds", "load", "--dir", str(tmp_path / "nope"), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_seeds_load_of_an_empty_folder_name_is_refused(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3"}
    result = run_bot("seeds", "load", "--dir", "", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "the folder name is empty" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # nothing was loaded from the current folder


def test_stats_of_a_mistyped_database_path_make_no_database(tmp_path: Path) -> None:
    typo = tmp_path / "dtaa" / "bot.sqlite3"
    result = run_bot("stats", env={"DATABASE_URL": f"sqlite+aiosqlite:///{typo}"}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"run_bot.py: no database at {typo}"
    assert not typo.parent.exists()


def test_seeds_check_shows_the_parse_without_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("Only a title\n")
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/never.sqlite3"}
    result = run_bot("seeds", "check", str(SHIPPED_SEED), str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1  # one file was rejected
    out = result.stdout
    assert "title:     UN Syria envoy urges Putin to have 'courage' to push Assad" in out
    assert "published: 2017-12-14 13:20 UTC" in out
    assert "source:    The Associated Press" in out
    assert "dateline:  GENEVA" in out and "section:   World" in out and "topics:    Syria" in out
    assert "1. The U.N. Syria envoy has called on" in out
    assert "bad.txt: REJECTED:" in out
    assert not (tmp_path / "never.sqlite3").exists()


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    # `python run_bot.py seeds check seeds/* | head -2`
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    clean_env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/never.sqlite3"
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "run_bot.py"), "seeds", "check", *[str(SHIPPED_SEED)] * 400],
        env=clean_env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader leaves
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert first.rstrip().endswith(b"000_e65de5108a7689b8.txt: ok")
    assert "Traceback" not in errors and "BrokenPipe" not in errors


@pytest.mark.parametrize(
    "args", [[], ["--webhook"], ["digests", "send"]], ids=["polling", "webhook", "digests-send"]
)
def test_telegram_unreachable_at_start_is_one_line_and_a_failure(
    tmp_path: Path, args: list[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "TELEGRAM_BOT_TOKEN": "123456:unreachable-secret",
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3",
        "WEBHOOK_URL": "https://bot.example.org/hook",
        "WEBHOOK_SECRET": "a-webhook-secret",
        "WEBHOOK_PORT": str(port),
    }
    result = run_bot(*args, env=env, cwd=tmp_path)
    assert result.returncode == 1  # a failure: a supervisor starts it again
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"run_bot.py: cannot reach Telegram at http://127.0.0.1:{port}/bot")
    assert "unreachable-secret" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "args",
    [["stats"], ["seeds", "load"], [], ["--webhook"]],
    ids=["stats", "load", "bot", "webhook"],
)
def test_database_unreachable_at_start_is_one_line_without_the_password(
    tmp_path: Path, args: list[str]
) -> None:
    with socket.socket() as probe:  # a port no database listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FakeTelegramThread() as tg:
        env = {
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "DATABASE_URL": f"postgresql+asyncpg://newsbot:hunter2@127.0.0.1:{port}/news",
            "WEBHOOK_URL": "https://bot.example.org/hook",
            "WEBHOOK_SECRET": "a-webhook-secret",
            "WEBHOOK_PORT": str(port),
        }
        result = run_bot(*args, env=env, cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        f"run_bot.py: cannot open the database at postgresql+asyncpg://newsbot:***@127.0.0.1:{port}/news:"
    )
    assert "hunter2" not in result.stderr + result.stdout


@pytest.mark.parametrize("where", ["proc", "under_a_file"])
@pytest.mark.parametrize("args", [["seeds", "load"], []], ids=["load", "bot"])
def test_an_sqlite_path_that_cannot_be_made_is_one_line(
    tmp_path: Path, where: str, args: list[str]
) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    path = "/proc/nope/db.sqlite3" if where == "proc" else f"{tmp_path}/a_file/db.sqlite3"
    with FakeTelegramThread() as tg:
        env = {
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{path}",
            "SEEDS_DIR": str(tmp_path),
        }
        result = run_bot(*args, env=env, cwd=tmp_path)
    assert result.returncode in (1, 2)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("run_bot.py: cannot open the database at sqlite+aiosqlite:///")
    assert "Traceback" not in result.stderr


def test_plain_database_urls_are_taken_with_the_async_driver(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SHIPPED_SEED.name).write_bytes(SHIPPED_SEED.read_bytes())
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/plain.sqlite3", "SEEDS_DIR": str(seeds)}
    result = run_bot("seeds", "load", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "plain.sqlite3").exists()
    from bot.settings import load_settings

    for plain in ("postgres://news@db/news", "postgresql://news@db/news"):
        assert load_settings(DATABASE_URL=plain).DATABASE_URL == "postgresql+asyncpg://news@db/news"


def start_bot(
    tg: FakeTelegramThread, database: str, seeds: Path, cwd: Path, out: IO[bytes] | int
) -> subprocess.Popen[bytes]:
    """The bot on the fake Telegram, in a process group of its own as a terminal gives it."""
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    env = {
        **clean_env,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "DATABASE_URL": database,
        "SEEDS_DIR": str(seeds),
    }
    return subprocess.Popen(
        [sys.executable, str(PROJECT / "run_bot.py")],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_ctrl_c_stops_the_bot_without_a_traceback(tmp_path: Path) -> None:
    import signal
    import time

    from tests.e2e.harness import child_pids, wait_until

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SHIPPED_SEED.name).write_bytes(SHIPPED_SEED.read_bytes())
    with FakeTelegramThread() as tg:
        log = (tmp_path / "out.log").open("wb")
        process = start_bot(tg, f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3", seeds, tmp_path, log)
        try:
            # Running: polling, with the summary worker it starts once the seeds are loaded.
            tg.wait_until_polling(timeout=60)
            wait_until(lambda: bool(child_pids(process.pid)), 30, "the summary worker")
            time.sleep(1)
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does
            process.wait(30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    output = (tmp_path / "out.log").read_text(errors="replace")
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output


def test_default_timezone_is_read_as_users_type_zones(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    env = {
        "DEFAULT_TIMEZONE": "berlin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3",
        "SEEDS_DIR": str(seeds),
    }
    result = run_bot("seeds", "load", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    from bot.settings import load_settings

    assert load_settings(DEFAULT_TIMEZONE="berlin").DEFAULT_TIMEZONE == "Europe/Berlin"
    assert load_settings(DEFAULT_TIMEZONE="UTC+5:30").DEFAULT_TIMEZONE == "UTC+5:30"


def test_ctrl_c_during_start_up_stops_with_one_line(tmp_path: Path) -> None:
    import signal
    import sqlite3
    import time

    # Start-up waits for the database, held by another writer, when Ctrl-C comes.
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with FakeTelegramThread() as tg:
        database = f"sqlite+aiosqlite:///{path}"
        process = start_bot(tg, database, SHIPPED_SEED.parent, tmp_path, subprocess.PIPE)
        try:
            tg.wait_for_call("getMe", timeout=60)  # PTB's own start-up is done: ours is next
            time.sleep(1)
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does
            time.sleep(1)
            holder.execute("ROLLBACK")
            output, _ = process.communicate(timeout=30)
            assert tg.calls("getUpdates") == []  # it never went on to poll
        finally:
            holder.close()
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    text = output.decode(errors="replace")
    assert process.returncode == 0
    assert text.strip().splitlines() == ["run_bot.py: stopped before start-up finished."], text
