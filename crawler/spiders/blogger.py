"""``scrapy crawl blogger -a blogs=URL[,URL...]``: crawl live Blogger blogs into the database.

The spider only routes. Per blog: the home page (follows a 301 to a custom domain; the blog is
known by its final host), then the post feed (by update time, from the last successful run
minus an overlap when incremental) and the sitemap as cross-check and fallback; when the feed
is unusable, the home page's "Older posts" pager. Each post page that is new or changed becomes
a :class:`~crawler.crawl_items.CrawledPage` item for the parse → clean → validate → store
pipelines. Every failure is recorded (rejects table or run errors) and the crawl goes on.
How the routes are put together: :mod:`crawler.spiders`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Request, Response

from crawler.crawl_options import (
    CrawlOptionError,
    CrawlOptions,
    UnknownCrawlOption,
    check_argument_names,
    parse_crawl_arguments,
    split_blogs,
)
from crawler.distributed.start_jobs import StartJob
from crawler.extensions.database import crawl_database
from crawler.extensions.run_record import RunLedger
from crawler.feed_first import DEFAULT_SAMPLE, parse_source
from crawler.spiders.blog_requests import ROUTE_META, BlogRequests, Route
from crawler.spiders.blog_runs import BlogRunAccounting, LocalRuns, SharedRuns
from crawler.spiders.blog_state import StoredBlogState
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.crawl_bounds import SITEMAP_MAX_CHILDREN
from crawler.spiders.deletion_check import DeletionCheckRoute
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.feed_route import CommentsFeedRoute, PostFeedRoute
from crawler.spiders.feed_sample_route import FeedFirst, FeedSampleRoute
from crawler.spiders.home_route import HomeRoute
from crawler.spiders.pager_route import PagerRoute
from crawler.spiders.post_comments_route import PostCommentsFeedRoute
from crawler.spiders.post_route import PostRoute
from crawler.spiders.sitemap_route import SitemapRoute

logger = logging.getLogger(__name__)


class BloggerSpider(scrapy.Spider):
    """Crawls the blogs named by the ``blogs`` argument (see :mod:`crawler.crawl_options`).

    A thin router: :meth:`from_crawler` validates the arguments and ends in :meth:`assemble`,
    which builds the blogs' targets, their run accounting and the routes; every response and
    failure goes to the route its request names (``meta["route"]``).
    """

    name = "blogger"

    targets: BlogTargets
    """The blogs being crawled (public interface: :class:`BlogTargets`)."""
    runs: BlogRunAccounting
    routes: dict[str, Route]

    def __init__(
        self,
        options: CrawlOptions | None = None,
        *,
        worker_only: bool = False,
        **arguments: Any,
    ) -> None:
        """Take validated ``options`` (``blogingest crawl``), else read ``scrapy crawl -a`` strings.

        The strings go through the one validator (:func:`parse_crawl_arguments`): a bad value,
        or a name no crawl takes, is refused in one line before any request.
        """
        super().__init__()
        if options is not None and not isinstance(options, CrawlOptions):
            raise UnknownCrawlOption(
                "unknown crawl argument 'options' (spider arguments are named one by one)",
                option="options",
            )
        if worker_only:
            # A distributed worker started without blogs only serves the shared queue.
            check_argument_names(arguments)
            options = CrawlOptions(blogs=())
        elif options is None:
            options = parse_crawl_arguments(arguments)
        elif arguments:
            check_argument_names(arguments)
            raise CrawlOptionError(
                f"crawl arguments {sorted(arguments)} given beside options", option="options"
            )
        self.options: CrawlOptions = options

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BloggerSpider:
        given = kwargs.get("options")
        if (
            crawler.settings.getbool("BLOGINGEST_DISTRIBUTED")
            and not (isinstance(given, CrawlOptions) and given.blogs)
            and not split_blogs(kwargs.get("blogs"))
        ):
            kwargs["worker_only"] = True
        spider: BloggerSpider = super().from_crawler(crawler, *args, **kwargs)
        # Refused before any request, as `blogingest crawl` does: a crawl into a database it
        # cannot write would fetch pages only to lose them (crawler.commands.crawl says why).
        crawl_database(crawler).check()
        ledger = RunLedger.for_crawler(crawler)
        ledger.given_run_id = spider.options.run_id
        ledger.trigger = spider.options.trigger
        spider.assemble(crawler)
        return spider

    def assemble(self, crawler: Any) -> None:
        """Build the blogs' registry, their run accounting and the routes (once, at start).

        To add a route: a module with a class following :class:`Route`, built here and
        listed in ``routes`` (see :mod:`crawler.spiders`).
        """
        settings = crawler.settings
        ledger = RunLedger.for_crawler(crawler)
        # Feed-first (docs/feeds.md): the crawl's `source` option, else BLOGINGEST_SOURCE.
        try:
            self.feed_source = parse_source(
                self.options.source or settings.get("BLOGINGEST_SOURCE")
            )
        except ValueError as error:
            raise CrawlOptionError(str(error), option="source") from None
        self.targets = BlogTargets(StoredBlogState(ledger.database), ledger)
        self.runs = (
            SharedRuns(ledger, self.targets)
            if settings.getbool("BLOGINGEST_DISTRIBUTED")
            else LocalRuns(ledger)
        )
        requests = BlogRequests(self.route_response, self.route_failure, self.runs)
        posts = PostRoute(crawler, ledger, self.targets, requests, self.runs)
        sitemaps = SitemapRoute(
            crawler,
            self.targets,
            requests,
            posts,
            max_children=settings.getint("BLOGINGEST_SITEMAP_MAX_CHILDREN", SITEMAP_MAX_CHILDREN),
        )
        pager = PagerRoute(crawler, ledger, self.targets, requests, posts)
        post_comments = PostCommentsFeedRoute(crawler, self.targets, requests)
        comments = CommentsFeedRoute(
            crawler,
            self.targets,
            requests,
            posts,
            sitemaps,
            post_comments,
        )
        deletions = DeletionCheckRoute(crawler, ledger, self.targets, requests)
        first = FeedFirst(
            crawler, ledger, settings.getint("BLOGINGEST_FEED_VERIFY_SAMPLE", DEFAULT_SAMPLE)
        )
        samples = FeedSampleRoute(crawler, ledger, self.targets, requests)
        feed = PostFeedRoute(
            crawler,
            ledger,
            self.targets,
            requests,
            posts,
            comments,
            pager,
            deletions,
            first,
            samples,
        )
        self.home = HomeRoute(
            crawler, self.options, ledger, self.targets, requests, feed, sitemaps, self.feed_source
        )
        routes: list[Route] = [
            self.home,
            feed,
            samples,
            comments,
            post_comments,
            sitemaps,
            pager,
            posts,
            deletions,
        ]
        self.routes = {route.name: route for route in routes}

    async def start(self) -> AsyncIterator[Request]:
        for start_url in self.options.blogs:
            job = StartJob.for_blog(self.options, start_url)
            for request in self.blog_job_requests(job):
                yield request

    def blog_job_requests(self, job: StartJob) -> Iterator[Request]:
        """Open the run of ``job``'s blog and yield its home request (none when refused).

        Distributed mode: the run's ``crawl_runs`` row is created (committed) and everything
        later callbacks need travels in ``meta``, so any worker can continue the blog; while
        another run of the blog is open the job is refused (:class:`SharedRuns`).
        """
        opening = self.runs.open_blog(job)
        if opening is not None:
            yield self.home.request(job.blog, opening)

    @accounted
    def route_response(self, response: Response) -> Iterator[Any]:
        """Hand a response to the route its request names."""
        yield from self.routes[response.meta[ROUTE_META]].parse(response)

    @accounted
    def route_failure(self, failure: Any) -> Iterator[Any]:
        """Hand a failed request to the route it names."""
        yield from self.routes[failure.request.meta[ROUTE_META]].failed(failure)

    def request_handled(self, meta: dict[str, Any]) -> None:
        """Count a request as handled (callback/errback done) in its run (see ``accounted``)."""
        self.runs.handled(meta)
