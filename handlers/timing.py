"""Measuring how long each command takes to answer (shown by /stats)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from handlers.common import Context, services

Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def timed(name: str, callback: Callback) -> Callback:
    @functools.wraps(callback)
    async def run(update: Update, context: Context) -> None:
        started = time.perf_counter()
        try:
            await callback(update, context)
        finally:
            services(context).latency.record(name, time.perf_counter() - started)

    return run
