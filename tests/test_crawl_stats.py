"""The crawl counts in Scrapy's in-memory stats, without the per-access shim."""

from __future__ import annotations

from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from blogingest.arguments import project_scrapy_settings
from crawler.extensions.stats import CrawlStats


def test_the_crawl_counts_in_crawl_stats() -> None:
    assert load_object(project_scrapy_settings([]).get("STATS_CLASS")) is CrawlStats


def test_crawl_stats_count_as_scrapys_without_the_shim() -> None:
    stats = CrawlStats(get_crawler())
    stats.inc_value("posts/inserted")
    stats.inc_value("posts/inserted", 2)
    stats.max_value("depth", 3)
    stats.set_value("finish_reason", "finished")
    assert stats.get_value("posts/inserted") == 3
    assert stats.get_stats() == {"posts/inserted": 3, "depth": 3, "finish_reason": "finished"}
    # Scrapy's shim formatted a name and raised and caught an exception at every access.
    assert CrawlStats.__getattribute__ is object.__getattribute__
