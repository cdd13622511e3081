"""A command's crawl builds no log record below its LOG_LEVEL (Scrapy's DEBUG ones included).

Scrapy's logging set-up gives its ``scrapy`` logger level DEBUG; records below the crawl's
level were built for every response and item (caller looked up) and then dropped by the
handlers. Checked in a child process: building a ``CrawlerProcess`` configures logging and
the reactor process-wide.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_PROBE = """
import logging
from blogingest.arguments import crawler_process, project_scrapy_settings
crawler_process(project_scrapy_settings(["LOG_LEVEL={level}"]))
scraper = logging.getLogger("scrapy.core.scraper")
print(scraper.isEnabledFor(logging.DEBUG), scraper.isEnabledFor(logging.INFO))
"""


@pytest.mark.parametrize(("level", "debug"), [("INFO", False), ("WARNING", False), ("DEBUG", True)])
def test_scrapys_loggers_take_the_crawls_level(level: str, debug: bool) -> None:
    probe = _PROBE.format(level=level)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    enabled_debug, enabled_info = done.stdout.split()
    assert enabled_debug == str(debug)
    assert enabled_info == str(level != "WARNING")
