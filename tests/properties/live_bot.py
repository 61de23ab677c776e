"""The real Application, fed updates one by one through `process_update`, against the fake API.

For property tests: thousands of updates, each handled to the end before the next, with every
handler error recorded (PTB sends handler errors to error handlers, never out of
`process_update`, so the test adds one that records them).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from pathlib import Path
from typing import Any

from telegram import Update

from bot.application import App, build_application, start, stop
from bot.flood import FloodGuard
from bot.services import SERVICES_KEY, Services
from bot.settings import load_settings
from fakeapi.threaded import FakeTelegramThread
from handlers import register

USER = 4242


class LiveBot:
    def __init__(self, tg: FakeTelegramThread, workdir: Path, seeds: Path) -> None:
        self.tg = tg
        self.errors: list[BaseException] = []
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        settings = load_settings(
            DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'props.sqlite3'}",
            SEEDS_DIR=seeds,
            ADMIN_IDS="1",
        )
        self.app: App = build_application(settings, register, token=tg.token, base_url=tg.base_url)
        self.run(self._start())
        tg.send_message(USER, "hello")  # Telegram knows the chat: the bot may write to it
        self.sent_message = self.latest_message()

    async def _start(self) -> None:
        async def record(update: object, context: Any) -> None:
            self.errors.append(context.error)

        self.app.add_error_handler(record)
        await start(self.app)
        services: Services = self.app.bot_data[SERVICES_KEY]
        # Thousands of updates from one user in seconds: this test is not about flooding.
        services.flood = FloodGuard(burst=10**9)

    def run(self, coroutine: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def process(self, data: dict[str, Any]) -> None:
        update = Update.de_json({"update_id": next(self._ids), **data}, self.app.bot)
        self.run(self.app.process_update(update))

    def message(self, text: str, chat_type: str = "private") -> dict[str, Any]:
        entities = []
        if text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2 if text.split() else 1
            entities = [{"type": "bot_command", "offset": 0, "length": length}]
        return {
            "message": {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": USER, "type": chat_type, "first_name": "Prop"},
                "from": {"id": USER, "is_bot": False, "first_name": "Prop"},
                "text": text,
                "entities": entities,
            }
        }

    def latest_message(self) -> dict[str, Any]:
        """A message the bot really sent (buttons are pressed on it)."""
        self.process(self.message("/latest"))
        return self.tg.messages(USER)[-1].raw

    def press(self, data: str) -> dict[str, Any]:
        # The fake registers the press (so answering it is valid); we hand the update over.
        query_id = self.tg.press_button(
            self.sent_message["message_id"], data, user_id=USER, chat_id=USER, strict=False
        )
        return {
            "callback_query": {
                "id": query_id,
                "from": {"id": USER, "is_bot": False, "first_name": "Prop"},
                "chat_instance": "1",
                "message": self.sent_message,
                "data": data,
            }
        }

    def inline(self, query: str, offset: str) -> dict[str, Any]:
        query_id = self.tg.inline_query(USER, query, offset=offset)
        return {
            "inline_query": {
                "id": query_id,
                "from": {"id": USER, "is_bot": False, "first_name": "Prop"},
                "query": query,
                "offset": offset,
            }
        }

    def close(self) -> None:
        self.run(stop(self.app))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
