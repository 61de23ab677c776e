"""The aiohttp application answering ``/bot<token>/<method>`` like api.telegram.org."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import weakref
from typing import NoReturn

from aiohttp import web

from fakeapi.backend import TOKEN_RE, Backend, Reply
from fakeapi.errors import ApiError
from fakeapi.faults import FaultPlan
from fakeapi.methods import CANONICAL, HANDLERS
from fakeapi.models import JSON, ApiCall
from fakeapi.params import Params, read_params

log = logging.getLogger("fakeapi")

BACKEND = web.AppKey("backend", Backend)
TransportSet = weakref.WeakSet[asyncio.Transport]
TRANSPORTS: web.AppKey[TransportSet] = web.AppKey("transports")

_TOKEN_SHAPE = re.compile(r"\d+:")
NOT_FOUND = ApiError(404, "Not Found")
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def _json_response(status: int, body: JSON) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
    )


def _check_token(b: Backend, token: str) -> None:
    # Telegram: no "<id>:" shape -> 404; well-formed but wrong/revoked -> 401.
    if not _TOKEN_SHAPE.match(token):
        raise NOT_FOUND
    if not TOKEN_RE.fullmatch(token) or (b.config.strict_token and token != b.config.token):
        raise ApiError(401, "Unauthorized")


async def run_method(b: Backend, method: str, params: JSON) -> tuple[int, JSON]:
    """Run one Bot API method; (HTTP status, body). Errors become Telegram error bodies."""
    handler = HANDLERS.get(method.lower())
    if handler is None:
        raise NOT_FOUND
    result = await handler(b, Params(params))
    if isinstance(result, Reply):
        return 200, {"ok": True, "result": result.result, "description": result.description}
    return 200, {"ok": True, "result": result}


def _cut(request: web.Request) -> NoReturn:
    """Drop the connection without an answer, as a broken network or proxy would."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError


class _Call:
    """Collects what the call log needs while one request is handled."""

    def __init__(self, b: Backend, method: str) -> None:
        self.b = b
        self.method = method
        self.started, self.t0 = time.time(), time.monotonic()
        self.params: JSON = {}
        self.fault: str | None = None
        self.delivered: bool | None = None

    def record(self, status: int | None, description: str | None) -> None:
        self.b.record_call(
            ApiCall(
                self.method,
                self.params,
                status,
                description,
                self.started,
                time.monotonic() - self.t0,
                self.fault,
                self.delivered,
            )
        )


async def handle_api(request: web.Request) -> web.StreamResponse:
    b = request.app[BACKEND]
    if request.transport is not None:
        request.app[TRANSPORTS].add(request.transport)
    raw_method = request.match_info["method"]
    call = _Call(b, CANONICAL.get(raw_method.lower(), raw_method))
    if b.faults.unreachable:
        call.fault = "unreachable"
        call.record(None, "connection dropped: server unreachable")
        _cut(request)
    plan: FaultPlan | None = None
    body: JSON
    try:
        _check_token(b, request.match_info["token"])
        if raw_method.lower() not in HANDLERS:
            raise NOT_FOUND
        call.params = await read_params(request)
        planned = b.faults.take_planned(raw_method.lower())
        if planned is not None:
            raise planned
        plan = b.faults.roll(raw_method.lower())
        if plan is not None and not plan.delivered:
            status, body = 500, {"ok": False}  # the method never runs; the fault below answers
        else:
            status, body = await run_method(b, raw_method, call.params)
    except ApiError as error:
        status, body = error.error_code, error.to_json()
        call.fault = error.source
    except Exception:
        # A bug in the fake: answer like Telegram's 500, and make it visible in errors().
        log.exception("fakeapi failed handling %s", call.method)
        status, body = 500, ApiError(500, "Internal Server Error").to_json()
        call.fault = "fakeapi_bug"
    if plan is None:
        call.record(status, None if status == 200 else body.get("description"))
        log.debug("%s -> %s", call.method, status)
        return _json_response(status, body)
    call.fault, call.delivered = f"random:{plan.kind}", plan.delivered
    log.debug("%s -> injected %s (delivered=%s)", call.method, plan.kind, plan.delivered)
    return await _fault_response(request, b, plan, call)


async def _fault_response(
    request: web.Request, b: Backend, plan: FaultPlan, call: _Call
) -> web.StreamResponse:
    if plan.kind == "500":
        call.record(500, "Internal Server Error")
        return _json_response(500, ApiError(500, "Internal Server Error").to_json())
    if plan.kind == "502":
        call.record(502, "Bad Gateway")
        return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
    if plan.kind == "timeout":
        call.record(None, f"no answer for {b.faults.timeout_delay:g} s")
        await asyncio.sleep(b.faults.timeout_delay)
        return _json_response(500, ApiError(500, "Internal Server Error").to_json())
    call.record(None, "connection cut before the answer")
    _cut(request)


async def not_found(request: web.Request) -> web.Response:
    return _json_response(404, NOT_FOUND.to_json())


def create_app(backend: Backend) -> web.Application:
    app = web.Application(client_max_size=50 * 1024 * 1024)
    app[BACKEND] = backend
    app[TRANSPORTS] = TransportSet()
    app.router.add_route("*", "/bot{token}/{method}", handle_api)
    app.router.add_route("*", "/{tail:.*}", not_found)
    return app


def abort_connections(app: web.Application) -> None:
    """Cut every open connection (used when the fake turns unreachable)."""
    transports: TransportSet = app[TRANSPORTS]
    for transport in list(transports):
        if not transport.is_closing():
            transport.abort()
