"""Running a built ``CrawlerProcess``: the one way the commands start their crawl.

What exists before the first request (imported modules, settings, components, the spider)
lives until the process exits. Python's cyclic collector would walk all of it at each full
collection of the crawl and again at exit, a cost that grows with nothing the crawl does:
under ``benchmarks.feed_first`` it was about 0.25 s of the 3.8 s of CPU a 2,000-post
feed-first crawl took. ``gc.freeze()`` moves those objects out of the collector's reach;
what the crawl allocates afterwards is collected as before.
"""

from __future__ import annotations

import gc
from typing import Any


def run_crawl_process(process: Any) -> None:
    """Start ``process`` (a Scrapy ``CrawlerProcess``) and return when its crawls are over.

    The objects built so far are frozen first (see the module docstring); a frozen object
    is never freed by the cyclic collector, which is right for what lives until exit.
    """
    gc.freeze()
    process.start()
