"""Webhook mode: POST pending updates to the bot's URL, retrying with back-off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from fakeapi.models import JSON, WebhookDelivery
from fakeapi.updates import UpdateQueue

log = logging.getLogger("fakeapi")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The bot may answer a webhook POST with a method call; the fake runs it like Telegram.
ReplyHandler = Callable[[str, JSON], Awaitable[None]]


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    has_custom_certificate: bool = False
    last_error_date: int | None = None
    last_error_message: str | None = None


class WebhookSender:
    def __init__(
        self,
        queue: UpdateQueue,
        on_reply: ReplyHandler | None = None,
        outage_left: Callable[[], float] = lambda: 0.0,
    ) -> None:
        self.queue = queue
        self.on_reply = on_reply
        # While Telegram is down it sends nothing either: updates wait and go when it is back.
        self.outage_left = outage_left
        self.config: WebhookConfig | None = None
        self.deliveries: list[WebhookDelivery] = []
        self.retry_delay = 0.05  # first back-off, doubled per failure ...
        self.max_retry_delay = 1.0  # ... up to this
        self.request_timeout = 10.0
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def active(self) -> bool:
        return self.config is not None

    def set(self, config: WebhookConfig) -> None:
        self.config = config
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="fakeapi-webhook")
        self.queue.changed.notify()

    def delete(self) -> None:
        self.config = None
        self.queue.changed.notify()

    async def close(self) -> None:
        self.config = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _next(self) -> JSON | bool | None:
        if self.config is None:
            return True  # wake up to stop
        return self.queue.first()

    async def _run(self) -> None:
        delay = self.retry_delay
        while True:
            item = await self.queue.changed.wait_for(self._next, 3600.0)
            config = self.config
            if config is None:
                return
            if not isinstance(item, dict):
                continue
            if (outage := self.outage_left()) > 0:
                await asyncio.sleep(min(outage, 0.5))  # a reset ends it early
                continue
            if await self._deliver(item, config):
                self.queue.drop(item["update_id"])
                delay = self.retry_delay
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_retry_delay)

    async def _deliver(self, update: JSON, config: WebhookConfig) -> bool:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        status: int | None = None
        error: str | None = None
        reply: Any = None
        try:
            async with self._session.post(
                config.url,
                json=update,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.request_timeout),
            ) as response:
                status = response.status
                if 200 <= status < 300:
                    with contextlib.suppress(ValueError, aiohttp.ContentTypeError):
                        reply = await response.json(content_type=None)
                else:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientConnectorError:
            error = "Connection refused"
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {exc.__class__.__name__}"
        self.deliveries.append(
            WebhookDelivery(update["update_id"], config.url, status, error, time.time())
        )
        if error is not None:
            config.last_error_date = int(time.time())
            config.last_error_message = error
            log.debug("webhook delivery of %s failed: %s", update["update_id"], error)
            return False
        if isinstance(reply, dict) and isinstance(reply.get("method"), str) and self.on_reply:
            params = {k: v for k, v in reply.items() if k != "method"}
            await self.on_reply(reply["method"], params)
        return True

    def info(self) -> JSON:
        """The WebhookInfo object."""
        cfg = self.config
        info: JSON = {
            "url": cfg.url if cfg else "",
            "has_custom_certificate": bool(cfg and cfg.has_custom_certificate),
            "pending_update_count": len(self.queue.pending()),
        }
        if cfg is not None:
            info["max_connections"] = cfg.max_connections
            if cfg.ip_address:
                info["ip_address"] = cfg.ip_address
            if cfg.last_error_date is not None:
                info["last_error_date"] = cfg.last_error_date
                info["last_error_message"] = cfg.last_error_message
        if self.queue.allowed:
            info["allowed_updates"] = sorted(self.queue.allowed)
        return info
