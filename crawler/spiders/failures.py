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

from crawler.middlewares.offsite import OffBlogRedirect
from crawler.middlewares.retry import RETRY_AFTER_REFUSED
from crawler.middlewares.seeds import OutsideSeedsError

# Scrapy 2.19 wraps Twisted's network errors in its own (the Twisted one is the __cause__):
# each kind is named by both, so the description holds on either side of that change.
_NETWORK_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((TimeoutError, TCPTimedOutError, DownloadTimeoutError), "timeout"),
    ((DNSLookupError, CannotResolveHostError), "DNS lookup failed (no such host)"),
    ((ConnectionRefusedError, DownloadConnectionRefusedError), "connection refused"),
)
_CAUSE_DEPTH = 5  # how far down an exception's __cause__/__context__ chain to look
TRUNCATED = "connection lost before a complete response (truncated)"
OVER_SIZE_CAP = "over the size cap (DOWNLOAD_MAXSIZE)"
# Scrapy's wordings for DOWNLOAD_MAXSIZE: download cancelled, decompression stopped.
_SIZE_CAP_WORDS = ("max size", "download_maxsize")


def failure_response(failure: Any) -> Any | None:
    """Return the response behind an HTTP error failure (404, 500 ...), else ``None``."""
    if failure.check(HttpError):
        return failure.value.response
    return None


def requested_url(request: Any) -> str:
    """Return the URL the spider asked for: the first of a redirect chain, else the request's."""
    chain = request.meta.get("redirect_urls")
    return str(chain[0]) if chain else str(request.url)


def is_robots_refusal(failure: Any) -> bool:
    """Whether the request was dropped because robots.txt disallows it (not an error)."""
    return bool(failure.check(IgnoreRequest)) and "robots.txt" in str(failure.value)


def describe_failure(failure: Any) -> str:
    """``HTTP 404``, ``timeout``, ``redirect loop or too many redirects`` ...: one line."""
    response = failure_response(failure)
    if response is not None:
        refused = response.meta.get(RETRY_AFTER_REFUSED) if response.request else None
        return f"HTTP {response.status}, {refused}" if refused else f"HTTP {response.status}"
    network = describe_network_error(failure.value)
    if network is not None:
        return network
    if failure.check(OffBlogRedirect):
        return str(failure.value)  # "redirected off the blog to HOST"
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


def describe_network_error(error: BaseException | None) -> str | None:
    """Name a network failure in words, ``None`` when ``error`` is not one.

    ``timeout``, ``DNS lookup failed (no such host)``, ``connection refused``,
    ``TLS handshake failed: <reason>`` or the truncated-response line.
    """
    chain = _causes(error)
    for kinds, words in _NETWORK_KINDS:
        if any(isinstance(link, kinds) for link in chain):
            return words
    tls = _tls_reason(chain)
    if tls is not None:
        return f"TLS handshake failed: {tls}"
    lost = (
        ResponseDataLossError,
        ResponseFailed,
        ResponseNeverReceived,
        ConnectionLost,
        ConnectionDone,
    )
    if any(isinstance(link, lost) for link in chain):
        return TRUNCATED
    return None


def _causes(error: BaseException | None) -> list[BaseException]:
    chain: list[BaseException] = []
    while error is not None and len(chain) < _CAUSE_DEPTH:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def _tls_reason(chain: list[BaseException]) -> str | None:
    """Return the first OpenSSL error's reason, as one line.

    Looked for in the chain and in the reasons Twisted gives for a lost connection
    (``ResponseNeverReceived.reasons``).
    """
    from OpenSSL import SSL

    for link in chain:
        for reason in [link, *(getattr(r, "value", r) for r in getattr(link, "reasons", []))]:
            if isinstance(reason, SSL.Error):
                detail = reason.args[0] if reason.args else reason
                if isinstance(detail, list) and detail and isinstance(detail[0], tuple):
                    detail = detail[0][-1]  # [(library, function, reason)]: the reason says it
                return str(detail) or "TLS error"
    return None
