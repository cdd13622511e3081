"""What to fetch for one blog: its hosts, its start requests, and which posts need a fetch.

No markup is read here: decisions are taken on records from :mod:`crawler.discovery` and on
what storage knows (``known_posts``, the last successful run). Kept apart from the spider so
a shared frontier (scrapy-redis) can enqueue a blog's start requests without running it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from crawler.discovery.pager import BlogPage
from crawler.urls import PageKind, canonical_host, canonical_url, page_kind
from storage.values import KnownPost, Validators

RECRAWL_OVERLAP = timedelta(days=1)
"""How far before the last successful run an incremental feed query starts (clock skew,
inclusive/exclusive bounds, posts edited while that run was going)."""

CHANGE_TOLERANCE = timedelta(seconds=1)
"""Sitemap ``lastmod`` has whole seconds while stored times have milliseconds."""

FEED_PAGE_SIZE = 150
"""Page size we ask for; the server may give fewer, and paging follows what it returns."""

_FOLLOWED_KINDS = frozenset({PageKind.POST, PageKind.STATIC_PAGE})


@dataclass
class BlogTarget:
    """One blog being crawled, once its home page has answered."""

    start_url: str
    scheme: str
    netloc: str
    """Host (and port) requests go to: the final host after redirects."""
    hosts: set[str]
    """Canonical hosts that belong to the blog (blogspot name, custom domain)."""
    blog_url: str
    blogger_id: str | None = None
    """The blog's Blogger id as its home page gave it; ``None`` when the page did not say."""
    known: dict[str, KnownPost] = field(default_factory=dict)
    rejected: dict[str, datetime] = field(default_factory=dict)
    """Pages the current parser rejected as not a post, by canonical URL: when."""
    since: datetime | None = None
    """Lower bound for the incremental feed query; ``None`` for a full crawl."""
    max_posts: int | None = None
    include_pages: bool = False
    validators: dict[str, Validators] = field(default_factory=dict)
    """Stored HTTP validators of known posts, by fetch URL (for conditional GET)."""
    comments_done: bool = False
    comments: bool = True
    """Whether the blog's comments are harvested and stored (its crawl's or job's option)."""
    sitemaps_requested: bool = False
    decided: set[str] = field(default_factory=set)
    """Canonical URLs already decided (fetched or skipped): each post is counted once."""
    fetches: int = 0
    paged_keys: dict[str, set[str]] = field(default_factory=dict)
    """What each paged route listed so far (``posts`` and ``comments`` feed entry keys,
    ``pager`` post links): paging stops on a page that brings nothing new."""
    announced_posts: int = 0
    """How many posts the blog says it has (feed ``totalResults``, stored posts): its
    request budget scales with it."""
    sitemap_children: int = 0
    """Child sitemaps requested so far (bounded per blog)."""
    full: bool = False
    """Whether this crawl of the blog is full (refetches every post) rather than incremental."""
    run_id: int | None = None
    """Distributed mode: the shared run this target belongs to (a new run rebuilds the target);
    ``None`` in a single-process crawl, whose run record the :class:`RunLedger` keeps."""
    home: BlogPage | None = None
    """The blog's home page when this process read it (the pager fallback starts there)."""
    source: str = "auto"
    """Where post records come from: ``auto``/``feed``/``pages`` (crawler.crawl_options.Source)."""
    awaiting_comments: dict[str, tuple[str, datetime | None]] = field(default_factory=dict)
    """Unchanged posts whose comment count moved, left for the comments feed to decide:
    canonical URL → (link, feed ``updated``)."""
    feed_reasons_noted: set[str] = field(default_factory=set)
    """Why the feed could not give some posts (feed-first), each noted once on the run."""

    def owns(self, url: str) -> bool:
        """Whether ``url`` is on one of the blog's hosts."""
        return canonical_host(urlsplit(url).hostname or "") in self.hosts

    def fetch_url(self, link: str) -> str | None:
        """Return the URL to request for a link of this blog, or ``None`` when it is off the blog.

        The link is canonicalised (``?m=1``, ``showComment``, tracking parameters and the
        fragment go) and sent to the blog's current scheme and host.
        """
        try:
            canonical = canonical_url(link)
        except ValueError:
            return None
        if not self.owns(canonical):
            return None
        # A canonical URL is ``https://NETLOC/PATH[?QUERY]`` with no fragment: what follows
        # its netloc is kept as it is (urlunsplit of urlsplit's parts gives the same).
        return f"{self.scheme}://{self.netloc}/{canonical.split('/', 3)[3]}"

    def url_on_blog(self, path: str, params: dict[str, str] | None = None) -> str:
        """Return an absolute URL on the blog's host for ``path`` and query ``params``."""
        return urlunsplit((self.scheme, self.netloc, path, urlencode(params or {}), ""))

    def feed_url(self) -> str:
        """Return the feed's first page URL, by update time.

        Every run reads the whole feed, incremental ones too (one request per 150 posts): so
        comment counts (``thr:total``) are refreshed for every post, and the listing is
        complete. Changed posts come first; unchanged ones are only decided unchanged.
        """
        params = {"orderby": "updated", "max-results": str(FEED_PAGE_SIZE)}
        return self.url_on_blog("/feeds/posts/default", params)

    def fetched_since(self, link: str, moment: datetime | None) -> bool:
        """Whether the page at ``link`` was last fetched at or after ``moment`` (validators)."""
        url = self.fetch_url(link)
        found = self.validators.get(url) if url else None
        if found is None or found.fetched_at is None or moment is None:
            return False
        fetched = found.fetched_at
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        return fetched >= moment

    def post_comments_feed_url(self, post_id: str) -> str:
        """Return the URL of one post's own comments feed, oldest first."""
        params = {"orderby": "published", "max-results": str(FEED_PAGE_SIZE)}
        return self.url_on_blog(f"/feeds/{post_id}/comments/default", params)

    def comments_feed_url(self) -> str:
        """Return the URL of the blog's comments feed, oldest first, from ``since``."""
        params = {"orderby": "published", "max-results": str(FEED_PAGE_SIZE)}
        if self.since is not None:
            params["published-min"] = self.since.isoformat(timespec="seconds")
        return self.url_on_blog("/feeds/comments/default", params)

    def wants_kind(self, url: str) -> bool:
        """Tell whether to follow ``url``: posts always, static pages only when asked for."""
        kind = page_kind(url)
        return kind is PageKind.POST or (self.include_pages and kind in _FOLLOWED_KINDS)


class Decision:
    """Why a sighted post is (not) fetched."""

    FETCH = "fetch"
    UNCHANGED = "unchanged"
    REJECTED_BEFORE = "rejected_before"
    SEEN = "seen"
    OFFSITE = "offsite"
    OVER_BUDGET = "over_budget"


def decide(
    target: BlogTarget,
    link: str,
    updated: datetime | None,
    *,
    exact: bool,
) -> tuple[str, str | None]:
    """Decide whether the post at ``link`` needs fetching; return ``(decision, fetch URL)``.

    ``updated`` is the discovery source's modification time (``exact``: the feed's own value,
    compared with the stored ``updated_at`` at the coarser precision of the two, so a stored
    whole-second time equals a feed time in the same second; else a sitemap ``lastmod``
    compared with :data:`CHANGE_TOLERANCE`). A known post whose stored ``updated_at`` is not
    older is ``UNCHANGED``; a page the current parser rejected as not a post, and not changed
    since, is ``REJECTED_BEFORE``; an unknown or newer one is ``FETCH`` (while the blog's
    ``max_posts`` budget lasts). Every post is decided once.
    """
    url = target.fetch_url(link)
    if url is None or not target.wants_kind(url):
        return Decision.OFFSITE, None
    key = canonical_url(url)
    if key in target.decided:
        return Decision.SEEN, url
    target.decided.add(key)
    known = target.known.get(key)
    if known is not None and not _is_newer(updated, known.updated_at, exact=exact):
        return Decision.UNCHANGED, url
    rejected_at = target.rejected.get(key)
    # The rejection time is when we fetched it, so any later edit shows as a newer source time.
    if (
        known is None
        and rejected_at is not None
        and not _is_newer(updated, rejected_at, exact=False)
    ):
        return Decision.REJECTED_BEFORE, url
    if target.max_posts is not None and target.fetches >= target.max_posts:
        return Decision.OVER_BUDGET, url
    target.fetches += 1
    return Decision.FETCH, url


def is_changed(target: BlogTarget, link: str, updated: datetime | None) -> bool:
    """Tell whether a feed entry's post is new or newer than stored.

    Judged as :func:`decide` does, with no side effect: nothing is marked decided.
    """
    try:
        key = canonical_url(link)
    except ValueError:
        return False
    known = target.known.get(key)
    return known is None or _is_newer(updated, known.updated_at, exact=True)


def _is_newer(seen: datetime | None, stored: datetime | None, *, exact: bool) -> bool:
    if seen is None:
        # The source gives no time (a pager link, a sitemap without lastmod): a stored post is
        # taken as unchanged; conditional GET still catches a change when we do refetch.
        return False
    if stored is None:
        return True
    if not exact:
        return seen - stored > CHANGE_TOLERANCE
    seen, stored = _at_common_precision(seen, stored)
    return seen > stored


def _at_common_precision(first: datetime, second: datetime) -> tuple[datetime, datetime]:
    """Return both times cut to the coarser precision of the two: seconds or microseconds.

    A time without a fractional part is taken as whole-second precision: a post first stored
    from a sitemap link keeps the sitemap ``lastmod`` or the page's own time (whole seconds),
    while the feed's ``<updated>`` has milliseconds, so 12:00:05 and 12:00:05.123 are the same
    moment and must not make the unchanged page be fetched again. Cutting to seconds cannot
    hide a real edit: saving an edit moves ``updated`` on by far more than a second. A feed
    time that happens to fall on .000 is only compared to the second, which is still exact
    enough for the same reason.
    """
    if first.microsecond == 0 or second.microsecond == 0:
        return first.replace(microsecond=0), second.replace(microsecond=0)
    return first, second
