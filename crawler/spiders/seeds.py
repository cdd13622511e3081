"""``scrapy crawl seeds``: the blogger crawl over the blogs saved under ``SEEDS_DIR``, offline.

Every request is answered by :class:`crawler.middlewares.seeds.SeedsDirectoryMiddleware` from
``SEEDS_DIR/<host>/...``; nothing touches the network. Parsing, cleaning and storage are the
live crawl's. With no ``blogs`` argument every host directory under ``SEEDS_DIR`` is a blog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler.crawl_options import CrawlOptionError
from crawler.spiders.blogger import BloggerSpider


def seed_blogs(seeds_dir: Path) -> list[str]:
    """``http://HOST/`` for every host directory (a name with a dot) under ``seeds_dir``."""
    if not seeds_dir.is_dir():
        raise CrawlOptionError(f"seeds directory not found: {str(seeds_dir)!r}", option="seeds_dir")
    return [
        f"http://{entry.name}/"
        for entry in sorted(seeds_dir.iterdir())
        if entry.is_dir() and "." in entry.name and not entry.name.startswith(".")
    ]


class SeedsSpider(BloggerSpider):
    """The ``blogger`` spider with its requests answered from ``SEEDS_DIR``."""

    name = "seeds"
    custom_settings = {  # noqa: RUF012 (Scrapy reads this class attribute)
        "SEEDS_OFFLINE": True,
        # Files answer instantly and are ours: no throttling, no pauses between retries.
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "RETRY_BACKOFF_BASE": 0,
    }

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SeedsSpider:
        if not kwargs.get("blogs") and kwargs.get("options") is None:
            blogs = seed_blogs(Path(crawler.settings.get("SEEDS_DIR")))
            if not blogs:
                raise CrawlOptionError(
                    f"no blogs under {crawler.settings.get('SEEDS_DIR')!r}", option="blogs"
                )
            kwargs["blogs"] = ",".join(blogs)
        spider: SeedsSpider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[assignment]
        return spider
