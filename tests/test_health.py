"""The /healthz verdict: 503 with the reason until the bot is whole, 200 once it is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.application import build_application, start, stop
from bot.settings import load_settings
from bot.webhook import health
from fakeapi.core import FakeTelegram
from handlers import register
from tests.conftest import PG_HOW, SHIPPED_SEED


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
