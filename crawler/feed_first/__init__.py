"""Feed-first harvest, the crawl's side: which posts the post feed gives, and whether to trust it.

Pure code (no Scrapy, no storage), called by the spider's feed route:

* ``--source auto|feed|pages`` (what a run may build from) is a crawl option:
  :class:`crawler.crawl_options.Source`, re-exported here.
* :mod:`~crawler.feed_first.triage` - one feed page's entries: built from the feed, or the
  page is needed (and why).
* :mod:`~crawler.feed_first.sample` - per blog and run: the verification sample, a chain of
  requests that decides whether the run builds posts from the feed or falls back to pages.

See docs/feeds.md.
"""

from __future__ import annotations

from crawler.crawl_options import SOURCES, Source, parse_source
from crawler.feed_first.sample import (
    DEFAULT_SAMPLE,
    Sample,
    SampleChain,
    Verdict,
    compare_page,
    pick_sample,
)
from crawler.feed_first.triage import EntryPlan, plan_entries

__all__ = [
    "DEFAULT_SAMPLE",
    "SOURCES",
    "EntryPlan",
    "Sample",
    "SampleChain",
    "Source",
    "Verdict",
    "compare_page",
    "parse_source",
    "pick_sample",
    "plan_entries",
]
