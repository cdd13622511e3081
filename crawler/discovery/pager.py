"""Blogger HTML pages read for discovery: Blogger detection, post links and the pager.

Pure functions over ``(url, bytes)``. Used on the home page (is this Blogger? which blog id?
which feed?) and, as a last resort when a blog has neither feeds nor a sitemap, to walk the
"Older posts" pager of listing pages. Listing pages are read only for links here; they are
never stored as posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import html

from crawler.urls import PageKind, canonical_host, canonical_url, joined_url, page_kind

_BLOG_ID_PATTERNS = (
    re.compile(rb"blogger\.com/feeds/(\d+)/posts/default"),
    re.compile(rb"targetBlogID=(\d+)"),
    re.compile(rb"blogID\\x3d(\d+)"),
    re.compile(
        rb"itemprop=['\"]blogId['\"][^>]*content=['\"](\d+)|content=['\"](\d+)['\"][^>]*itemprop=['\"]blogId"
    ),
)


@dataclass(frozen=True, kw_only=True)
class BlogPage:
    """What an HTML page of a blog says for discovery."""

    url: str
    is_blogger: bool
    """True when the page carries a Blogger signal (generator meta, blogger.com feed link, ...)."""
    blog_id: str | None
    feed_url: str | None
    """The Atom post feed the page advertises (absolute), if any."""
    post_links: tuple[str, ...]
    """Post permalinks on the page's own blog host, as canonical URLs, in page order, unique."""
    older_link: str | None
    """The pager's "Older posts" link (absolute), or ``None`` on the last page."""


def read_blog_page(url: str, body: bytes) -> BlogPage:
    """Read Blogger signals, post links and the older-posts link from an HTML page.

    Never raises for bad markup: an unreadable page gives a ``BlogPage`` with nothing found.
    """
    try:
        document = html.document_fromstring(body) if body.strip() else None
    except (ValueError, TypeError):
        document = None
    if document is None:
        return BlogPage(
            url=url, is_blogger=False, blog_id=None, feed_url=None, post_links=(), older_link=None
        )
    base = _base_url(document, url)
    return BlogPage(
        url=url,
        is_blogger=_is_blogger(document, body),
        blog_id=_blog_id(body),
        feed_url=_feed_url(document, base),
        post_links=_post_links(document, base, url),
        older_link=_older_link(document, base),
    )


def _base_url(document: html.HtmlElement, url: str) -> str:
    base = document.xpath("//base/@href")
    return joined_url(url, str(base[0])) if base else url


def _is_blogger(document: html.HtmlElement, body: bytes) -> bool:
    generator = document.xpath("//meta[@name='generator']/@content")
    if any(str(value).strip().lower() == "blogger" for value in generator):
        return True
    return b"www.blogger.com/feeds/" in body or b"_WidgetManager" in body


def _blog_id(body: bytes) -> str | None:
    for pattern in _BLOG_ID_PATTERNS:
        match = pattern.search(body)
        if match:
            return next(group.decode() for group in match.groups() if group)
    return None


def _feed_url(document: html.HtmlElement, base: str) -> str | None:
    for href in document.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href"):
        absolute = joined_url(base, str(href))
        if urlsplit(absolute).path.rstrip("/").endswith("/feeds/posts/default"):
            return absolute
    return None


def _post_links(document: html.HtmlElement, base: str, page_url: str) -> tuple[str, ...]:
    own_host = canonical_host(urlsplit(page_url).hostname or "")
    found: dict[str, None] = {}
    for href in document.xpath("//a/@href"):
        absolute = joined_url(base, str(href)).split("#", 1)[0]
        host = urlsplit(absolute).hostname or ""
        if canonical_host(host) == own_host and page_kind(absolute) is PageKind.POST:
            found.setdefault(canonical_url(absolute), None)
    return tuple(found)


def _older_link(document: html.HtmlElement, base: str) -> str | None:
    hrefs = document.xpath(
        "//a[contains(concat(' ', normalize-space(@class), ' '), ' blog-pager-older-link ')]/@href"
        " | //a[@id='Blog1_blog-pager-older-link']/@href"
    )
    return joined_url(base, str(hrefs[0])) if hrefs else None
