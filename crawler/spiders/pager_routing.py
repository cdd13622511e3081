"""The spider's last-resort route: the home page's "Older posts" pager, when no feed works.

Each listing page's post links go to :meth:`PostFetching._act`; its "Older posts" link, when
it stays on the blog, is followed, unless the page listed no post that earlier listing pages
had not (a pager that loops or runs on empty): that bound fails the run, named. A listing that
fails is a run error unless robots.txt refused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.pager import BlogPage, read_blog_page
from crawler.spiders.blog_plan import BlogTarget, decide
from crawler.spiders.crawl_bounds import report_bound
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.failures import describe_failure, is_robots_refusal
from crawler.spiders.post_fetching import PostFetching


class PagerRouting(PostFetching):
    """Mixin of :class:`~crawler.spiders.blogger.BloggerSpider`: listing (pager) requests."""

    @accounted
    def parse_listing(self, response: Response) -> Iterator[Request]:
        target = self._target_of(response.meta)
        yield from self._follow_listing(target, read_blog_page(response.url, response.body))

    def _follow_listing(self, target: BlogTarget, page: BlogPage) -> Iterator[Request]:
        for link in page.post_links:
            decision, url = decide(target, link, None, exact=False)
            yield from self._act(target, decision, url)
        older = target.fetch_url(page.older_link) if page.older_link else None
        listed = target.paged_keys.setdefault("pager", set())
        new = set(page.post_links) - listed
        listed.update(page.post_links)
        if older is not None and not new:
            report_bound(
                self.crawler,
                target.start_url,
                f"listing page {page.url} brought no new posts; its older-posts link not followed",
            )
            return
        if older is not None:
            yield Request(
                older,
                callback=self.parse_listing,
                errback=self.listing_failed,
                meta=self._meta(target),
                priority=5,
            )

    @accounted
    def listing_failed(self, failure: Any) -> None:
        start_url = failure.request.meta["blog_start"]
        if not is_robots_refusal(failure):
            self.ledger.error(
                start_url, f"listing {failure.request.url}: {describe_failure(failure)}"
            )
