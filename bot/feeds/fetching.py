"""Fetching feeds and article pages over HTTP: politely, within limits, never hanging.

Conditional GETs (the stored ETag and Last-Modified; a 304 costs no body), gzip and deflate
(httpx decodes them; the size cap counts decoded bytes, so a gzip bomb is cut off too),
redirects followed by hand so that a permanent one (every hop 301 or 308) can move the stored
address, a time limit on the whole exchange (a server that trickles bytes is cut off as surely as
one that hangs), a 5 MB cap read as a stream, and at most one request a second to any one host.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from bot.feeds.errors import FeedError, FeedErrorKind, feed_error

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0  # the whole exchange: connect, headers, body
HOST_INTERVAL = 1.0  # seconds between two requests to one host
USER_AGENT = "newsbot feed reader (+https://github.com/)"
ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PERMANENT = (301, 308)
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of one fetch: a body, not modified (304), or an error in one short line."""

    url: str  # where the body came from, after redirects
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # the new address when every redirect was permanent
    error: FeedError | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostPacer:
    """At most one request a second to any one host, across every task of this process."""

    def __init__(self, interval: float = HOST_INTERVAL) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            delay = self._next.get(host, 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next[host] = time.monotonic() + self.interval


class Fetcher:
    """One HTTP client for every feed and page this process fetches."""

    def __init__(
        self,
        *,
        pacer: HostPacer | None = None,
        timeout: float = TIMEOUT_SECONDS,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.pacer = pacer or HostPacer()
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
            trust_env=False,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT_FEED,
    ) -> Fetched:
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(url, etag, last_modified, accept)
        except TimeoutError:
            return Fetched(url, error=feed_error(FeedErrorKind.TIMEOUT, seconds=self.timeout))

    async def _fetch(
        self, url: str, etag: str | None, last_modified: str | None, accept: str
    ) -> Fetched:
        permanent = True
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            await self.pacer.wait(current)
            try:
                async with self._client.stream("GET", current, headers=headers) as response:
                    if response.status_code in REDIRECTS and "location" in response.headers:
                        permanent = permanent and response.status_code in PERMANENT
                        target = urljoin(current, response.headers["location"].strip())
                        if urlsplit(target).scheme not in ("http", "https"):
                            return Fetched(
                                current, error=feed_error(FeedErrorKind.NOT_WEB_REDIRECT)
                            )
                        current = target
                        continue
                    moved = current if permanent and current != url else None
                    return await self._read(response, current, moved)
            except httpx.InvalidURL:
                return Fetched(current, error=feed_error(FeedErrorKind.BAD_ADDRESS))
            except httpx.TimeoutException:
                return Fetched(
                    current, error=feed_error(FeedErrorKind.TIMEOUT, seconds=self.timeout)
                )
            except httpx.HTTPError as exc:
                return Fetched(current, error=_network_error(exc))
        return Fetched(
            current, error=feed_error(FeedErrorKind.TOO_MANY_REDIRECTS, limit=MAX_REDIRECTS)
        )

    async def _read(self, response: httpx.Response, url: str, moved: str | None) -> Fetched:
        status = response.status_code
        validators = {
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        }
        if status == 304:
            return Fetched(url, status=304, moved_to=moved, **validators)
        if status >= 400:
            return Fetched(
                url,
                status=status,
                moved_to=moved,
                error=feed_error(FeedErrorKind.HTTP_STATUS, status=status),
            )
        if status != 200:
            return Fetched(
                url,
                status=status,
                moved_to=moved,
                error=feed_error(FeedErrorKind.UNEXPECTED_STATUS, status=status),
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return Fetched(url, status=status, moved_to=moved, error=_too_big(self.max_bytes))
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:  # stop reading: the rest never reaches memory
                return Fetched(url, status=status, moved_to=moved, error=_too_big(self.max_bytes))
            chunks.append(chunk)
        return Fetched(
            url,
            status=status,
            body=b"".join(chunks),
            content_type=response.headers.get("content-type"),
            moved_to=moved,
            **validators,
        )


def _too_big(limit: int) -> FeedError:
    return feed_error(FeedErrorKind.TOO_LARGE, limit=round(limit / 1024 / 1024, 2))


def _network_error(exc: httpx.HTTPError) -> FeedError:
    """One line naming the kind of failure (the exception's text can be long or empty)."""
    kinds = {
        httpx.ConnectError: FeedErrorKind.CANNOT_CONNECT,
        httpx.RemoteProtocolError: FeedErrorKind.BROKEN_EXCHANGE,
        httpx.DecodingError: FeedErrorKind.UNDECODABLE,
        httpx.TooManyRedirects: FeedErrorKind.TOO_MANY_REDIRECTS,
    }
    for cls, kind in kinds.items():
        if isinstance(exc, cls):
            return feed_error(kind)
    return feed_error(FeedErrorKind.NETWORK, detail=exc.__class__.__name__)
