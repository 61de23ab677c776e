"""Bot API error answers, shaped like Telegram's ``{"ok": false, ...}`` bodies."""

from __future__ import annotations

import json
from typing import Any


class ApiError(Exception):
    """An error answer: HTTP status = ``error_code``, body as Telegram sends it."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        parameters: dict[str, int] | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters
        # Why the fake answered this: None when caused by the request itself, else the
        # injected condition ("chat_status", "flood", "fail_next", ...).
        self.source = source

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.error_code}, {self.description!r})"


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


def require_utf8(value: Any) -> None:
    """Telegram's 400 for a string (anywhere in ``value``) that UTF-8 cannot carry: Python's
    lone surrogates, which no Telegram client sends and no JSON answer could hold."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(NOT_UTF8) from None


def forbidden(text: str) -> ApiError:
    return ApiError(403, f"Forbidden: {text}", source="chat_status")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        parameters={"retry_after": retry_after},
        source="flood",
    )


def migrated(new_chat_id: int) -> ApiError:
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        parameters={"migrate_to_chat_id": new_chat_id},
        source="chat_status",
    )


def default_description(error_code: int) -> str:
    """The description Telegram pairs with a bare status code."""
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        429: "Too Many Requests",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(error_code, "Error")


CHAT_NOT_FOUND = "chat not found"
TEXT_EMPTY = "message text is empty"
# tdlib's answer to text that is not valid UTF-8 (Python: a string with a lone surrogate).
NOT_UTF8 = "strings must be encoded in UTF-8"
TEXT_TOO_LONG = "message is too long"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
