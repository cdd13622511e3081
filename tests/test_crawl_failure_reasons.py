"""Failed requests get the documented short reasons; a huge ``Retry-After`` is not retried."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawler.middlewares.retry import RETRY_AFTER_REFUSED, RetryAfterMiddleware
from crawler.spiders.failures import OVER_SIZE_CAP, TRUNCATED, describe_failure


def _failure(error: Exception) -> Failure:
    try:
        raise error
    except Exception:  # noqa: BLE001 - building a Failure the way Twisted does
        return Failure()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DownloadTimeoutError("Getting http://x/ took longer than 30 seconds."), "timeout"),
        (TimeoutError("User timeout caused connection failure."), "timeout"),
        (CannotResolveHostError("no such host"), "DNS lookup failed (no such host)"),
        (DNSLookupError("no such host"), "DNS lookup failed (no such host)"),
        (DownloadConnectionRefusedError("refused"), "connection refused"),
        (ResponseDataLossError(), TRUNCATED),
        (
            DownloadCancelledError(
                "Received 17000000 bytes which is larger than download max size"
            ),
            OVER_SIZE_CAP,
        ),
        (IgnoreRequest("Ignored response because its body is larger than max size"), OVER_SIZE_CAP),
        (DownloadFailedError("TLS handshake failed"), "download failed (TLS handshake failed)"),
    ],
)
def test_failures_are_described_in_the_documented_vocabulary(error: Exception, reason: str) -> None:
    assert describe_failure(_failure(error)) == reason


def test_no_description_is_an_exception_class_name_for_known_download_errors() -> None:
    for error in (DownloadTimeoutError("x"), DownloadFailedError("y"), ResponseDataLossError()):
        assert "Error" not in describe_failure(_failure(error))


def _middleware(**settings: object) -> RetryAfterMiddleware:
    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 0, **settings})
    crawler.spider = crawler._create_spider("s")
    return RetryAfterMiddleware.from_crawler(crawler)


def _answer(middleware: RetryAfterMiddleware, status: int, retry_after: str | None) -> object:
    request = Request("http://a.blogspot.com/2024/01/x.html")
    headers = {"Retry-After": retry_after} if retry_after else {}
    response = Response(request.url, status=status, headers=headers, request=request)
    return asyncio.run(middleware.process_response(request, response)), request


@pytest.mark.parametrize("retry_after", ["86400", "121", "Fri, 01 Jan 2100 00:00:00 GMT"])
@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_over_the_cap_is_not_retried_and_says_so(
    status: int, retry_after: str
) -> None:
    middleware = _middleware(RETRY_AFTER_MAX_SECONDS=120)
    result, request = _answer(middleware, status, retry_after)
    assert isinstance(result, Response)
    assert result.status == status
    assert "left for the next run" in request.meta[RETRY_AFTER_REFUSED]
    failure = _failure(HttpError(result, "not retried"))
    assert describe_failure(failure) == f"HTTP {status}, {request.meta[RETRY_AFTER_REFUSED]}"
    stats = middleware.crawler.stats
    assert stats is not None
    assert stats.get_value("retry/retry_after_over_cap") == 1


@pytest.mark.parametrize("retry_after", ["0", "1", None, "soon"])
def test_a_retry_after_within_the_cap_or_absent_is_retried(retry_after: str | None) -> None:
    result, request = _answer(_middleware(RETRY_AFTER_MAX_SECONDS=120), 503, retry_after)
    assert isinstance(result, Request)
    assert result.meta["retry_times"] == 1
    assert RETRY_AFTER_REFUSED not in request.meta
