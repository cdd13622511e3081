"""Progress while a crawl runs, and a per-blog summary when it ends.

Every ``PROGRESS_INTERVAL`` seconds one line with the crawl's counts (posts found, fetched,
stored, rejected, failed) goes to the log, or to stderr when ``PROGRESS_TO_STDERR`` is on
(``blogingest crawl``). At the end, one summary line per blog (from the run ledger).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from scrapy import signals
from twisted.internet import task

from crawler.extensions.run_record import COUNT_KEYS, BlogRun, RunLedger

logger = logging.getLogger(__name__)


def progress_line(stats: dict[str, Any], elapsed: float) -> str:
    """One line of crawl counts from Scrapy stats, e.g. ``found 120, fetched 80, ...``."""

    def value(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    stored = value("posts/inserted") + value("posts/updated") + value("posts/unchanged")
    fetched = value("posts/fetched")
    rate = fetched / elapsed if elapsed > 0 else 0.0
    return (
        f"progress: found {value('discovery/posts_found')}, fetched {fetched} "
        f"({rate:.1f}/s), stored {stored} (new {value('posts/inserted')}, "
        f"updated {value('posts/updated')}), skipped unchanged "
        f"{value('posts/unchanged_skipped') + value('posts/not_modified')}, "
        f"rejected {value('posts/rejected_stored') + value('posts/rejected')}, "
        f"failed {value('posts/failed')}"
    )


def blog_summary(blog: BlogRun) -> str:
    """One line per blog: status, run id and every count, then the first error if any."""
    counts = ", ".join(f"{key} {blog.counts[key]}" for key in COUNT_KEYS)
    line = f"{blog.blog_url}: {blog.status or 'unknown'} (run {blog.run_id}): {counts}"
    if blog.errors:
        more = f" (+{len(blog.errors) - 1} more)" if len(blog.errors) > 1 else ""
        line += f"\n    first error: {blog.errors[0]}{more}"
    return line


class ProgressExtension:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 5.0)
        self.to_stderr = crawler.settings.getbool("PROGRESS_TO_STDERR")
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        if self.interval > 0:
            self._loop = task.LoopingCall(self.report)
            self._loop.start(self.interval, now=False)

    def report(self) -> None:
        self._say(progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.report()
        for blog in RunLedger.for_crawler(self.crawler).blogs.values():
            self._say(blog_summary(blog))

    def _say(self, line: str) -> None:
        if self.to_stderr:
            print(line, file=sys.stderr, flush=True)
        else:
            logger.info(line)
