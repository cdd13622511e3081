"""One-line descriptions of failed requests, for run errors and the rejects table."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest, ResponseDataLossError
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares.offsite import OffBlogRedirect


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
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(DNSLookupError):
        return "DNS lookup failed"
    if failure.check(ResponseDataLossError, ResponseFailed, ResponseNeverReceived):
        return "connection lost before a complete response (truncated)"
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
