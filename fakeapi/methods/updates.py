"""getUpdates and the webhook methods."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from fakeapi.backend import Backend, Reply
from fakeapi.errors import ApiError, bad_request
from fakeapi.models import JSON
from fakeapi.params import Params
from fakeapi.webhook import WebhookConfig

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _allowed_updates(p: Params) -> list[Any] | None:
    value = p.get_json("allowed_updates", "can't parse allowed updates JSON object")
    if value is not None and not isinstance(value, list):
        raise bad_request("can't parse allowed updates JSON object")
    return value


async def get_updates(b: Backend, p: Params) -> list[JSON]:
    if b.webhook.active:
        raise ApiError(409, WEBHOOK_ACTIVE)
    b.updates.set_allowed(_allowed_updates(p))
    return await b.updates.poll(
        offset=p.get_int("offset"),
        limit=p.get_int("limit", 100),
        timeout=p.get_float("timeout"),
    )


def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    # Telegram insists on HTTPS; the fake also allows plain HTTP to this machine for tests.
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS:
        return
    raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")


async def set_webhook(b: Backend, p: Params) -> Reply:
    url = p.get_str("url") or ""
    if not url:
        return await delete_webhook(b, p)
    _check_webhook_url(url)
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = p.get_int("max_connections", 40)
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    b.updates.set_allowed(_allowed_updates(p))
    if p.get_bool("drop_pending_updates"):
        b.updates.drop_all()
    same = b.webhook.config is not None and b.webhook.config.url == url
    b.webhook.set(
        WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=p.get_str("ip_address"),
            has_custom_certificate=p.has("certificate"),
        )
    )
    return Reply(True, "Webhook is already set" if same else "Webhook was set")


async def delete_webhook(b: Backend, p: Params) -> Reply:
    if p.get_bool("drop_pending_updates"):
        b.updates.drop_all()
    was_set = b.webhook.active
    b.webhook.delete()
    return Reply(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


async def get_webhook_info(b: Backend, p: Params) -> JSON:
    return b.webhook.info()
