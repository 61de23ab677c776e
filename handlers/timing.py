"""Measuring how long each command takes to answer (shown by /stats and at /metrics)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from handlers.common import Context, services
from handlers.flood import metrics

Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def timed(name: str, callback: Callback, *, when_taken: bool = False) -> Callback:
    """`callback`, its answer time recorded under `name`; `when_taken`: only for the updates it
    takes (stopping them with ApplicationHandlerStop), the rest being timed where they go on to."""

    @functools.wraps(callback)
    async def run(update: Update, context: Context) -> None:
        started = time.perf_counter()
        taken = not when_taken
        try:
            await callback(update, context)
        except ApplicationHandlerStop:
            taken = True
            raise
        finally:
            if taken:
                _record(context, name, time.perf_counter() - started)

    return run


def _record(context: Context, name: str, seconds: float) -> None:
    services(context).latency.record(name, seconds)  # for /stats: the last hour
    counted = metrics(context)
    if counted is not None:  # for Prometheus: since the start
        counted.answered(name, seconds)
