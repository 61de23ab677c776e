"""`GET /healthz` and `GET /metrics`: the same in webhook mode (on the webhook server) and in
polling mode (on METRICS_PORT)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiohttp import web
from sqlalchemy import text

from bot.admin.stats import gather
from bot.application import App
from bot.metrics import METRICS_KEY, Metrics
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from bot.web import Limits, Routes, start_server

log = logging.getLogger(__name__)

TICK_STALE_SECONDS = 120


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


def metrics_of(application: App) -> Metrics | None:
    found = application.bot_data.get(METRICS_KEY)
    return found if isinstance(found, Metrics) else None


async def scrape(application: App) -> tuple[bytes, str]:
    """The Prometheus text, the database figures read afresh (as /stats reads them)."""
    metrics = metrics_of(application)
    if metrics is None:
        metrics = application.bot_data[METRICS_KEY] = Metrics()
    services: Services | None = application.bot_data.get(SERVICES_KEY)
    if services is not None:
        try:
            stats = await asyncio.wait_for(
                gather(services.db, services.clock.now(), services.settings.DIGEST_TICK_SECONDS),
                timeout=5,
            )
        except Exception as exc:  # the counters are still worth serving
            log.warning("metrics: cannot read the database (%s)", exc.__class__.__name__)
            metrics.database_up.set(0)
        else:
            metrics.database_figures(stats)
            metrics.database_up.set(1)
    return metrics.render()


def operations_routes(application: App) -> Routes:
    async def healthz(_: web.BaseRequest) -> web.StreamResponse:
        healthy, body = await health(application)
        return web.json_response(body, status=200 if healthy else 503)

    async def prometheus(_: web.BaseRequest) -> web.StreamResponse:
        body, content_type = await scrape(application)
        return web.Response(body=body, headers={"Content-Type": content_type})

    return {("GET", "/healthz"): healthz, ("GET", "/metrics"): prometheus}


def serve_alongside_polling(application: App, settings: Settings, limits: Limits) -> None:
    """In polling mode, serve /healthz and /metrics on METRICS_PORT for the Application's life:
    started before post_init, stopped before post_shutdown."""
    assert settings.METRICS_PORT is not None
    port = settings.METRICS_PORT
    runners: list[web.BaseRunner] = []
    ready, done = application.post_init, application.post_shutdown

    async def post_init(app: App) -> None:
        # First: a taken port stops start-up before anything else is opened, and /healthz
        # says "starting" while the seeds load.
        runners.append(
            await start_server(
                operations_routes(app), settings.METRICS_LISTEN, port, limits, metrics_of(app)
            )
        )
        log.info("metrics and health on %s:%d", settings.METRICS_LISTEN, port)
        if ready is not None:
            await ready(app)

    async def post_shutdown(app: App) -> None:
        while runners:
            await runners.pop().cleanup()
        if done is not None:
            await done(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown
