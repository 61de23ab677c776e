"""Measuring how long each command takes to answer (shown by /stats and at /metrics)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from handlers.common import Context, services
from handlers.flood import metrics

Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def timed(name: str, callback: Callback) -> Callback:
    @functools.wraps(callback)
    async def run(update: Update, context: Context) -> None:
        started = time.perf_counter()
        try:
            await callback(update, context)
        finally:
            seconds = time.perf_counter() - started
            services(context).latency.record(name, seconds)  # for /stats: the last hour
            counted = metrics(context)
            if counted is not None:  # for Prometheus: since the start
                counted.answered(name, seconds)

    return run
