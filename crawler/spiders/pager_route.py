"""The last-resort route: the home page's "Older posts" pager, when no feed works.

Each listing page's post links go to :meth:`PostRoute.discovered`; its "Older posts" link,
when it stays on the blog, is followed, unless the page listed no post that earlier listing
pages had not (a pager that loops or runs on empty): that bound fails the run, named. A
listing that fails is a run error unless robots.txt refused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.pager import BlogPage, read_blog_page
from crawler.extensions.run_record import RunLedger
from crawler.spiders.blog_plan import BlogTarget, decide
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.crawl_bounds import report_bound
from crawler.spiders.failures import describe_failure, is_robots_refusal
from crawler.spiders.post_route import PostRoute

PRIORITY = 5


class PagerRoute:
    """Listing (pager) requests; their post links go to the post route."""

    name = "listing"

    def __init__(
        self,
        crawler: Any,
        ledger: RunLedger,
        targets: BlogTargets,
        requests: BlogRequests,
        posts: PostRoute,
    ) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.targets = targets
        self.requests = requests
        self.posts = posts

    def start(self, target: BlogTarget) -> Iterator[Request]:
        """Walk the pager from the home page: read this process's copy, else fetch it again."""
        if target.home is not None:
            yield from self.follow(target, target.home)
        else:  # another worker read the home page: read it again as a listing
            yield self.requests.for_blog(
                self.name, target, target.url_on_blog("/"), priority=PRIORITY
            )

    def parse(self, response: Response) -> Iterator[Request]:
        target = self.targets.of(response.meta)
        yield from self.follow(target, read_blog_page(response.url, response.body))

    def follow(self, target: BlogTarget, page: BlogPage) -> Iterator[Request]:
        """Decide the listing's post links and follow its older-posts link (bounded)."""
        for link in page.post_links:
            decision, url = decide(target, link, None, exact=False)
            yield from self.posts.discovered(target, decision, url)
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
            yield self.requests.for_blog(self.name, target, older, priority=PRIORITY)

    def failed(self, failure: Any) -> Iterator[Request]:
        start_url = failure.request.meta["blog_start"]
        if not is_robots_refusal(failure):
            self.ledger.error(
                start_url, f"listing {failure.request.url}: {describe_failure(failure)}"
            )
        return iter(())
