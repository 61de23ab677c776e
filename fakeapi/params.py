"""Request parameters as Telegram reads them: query string, form or JSON body, typed leniently."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from fakeapi.errors import NOT_UTF8, bad_request, require_utf8
from fakeapi.models import JSON


async def read_params(request: web.Request) -> JSON:
    """Merge query parameters with a urlencoded, multipart or JSON body."""
    params: JSON = dict(request.query)
    if request.method == "POST" and request.body_exists:
        params.update(await _read_body(request))
    # Bytes that are not UTF-8, or a JSON "\udcd0" (a lone surrogate): Telegram's 400, where
    # an answer echoing them could not be encoded.
    require_utf8(params)
    return params


async def _read_body(request: web.Request) -> JSON:
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:  # UnicodeDecodeError too: bytes that are not UTF-8
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        return body
    try:
        form = await request.post()
    except UnicodeDecodeError:
        raise bad_request(NOT_UTF8) from None
    params: JSON = {}
    for key, value in form.items():
        # Uploaded files are kept as a marker; the fake does not store their bytes.
        if isinstance(value, str):
            params[key] = value
        else:
            name = getattr(value, "filename", "upload")
            params[key] = f"<file {name}>"
    return params


class Params:
    """Typed access to one call's parameters.

    Form values arrive as strings (PTB JSON-encodes nested values), JSON bodies carry
    native types; both are accepted, as Telegram does.
    """

    def __init__(self, data: JSON) -> None:
        self.data = data

    def has(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, dict | list):
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def get_int(self, name: str, default: int = 0) -> int:
        """Telegram reads a malformed integer as 0 (then reports the value as missing)."""
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            try:
                return int(float(value))
            except (TypeError, ValueError):
                return 0

    def get_float(self, name: str, default: float = 0.0) -> float:
        try:
            return float(self.data.get(name, default))
        except (TypeError, ValueError):
            return default

    def get_bool(self, name: str) -> bool:
        value = self.data.get(name)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def get_json(self, name: str, error: str) -> Any:
        value = self.data.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error) from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = self.data.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None
