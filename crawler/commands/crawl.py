"""``scrapy crawl``, reporting a refused crawl in one line instead of a traceback.

Scrapy builds the spider inside the running crawl, so what our spiders refuse before any
request (an invalid ``-a`` value, :class:`~crawler.crawl_options.CrawlOptionError`; a bad
``DATABASE_URL``; an unreachable, locked or unmigrated database) surfaces as a logged
traceback. This command watches the crawl it starts and turns those errors into
``scrapy crawl SPIDER: <message>`` with exit code 2 (bad argument or URL) or 1 (database
unusable), as ``blogingest crawl`` does; any other failure is left to Scrapy as before.

A crawl that ran sets the exit code from its runs' outcome, as ``blogingest crawl`` does: 0
when every blog's run succeeded, else 1.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.crawl_options import CrawlOptionError
from crawler.crawl_process import crawl_start_up
from storage.database import DatabaseConfigError, DatabaseUnavailableError

if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2
EXIT_UNUSABLE_DATABASE = 1
_REFUSALS: dict[type[Exception], int] = {
    CrawlOptionError: EXIT_USAGE,
    DatabaseConfigError: EXIT_USAGE,
    DatabaseUnavailableError: EXIT_UNUSABLE_DATABASE,
}


def _exit_code_of(error: BaseException | None) -> int | None:
    """Return the exit code of a refused crawl, or ``None`` for an error left to Scrapy."""
    return next((code for kind, code in _REFUSALS.items() if isinstance(error, kind)), None)


def _outcome_exit_code(crawler: Any) -> int:
    """Return 1 when a blog's run did not succeed, else 0.

    0 too for a crawl with no blog runs of its own (a distributed worker, whose runs the run
    accounts close).
    """
    from crawler.extensions.run_record import RunLedger

    ledger = RunLedger.for_crawler(crawler)
    if not ledger.blogs or ledger.sink is not None:
        return 0
    return ledger.exit_code()


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)
            return
        spider_name = args[0]
        with crawl_start_up():
            crawler = self._create_crawler(spider_name)
            outcome = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(outcome, asyncio.Task):
            outcome.add_done_callback(lambda task: self._check_task(spider_name, task))
        elif isinstance(outcome, Deferred):
            outcome.addErrback(lambda failure: self._check_failure(spider_name, failure))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed and self.exitcode == 0:
            self.exitcode = 1
        if self.exitcode == 0:
            self.exitcode = _outcome_exit_code(crawler)

    def _refuse(self, spider_name: str, error: BaseException, code: int) -> None:
        print(f"scrapy crawl {spider_name}: {error}", file=sys.stderr)
        self.exitcode = code

    def _check_task(self, spider_name: str, task: asyncio.Task[Any]) -> None:
        error = None if task.cancelled() else task.exception()  # retrieving it silences asyncio
        code = _exit_code_of(error)
        if error is not None and code is not None:
            self._refuse(spider_name, error, code)
        elif error is not None:
            task.get_loop().call_exception_handler(
                {"message": "crawl failed", "exception": error, "task": task}
            )

    def _check_failure(self, spider_name: str, failure: Failure) -> Failure | None:
        code = _exit_code_of(failure.value)
        if failure.value is not None and code is not None:
            self._refuse(spider_name, failure.value, code)
            return None
        return failure
