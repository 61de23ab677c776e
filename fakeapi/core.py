"""FakeTelegram: the async control API around the fake Bot API server.

Use it from inside a running event loop (e.g. a pytest-asyncio test that runs the bot
in the same loop)::

    async with FakeTelegram() as tg:
        app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()
        ...
        replies = await tg.ask(42, "/start")

Plain methods change or read state immediately; ``wait_*`` coroutines block until
the bot has done something. From synchronous code use ``FakeTelegramThread``.
"""

# The wait API takes `timeout=` like its synchronous twin (FakeTelegramThread).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Collection
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web

from fakeapi import inject
from fakeapi.backend import DEFAULT_TOKEN, Backend, BotConfig
from fakeapi.errors import ApiError
from fakeapi.faults import ALL_KINDS
from fakeapi.flood import FloodConfig
from fakeapi.models import (
    JSON,
    ApiCall,
    CallbackAnswer,
    InlineAnswer,
    RateStats,
    SentMessage,
    WebhookDelivery,
)
from fakeapi.server import abort_connections, create_app, run_method
from fakeapi.state import Listener

log = logging.getLogger("fakeapi")


class FakeTelegram:
    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "newsbot_test_bot",
        bot_first_name: str = "News Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        can_read_all_group_messages: bool = False,
        strict_token: bool = True,
        first_update_id: int = 700_000_001,
    ) -> None:
        config = BotConfig(
            token=token,
            username=bot_username,
            first_name=bot_first_name,
            can_read_all_group_messages=can_read_all_group_messages,
            strict_token=strict_token,
        )
        self.backend = Backend(config, first_update_id=first_update_id)
        self.host = host
        self.port = port
        self._app = create_app(self.backend)
        self._runner: web.AppRunner | None = None
        self._site: web.SockSite | None = None
        self._reopen: asyncio.TimerHandle | None = None
        self._stopping: asyncio.Task[None] | None = None
        self._held: socket.socket | None = None  # the port, kept while refusing connections
        self.backend.webhook.on_reply = self._webhook_reply

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> Self:
        self._runner = web.AppRunner(
            self._app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5
        )
        await self._runner.setup()
        await self._listen()
        log.debug("fake Bot API listening on %s", self.url)
        return self

    def _bind(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        return sock

    async def _listen(self) -> None:
        assert self._runner is not None
        if self._stopping is not None:
            await self._stopping
        sock, self._held = self._held or self._bind(), None
        self._site = web.SockSite(self._runner, sock)
        await self._site.start()

    async def _refuse(self, site: web.BaseSite) -> None:
        await site.stop()
        # Bound but not listening: connections are refused, and the port stays ours, so
        # nothing else on the machine (a test in another worker) takes it meanwhile.
        self._held = self._bind()

    async def stop(self) -> None:
        if self._reopen is not None:
            self._reopen.cancel()
        if self._stopping is not None:
            await self._stopping
        if self._held is not None:
            self._held.close()
            self._held = None
        await self.backend.webhook.close()
        if self._runner is not None:
            abort_connections(self._app)
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def reset(self) -> None:
        """Forget chats, messages, calls, faults, commands; keep the server and counters."""
        self.backend.reset()

    clear = reset

    # --- identity ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def token(self) -> str:
        return self.backend.config.token

    @property
    def bot_id(self) -> int:
        return self.backend.config.bot_id

    @property
    def bot_username(self) -> str:
        return self.backend.config.username

    # --- users act -----------------------------------------------------------------------

    def send_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """A user sends ``text`` (in their private chat, or in group ``chat_id``).

        A new user is called "Ann" unless ``first_name`` is given; returns the Message.
        """
        return inject.user_message(
            self.backend,
            user_id,
            text,
            chat_id=chat_id,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
            language_code=language_code,
            reply_to_message_id=reply_to_message_id,
        )

    def add_group(
        self,
        chat_id: int | None = None,
        title: str = "Test group",
        *,
        chat_type: str = "group",
        username: str | None = None,
    ) -> JSON:
        """Create a group/supergroup/channel the bot is a member of; returns the Chat."""
        chat = inject.add_group(
            self.backend, chat_id, title, chat_type=chat_type, username=username
        )
        return chat.to_json()

    def send_group_message(self, /, chat_id: int, user_id: int, text: str, **kwargs: Any) -> JSON:
        """A user writes in a group (privacy mode decides whether the bot gets it)."""
        return self.send_message(user_id, text, chat_id=chat_id, **kwargs)

    def press_button(
        self,
        message_id: int,
        callback_data: str,
        *,
        user_id: int,
        chat_id: int | None = None,
        strict: bool = True,
    ) -> str:
        """Press an inline button on a bot message; returns the callback query id."""
        return inject.press_button(
            self.backend, message_id, callback_data, user_id=user_id, chat_id=chat_id, strict=strict
        )

    def inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str | None = "sender"
    ) -> str:
        """Type ``@bot query``; returns the inline query id."""
        return inject.inline_query(self.backend, user_id, query, offset=offset, chat_type=chat_type)

    def choose_inline_result(
        self,
        user_id: int,
        inline_query_id: str,
        result_id: str,
        *,
        chat_id: int | None = None,
        feedback: bool = True,
    ) -> JSON:
        """Pick an answered result: posted via the bot into ``chat_id``; returns that Message."""
        return inject.choose_inline_result(
            self.backend, user_id, inline_query_id, result_id, chat_id=chat_id, feedback=feedback
        )

    def inject_update(self, kind: str, payload: JSON) -> JSON | None:
        """Queue any update verbatim (``kind`` e.g. "my_chat_member"); None if filtered."""
        return self.backend.updates.push(kind, payload)

    # --- reading -------------------------------------------------------------------------

    def mark(self) -> int:
        """The current event number: pass as ``after=`` to see only what happens next."""
        return self.backend.state.seq

    def messages(
        self, chat_id: int | None = None, *, after: int = 0, include_deleted: bool = False
    ) -> list[SentMessage]:
        """Messages the bot sent (current state after edits), oldest first."""
        state = self.backend.state
        found = state.bot_messages(chat_id, after=after, include_deleted=include_deleted)
        return [state.snapshot(m) for m in found]

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        stored = self.backend.state.messages.get((chat_id, message_id))
        if stored is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        return self.backend.state.snapshot(stored)

    def inline_message(self, inline_message_id: str) -> SentMessage:
        key = self.backend.state.inline_messages.get(inline_message_id)
        if key is None:
            raise LookupError(f"no inline message {inline_message_id}")
        return self.message(*key)

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, *, after: int = 0, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Block until the bot has sent ``count`` messages to ``chat_id`` after ``after``.

        Returns all of them (deleted ones included, flagged), oldest first.
        """
        state = self.backend.state

        def ready() -> list[SentMessage] | None:
            found = state.bot_messages(chat_id, after=after)
            return [state.snapshot(m) for m in found] if len(found) >= count else None

        result = await state.changed.wait_for(ready, timeout)
        if result is None:
            got = [m.text for m in self.messages(chat_id, after=after, include_deleted=True)]
            raise TimeoutError(
                f"expected {count} bot message(s) in chat {chat_id} within {timeout:g}s, "
                f"got {got!r}{self._error_hint()}"
            )
        return result

    async def ask(
        self, /, user_id: int, text: str, *, count: int = 1, timeout: float = 10.0, **kwargs: Any
    ) -> list[SentMessage]:
        """Send ``text`` as the user and return the bot's next ``count`` messages in that chat."""
        mark = self.mark()
        sent = self.send_message(user_id, text, **kwargs)
        return await self.wait_for_messages(sent["chat"]["id"], count, after=mark, timeout=timeout)

    async def wait_for_edit(
        self, chat_id: int, message_id: int, *, after: int | None = None, timeout: float = 10.0
    ) -> SentMessage:
        """Block until the message is edited (after event ``after``, or at all if None)."""
        state = self.backend.state

        def ready() -> SentMessage | None:
            stored = state.messages.get((chat_id, message_id))
            if stored is None or not stored.history:
                return None
            if after is not None and stored.last_seq <= after:
                return None
            return state.snapshot(stored)

        result = await state.changed.wait_for(ready, timeout)
        if result is None:
            raise TimeoutError(
                f"message {message_id} in chat {chat_id} was not edited within {timeout:g}s"
                + self._error_hint()
            )
        return result

    async def callback_answer(
        self, callback_query_id: str, timeout: float = 10.0
    ) -> CallbackAnswer:
        """Block until the bot answers the callback query."""
        state = self.backend.state

        def ready() -> CallbackAnswer | None:
            query = state.callbacks.get(callback_query_id)
            return query.answer if query is not None else None

        result = await state.changed.wait_for(ready, timeout)
        if result is None:
            raise TimeoutError(
                f"callback query {callback_query_id} not answered" + self._error_hint()
            )
        return result

    async def inline_answer(self, inline_query_id: str, timeout: float = 10.0) -> InlineAnswer:
        """Block until the bot answers the inline query."""
        state = self.backend.state

        def ready() -> InlineAnswer | None:
            query = state.inline_queries.get(inline_query_id)
            return query.answer if query is not None else None

        result = await state.changed.wait_for(ready, timeout)
        if result is None:
            raise TimeoutError(f"inline query {inline_query_id} not answered" + self._error_hint())
        return result

    def _error_hint(self) -> str:
        errors = [f"{c.method}: {c.description}" for c in self.errors()][-3:]
        return f"; last API errors: {errors}" if errors else ""

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every API call the bot made (method names as in the Bot API docs)."""
        wanted = method.lower() if method else None
        return [c for c in self.backend.calls if wanted is None or c.method.lower() == wanted]

    def errors(self, *, include_injected: bool = True) -> list[ApiCall]:
        """Every call not answered 200 (``include_injected=False``: only the bot's own faults)."""
        return [c for c in self.backend.calls if not c.ok and (include_injected or not c.injected)]

    async def wait_for_call(
        self, method: str, *, count: int = 1, after: int = 0, timeout: float = 10.0
    ) -> list[ApiCall]:
        """Block until the bot made ``count`` calls of ``method``, counting from index ``after``
        in ``calls()``."""
        backend = self.backend

        def ready() -> list[ApiCall] | None:
            found = [c for c in list(backend.calls)[after:] if c.method.lower() == method.lower()]
            return found if len(found) >= count else None

        result = await backend.calls_changed.wait_for(ready, timeout)
        if result is None:
            raise TimeoutError(f"bot did not call {method} {count}x within {timeout:g}s")
        return result

    async def wait_until_polling(self, timeout: float = 10.0) -> None:
        """Block until the bot has called getUpdates at least once."""
        updates = self.backend.updates
        if await updates.changed.wait_for(lambda: updates.polls > 0, timeout) is None:
            raise TimeoutError(f"bot did not call getUpdates within {timeout:g}s")

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[dict[str, str]]:
        """The command list set for exactly this scope and language."""
        key = (self.backend.state.scope_key(scope), language_code)
        return list(self.backend.state.commands.get(key, []))

    def chat_actions(self, chat_id: int | None = None) -> list[tuple[int, str, float]]:
        return [a for a in self.backend.state.chat_actions if chat_id is None or a[0] == chat_id]

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot (nor delivered to its webhook)."""
        return self.backend.updates.pending()

    def webhook_info(self) -> JSON:
        return self.backend.webhook.info()

    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return list(self.backend.webhook.deliveries)

    def rate_stats(self) -> RateStats:
        return self.backend.flood.stats()

    def on_bot_message(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(message, event)`` for every bot message sent/edited/deleted.

        Runs on the server's loop (thread); returns a function that unsubscribes.
        """
        listeners = self.backend.state.listeners
        listeners.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                listeners.remove(callback)

        return unsubscribe

    # --- faults and limits ---------------------------------------------------------------

    def set_flood_limit(
        self,
        enabled: bool = True,
        *,
        global_per_second: float = 30.0,
        private_per_second: float = 1.0,
        private_burst: int = 3,
        group_per_minute: float = 20.0,
        group_burst: int = 20,
        paid_per_second: float = 1000.0,
    ) -> None:
        """Answer 429 ``retry after N`` when the bot sends faster than Telegram allows
        (``paid_per_second`` over all chats for messages with ``allow_paid_broadcast``)."""
        self.backend.flood.configure(
            FloodConfig(
                enabled,
                global_per_second,
                private_per_second,
                private_burst,
                group_per_minute,
                group_burst,
                paid_per_second,
            )
        )

    def _set_status(self, chat_id: int, status: str) -> None:
        state = self.backend.state
        chat = state.chats.get(chat_id)
        if chat is None:
            if chat_id <= 0:
                raise LookupError(f"unknown chat {chat_id}")
            chat = state.private_chat(state.user(chat_id))
        chat.status = status

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sends get 403 ``bot was blocked by the user``."""
        self._set_status(chat_id, "blocked")

    def deactivate(self, chat_id: int) -> None:
        """The user deleted their account: 403 ``user is deactivated``."""
        self._set_status(chat_id, "deactivated")

    def kick(self, chat_id: int) -> None:
        """The bot was removed from the group: 403 ``bot was kicked from the group chat``."""
        self._set_status(chat_id, "kicked")

    def unblock(self, chat_id: int) -> None:
        self._set_status(chat_id, "ok")

    def migrate(self, chat_id: int, new_chat_id: int | None = None, *, notify: bool = True) -> int:
        """Upgrade a group to a supergroup (returns its id); the old id answers 400 with
        ``migrate_to_chat_id``. ``notify`` queues the two service messages Telegram sends."""
        return inject.migrate(self.backend, chat_id, new_chat_id, notify=notify)

    def fail_next(
        self,
        method: str,
        error_code: int = 400,
        description: str | None = None,
        *,
        count: int = 1,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` ("*" = any) with this error."""
        self.backend.faults.fail_next(
            method,
            error_code,
            description,
            count=count,
            retry_after=retry_after,
            migrate_to_chat_id=migrate_to_chat_id,
        )

    def set_fault_rate(
        self,
        rate: float,
        *,
        kinds: Collection[str] = ALL_KINDS,
        seed: int = 1,
        methods: Collection[str] | None = None,
        delivered_share: float = 0.5,
        timeout_delay: float | None = None,
    ) -> None:
        """Give a seeded-random share of calls a transport fault ("500", "502", "timeout",
        "disconnect"). ``methods`` None = all but getUpdates. ``delivered_share``: how often a
        faulted call still takes effect (message sent, answer lost)."""
        self.backend.faults.set_rate(
            rate,
            kinds=kinds,
            seed=seed,
            methods=methods,
            delivered_share=delivered_share,
            timeout_delay=timeout_delay,
        )

    def unreachable(self, seconds: float, *, mode: Literal["drop", "refuse"] = "drop") -> None:
        """For ``seconds``: "drop" cuts every request's connection; "refuse" also stops
        listening so new connections are refused. Open connections are cut at once."""
        self.backend.faults.set_unreachable(seconds)
        abort_connections(self._app)
        if mode == "refuse" and self._site is not None:
            site, self._site = self._site, None
            loop = asyncio.get_running_loop()
            self._stopping = loop.create_task(self._refuse(site))
            if self._reopen is not None:
                self._reopen.cancel()
            self._reopen = loop.call_later(seconds, lambda: loop.create_task(self._listen()))

    def set_webhook_retry(
        self, first_delay: float = 0.05, max_delay: float = 1.0, timeout: float = 10.0
    ) -> None:
        """Back-off between webhook delivery attempts, and the per-POST timeout."""
        webhook = self.backend.webhook
        webhook.retry_delay, webhook.max_retry_delay, webhook.request_timeout = (
            first_delay,
            max_delay,
            timeout,
        )

    async def _webhook_reply(self, method: str, params: JSON) -> None:
        # A webhook answer carrying a method call is executed like a request (answer unseen).
        started = time.time()
        status, description, source = 200, None, None
        try:
            await run_method(self.backend, method, params)
        except ApiError as error:
            status, description, source = error.error_code, error.description, error.source
        self.backend.record_call(
            ApiCall(method, params, status, description, started, time.time() - started, source)
        )
