"""Running the real bot process (`run_bot.py`) against the fake Bot API, as a user would meet it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from fakeapi.models import SentMessage
from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PROJECT, SHIPPED_SEED

T = TypeVar("T")
ADMIN_ID = 9000
WEBHOOK_SECRET = "test-secret_0123456789"
WEBHOOK_PATH_TOKEN = "hook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def write_json_article(folder: Path, name: str, **fields: Any) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(fields), encoding="utf-8")
    return path


def e2e_corpus(folder: Path) -> None:
    """The shipped seed and a dozen more, enough for paging, topics, typos and long texts."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SHIPPED_SEED, folder / SHIPPED_SEED.name)
    for day in range(1, 13):
        write_json_article(
            folder,
            f"market-{day:02d}",
            title=f"Markets report number {day}: shares and bonds",
            body=f"Stock markets moved on day {day}. Traders watched the central bank.\n\n"
            f"Analysts expect more volatility. Bonds were steady on day {day}.",
            published_at=f"2024-03-{day:02d}T09:00:00Z",
            source="Example Wire",
            topics=["Markets"],
        )
    write_json_article(
        folder,
        "long",
        title="A very long report on parliament",
        body="\n\n".join(
            f"Paragraph {i} of the parliament report. " + "The committee debated the budget. " * 30
            for i in range(1, 25)
        ),
        published_at="2023-01-01T08:00:00Z",
        source="Example Wire",
        topics=["Politics"],
    )
    write_json_article(
        folder,
        "html",
        title="Tags <b>&</b> brackets in a <script> title",
        body="Body with <i>markup</i> & ampersands < and > signs.\n\nSecond paragraph.",
        published_at="2023-06-01T08:00:00Z",
        source="Example <Wire>",
    )


@dataclass
class BotProcess:
    """One `python run_bot.py` process with its own database, seeds and clock."""

    tg: FakeTelegramThread
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    mode: str = "polling"  # or "webhook": Telegram (the fake) posts updates to the bot
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "bot.log"
        self.seeds = self.workdir / "seeds"
        self.clock_file = self.workdir / "clock.txt"
        if not self.clock_file.exists():
            # Midday today, whatever the hour the suite runs at: a test that jumps a day ahead
            # then finds the articles loaded now inside the digest's 24-hour window.
            self.set_clock(datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0))
        self.webhook_port = free_port() if self.mode == "webhook" else 0

    @property
    def database_url(self) -> str:
        return (
            self.extra_env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{self.workdir}/bot.sqlite3"
        )

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
        return {
            **base,
            "TELEGRAM_BOT_TOKEN": self.tg.token,
            "TELEGRAM_API_BASE_URL": self.tg.base_url,
            "DATABASE_URL": self.database_url,
            "SEEDS_DIR": str(self.seeds),
            "ADMIN_IDS": str(ADMIN_ID),
            "CLOCK_FILE": str(self.clock_file),
            "DIGEST_TICK_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **self.webhook_env(),
            **self.extra_env,
        }

    def webhook_env(self) -> dict[str, str]:
        if self.mode != "webhook":
            return {}
        return {
            "WEBHOOK_URL": f"http://127.0.0.1:{self.webhook_port}/telegram/{WEBHOOK_PATH_TOKEN}",
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(self.webhook_port),
        }

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}/healthz"

    def set_clock(self, moment: datetime) -> None:
        """Tell the bot what time it is now (it runs on from there in real time)."""
        temporary = self.clock_file.with_suffix(".tmp")
        temporary.write_text(moment.isoformat())
        temporary.replace(self.clock_file)

    def start(self, timeout: float = 60) -> None:
        # run_polling deletes the webhook right before its first long poll, webhook mode sets
        # it once its server is up: that call marks "ready" (a long poll itself is only logged
        # when it ends, up to 10 s later).
        ready_call = "setWebhook" if self.mode == "webhook" else "deleteWebhook"
        polls_before = len(self.tg.calls(ready_call))
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(PROJECT / "run_bot.py")]
            + (["--webhook"] if self.mode == "webhook" else []),
            cwd=self.workdir,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while len(self.tg.calls(ready_call)) <= polls_before:
            if self.process.poll() is not None:
                raise RuntimeError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"bot did not start polling:\n{self.log()}")
            time.sleep(0.05)
        if self.mode == "webhook":  # the web server starts right after setWebhook
            wait_until(lambda: port_open(self.webhook_port), 10, "the webhook server")

    def stop(self, timeout: float = 20) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def kill(self) -> None:
        """SIGKILL: no goodbye, no cleanup, as a crash or an OOM kill would do.

        Whatever the bot had started (its summary worker) must go too, not live on orphaned.
        """
        assert self.process is not None
        children = child_pids(self.process.pid)
        self.process.kill()
        self.process.wait()
        wait_until(
            lambda: not any(Path(f"/proc/{pid}").exists() for pid in children),
            10,
            f"the killed bot's processes {children} to exit",
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def child_pids(pid: int) -> list[int]:
    """The processes `pid` started (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def query_db(bot: BotProcess, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Read the bot's database directly, as an operator would (`?` placeholders)."""
    url = bot.database_url
    if url.startswith("postgresql"):
        return asyncio.run(_query_pg(url, sql, args))
    path = url.split("///", 1)[1]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as connection:
        return list(connection.execute(sql, args))


async def _query_pg(url: str, sql: str, args: tuple[object, ...]) -> list[tuple[Any, ...]]:
    import asyncpg  # the bot's own PostgreSQL driver

    parts = sql.split("?")
    numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], 1))
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return [tuple(row) for row in await connection.fetch(numbered, *args)]
    finally:
        await connection.close()


def digests_by_chat(tg: FakeTelegramThread, after: int = 0) -> dict[int, int]:
    """How many digest messages each chat received."""
    counts: dict[int, int] = {}
    for message in tg.messages(after=after):
        if message.text.startswith("🗞"):
            counts[message.chat_id] = counts.get(message.chat_id, 0) + 1
    return counts


def wait_until(condition: Any, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(interval)


def fresh_fake() -> Iterator[FakeTelegramThread]:
    """A Bot API of a module's own: a bot another module runs must not take its updates."""
    with FakeTelegramThread() as fake:
        yield fake


def on_fake(tg: FakeTelegramThread, act: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one of fakeapi.chat_events' acts (`act(backend, ...)`) on the fake's own loop."""

    async def run() -> T:
        return act(tg.core.backend, *args, **kwargs)

    return asyncio.run_coroutine_threadsafe(run(), tg.loop).result(30.0)


def group_says(
    tg: FakeTelegramThread, group: int, user: int, text: str, language_code: str = "en"
) -> SentMessage:
    """A user writes in a group; the bot's one reply."""
    mark = tg.mark()
    tg.send_group_message(group, user, text, language_code=language_code)
    [reply] = tg.wait_for_messages(group, 1, after=mark, timeout=20)
    return reply


def subscribe_all(tg: FakeTelegramThread, chats: list[int], commands: Iterable[str]) -> None:
    """Each chat sends its command at once; returns when every one has its confirmation."""
    mark = tg.mark()
    for chat, command in zip(chats, commands, strict=False):
        tg.send_message(chat, command)
    for chat in chats:
        [reply] = tg.wait_for_messages(chat, 1, after=mark, timeout=60)
        assert reply.text.startswith("🔔"), reply.text
