"""One-line descriptions of failed requests, for run errors and the rejects table."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares.offsite import OffBlogRedirect

# Scrapy 2.19 wraps Twisted's network errors in its own (the Twisted one is the __cause__):
# each kind is named by both, so the description holds on either side of that change.
_NETWORK_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((TimeoutError, TCPTimedOutError, DownloadTimeoutError), "timeout"),
    ((DNSLookupError, CannotResolveHostError), "DNS lookup failed (no such host)"),
    ((ConnectionRefusedError, DownloadConnectionRefusedError), "connection refused"),
)
_TRUNCATED = "connection lost before a complete response (truncated)"
_CAUSE_DEPTH = 5  # how far down an exception's __cause__/__context__ chain to look


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
        return f"HTTP {response.status}"
    network = describe_network_error(failure.value)
    if network is not None:
        return network
    if failure.check(OffBlogRedirect):
        return str(failure.value)  # "redirected off the blog to HOST"
    if failure.check(IgnoreRequest):
        message = str(failure.value)
        if "redirect" in message.lower():
            return f"redirect loop or too many redirects ({message})"
        return f"ignored: {message}"
    value = failure.value
    first_line = (str(value).splitlines() or [""])[0]
    return f"{type(value).__name__}: {first_line}" if first_line else type(value).__name__


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
    lost = (ResponseDataLossError, ResponseFailed, ResponseNeverReceived, DownloadFailedError)
    if any(isinstance(link, lost) for link in chain):
        return _TRUNCATED
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
