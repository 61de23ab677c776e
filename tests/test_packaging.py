"""The installed command: `newsbot` and `python -m bot` are `run_bot.py` under other names."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import PROJECT, SHIPPED_SEED

NEWSBOT = Path(sys.executable).parent / "newsbot"
ENTRY_POINTS = {
    "newsbot": [str(NEWSBOT)],
    "python -m bot": [sys.executable, "-m", "bot"],
    "run_bot.py": [sys.executable, str(PROJECT / "run_bot.py")],
}


def run(how: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if how == "newsbot" and not NEWSBOT.exists():
        pytest.fail(f"{NEWSBOT} is missing: install the project (pip install -e .) first")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    return subprocess.run(
        [*ENTRY_POINTS[how], *args], cwd=cwd, env=env, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip


def commands(help_text: str) -> set[str]:
    return set(re.findall(r"^\s{4}(\w+)\s", help_text, flags=re.MULTILINE))


@pytest.mark.parametrize("how", list(ENTRY_POINTS))
def test_every_entry_point_has_the_same_commands_and_a_version(how: str, tmp_path: Path) -> None:
    version = run(how, "--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.strip() == f"{how} 0.1.0"
    shown = run(how, "--help", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.startswith(f"usage: {how} ")
    assert commands(shown.stdout) >= {"seeds", "stats", "digests"}
    assert "--webhook" in shown.stdout


def test_newsbot_checks_a_seed_outside_the_project(tmp_path: Path) -> None:
    checked = run("newsbot", "seeds", "check", str(SHIPPED_SEED), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "Syria" in checked.stdout


def test_the_default_install_leaves_out_what_only_tests_use() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    ptb = next(d for d in project["dependencies"] if d.startswith("python-telegram-bot"))
    assert "rate-limiter" not in ptb and "webhooks" not in ptb
    assert any("rate-limiter" in d for d in project["optional-dependencies"]["test"])
    # Nothing outside tests uses PTB's AIORateLimiter (aiolimiter) or its tornado webhook server.
    for folder in ("bot", "handlers", "storage", "fakeapi"):
        for path in (PROJECT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "AIORateLimiter" not in text and "start_webhook" not in text, path
