"""A small HTTP server for the webhook, /healthz and /metrics that slow or idle clients cannot hold.

aiohttp's server closes a connection only after its keep-alive time, measured from the start or
the last answer, and never limits how many are open: a client that trickles its headers, or a
thousand that connect and say nothing, would hold file descriptors until the process runs out
and every later update fails. Here each connection has a deadline for its request's headers
(from the first byte), for its body, and for idling, and at most `max_connections` are open at
once; one over that is answered 503 and closed at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.metrics import Metrics

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]
Routes = Mapping[tuple[str, str], Handler]  # (method, path) -> handler

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 5\r\nConnection: close\r\n\r\nbusy\n"
)


@dataclass(frozen=True, slots=True)
class Limits:
    header_timeout: float = 10.0  # from a request's first byte to the end of its headers
    body_timeout: float = 10.0  # to read the whole body once the headers are in
    idle_timeout: float = 30.0  # a connection with no request in progress
    max_connections: int = 200
    max_body_bytes: int = 1 << 20


class _Connection(web.RequestHandler):
    """One client connection: aiohttp's handler plus a header deadline and the open count."""

    def __init__(self, server: GuardedServer, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self._guard = server
        self._header_deadline: asyncio.TimerHandle | None = None
        self._busy = False  # a request is being answered

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._guard.open += 1
        self._guard.metrics.http_open.inc()
        super().connection_made(transport)
        if self._guard.open > self._guard.limits.max_connections:
            self._guard.refused += 1
            self._guard.metrics.http_closed.labels("over_cap").inc()
            assert isinstance(transport, asyncio.Transport)
            transport.write(_BUSY)
            self.force_close()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._guard.open -= 1
        self._guard.metrics.http_open.dec()
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._busy and self._header_deadline is None and data:
            loop = asyncio.get_running_loop()
            self._header_deadline = loop.call_later(
                self._guard.limits.header_timeout, self._headers_too_slow
            )
        super().data_received(data)

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        self._guard.timed_out += 1
        self._guard.metrics.http_closed.labels("slow_headers").inc()
        self.force_close()

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def request_started(self) -> None:
        self._disarm()
        self._busy = True

    def request_finished(self) -> None:
        self._busy = False


class GuardedServer(web.Server):
    """aiohttp's low-level server making `_Connection`s, with counts for the tests and metrics."""

    def __init__(self, routes: Routes, limits: Limits, metrics: Metrics | None = None) -> None:
        self.routes = dict(routes)
        self.limits = limits
        self.metrics = metrics or Metrics()
        self.open = 0
        self.refused = 0  # connections over the cap
        self.timed_out = 0  # connections closed for slow headers or body
        self._handler_kwargs: dict[str, Any] = {
            "keepalive_timeout": limits.idle_timeout,
            "access_log": None,
            # A body left unread (a 404, a slow body's 408) closes the connection at once
            # instead of reading on for aiohttp's default ten seconds.
            "lingering_time": 0,
        }
        super().__init__(self._dispatch, **self._handler_kwargs)

    def __call__(self) -> web.RequestHandler:
        return _Connection(self, loop=asyncio.get_running_loop(), **self._handler_kwargs)

    async def _dispatch(self, request: web.BaseRequest) -> web.StreamResponse:
        connection = request.protocol
        if isinstance(connection, _Connection):
            connection.request_started()
        try:
            handler = self.routes.get((request.method, request.path))
            if handler is None:
                known = any(path == request.path for _, path in self.routes)
                return web.Response(status=405 if known else 404, text="not here\n")
            if request.can_read_body:
                if (request.content_length or 0) > self.limits.max_body_bytes:
                    return web.Response(status=413, text="too large\n")
                try:
                    body = await asyncio.wait_for(request.read(), self.limits.body_timeout)
                except TimeoutError:
                    self.timed_out += 1
                    self.metrics.http_closed.labels("slow_body").inc()
                    response = web.Response(status=408, text="body too slow\n")
                    response.force_close()
                    return response
                except web.HTTPRequestEntityTooLarge:
                    return web.Response(status=413, text="too large\n")
                if len(body) > self.limits.max_body_bytes:
                    return web.Response(status=413, text="too large\n")
            return await handler(request)
        finally:
            if isinstance(connection, _Connection):
                connection.request_finished()


class ListenError(Exception):
    """The server cannot listen where it was told to (a port in use, an address not ours)."""


async def start_server(
    routes: Routes, host: str, port: int, limits: Limits, metrics: Metrics | None = None
) -> web.BaseRunner:
    """Serve `routes` on host:port until the returned runner's `cleanup()`."""
    server = GuardedServer(routes, limits, metrics)
    runner = web.ServerRunner(server, shutdown_timeout=5.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port, backlog=128).start()
    except OSError as exc:
        await runner.cleanup()
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return runner
