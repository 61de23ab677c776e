"""Webhook mode: Telegram posts updates to us; we also answer `GET /healthz` for the balancer.

PTB's own webhook server has no room for a health route, so this one is an aiohttp app that
checks Telegram's secret header and feeds the Application's update queue, the way PTB's
custom-webhook example does. The Application's lifecycle (and its post_* hooks, which only
`run_polling`/`run_webhook` would call) is driven here.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
import time
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy import text
from telegram import Update

from bot.application import ALLOWED_UPDATES, App, start, stop
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TICK_STALE_SECONDS = 120
MAX_UPDATE_BYTES = 1 << 20


async def health(application: App) -> tuple[bool, dict[str, Any]]:
    """Database reachable, scheduler alive, last digest tick within two minutes."""
    services: Services | None = application.bot_data.get(SERVICES_KEY)
    problems: list[str] = []
    if services is None:
        return False, {"status": "starting"}
    try:
        async with services.db.read() as session:
            await asyncio.wait_for(session.execute(text("SELECT 1")), timeout=3)
    except Exception as exc:
        problems.append(f"database unreachable: {exc.__class__.__name__}")
    job_queue = application.job_queue
    if job_queue is None or not job_queue.scheduler.running:
        problems.append("scheduler not running")
    if time.monotonic() - services.digests.last_tick_monotonic > TICK_STALE_SECONDS:
        problems.append("no digest tick in the last two minutes")
    body: dict[str, Any] = {"status": "ok" if not problems else "unhealthy"}
    if problems:
        body["problems"] = problems
    if services.digests.last_tick_at is not None:
        body["last_tick"] = services.digests.last_tick_at.isoformat()
    return not problems, body


def make_web_app(application: App, path: str, secret: str) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request without the right secret from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except Exception:
            return web.Response(status=400, text="not an update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    async def healthz(_: web.Request) -> web.Response:
        healthy, body = await health(application)
        return web.json_response(body, status=200 if healthy else 503)

    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", healthz)
    return app


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
    runner = web.AppRunner(make_web_app(application, path, secret), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.WEBHOOK_LISTEN, settings.WEBHOOK_PORT).start()
    log.info("webhook mode: listening on %s:%d%s", settings.WEBHOOK_LISTEN,
             settings.WEBHOOK_PORT, path)  # fmt: skip
    try:
        await stopping.wait()
    finally:
        log.info("stopping: no new updates; finishing what is in flight")
        await runner.cleanup()  # take no more updates
        await stop(application)
