"""FakeTelegramThread: the fake server on its own loop in a background thread.

For synchronous code (pytest without asyncio, a bot in a subprocess, the console)::

    with FakeTelegramThread() as tg:
        start_bot(base_url=tg.base_url, token=tg.token)
        tg.wait_until_polling()
        [reply] = tg.ask(42, "/start")

Every method is FakeTelegram's, made thread-safe: it runs on the server's loop and returns the
result (a wait blocks until it ends; its ``*_async`` twin awaits it from another loop).
Blocking waits refuse to run on a thread whose own event loop is running (that loop
may be the bot's, which would then stall); use the ``*_async`` variants there.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar

from fakeapi.core import FakeTelegram
from fakeapi.state import Listener

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
_SLACK = 5.0  # extra seconds to wait for the loop beyond a wait's own timeout


class _Delegate(Generic[P, R]):
    """A FakeTelegram method offered by FakeTelegramThread, with its signature and documentation."""

    def __init__(self, method: Callable[Concatenate[FakeTelegram, P], R]) -> None:
        self.method = method
        self.signature = inspect.signature(method)
        self.__doc__ = method.__doc__


class _OnLoop(_Delegate[P, T]):
    """A method that changes or reads state, run on the server's loop; the caller gets its
    result."""

    def __get__(self, tg: FakeTelegramThread, owner: type[FakeTelegramThread]) -> Callable[P, T]:
        method = self.method

        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> T:
            return tg._call(lambda: method(tg.core, *args, **kwargs))

        return call


class _Blocking(_Delegate[P, Coroutine[Any, Any, T]]):
    """A wait, blocking the caller's thread until it ends (by its own ``timeout``)."""

    def __get__(self, tg: FakeTelegramThread, owner: type[FakeTelegramThread]) -> Callable[P, T]:
        method, signature = self.method, self.signature

        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> T:
            bound = signature.bind(tg.core, *args, **kwargs)
            bound.apply_defaults()
            timeout = float(bound.arguments["timeout"])
            return tg._wait(method(tg.core, *args, **kwargs), timeout)

        return call


class _Awaiting(_Delegate[P, Coroutine[Any, Any, T]]):
    """A wait awaited from another loop (a bot's) while it runs on the server's."""

    def __get__(
        self, tg: FakeTelegramThread, owner: type[FakeTelegramThread]
    ) -> Callable[P, Coroutine[Any, Any, T]]:
        method = self.method

        @functools.wraps(method)
        async def call(*args: P.args, **kwargs: P.kwargs) -> T:
            return await tg._await(method(tg.core, *args, **kwargs))

        return call


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

    def _call(self, fn: Callable[[], T]) -> T:
        # In a coroutine on the loop, so that methods that need the running loop find it.
        async def run() -> T:
            return fn()

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

    # --- everything else: FakeTelegram's own methods, run on the server's loop -------------
    # One line each: the signature, the documentation and the work stay in FakeTelegram.

    reset = _OnLoop(FakeTelegram.reset)
    clear = reset

    send_message = _OnLoop(FakeTelegram.send_message)
    add_group = _OnLoop(FakeTelegram.add_group)
    send_group_message = _OnLoop(FakeTelegram.send_group_message)
    press_button = _OnLoop(FakeTelegram.press_button)
    inline_query = _OnLoop(FakeTelegram.inline_query)
    choose_inline_result = _OnLoop(FakeTelegram.choose_inline_result)
    inject_update = _OnLoop(FakeTelegram.inject_update)

    mark = _OnLoop(FakeTelegram.mark)
    messages = _OnLoop(FakeTelegram.messages)
    message = _OnLoop(FakeTelegram.message)
    inline_message = _OnLoop(FakeTelegram.inline_message)
    calls = _OnLoop(FakeTelegram.calls)
    errors = _OnLoop(FakeTelegram.errors)
    commands = _OnLoop(FakeTelegram.commands)
    chat_actions = _OnLoop(FakeTelegram.chat_actions)
    pending_updates = _OnLoop(FakeTelegram.pending_updates)
    webhook_info = _OnLoop(FakeTelegram.webhook_info)
    webhook_deliveries = _OnLoop(FakeTelegram.webhook_deliveries)
    rate_stats = _OnLoop(FakeTelegram.rate_stats)

    wait_for_messages = _Blocking(FakeTelegram.wait_for_messages)
    wait_for_messages_async = _Awaiting(FakeTelegram.wait_for_messages)
    ask = _Blocking(FakeTelegram.ask)
    ask_async = _Awaiting(FakeTelegram.ask)
    wait_for_edit = _Blocking(FakeTelegram.wait_for_edit)
    wait_for_edit_async = _Awaiting(FakeTelegram.wait_for_edit)
    callback_answer = _Blocking(FakeTelegram.callback_answer)
    callback_answer_async = _Awaiting(FakeTelegram.callback_answer)
    inline_answer = _Blocking(FakeTelegram.inline_answer)
    inline_answer_async = _Awaiting(FakeTelegram.inline_answer)
    wait_until_polling = _Blocking(FakeTelegram.wait_until_polling)
    wait_until_polling_async = _Awaiting(FakeTelegram.wait_until_polling)
    wait_for_call = _Blocking(FakeTelegram.wait_for_call)

    set_flood_limit = _OnLoop(FakeTelegram.set_flood_limit)
    block = _OnLoop(FakeTelegram.block)
    deactivate = _OnLoop(FakeTelegram.deactivate)
    kick = _OnLoop(FakeTelegram.kick)
    unblock = _OnLoop(FakeTelegram.unblock)
    migrate = _OnLoop(FakeTelegram.migrate)
    fail_next = _OnLoop(FakeTelegram.fail_next)
    set_fault_rate = _OnLoop(FakeTelegram.set_fault_rate)
    unreachable = _OnLoop(FakeTelegram.unreachable)
    set_webhook_retry = _OnLoop(FakeTelegram.set_webhook_retry)

    def on_bot_message(self, callback: Listener) -> Callable[[], None]:
        """``callback(message, event)`` runs on the server thread; returns an unsubscriber."""
        unsubscribe = self._call(lambda: self.core.on_bot_message(callback))

        def threadsafe_unsubscribe() -> None:
            self._call(unsubscribe)

        return threadsafe_unsubscribe
