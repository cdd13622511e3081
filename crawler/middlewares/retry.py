"""Retries with backoff: 429/5xx and timeouts are retried after a growing pause.

Scrapy's retry middleware retries at once. This one waits first: the server's
``Retry-After`` (seconds or an HTTP date) when it sends one, else
``RETRY_BACKOFF_BASE * 2**(retry number - 1)`` seconds capped at ``RETRY_BACKOFF_MAX``. The
pause holds only that request's download slot.

A ``Retry-After`` longer than ``RETRY_AFTER_MAX_SECONDS`` is the server saying "not in this
run": the request is not retried at all (retrying in seconds what the server asked to wait
hours for is what impolite crawlers do). The response goes on as the failure it is, with
``response.meta[RETRY_AFTER_REFUSED]`` naming the wait, so the page is recorded as failed
(a reject and a run error) and the next run, which retries failed fetches, asks again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware

logger = logging.getLogger(__name__)

RETRY_AFTER_REFUSED = "retry_after_refused"
"""Request meta key: why a retryable response was not retried (its Retry-After was too long)."""


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX_SECONDS", 120.0)

    async def process_response(self, request: Any, response: Any) -> Any:  # type: ignore[override]
        retry_after = response.headers.get(b"Retry-After")
        if response.status in self.retry_http_codes and self._refuses(request, retry_after):
            return response
        result = super().process_response(request, response)
        if result is response:
            return response
        await _pause(self.pause_for(request, retry_after))
        return result

    def _refuses(self, request: Any, retry_after: bytes | None) -> bool:
        """Whether ``retry_after`` asks for a longer wait than the cap (then marks ``request``)."""
        wait = retry_after_seconds(retry_after)
        if wait is None or wait <= self.retry_after_max or request.meta.get("dont_retry"):
            return False
        # The reason names the cap, not the wait: a date-valued Retry-After gives a new number
        # every run, and a reason that changes would start a new rejected_pages row each time.
        request.meta[RETRY_AFTER_REFUSED] = (
            f"Retry-After over the {self.retry_after_max:.0f} s cap"
            " (RETRY_AFTER_MAX_SECONDS): left for the next run"
        )
        self.crawler.stats.inc_value("retry/retry_after_over_cap")
        logger.info("not retried in this run: %s (Retry-After %.0f s)", request.url, wait)
        return True

    async def process_exception(self, request: Any, exception: Exception) -> Any:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if result is not None:
            await _pause(self.pause_for(request, None))
        return result

    def pause_for(self, request: Any, retry_after: bytes | None) -> float:
        """Seconds to wait before retrying ``request`` (see the module docstring).

        A ``retry_after`` over the cap never gets here from :meth:`process_response`; asked
        directly, it gets our own backoff.
        """
        server = retry_after_seconds(retry_after)
        if server is not None and server <= self.retry_after_max:
            return server
        attempt = int(request.meta.get("retry_times", 0)) + 1
        return float(min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max))


async def _pause(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)


def retry_after_seconds(value: bytes | None, *, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header (delta seconds or HTTP date) as seconds from ``now``."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
