"""``scrapy crawl``, refusing bad spider arguments with one line before anything starts.

Scrapy's own command builds the spider inside the running crawl, so an invalid ``-a`` value
surfaces as a logged traceback. This one builds the spider once up front (spiders validate
their arguments in ``__init__``; building one opens nothing and fetches nothing) and turns a
:class:`~crawler.crawl_options.CrawlOptionError` into ``scrapy crawl: <message>`` and exit 2.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.crawl_options import CrawlOptionError

if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            spider_class = self.crawler_process.spider_loader.load(args[0])
            try:
                spider_class(**opts.spargs)
            except CrawlOptionError as error:
                print(f"scrapy crawl {args[0]}: {error}", file=sys.stderr)
                self.exitcode = EXIT_USAGE
                return
        super().run(args, opts)
