"""Webhook mode: delivery with the secret header, retries, conflicts, a real PTB webhook."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram import Update
from telegram.error import BadRequest, Conflict
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from fakeapi import FakeTelegram
from fakeapi.webhook import SECRET_HEADER

from .conftest import USER, texts


class Receiver:
    """A small webhook endpoint: answers the queued statuses, then 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[str | None, dict[str, Any]]] = []
        self.statuses: list[int] = []
        self.reply: dict[str, Any] | None = None
        self.got = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((request.headers.get(SECRET_HEADER), await request.json()))
        self.got.set()
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200 and self.reply is not None:
            return web.json_response(self.reply)
        return web.Response(status=status)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/hook", rec.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield rec, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def wait_until(condition: Any, within: float = 3.0) -> None:
    # Polling is fine here: the conditions read another component's records.
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_delivery_with_secret_and_retry(
    tg: FakeTelegram, bot: telegram.Bot, receiver: tuple[Receiver, str]
):
    rec, url = receiver
    tg.set_webhook_retry(first_delay=0.02, max_delay=0.05)
    rec.statuses = [500]
    assert await bot.set_webhook(url, secret_token="s3cret-token") is True
    tg.send_message(USER, "/start")
    await wait_until(lambda: len(rec.requests) == 2)

    assert [secret for secret, _ in rec.requests] == ["s3cret-token", "s3cret-token"]
    first, second = (body for _, body in rec.requests)
    assert first == second
    assert first["message"]["text"] == "/start"
    deliveries = tg.webhook_deliveries()
    assert [d.status for d in deliveries] == [500, 200]
    assert not deliveries[0].ok
    assert deliveries[1].ok

    info = await bot.get_webhook_info()
    assert info.url == url
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"

    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()

    # A webhook answer may carry a method call; Telegram executes it.
    rec.reply = {"method": "sendMessage", "chat_id": USER, "text": "pong"}
    tg.send_message(USER, "ping")
    [pong] = await tg.wait_for_messages(USER, 1, timeout=3)
    assert pong.text == "pong"

    assert await bot.delete_webhook() is True
    tg.send_message(USER, "polling again")
    assert texts(await bot.get_updates()) == ["polling again"]


async def test_unreachable_webhook_keeps_updates_pending(tg: FakeTelegram, bot: telegram.Bot):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    tg.set_webhook_retry(first_delay=0.02, max_delay=0.05)
    await bot.set_webhook(f"http://127.0.0.1:{dead_port}/hook")
    tg.send_message(USER, "hi")
    await wait_until(lambda: len(tg.webhook_deliveries()) >= 2)
    assert all(
        d.status is None and d.error == "Connection refused" for d in tg.webhook_deliveries()
    )
    assert tg.webhook_info()["pending_update_count"] == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert tg.pending_updates() == []


async def test_telegram_down_sends_no_updates_and_delivers_them_when_back(
    tg: FakeTelegram, bot: telegram.Bot, receiver: tuple[Receiver, str]
):
    rec, url = receiver
    await bot.set_webhook(url)
    tg.unreachable(0.6)
    tg.send_message(USER, "sent while Telegram is down")
    await asyncio.sleep(0.3)
    assert rec.requests == [] and tg.webhook_info()["pending_update_count"] == 1
    await wait_until(lambda: len(rec.requests) == 1)
    assert rec.requests[0][1]["message"]["text"] == "sent while Telegram is down"
    assert tg.webhook_info()["pending_update_count"] == 0


async def test_webhook_url_rules(bot: telegram.Bot):
    with pytest.raises(BadRequest, match="Bad webhook: an https url must be provided"):
        await bot.set_webhook("http://example.com/hook")


async def test_ptb_application_in_webhook_mode(tg: FakeTelegram):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("hello from a webhook")

    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="abc_DEF-123",
        )
        [reply] = await tg.ask(USER, "/start", timeout=5)
        assert reply.text == "hello from a webhook"
        await app.updater.stop()
        await app.stop()
    assert [d.status for d in tg.webhook_deliveries()] == [200]
    assert tg.errors() == []
