"""Feed-first, the spider's side: posts built from the post feed, and the verification route.

The post-feed route (:mod:`crawler.spiders.feed_route`) asks :class:`FeedFirst` what each
feed page's entries give. For every post the run would fetch, an entry that carries the whole
post becomes a :class:`~crawler.crawl_items.CrawledEntry` (parsed, cleaned and stored like a
page); any other entry's page is fetched as before, and the reason is counted
(``feed/page_needed/REASON``) and noted once per blog on its run. Before the first feed page is
acted on, the verification chain (:mod:`crawler.feed_first.sample`) compares a few pages with
their entries: :class:`FeedSampleRoute` fetches them one after the other, then asks for the
first feed page again with the verdict, which every later feed page request carries, so any
process of a distributed crawl continues it. The blog's ``source`` is on its target.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from scrapy.http import Request, Response

from crawler.crawl_items import CrawledEntry
from crawler.discovery.feed import FeedPage, parse_feed
from crawler.extensions.run_record import RunLedger
from crawler.feed_first import (
    DEFAULT_SAMPLE,
    EntryPlan,
    SampleChain,
    Source,
    Verdict,
    compare_page,
    pick_sample,
    plan_entries,
)
from crawler.feed_records import ParsedEntry, PostEntry, read_indexed_entries
from crawler.spiders.blog_plan import BlogTarget, is_changed
from crawler.spiders.blog_requests import BlogRequests
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.failures import describe_failure, failure_response
from crawler.urls import canonical_url, public_url

logger = logging.getLogger(__name__)

VERDICT_META = "feed_verdict"
"""Request meta of feed pages: the verification's :class:`Verdict` (its value)."""
CHAIN_META = "feed_sample"
"""Request meta of sample pages: the :class:`SampleChain` (plain values)."""
FEED_ROUTE = "feed"
"""The post-feed route's name (:class:`~crawler.spiders.feed_route.PostFeedRoute`): where
the first feed page is read again once the verdict is in."""
_SAMPLE_PRIORITY = 25  # ahead of post pages: nothing is built until the verdict is in
_FEED_PRIORITY = 20


class FeedFirst:
    """What the post feed gives a blog's run; shared by the feed and sample routes."""

    def __init__(self, crawler: Any, ledger: RunLedger, sample_size: int = DEFAULT_SAMPLE):
        self.crawler = crawler
        self.ledger = ledger
        self.sample_size = max(0, sample_size)

    def read_page(
        self, target: BlogTarget, response: Response
    ) -> tuple[FeedPage, dict[str, EntryPlan]]:
        """Return a feed page's index and its entries' plans (none when the source is pages).

        The page is parsed once for both. Raises
        :class:`~crawler.discovery.feed.FeedFormatError` for a page that is not a feed.
        """
        if target.source == Source.PAGES.value:
            return parse_feed(response.url, response.body), {}
        page, read = read_indexed_entries(response.url, response.body)
        if read.dropped:
            self.crawler.stats.inc_value("feed/entries_dropped", read.dropped)
        return page, plan_entries(read)

    def verdict(self, target: BlogTarget, meta: Mapping[str, Any]) -> Verdict | None:
        """Return the verdict a feed page carries; ``None`` before the verification."""
        if target.source == Source.FEED.value or self.sample_size == 0:
            return Verdict.TRUSTED
        value = meta.get(VERDICT_META)
        return Verdict(value) if value else None

    def sample(
        self,
        target: BlogTarget,
        feed_url: str,
        listed: list[tuple[str, datetime | None]],
        plans: dict[str, EntryPlan],
    ) -> SampleChain | None:
        """Return the verification of this first feed page, or ``None`` when none is needed.

        ``listed``: ``(link, updated)`` of the page's index entries, in feed order. Samples
        are the first posts the run would store that the feed gives.
        """
        candidates: list[tuple[str, str, PostEntry]] = []
        for link, updated in listed:
            key = _canonical(link)
            plan = plans.get(key) if key else None
            url = target.fetch_url(link)
            if plan is None or url is None or not target.wants_kind(url):
                continue
            # Changed first: an unchanged post's entry is never judged (its HTML not parsed).
            if is_changed(target, link, updated) and plan.from_feed:
                candidates.append((key or url, url, plan.entry))
        samples = pick_sample(candidates, self.sample_size)
        return SampleChain(feed_url=feed_url, samples=samples) if samples else None

    def entry_item(self, target: BlogTarget, url: str, parsed: ParsedEntry) -> CrawledEntry:
        """Return the item of a post built from its judged entry (``url``: its fetch URL)."""
        self.crawler.stats.inc_value("posts/from_feed")  # the run's count: when stored
        entry = parsed.entry
        return CrawledEntry(
            url=public_url(entry.alternate_url or url),  # as the record's own URL
            body=entry.raw,
            content_type=entry.raw_content_type,
            entry=parsed,  # parsed once, at triage: the parse stage builds from it as it is
            blog_hosts=frozenset(target.hosts),
            blog_id=target.blogger_id,
        )

    def page_needed(self, target: BlogTarget, url: str, reason: str) -> None:
        """Count why the feed could not give a post; note each reason once per blog.

        A note, not an error: the page is the expected way to the post.
        """
        self.crawler.stats.inc_value(f"feed/page_needed/{reason}")
        if reason not in target.feed_reasons_noted:
            target.feed_reasons_noted.add(reason)
            # The example in the form the post is stored and exported under, not the fetch URL.
            try:
                example = public_url(url)
            except ValueError:  # a link the feed gave that is no URL: shown as it came
                example = url
            self.ledger.note(
                target.start_url,
                f"feed-first: {reason}: post pages fetched instead (e.g. {example})",
            )


class FeedSampleRoute:
    """The verification sample's pages, one after the other (see the module docstring)."""

    name = "feed_sample"

    def __init__(
        self, crawler: Any, ledger: RunLedger, targets: BlogTargets, requests: BlogRequests
    ):
        self.crawler = crawler
        self.ledger = ledger
        self.targets = targets
        self.requests = requests

    def start(self, target: BlogTarget, chain: SampleChain) -> Request:
        """Return the request of the chain's current sample page."""
        sample = chain.current
        assert sample is not None  # callers only ask while samples remain
        return self.requests.for_blog(
            self.name,
            target,
            sample.url,
            priority=_SAMPLE_PRIORITY,
            meta={CHAIN_META: chain.to_meta()},
            dont_filter=True,  # the post may be fetched again after a fallback
        )

    def parse(self, response: Response) -> Iterator[Request]:
        chain = SampleChain.from_meta(response.meta[CHAIN_META])
        sample = chain.current
        self.crawler.stats.inc_value("feed/sample_pages")
        if sample is None:
            return
        content_type = response.headers.get(b"Content-Type")
        differences = compare_page(
            sample,
            response.url,
            response.body,
            content_type.decode("latin-1") if content_type else None,
        )
        yield from self._after(response.meta, chain.answered(differences))

    def failed(self, failure: Any) -> Iterator[Request]:
        meta = failure.request.meta
        logger.info("feed sample %s: %s", failure.request.url, describe_failure(failure))
        self.crawler.stats.inc_value("feed/sample_failed")
        response = failure_response(failure)
        status = response.status if response is not None else None
        yield from self._after(meta, SampleChain.from_meta(meta[CHAIN_META]).failed(status))

    def _after(self, meta: Mapping[str, Any], chain: SampleChain) -> Iterator[Request]:
        """Yield the next sample page, or the first feed page again with the verdict."""
        target = self.targets.of(meta)
        if chain.current is not None:
            yield self.start(target, chain)
            return
        stats = self.crawler.stats
        stats.inc_value("feed/sample_compared", chain.compared)
        if chain.verdict is Verdict.FALLBACK:
            stats.inc_value("feed/verification_failed")
            # The blog falls back to pages for this run: the run records why, no error.
            self.ledger.note(target.start_url, chain.summary())
            logger.warning("%s: %s", target.blog_url, chain.summary())
        else:
            stats.inc_value("feed/verification_passed")
            logger.info("%s: %s", target.blog_url, chain.summary())
        yield self.requests.for_blog(
            FEED_ROUTE,
            target,
            chain.feed_url,
            priority=_FEED_PRIORITY,
            # The first feed page again (its first read only started this chain).
            meta={VERDICT_META: chain.verdict.value, "feed_first": True},
            dont_filter=True,
        )


def _canonical(link: str) -> str | None:
    try:
        return canonical_url(link)
    except ValueError:
        return None
