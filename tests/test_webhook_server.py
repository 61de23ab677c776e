"""The webhook server on a real loopback socket: slow, idle and surplus clients cannot hold it."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update

from bot.application import App, build_application
from bot.metrics import METRICS_KEY
from bot.settings import load_settings
from bot.web import GuardedServer, Limits, start_server
from bot.webhook import SECRET_HEADER, webhook_routes
from handlers import register
from tests.e2e.harness import free_port

SECRET = "s3cret-token_value"
PATH = "/telegram/hook"
LIMITS = Limits(header_timeout=1.0, body_timeout=1.0, idle_timeout=2.0, max_connections=5)
SLACK = 3.0  # the event loop of a loaded machine is late by this much at most


@pytest.fixture
def application(tmp_path: Path) -> App:
    settings = load_settings(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'w.sqlite3'}")
    # Never started: the routes only put updates on its queue.
    return build_application(settings, register, token="123:abc", base_url="http://127.0.0.1:9/bot")


@pytest.fixture
async def server(application: App) -> AsyncIterator[tuple[GuardedServer, int]]:
    port = free_port()
    runner = await start_server(
        webhook_routes(application, PATH, SECRET), "127.0.0.1", port, LIMITS,
        application.bot_data[METRICS_KEY],
    )  # fmt: skip
    assert isinstance(runner.server, GuardedServer)
    yield runner.server, port
    await runner.cleanup()


def update(update_id: int = 1) -> bytes:
    return json.dumps(
        {
            "update_id": update_id,
            "message": {
                "message_id": 1, "date": 0, "text": "hi",
                "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "is_bot": False,
                                                               "first_name": "A"},
            },
        }
    ).encode()  # fmt: skip


def post(body: bytes, secret: bytes | None = SECRET.encode(), keep_alive: bool = False) -> bytes:
    head = [
        f"POST {PATH} HTTP/1.1".encode(),
        b"Host: bot.example",
        b"Content-Type: application/json",
        f"Content-Length: {len(body)}".encode(),
    ]
    if secret is not None:
        head.append(SECRET_HEADER.encode() + b": " + secret)
    if not keep_alive:
        head.append(b"Connection: close")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


async def exchange(port: int, raw: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return answer


async def closed_after(reader: asyncio.StreamReader, limit: float) -> tuple[float, bytes]:
    """Seconds until the server closed the connection (reading everything it sent)."""
    started = time.monotonic()
    received = b""
    try:
        while chunk := await asyncio.wait_for(reader.read(4096), limit):
            received += chunk
    except ConnectionResetError:
        pass
    return time.monotonic() - started, received


async def test_an_update_with_the_secret_is_queued(
    server: tuple[GuardedServer, int], application: App
) -> None:
    _, port = server
    answer = await exchange(port, post(update(42)))
    assert answer.startswith(b"HTTP/1.1 200")
    queued = application.update_queue.get_nowait()
    assert isinstance(queued, Update)
    assert queued.update_id == 42


@pytest.mark.parametrize(
    "secret",
    [b"", b"wrong", "Ünïcødé-sécret".encode(), b"\xff\xfe\x80", SECRET.encode() + b"\xe9"],
    ids=["missing", "wrong", "utf8", "not-utf8", "secret-plus-byte"],
)
async def test_a_wrong_or_non_ascii_secret_gets_403_never_500(
    server: tuple[GuardedServer, int], application: App, secret: bytes
) -> None:
    _, port = server
    answer = await exchange(port, post(update(), secret or None))
    assert answer.startswith(b"HTTP/1.1 403"), answer[:80]
    assert application.update_queue.empty()


async def test_wrong_secret_posts_log_one_line_a_minute(
    server: tuple[GuardedServer, int], caplog: pytest.LogCaptureFixture
) -> None:
    _, port = server
    with caplog.at_level(logging.WARNING, logger="bot.webhook"):
        for _ in range(30):
            assert (await exchange(port, post(update(), b"nope"))).startswith(b"HTTP/1.1 403")
    lines = [r for r in caplog.records if "secret" in r.getMessage()]
    assert len(lines) == 1


async def test_a_client_trickling_its_headers_is_cut_off(server: tuple[GuardedServer, int]) -> None:
    guarded, port = server
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def trickle() -> None:
        writer.write(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        try:
            for _ in range(200):  # 40 s of one byte every 0.2 s, unless the server hangs up
                await asyncio.sleep(0.2)
                writer.write(b"a")
                await writer.drain()
        except (ConnectionError, RuntimeError):
            pass

    sender = asyncio.create_task(trickle())
    seconds, _ = await closed_after(reader, LIMITS.header_timeout + SLACK)
    sender.cancel()
    writer.close()
    assert seconds <= LIMITS.header_timeout + SLACK
    assert guarded.timed_out >= 1
    metrics = await exchange(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b'newsbot_http_connections_cut_total{reason="slow_headers"} 1.0' in metrics


async def test_idle_connections_are_closed(server: tuple[GuardedServer, int]) -> None:
    guarded, port = server
    silent, _ = await asyncio.open_connection("127.0.0.1", port)  # connects, says nothing
    reader, writer = await asyncio.open_connection("127.0.0.1", port)  # one request, then idles
    writer.write(post(update(), keep_alive=True))
    first = await asyncio.wait_for(reader.readuntil(b"ok"), 5)
    assert first.startswith(b"HTTP/1.1 200")
    for stream in (silent, reader):
        seconds, _ = await closed_after(stream, LIMITS.idle_timeout + SLACK)
        assert seconds <= LIMITS.idle_timeout + SLACK
    writer.close()
    await asyncio.sleep(0.1)
    assert guarded.open == 0


async def test_a_body_that_never_finishes_gets_408(server: tuple[GuardedServer, int]) -> None:
    _, port = server
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    whole = post(update())
    writer.write(whole[:-10])  # headers and most of the body; the rest never comes
    seconds, answer = await closed_after(reader, LIMITS.body_timeout + SLACK)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408")
    assert seconds <= LIMITS.body_timeout + SLACK


async def test_connections_over_the_cap_get_503_and_the_rest_still_work(
    server: tuple[GuardedServer, int],
) -> None:
    guarded, port = server
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(LIMITS.max_connections)]
    await asyncio.sleep(0.1)
    assert guarded.open == LIMITS.max_connections
    over = await exchange(port, post(update()))
    assert over.startswith(b"HTTP/1.1 503")
    assert guarded.refused == 1
    for _, writer in held:
        writer.close()
    await asyncio.sleep(0.2)
    assert (await exchange(port, post(update()))).startswith(b"HTTP/1.1 200")
    metrics = await exchange(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b'newsbot_http_connections_cut_total{reason="over_cap"} 1.0' in metrics


async def test_a_thousand_idle_clients_cannot_starve_the_bot(
    server: tuple[GuardedServer, int],
) -> None:
    """The issue's attack, scaled to the test's cap: far more idle sockets than allowed; the
    server's open count never passes the cap, and once they time out a real update gets in."""
    guarded, port = server
    crowd = []
    for _ in range(60):
        crowd.append(await asyncio.open_connection("127.0.0.1", port))
    await asyncio.sleep(0.2)
    assert guarded.open <= LIMITS.max_connections + 1  # the one being refused, at most
    for reader, _ in crowd:
        await closed_after(reader, LIMITS.idle_timeout + SLACK)
    assert (await exchange(port, post(update()))).startswith(b"HTTP/1.1 200")
    for _, writer in crowd:
        writer.close()


async def test_unknown_paths_and_methods(server: tuple[GuardedServer, int]) -> None:
    _, port = server
    assert (await exchange(port, b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            ).startswith(b"HTTP/1.1 404")  # fmt: skip
    assert (await exchange(port, f"GET {PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                           .encode())).startswith(b"HTTP/1.1 405")  # fmt: skip
    health = await exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert health.startswith(b"HTTP/1.1 503") and b"starting" in health
    metrics = await exchange(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert metrics.startswith(b"HTTP/1.1 200") and b"newsbot_updates_total" in metrics
