"""The /healthz verdict: 503 with the reason until the bot is whole, 200 once it is."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.application import build_application, start, stop
from bot.health import health, operations_routes
from bot.settings import load_settings
from bot.web import Limits, start_server
from fakeapi.core import FakeTelegram
from handlers import register
from tests.conftest import PG_HOW, SHIPPED_SEED
from tests.e2e.harness import free_port


async def test_health_follows_the_bot_through_start_up(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        settings = load_settings(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}",
            SEEDS_DIR=SHIPPED_SEED.parent,
        )
        app = build_application(settings, register, token=tg.token, base_url=tg.base_url)
        assert await health(app) == (False, {"status": "starting"})
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        healthy, body = await health(app)
        assert not healthy and body["problems"] == ["scheduler not running"]
        await app.start()
        try:
            healthy, body = await health(app)
            assert healthy and body["status"] == "ok"
        finally:
            await stop(app)


async def test_health_says_when_the_database_is_gone() -> None:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip(PG_HOW)
    from tests.conftest import _create_pg_database

    url = await _create_pg_database(server)
    async with FakeTelegram() as tg:
        settings = load_settings(DATABASE_URL=url, SEEDS_DIR=SHIPPED_SEED.parent)
        app = build_application(settings, register, token=tg.token, base_url=tg.base_url)
        await start(app)
        try:
            assert (await health(app))[0]
            admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
            async with admin.connect() as connection:
                name = make_url(url).database
                await connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            await admin.dispose()
            healthy, body = await health(app)
            assert not healthy
            assert body["problems"][0].startswith("database unreachable")
        finally:
            await stop(app)


async def test_polling_mode_serves_the_same_verdict_over_http(tmp_path: Path) -> None:
    """/healthz on METRICS_PORT: 503 with the reason while the scheduler is not running."""
    async with FakeTelegram() as tg:
        settings = load_settings(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}",
            SEEDS_DIR=SHIPPED_SEED.parent,
        )
        app = build_application(settings, register, token=tg.token, base_url=tg.base_url)
        port = free_port()
        runner = await start_server(operations_routes(app), "127.0.0.1", port, Limits())
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                answer = await client.get("/healthz")
                assert (answer.status_code, answer.json()) == (503, {"status": "starting"})
                await app.initialize()
                assert app.post_init is not None
                await app.post_init(app)
                answer = await client.get("/healthz")
                assert answer.status_code == 503
                assert answer.json()["problems"] == ["scheduler not running"]
                await app.start()
                assert (await client.get("/healthz")).status_code == 200
                metrics = await client.get("/metrics")
                assert 'newsbot_articles{state="live"} 1.0' in metrics.text
        finally:
            await runner.cleanup()
            await stop(app)


async def test_metrics_listen_on_this_machine_only_whatever_the_webhook_address(
    tmp_path: Path,
) -> None:
    """METRICS_LISTEN, not WEBHOOK_LISTEN: /metrics stays off other interfaces by default."""
    from bot.health import serve_alongside_polling

    port = free_port()
    async with FakeTelegram() as tg:
        settings = load_settings(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}",
            SEEDS_DIR=SHIPPED_SEED.parent,
            WEBHOOK_LISTEN="0.0.0.0",
            METRICS_PORT=port,
        )
        app = build_application(settings, register, token=tg.token, base_url=tg.base_url)
        serve_alongside_polling(app, settings, Limits())
        await start(app)
        try:
            async with httpx.AsyncClient() as client:
                answer = await client.get(f"http://127.0.0.1:{port}/healthz")
                assert answer.status_code == 200
                # Another address of this machine (all of 127/8 is loopback on Linux): refused.
                with pytest.raises(httpx.ConnectError):
                    await client.get(f"http://127.0.0.2:{port}/healthz")
        finally:
            await stop(app)
