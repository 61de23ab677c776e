"""FakeTelegramThread: the fake server on its own loop in a background thread.

For synchronous code (pytest without asyncio, a bot in a subprocess, the console)::

    with FakeTelegramThread() as tg:
        start_bot(base_url=tg.base_url, token=tg.token)
        tg.wait_until_polling()
        [reply] = tg.ask(42, "/start")

Every method is thread-safe: it runs on the server's loop and returns the result.
Blocking waits refuse to run on a thread whose own event loop is running (that loop
may be the bot's, which would then stall); use the ``*_async`` variants there.
"""

# The wait API takes `timeout=` like its synchronous twin (FakeTelegramThread).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Collection
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Literal, ParamSpec, Self, TypeVar

from fakeapi.core import FakeTelegram
from fakeapi.faults import ALL_KINDS
from fakeapi.models import (
    JSON,
    ApiCall,
    CallbackAnswer,
    InlineAnswer,
    RateStats,
    SentMessage,
    WebhookDelivery,
)
from fakeapi.state import Listener

T = TypeVar("T")
P = ParamSpec("P")
_SLACK = 5.0  # extra seconds to wait for the loop beyond a wait's own timeout


class FakeTelegramThread:
    def __init__(self, **kwargs: Any) -> None:
        """Keyword arguments are FakeTelegram's (token, bot_username, port, ...)."""
        self._kwargs = kwargs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._core: FakeTelegram | None = None

    # --- plumbing ------------------------------------------------------------------------

    @property
    def core(self) -> FakeTelegram:
        """The async core (touch it only from the server's loop)."""
        if self._core is None:
            raise RuntimeError("FakeTelegramThread is not started")
        return self._core

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("FakeTelegramThread is not started")
        return self._loop

    def _submit(self, coro: Awaitable[T]) -> Future[T]:
        async def run() -> T:
            return await coro

        return asyncio.run_coroutine_threadsafe(run(), self.loop)

    def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        async def run() -> T:
            return fn(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(30.0)

    def _wait(self, coro: Awaitable[T], timeout: float) -> T:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._submit(coro).result(timeout + _SLACK)
        if asyncio.iscoroutine(coro):
            coro.close()
        raise RuntimeError(
            "a blocking FakeTelegramThread wait inside a running event loop would stall that "
            "loop (and a bot running on it); await the *_async variant instead"
        )

    async def _await(self, coro: Awaitable[T]) -> T:
        return await asyncio.wrap_future(self._submit(coro))

    def start(self) -> Self:
        started = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._core = loop.run_until_complete(FakeTelegram(**self._kwargs).start())
            except BaseException as exc:
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._core.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=main, name="fakeapi-server", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10.0)
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- identity ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.core.url

    @property
    def base_url(self) -> str:
        return self.core.base_url

    @property
    def token(self) -> str:
        return self.core.token

    @property
    def bot_id(self) -> int:
        return self.core.bot_id

    @property
    def bot_username(self) -> str:
        return self.core.bot_username

    def reset(self) -> None:
        self._call(self.core.reset)

    clear = reset

    # --- users act -----------------------------------------------------------------------

    def send_message(self, user_id: int, text: str, **kwargs: Any) -> JSON:
        """See FakeTelegram.send_message (chat_id, chat_type, first_name, language_code, ...)."""
        return self._call(self.core.send_message, user_id, text, **kwargs)

    def add_group(
        self, chat_id: int | None = None, title: str = "Test group", **kwargs: Any
    ) -> JSON:
        return self._call(self.core.add_group, chat_id, title, **kwargs)

    def send_group_message(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> JSON:
        return self._call(self.core.send_group_message, chat_id, user_id, text, **kwargs)

    def press_button(
        self,
        message_id: int,
        callback_data: str,
        *,
        user_id: int,
        chat_id: int | None = None,
        strict: bool = True,
    ) -> str:
        return self._call(
            self.core.press_button,
            message_id,
            callback_data,
            user_id=user_id,
            chat_id=chat_id,
            strict=strict,
        )

    def inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str | None = "sender"
    ) -> str:
        return self._call(
            self.core.inline_query, user_id, query, offset=offset, chat_type=chat_type
        )

    def choose_inline_result(
        self,
        user_id: int,
        inline_query_id: str,
        result_id: str,
        *,
        chat_id: int | None = None,
        feedback: bool = True,
    ) -> JSON:
        return self._call(
            self.core.choose_inline_result,
            user_id,
            inline_query_id,
            result_id,
            chat_id=chat_id,
            feedback=feedback,
        )

    def inject_update(self, kind: str, payload: JSON) -> JSON | None:
        return self._call(self.core.inject_update, kind, payload)

    # --- reading -------------------------------------------------------------------------

    def mark(self) -> int:
        return self._call(self.core.mark)

    def messages(
        self, chat_id: int | None = None, *, after: int = 0, include_deleted: bool = False
    ) -> list[SentMessage]:
        return self._call(self.core.messages, chat_id, after=after, include_deleted=include_deleted)

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        return self._call(self.core.message, chat_id, message_id)

    def inline_message(self, inline_message_id: str) -> SentMessage:
        return self._call(self.core.inline_message, inline_message_id)

    def wait_for_messages(
        self, chat_id: int, count: int = 1, *, after: int = 0, timeout: float = 10.0
    ) -> list[SentMessage]:
        coro = self.core.wait_for_messages(chat_id, count, after=after, timeout=timeout)
        return self._wait(coro, timeout)

    async def wait_for_messages_async(
        self, chat_id: int, count: int = 1, *, after: int = 0, timeout: float = 10.0
    ) -> list[SentMessage]:
        return await self._await(
            self.core.wait_for_messages(chat_id, count, after=after, timeout=timeout)
        )

    def ask(
        self, user_id: int, text: str, *, count: int = 1, timeout: float = 10.0, **kwargs: Any
    ) -> list[SentMessage]:
        """Send as the user; return the bot's next ``count`` messages in that chat."""
        coro = self.core.ask(user_id, text, count=count, timeout=timeout, **kwargs)
        return self._wait(coro, timeout)

    async def ask_async(
        self, user_id: int, text: str, *, count: int = 1, timeout: float = 10.0, **kwargs: Any
    ) -> list[SentMessage]:
        return await self._await(
            self.core.ask(user_id, text, count=count, timeout=timeout, **kwargs)
        )

    def wait_for_edit(
        self, chat_id: int, message_id: int, *, after: int | None = None, timeout: float = 10.0
    ) -> SentMessage:
        coro = self.core.wait_for_edit(chat_id, message_id, after=after, timeout=timeout)
        return self._wait(coro, timeout)

    async def wait_for_edit_async(
        self, chat_id: int, message_id: int, *, after: int | None = None, timeout: float = 10.0
    ) -> SentMessage:
        return await self._await(
            self.core.wait_for_edit(chat_id, message_id, after=after, timeout=timeout)
        )

    def callback_answer(self, callback_query_id: str, timeout: float = 10.0) -> CallbackAnswer:
        return self._wait(self.core.callback_answer(callback_query_id, timeout), timeout)

    async def callback_answer_async(
        self, callback_query_id: str, timeout: float = 10.0
    ) -> CallbackAnswer:
        return await self._await(self.core.callback_answer(callback_query_id, timeout))

    def inline_answer(self, inline_query_id: str, timeout: float = 10.0) -> InlineAnswer:
        return self._wait(self.core.inline_answer(inline_query_id, timeout), timeout)

    async def inline_answer_async(
        self, inline_query_id: str, timeout: float = 10.0
    ) -> InlineAnswer:
        return await self._await(self.core.inline_answer(inline_query_id, timeout))

    def wait_until_polling(self, timeout: float = 10.0) -> None:
        self._wait(self.core.wait_until_polling(timeout), timeout)

    async def wait_until_polling_async(self, timeout: float = 10.0) -> None:
        await self._await(self.core.wait_until_polling(timeout))

    def wait_for_call(
        self, method: str, *, count: int = 1, after: int = 0, timeout: float = 10.0
    ) -> list[ApiCall]:
        coro = self.core.wait_for_call(method, count=count, after=after, timeout=timeout)
        return self._wait(coro, timeout)

    def calls(self, method: str | None = None) -> list[ApiCall]:
        return self._call(self.core.calls, method)

    def errors(self, *, include_injected: bool = True) -> list[ApiCall]:
        return self._call(self.core.errors, include_injected=include_injected)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[dict[str, str]]:
        return self._call(self.core.commands, scope, language_code)

    def chat_actions(self, chat_id: int | None = None) -> list[tuple[int, str, float]]:
        return self._call(self.core.chat_actions, chat_id)

    def pending_updates(self) -> list[JSON]:
        return self._call(self.core.pending_updates)

    def webhook_info(self) -> JSON:
        return self._call(self.core.webhook_info)

    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return self._call(self.core.webhook_deliveries)

    def rate_stats(self) -> RateStats:
        return self._call(self.core.rate_stats)

    def on_bot_message(self, callback: Listener) -> Callable[[], None]:
        """``callback(message, event)`` runs on the server thread; returns an unsubscriber."""
        unsubscribe = self._call(self.core.on_bot_message, callback)

        def threadsafe_unsubscribe() -> None:
            self._call(unsubscribe)

        return threadsafe_unsubscribe

    # --- faults and limits ---------------------------------------------------------------

    def set_flood_limit(self, enabled: bool = True, **kwargs: Any) -> None:
        self._call(self.core.set_flood_limit, enabled, **kwargs)

    def block(self, chat_id: int) -> None:
        self._call(self.core.block, chat_id)

    def deactivate(self, chat_id: int) -> None:
        self._call(self.core.deactivate, chat_id)

    def kick(self, chat_id: int) -> None:
        self._call(self.core.kick, chat_id)

    def unblock(self, chat_id: int) -> None:
        self._call(self.core.unblock, chat_id)

    def migrate(self, chat_id: int, new_chat_id: int | None = None, *, notify: bool = True) -> int:
        return self._call(self.core.migrate, chat_id, new_chat_id, notify=notify)

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
        self._call(
            self.core.fail_next,
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
        self._call(
            self.core.set_fault_rate,
            rate,
            kinds=kinds,
            seed=seed,
            methods=methods,
            delivered_share=delivered_share,
            timeout_delay=timeout_delay,
        )

    def unreachable(self, seconds: float, *, mode: Literal["drop", "refuse"] = "drop") -> None:
        self._call(self.core.unreachable, seconds, mode=mode)

    def set_webhook_retry(
        self, first_delay: float = 0.05, max_delay: float = 1.0, timeout: float = 10.0
    ) -> None:
        self._call(self.core.set_webhook_retry, first_delay, max_delay, timeout)
