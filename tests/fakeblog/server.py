"""The fake blogs' HTTP/1.1 server: asyncio streams, keep-alive, origin- and proxy-style requests.

It routes by host, so it doubles as an HTTP proxy for fake hosts only: point a client's proxy
at ``server.proxy_url`` and ask for ``http://fake-layouts.blogspot.com/...``. Unknown hosts get
502, ``CONNECT`` (and any method but GET/HEAD) gets 405: nothing ever leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urlsplit

from tests.fakeblog.routes import Response, Router, plain
from tests.fakeblog.site import FakeBlogger


@dataclass(frozen=True)
class RequestRecord:
    """One answered request. ``query`` is the raw query string without ``?``; ``time`` is the
    ``time.time()`` at which the request line arrived; ``status`` is what was sent (304 too)."""

    method: str
    host: str
    path: str
    query: str
    status: int
    time: float


_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    # One strftime per second, not per request.
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now)))
    return _date_cache[1]


def _head(response: Response, status: int, length: int, keep_alive: bool) -> bytes:
    fixed = response.fixed_headers
    if status == 304:
        # A 304 repeats the validators but has no body, so no type or length.
        fixed = "".join(
            line + "\r\n" for line in fixed.split("\r\n") if line.startswith(("ETag", "Last-Mod"))
        )
        size = ""
    else:
        size = f"Content-Length: {length}\r\n"
    connection = "keep-alive" if keep_alive else "close"
    return (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nDate: {_http_date()}\r\n"
        f"Server: fakeblog\r\n{fixed}{size}Connection: {connection}\r\n\r\n"
    ).encode("latin-1")


def _not_modified(response: Response, headers: dict[str, str]) -> bool:
    if response.status != 200:
        return False
    if "if-none-match" in headers:
        tags = [tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")]
        return response.etag is not None and (response.etag in tags or "*" in tags)
    since = headers.get("if-modified-since")
    if since is None or response.last_modified is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return response.last_modified.replace(microsecond=0) <= when


class FakeServer:
    """Serves a ``FakeBlogger`` on 127.0.0.1 from a background thread with its own event loop.

    Use through :func:`serve`. ``requests`` is the log of answered requests, oldest first.
    """

    def __init__(self, site: FakeBlogger, port: int = 0):
        self.site = site
        self.router = Router(site)
        self.port = port
        self._log: list[RequestRecord] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.bound = threading.Event()
        """Set once the listening socket is bound and ``port`` is the real port."""
        self._error: BaseException | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._stopping: asyncio.Event | None = None

    @property
    def proxy_url(self) -> str:
        """``http://127.0.0.1:PORT``: use as an HTTP proxy (``http_proxy``, ``meta['proxy']``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log."""
        return list(self._log)

    def reset_log(self) -> None:
        """Forget the requests logged so far."""
        self._log.clear()

    def count(
        self,
        path_prefix: str | None = None,
        host: str | None = None,
        status: int | None = None,
        method: str | None = None,
    ) -> int:
        """How many logged requests match every given filter (``None`` = any)."""
        return sum(
            1
            for r in self._log
            if (path_prefix is None or r.path.startswith(path_prefix))
            and (host is None or r.host == host)
            and (status is None or r.status == status)
            and (method is None or r.method == method)
        )

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start serving in a daemon thread; returns once the port is bound."""
        self._thread = threading.Thread(target=self._run_thread, name="fakeblog", daemon=True)
        self._thread.start()
        self.bound.wait(timeout=10)
        if self._error is not None:
            raise RuntimeError(f"fake blog server failed to start: {self._error}")

    def stop(self) -> None:
        """Close every connection and stop the thread (idempotent)."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            with suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run_thread(self) -> None:
        try:
            asyncio.run(self.run())
        except BaseException as error:  # reported to start(), which re-raises it
            self._error = error
            self.bound.set()

    async def run(self) -> None:
        """Serve until :meth:`stop` (or, standalone, until ``request_stop``)."""
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", self.port)
        self.port = server.sockets[0].getsockname()[1]
        self.bound.set()
        async with server:
            await self._stopping.wait()
            server.close()
            for writer in list(self._writers):
                writer.close()
        await asyncio.sleep(0)

    def request_stop(self) -> None:
        """Ask :meth:`run` to return; call from the serving loop's thread (signal handlers)."""
        if self._stopping is not None:
            self._stopping.set()

    # -- HTTP ------------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await self._exchange(reader, writer):
                pass
        except (
            ConnectionError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
        ):
            pass  # the client went away or sent garbage: nothing to answer
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read one request and answer it; return whether the connection stays open."""
        line = await reader.readline()
        while line in (b"\r\n", b"\n"):
            line = await reader.readline()
        if not line:
            return False
        started = time.time()
        parts = line.decode("latin-1").split()
        headers: dict[str, str] = {}
        while True:
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length):
            await reader.readexactly(int(length))
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            writer.write(_head(plain(400, ""), 400, 0, False))
            return False
        method, target, version = parts
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" and (version == "HTTP/1.1" or connection == "keep-alive")
        host, path, query, response = self._answer(method, target, headers)
        if response.delay:
            await asyncio.sleep(response.delay)
        status = 304 if _not_modified(response, headers) else response.status
        self._log.append(RequestRecord(method, host, path, query, status, started))
        bodiless = status == 304 or method == "HEAD"
        if response.truncate and method != "HEAD":
            body = b"" if bodiless else response.body
            # Promise more than we send, send half, hang up: a cut-off transfer.
            writer.write(_head(response, status, len(body) + 1024, False) + body[: len(body) // 2])
            await writer.drain()
            return False
        writer.write(_head(response, status, response.length, keep_alive))
        if not bodiless:
            writer.writelines(response.chunks)
        await writer.drain()
        return keep_alive

    def _answer(
        self, method: str, target: str, headers: dict[str, str]
    ) -> tuple[str, str, str, Response]:
        if target.startswith(("http://", "https://")):
            split = urlsplit(target)
            host, path, query = split.hostname or "", split.path or "/", split.query
        else:
            host = headers.get("host", "").rsplit(":", 1)[0] if headers.get("host") else ""
            path, _, query = target.partition("?")
        host = host.lower()
        if method not in ("GET", "HEAD"):
            message = f"method {method} not allowed: the fake blogs serve plain http GET/HEAD only"
            return host, path, query, plain(405, message)
        if not path.startswith("/"):
            return host, path, query, plain(400, f"bad request target: {target!r}")
        return host, path, query, self.router.respond(host, path, query)


@contextmanager
def serve(site: FakeBlogger, port: int = 0, prerender: bool = False) -> Iterator[FakeServer]:
    """Serve ``site`` on 127.0.0.1 (a free port unless ``port``) for the ``with`` block.

    ``prerender`` renders every post page and sitemap before serving (see
    ``Router.prerender``): use it for benchmarks, skip it for small tests.
    """
    server = FakeServer(site, port)
    if prerender:
        server.router.prerender()
    server.start()
    try:
        yield server
    finally:
        server.stop()
