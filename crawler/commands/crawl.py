"""``scrapy crawl``, reporting a bad spider argument in one line instead of a traceback.

Scrapy builds the spider inside the running crawl, so an invalid ``-a`` value (which our
spiders refuse with :class:`~crawler.crawl_options.CrawlOptionError` before any request)
surfaces as a logged traceback. This command watches the crawl it starts and turns that
error into ``scrapy crawl SPIDER: <message>`` and exit code 2; any other failure is left to
Scrapy as before.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.crawl_options import CrawlOptionError

if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)
            return
        spider_name = args[0]
        outcome = self.crawler_process.crawl(self._create_crawler(spider_name), **opts.spargs)
        if isinstance(outcome, asyncio.Task):
            outcome.add_done_callback(lambda task: self._check_task(spider_name, task))
        elif isinstance(outcome, Deferred):
            outcome.addErrback(lambda failure: self._check_failure(spider_name, failure))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed and self.exitcode == 0:
            self.exitcode = 1

    def _refuse(self, spider_name: str, error: CrawlOptionError) -> None:
        print(f"scrapy crawl {spider_name}: {error}", file=sys.stderr)
        self.exitcode = EXIT_USAGE

    def _check_task(self, spider_name: str, task: asyncio.Task[Any]) -> None:
        error = None if task.cancelled() else task.exception()  # retrieving it silences asyncio
        if isinstance(error, CrawlOptionError):
            self._refuse(spider_name, error)
        elif error is not None:
            task.get_loop().call_exception_handler(
                {"message": "crawl failed", "exception": error, "task": task}
            )

    def _check_failure(self, spider_name: str, failure: Failure) -> Failure | None:
        if isinstance(failure.value, CrawlOptionError):
            self._refuse(spider_name, failure.value)
            return None
        return failure
