"""The spider's feed-first side: posts built from the post feed, and the verification sample.

Called by the post-feed route (:mod:`crawler.spiders.feed_routing`). For every post the run
would fetch, an entry that carries the whole post becomes a
:class:`~crawler.crawl_records.CrawledEntry` (parsed, cleaned and stored like a page); any
other entry's page is fetched as before, and the reason is counted
(``feed/page_needed/REASON``) and noted once per blog on its run. Before the first feed page
is acted on, the verification chain (:mod:`crawler.feed_first.sample`) compares a few pages
with their entries; its verdict travels with every later feed page request, so any process of
a distributed crawl continues it. ``source`` (``auto``/``feed``/``pages``) travels the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from scrapy.http import Request, Response

from crawler.crawl_records import CrawledEntry
from crawler.discovery.feed import FeedFormatError
from crawler.feed_first import (
    DEFAULT_SAMPLE,
    EntryPlan,
    SampleChain,
    Source,
    Verdict,
    compare_page,
    parse_source,
    pick_sample,
    plan_entries,
)
from crawler.feed_records import PostEntry, read_post_entries
from crawler.spiders.blog_plan import BlogTarget, is_changed
from crawler.spiders.distributed_plan import accounted
from crawler.spiders.failures import describe_failure, failure_response
from crawler.spiders.post_fetching import PostFetching
from crawler.urls import canonical_url

logger = logging.getLogger(__name__)

SOURCE_META = "feed_source"
"""Request meta: the run's :class:`Source` for this blog (its value)."""
VERDICT_META = "feed_verdict"
"""Request meta of feed pages: the verification's :class:`Verdict` (its value)."""
CHAIN_META = "feed_sample"
"""Request meta of sample pages: the :class:`SampleChain` (plain values)."""
_SAMPLE_PRIORITY = 25  # ahead of post pages: nothing is built until the verdict is in


class FeedFirstRouting(PostFetching):
    """Mixin of :class:`~crawler.spiders.blogger.BloggerSpider`: feed-built posts."""

    # The post feed's own callbacks (crawler.spiders.feed_routing), where a verdict leads.
    parse_feed: Callable[[Response], Iterator[Any]]
    feed_failed: Callable[[Any], Iterator[Any]]

    def feed_source(self) -> Source:
        """Return the run's source option: ``-a source=``, else ``BLOGINGEST_SOURCE``, else auto."""
        given = getattr(self, "source", None) or self.crawler.settings.get("BLOGINGEST_SOURCE")
        return parse_source(given)

    def feed_sample_size(self) -> int:
        """Sample pages per blog and run (``BLOGINGEST_FEED_VERIFY_SAMPLE``, default 3)."""
        size: int = self.crawler.settings.getint("BLOGINGEST_FEED_VERIFY_SAMPLE", DEFAULT_SAMPLE)
        return max(0, size)

    def feed_meta(self, meta: dict[str, Any]) -> dict[str, Any]:
        """Return the feed-first values a following feed page request carries on."""
        return {key: meta[key] for key in (SOURCE_META, VERDICT_META) if key in meta}

    def feed_plans(self, target: BlogTarget, response: Response) -> dict[str, EntryPlan]:
        """Return the plans of the feed page's entries (none when ``source`` is ``pages``)."""
        source = Source(response.meta.get(SOURCE_META, Source.AUTO))
        if source is Source.PAGES:
            return {}
        try:
            read = read_post_entries(response.url, response.body)
        except FeedFormatError:
            return {}  # the index reader accepted it; every post comes from its page
        if read.dropped:
            self.crawler.stats.inc_value("feed/entries_dropped", read.dropped)
        return plan_entries(read)

    def feed_verdict(self, meta: dict[str, Any]) -> Verdict | None:
        """Return the verdict a feed page carries; ``None`` before the verification."""
        if Source(meta.get(SOURCE_META, Source.AUTO)) is Source.FEED:
            return Verdict.TRUSTED
        value = meta.get(VERDICT_META)
        return Verdict(value) if value else None

    def start_verification(
        self,
        target: BlogTarget,
        response: Response,
        entries: list[tuple[str, Any]],
        plans: dict[str, EntryPlan],
    ) -> Request | None:
        """Return the first sample page request, or ``None`` when nothing needs checking.

        ``entries``: ``(link, updated)`` of the feed page's index entries, in feed order.
        """
        candidates: list[tuple[str, str, PostEntry]] = []
        for link, updated in entries:
            key = _canonical(link)
            plan = plans.get(key) if key else None
            url = target.fetch_url(link)
            if plan is None or not plan.from_feed or url is None or not target.wants_kind(url):
                continue
            if is_changed(target, link, updated):
                candidates.append((key or url, url, plan.entry))
        samples = pick_sample(candidates, self.feed_sample_size())
        if not samples:
            return None
        chain = SampleChain(feed_url=response.url, samples=samples)
        return self._sample_request(target, chain, response.meta)

    def _sample_request(
        self, target: BlogTarget, chain: SampleChain, meta: dict[str, Any]
    ) -> Request:
        sample = chain.current
        assert sample is not None  # callers only ask while samples remain
        return Request(
            sample.url,
            callback=self.parse_feed_sample,
            errback=self.feed_sample_failed,
            dont_filter=True,  # the post may be fetched again on a fallback
            meta={**self._meta(target), **self.feed_meta(meta), CHAIN_META: chain.to_meta()},
            priority=_SAMPLE_PRIORITY,
        )

    @accounted
    def parse_feed_sample(self, response: Response) -> Iterator[Request]:
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
        yield from self._after_sample(response.meta, chain.answered(differences))

    @accounted
    def feed_sample_failed(self, failure: Any) -> Iterator[Request]:
        meta = failure.request.meta
        chain = SampleChain.from_meta(meta[CHAIN_META])
        logger.info("feed sample %s: %s", failure.request.url, describe_failure(failure))
        self.crawler.stats.inc_value("feed/sample_failed")
        response = failure_response(failure)
        status = response.status if response is not None else None
        yield from self._after_sample(meta, chain.failed(status))

    def _after_sample(self, meta: dict[str, Any], chain: SampleChain) -> Iterator[Request]:
        """Yield the next sample page, or the first feed page again with the verdict."""
        target = self._target_of(meta)
        if chain.current is not None:
            yield self._sample_request(target, chain, meta)
            return
        stats = self.crawler.stats
        stats.inc_value("feed/sample_compared", chain.compared)
        if chain.verdict is Verdict.FALLBACK:
            stats.inc_value("feed/verification_failed")
            self.ledger.error(target.start_url, chain.summary())
            logger.warning("%s: %s", target.blog_url, chain.summary())
        else:
            stats.inc_value("feed/verification_passed")
            logger.info("%s: %s", target.blog_url, chain.summary())
        yield Request(
            chain.feed_url,
            callback=self.parse_feed,
            errback=self.feed_failed,
            dont_filter=True,  # the first feed page, read again now that the verdict is in
            meta={
                **self._meta(target),
                SOURCE_META: meta.get(SOURCE_META, Source.AUTO.value),
                VERDICT_META: chain.verdict.value,
                "feed_first": True,
            },
            priority=20,
        )

    def entry_item(self, target: BlogTarget, url: str, entry: PostEntry) -> CrawledEntry:
        """Return the item of a post built from ``entry`` (``url``: its fetch URL)."""
        self.crawler.stats.inc_value("posts/from_feed")
        self.ledger.count(url, "from_feed")
        return CrawledEntry(
            url=canonical_url(entry.alternate_url or url),
            body=entry.raw,
            content_type=entry.raw_content_type,
            entry=entry,
            blog_hosts=frozenset(target.hosts),
            blog_id=target.blogger_id,
        )

    def page_needed(self, target: BlogTarget, url: str, reason: str) -> None:
        """Count why the feed could not give a post; note each reason once per blog."""
        self.crawler.stats.inc_value(f"feed/page_needed/{reason}")
        noted = target.feed_reasons_noted
        if reason not in noted:
            noted.add(reason)
            self.ledger.error(
                target.start_url, f"feed-first: {reason}: post pages fetched instead (e.g. {url})"
            )


def _canonical(link: str) -> str | None:
    try:
        return canonical_url(link)
    except ValueError:
        return None
