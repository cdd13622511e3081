"""robots.txt obeyed as Scrapy does, without a traceback when robots.txt cannot be fetched.

Scrapy's middleware logs a robots.txt download that failed (DNS, refused, timeout, TLS) as an
error with its traceback, then lets the page's own request go on. That request fails the same
way and the crawl records it as one line (the run's errors), so the robots.txt error is only a
repeat: it is kept as one INFO line, without the traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

from crawler.spiders.failures import describe_network_error

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class RobotsFetchErrorsAsOneLine(logging.Filter):
    """Turns the middleware's "Error downloading" records into one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.exc_info:
            error = record.exc_info[1]
            why = describe_network_error(error) or f"{type(error).__name__}: {error}"
            request = record.args.get("request") if isinstance(record.args, dict) else None
            record.msg, record.args = "robots.txt for %s not fetched (%s)", (request, why)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class QuietRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's ``RobotsTxtMiddleware`` with :class:`RobotsFetchErrorsAsOneLine` installed."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietRobotsTxtMiddleware:
        robots_logger = logging.getLogger(ROBOTS_LOGGER)
        if not any(isinstance(f, RobotsFetchErrorsAsOneLine) for f in robots_logger.filters):
            robots_logger.addFilter(RobotsFetchErrorsAsOneLine())
        return super().from_crawler(crawler)
