"""A fake Telegram Bot API server for end-to-end tests and a local console chat.

``FakeTelegram`` is the async core (use inside a running loop); ``FakeTelegramThread``
runs it in a background thread for synchronous code. Both serve the Bot API on
127.0.0.1 so a real python-telegram-bot ``Application`` can talk to it over HTTP.
"""

from fakeapi.core import FakeTelegram
from fakeapi.errors import ApiError
from fakeapi.html import EntityParseError, parse_html
from fakeapi.models import (
    ApiCall,
    Button,
    CallbackAnswer,
    InlineAnswer,
    RateStats,
    SentMessage,
    WebhookDelivery,
)
from fakeapi.threaded import FakeTelegramThread

__all__ = [
    "ApiCall",
    "ApiError",
    "Button",
    "CallbackAnswer",
    "EntityParseError",
    "FakeTelegram",
    "FakeTelegramThread",
    "InlineAnswer",
    "RateStats",
    "SentMessage",
    "WebhookDelivery",
    "parse_html",
]
