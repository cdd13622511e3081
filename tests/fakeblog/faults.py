"""Fault injection: what a fake blog does wrong, per URL path.

A fault is attached to a path of one blog (``FakeBlog.set_fault``). Faults on post paths keep
the post listed in feeds and sitemaps, which is the point: the crawler learns of the URL from
the feed and then meets the fault. Fault state that changes over time (how many failures are
left) lives in the server, so every ``serve()`` starts from the configured behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class FaultKind(Enum):
    """The kinds of misbehaviour a fake blog can show on one path."""

    FAIL_ONCE = "fail-once"
    """Answer ``Fault.status`` (500) ``Fault.times`` times, then serve normally."""

    DELETED = "deleted"
    """Answer 404 with Blogger's "not found" page; the post stays in feeds and sitemaps."""

    SLOW = "slow"
    """Serve normally after sleeping ``Fault.delay`` seconds."""

    NOT_A_POST = "not-a-post"
    """Serve the month's archive listing instead of the post (a listing, not a post)."""

    JS_SHELL = "js-shell"
    """Serve a Dynamic Views shell: markup without any post body."""

    REDIRECT_LOOP = "redirect-loop"
    """Answer 302 to ``PATH?loop=1``, which answers 302 back to ``PATH``, forever."""

    TRUNCATED = "truncated"
    """Send a ``Content-Length`` larger than the body, half the body, then close."""

    CP1252 = "cp1252"
    """Serve the post page encoded as windows-1252 (declared in header and meta)."""

    REDIRECT_AWAY = "redirect-away"
    """Answer 302 to ``Fault.target``, an absolute URL (another host: off the blog)."""

    FORGED_CANONICAL = "forged-canonical"
    """Serve the page with its ``rel=canonical`` and ``og:url`` naming ``Fault.target``."""

    IMPERSONATE = "impersonate"
    """Serve, byte for byte, the page at ``Fault.target`` (another fake blog's post): its
    canonical URL, its Blogger ids, its content."""

    ENDLESS_FEED = "endless-feed"
    """A feed whose ``rel=next`` advances ``start-index`` forever over the first page's
    entries (``openSearch:totalResults`` stays the real total)."""

    INVENTED_FEED = "invented-feed"
    """Like ``ENDLESS_FEED``, but every page's entries are new inventions: post ids and
    permalinks (``...-N.html``, which answer 404) that exist nowhere else."""

    ENDLESS_PAGER = "endless-pager"
    """The home page, whatever its query, with an "Older posts" link that is new every time
    (``/?loop=N+1``): the same posts under ever new listing URLs."""

    HUGE_SITEMAP_INDEX = "huge-sitemap-index"
    """``/sitemap.xml`` lists ``Fault.children`` child sitemaps; each child is an empty
    ``urlset`` past the real ones."""

    RETRY_AFTER = "retry-after"
    """Answer ``Fault.status`` (use 429 or 503) with ``Retry-After: Fault.retry_after``, always."""

    UNCLOSED_FONT = "unclosed-font"
    """Serve the page with ``Fault.depth`` unclosed ``<font>`` tags opened after ``<body>``
    (pasted Word HTML): every element of the page nests one level deeper per tag."""

    DEEP_NESTING = "deep-nesting"
    """Serve the page's ``<body>`` content inside ``Fault.depth`` nested ``<div>`` elements."""

    UNSAFE_CHARSET = "unsafe-charset"
    """Serve the (UTF-8) page with ``Content-Type: text/html; charset=utf-7``."""

    NUL_BYTES = "nul-bytes"
    """Serve the page with a NUL byte after ``<body>`` and before every ``</p>``."""

    GZIP_BOMB = "gzip-bomb"
    """Answer 200 with ``Content-Encoding: gzip`` over 64 MiB of zeros (~64 KB on the wire)."""

    OVERSIZED = "oversized"
    """Serve the page after a 17 MiB comment: past the crawl's 16 MiB response cap."""


# Kinds whose post page eventually serves the post's full content: a correct crawl stores it.
_SERVABLE = frozenset(
    {
        FaultKind.FAIL_ONCE,
        FaultKind.SLOW,
        FaultKind.CP1252,
        FaultKind.UNCLOSED_FONT,
        FaultKind.UNSAFE_CHARSET,
        FaultKind.NUL_BYTES,
    }
)


@dataclass(frozen=True)
class Fault:
    """One configured fault: its kind and the parameters that kind uses."""

    kind: FaultKind
    delay: float = 1.5
    """Seconds to wait before answering (``SLOW`` only)."""

    status: int = 500
    """Status of the failing answers (``FAIL_ONCE`` only)."""

    times: int = 1
    """How many requests fail before the page works (``FAIL_ONCE`` only)."""

    target: str = ""
    """An absolute URL: where ``REDIRECT_AWAY`` sends the client, which URL
    ``FORGED_CANONICAL`` claims, whose page ``IMPERSONATE`` serves."""

    children: int = 10_000
    """How many children ``HUGE_SITEMAP_INDEX`` lists."""

    retry_after: str = "86400"
    """The ``Retry-After`` value sent (``RETRY_AFTER`` only): seconds or an HTTP date."""

    depth: int = 600
    """How many tags deep the page is wrapped (``UNCLOSED_FONT``, ``DEEP_NESTING``)."""

    @property
    def post_is_servable(self) -> bool:
        """Whether a post page with this fault still yields the post to a retrying crawler."""
        return self.kind in _SERVABLE
