"""``BlogSpec``: the settings one fake blog is built from (identity, theme, sizes, faults)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.fakeblog.faults import Fault

THEMES = ("layouts", "contempo", "plusui")
"""Theme families the server can render: Layouts "Simple"-like, 2017 Contempo-like, Plus UI-like."""

FEED_SETTINGS = ("full", "jump", "short", "off", "feedburner")
"""The owner's "Allow blog feed" choices the server renders: Full, Until Jump Break, Short,
None (``off``: every post feed answers 404), and a Post Feed Redirect to FeedBurner
(``feedburner``: ``/feeds/posts/default`` answers 302 to ``feeds.feedburner.com``)."""

FEEDBURNER_HOST = "feeds.feedburner.com"


@dataclass(frozen=True)
class BlogSpec:
    """How to build one fake blog. Sizes are counts of entries; times are aware datetimes."""

    host: str
    """The blogspot host, e.g. ``fake-layouts.blogspot.com``."""

    theme: str = "layouts"
    """One of :data:`THEMES`."""

    posts: int = 20
    """How many posts to generate."""

    title: str | None = None
    """Blog name; derived from the host when ``None``."""

    custom_domain: str | None = None
    """When set, the blog serves from this host and ``host`` answers 301 to it on every path."""

    utc_offset_minutes: int = 0
    """The blog's time zone, as a fixed offset from UTC (Blogger shows local times)."""

    listing_size: int = 7
    """Posts per home/label/archive listing page ("Max posts shown on main page")."""

    feed_default_size: int = 25
    """Feed page size when ``max-results`` is not given (still capped by ``feed_cap``)."""

    feed_cap: int = 10
    """The most entries one feed page returns, whatever ``max-results`` asks for."""

    sitemap_page_size: int = 25
    """URLs per ``/sitemap.xml?page=N`` child."""

    short_feed: bool = False
    """Owner chose a "Short" feed: ``/feeds/posts/default`` gives ``summary``, not ``content``."""

    feed_setting: str = "full"
    """The owner's "Allow blog feed" for ``/feeds/posts/default``: one of
    :data:`FEED_SETTINGS`. ``jump`` cuts each post that has a jump break at it and ends the
    content with a ``#more`` "Read more" link; posts without one stay whole. ``short_feed``
    is the older spelling of ``short`` (see :attr:`feed_mode`)."""

    @property
    def feed_mode(self) -> str:
        """The effective feed setting: ``short`` when ``short_feed``, else ``feed_setting``."""
        return "short" if self.short_feed else self.feed_setting

    authors: int = 2
    """How many distinct authors write the posts."""

    comments_off_ratio: float = 0.1
    """Share of posts with comments off (``comment_count`` ``None``)."""

    comments_feed: bool = True
    """Whether the blog's comments feeds are served (off: ``/feeds/comments/default`` and
    ``/feeds/POSTID/comments/default`` answer 404, as when the owner turns the feed off)."""

    post_comments_feeds: bool = False
    """With ``comments_feed`` off, each post's own ``/feeds/POSTID/comments/default`` is still
    served (only the blog-wide comments feed answers 404)."""

    comment_kinds: bool = False
    """Every post's comments include every kind (``posts.varied_comments``): threaded,
    anonymous, with profile links, removed, non-English. Off: the plain generated ones."""

    comments_per_post: int = 0
    """When > 0, every post with comments on has exactly this many (benchmarks); 0: a few
    generated per post (0 to 12)."""

    big_thread: int = 0
    """When > 0, the newest post with comments on gets this many comments (a page shows
    ``posts.PAGE_COMMENT_LIMIT`` of them and a live "Load more")."""

    published_from: datetime = datetime(2012, 1, 1, tzinfo=UTC)
    published_to: datetime = datetime(2026, 6, 30, tzinfo=UTC)
    """Generated posts are published in ``[published_from, published_to)``."""

    feed_quirks: frozenset[str] = frozenset()
    """Shapes the post feed takes (``feedquirks.FEED_QUIRKS``): paging, totals, links, body
    types, encodings, statuses. Pages and sitemaps stay true."""

    faults: dict[int, Fault] = field(default_factory=dict, hash=False)
    """Faults to attach after building, keyed by post index (0 = newest post)."""

    def __post_init__(self) -> None:
        """Reject settings the server cannot honour, naming the bad value."""
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}; expected one of {', '.join(THEMES)}")
        if self.feed_setting not in FEED_SETTINGS:
            raise ValueError(
                f"unknown feed_setting {self.feed_setting!r}; expected one of "
                f"{', '.join(FEED_SETTINGS)}"
            )
        from tests.fakeblog.feedquirks import check_quirks  # it reads the blog model

        check_quirks(self.feed_quirks)
        if self.comments_per_post < 0:
            raise ValueError(f"comments_per_post must be >= 0, got {self.comments_per_post}")
        if self.big_thread < 0:
            raise ValueError(f"big_thread must be >= 0, got {self.big_thread}")
        if self.posts < 0:
            raise ValueError(f"posts must be >= 0, got {self.posts}")
        for name in ("listing_size", "feed_default_size", "feed_cap", "sitemap_page_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
