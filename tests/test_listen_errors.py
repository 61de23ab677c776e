"""A port already taken stops start-up with one line and a failure exit, not a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import SHIPPED_SEED
from tests.test_cli import run_bot


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_taken_port_is_one_line_and_exit_1(tmp_path: Path, mode: str) -> None:
    with socket.socket() as taken, FakeTelegramThread() as tg:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
            "SEEDS_DIR": str(SHIPPED_SEED.parent),
            "WEBHOOK_LISTEN": "127.0.0.1",
        }
        if mode == "polling":
            env["METRICS_PORT"] = str(port)
            result = run_bot(env=env, cwd=tmp_path)
        else:
            env |= {"WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET": "s3cret",
                    "WEBHOOK_PORT": str(port)}  # fmt: skip
            result = run_bot("--webhook", env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("run_bot.py:")]
    assert line.startswith(f"run_bot.py: cannot listen on 127.0.0.1:{port}: ")
