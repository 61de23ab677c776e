"""Webhook mode: Telegram posts updates to us; we also answer `GET /healthz` for the balancer.

PTB's own webhook server has no room for a health route, so this one (bot/web.py: aiohttp with
header, body and idle deadlines and a connection cap) checks Telegram's secret header and feeds
the Application's update queue, the way PTB's custom-webhook example does. The Application's
lifecycle (and its post_* hooks, which only `run_polling`/`run_webhook` would call) is driven here.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.admin.notices import ErrorThrottle
from bot.application import ALLOWED_UPDATES, App, start, stop
from bot.health import health, metrics_of, operations_routes
from bot.settings import Settings
from bot.web import Limits, Routes, start_server

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
__all__ = ["health", "limits_from", "serve", "webhook_routes"]


def limits_from(settings: Settings) -> Limits:
    return Limits(
        header_timeout=settings.WEBHOOK_HEADER_TIMEOUT,
        body_timeout=settings.WEBHOOK_BODY_TIMEOUT,
        idle_timeout=settings.WEBHOOK_IDLE_TIMEOUT,
        max_connections=settings.WEBHOOK_MAX_CONNECTIONS,
    )


def _secret_matches(given: str, secret: str) -> bool:
    # aiohttp decodes header bytes as UTF-8 with surrogateescape: encode them back the same
    # way, so that any bytes at all are compared (and refused) rather than raising.
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode())


def webhook_routes(application: App, path: str, secret: str) -> Routes:
    # A scanner or a misconfigured proxy can post thousands of times: one line a minute says so.
    wrong_secret = ErrorThrottle()

    async def receive(request: web.BaseRequest) -> web.StreamResponse:
        if not _secret_matches(request.headers.get(SECRET_HEADER, ""), secret):
            if wrong_secret.should_notify("secret"):
                more = wrong_secret.take_suppressed("secret")
                log.warning(
                    "webhook request without the right secret from %s%s", request.remote,
                    f" ({more} more in the last minute)" if more else "",
                )  # fmt: skip
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, application.bot)
        except Exception:
            return web.Response(status=400, text="not an update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    return {("POST", path): receive, **operations_routes(application)}


async def serve(application: App, settings: Settings) -> None:
    """Run until SIGTERM or SIGINT, then stop cleanly (messages in flight finish first)."""
    assert settings.WEBHOOK_URL and settings.WEBHOOK_SECRET
    secret = settings.WEBHOOK_SECRET.get_secret_value()
    path = urlsplit(settings.WEBHOOK_URL).path or "/"
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    await start(application)
    await application.bot.set_webhook(
        settings.WEBHOOK_URL, secret_token=secret, allowed_updates=ALLOWED_UPDATES
    )
    runner = None
    try:
        runner = await start_server(
            webhook_routes(application, path, secret),
            settings.WEBHOOK_LISTEN,
            settings.WEBHOOK_PORT,
            limits_from(settings),
            metrics_of(application),
        )
        log.info("webhook mode: listening on %s:%d%s", settings.WEBHOOK_LISTEN,
                 settings.WEBHOOK_PORT, path)  # fmt: skip
        await stopping.wait()
    finally:
        log.info("stopping: no new updates; finishing what is in flight")
        if runner is not None:
            await runner.cleanup()  # take no more updates
        await stop(application)
