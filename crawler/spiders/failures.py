"""One-line descriptions of failed requests, for run errors and the rejects table.

The reasons are a short, documented vocabulary (docs/crawling.md, "Faults"), never an
exception's class name: ``HTTP 404``, ``timeout``, ``DNS lookup failed``, ``connection
refused``, ``connection lost before a complete response (truncated)``, ``over the size cap``,
``redirect loop or too many redirects (...)``, ``HTTP 503, Retry-After ... left for the next
run``, ``outside the seeds directory (...)`` (offline crawls). Scrapy 2.13+ wraps Twisted's
errors in its own (``DownloadTimeoutError`` ...); both families are named here.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares.retry import RETRY_AFTER_REFUSED
from crawler.middlewares.seeds import OutsideSeedsError

TRUNCATED = "connection lost before a complete response (truncated)"
OVER_SIZE_CAP = "over the size cap (DOWNLOAD_MAXSIZE)"
# Scrapy's wordings for DOWNLOAD_MAXSIZE: download cancelled, decompression stopped.
_SIZE_CAP_WORDS = ("max size", "download_maxsize")


def failure_response(failure: Any) -> Any | None:
    """Return the response behind an HTTP error failure (404, 500 ...), else ``None``."""
    if failure.check(HttpError):
        return failure.value.response
    return None


def is_robots_refusal(failure: Any) -> bool:
    """Whether the request was dropped because robots.txt disallows it (not an error)."""
    return bool(failure.check(IgnoreRequest)) and "robots.txt" in str(failure.value)


def describe_failure(failure: Any) -> str:
    """``HTTP 404``, ``timeout``, ``redirect loop or too many redirects`` ...: one line."""
    response = failure_response(failure)
    if response is not None:
        refused = response.meta.get(RETRY_AFTER_REFUSED) if response.request else None
        return f"HTTP {response.status}, {refused}" if refused else f"HTTP {response.status}"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(CannotResolveHostError, DNSLookupError):
        return "DNS lookup failed"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "connection refused"
    if failure.check(
        ResponseDataLossError, ResponseFailed, ResponseNeverReceived, ConnectionLost, ConnectionDone
    ):
        return TRUNCATED
    if failure.check(OutsideSeedsError):
        return str(failure.value.reason)
    message = _first_line(failure.value)
    if failure.check(DownloadCancelledError, IgnoreRequest) and any(
        words in message.lower() for words in _SIZE_CAP_WORDS
    ):
        return OVER_SIZE_CAP
    if failure.check(IgnoreRequest):
        if "redirect" in message.lower():
            return f"redirect loop or too many redirects ({message})"
        return f"ignored: {message}"
    if failure.check(UnsupportedURLSchemeError):
        return "unsupported URL scheme"
    if failure.check(DownloadFailedError):
        return f"download failed ({message})" if message else "download failed"
    name = type(failure.value).__name__
    return f"{name}: {message}" if message else name


def _first_line(value: object) -> str:
    return (str(value).strip().splitlines() or [""])[0]
