"""The bot's health verdict for `/healthz`, the same in webhook and polling mode."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import text

from bot.application import App
from bot.services import SERVICES_KEY, Services

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
