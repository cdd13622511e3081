"""Feed-first harvest, the crawl's side: which posts the post feed gives, and whether to trust it.

Pure code (no Scrapy, no storage), called by the spider's feed route:

* :mod:`~crawler.feed_first.source` - ``--source auto|feed|pages``: what a run may build from.
* :mod:`~crawler.feed_first.triage` - one feed page's entries: built from the feed, or the
  page is needed (and why).
* :mod:`~crawler.feed_first.trust` - per blog and run: the verification sample, the posts
  held until it answers, the fall back to pages on a mismatch.

See docs/feeds.md.
"""

from __future__ import annotations

from crawler.feed_first.source import SOURCES, Source, parse_source
from crawler.feed_first.triage import EntryPlan, plan_entries
from crawler.feed_first.trust import FeedTrust, Held, Verdict

__all__ = [
    "SOURCES",
    "EntryPlan",
    "FeedTrust",
    "Held",
    "Source",
    "Verdict",
    "parse_source",
    "plan_entries",
]
