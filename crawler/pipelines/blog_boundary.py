"""Keep a parsed post on the blog it was fetched from: a page never speaks for another blog.

A page's own canonical URL (``rel=canonical``, ``og:url``) decides the stored URL only when it
names a host of the blog being crawled (its hosts, their blogspot country variants, the hosts
it moved to in this crawl); otherwise the fetched URL stands. A page whose Blogger blog id is
not the crawled blog's is another blog's page: it is rejected with the reason, never stored
as a post. Pure code over records (no Scrapy, no storage).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.crawl_items import CrawledPage
from crawler.items import BlogPost, RejectedPage, RejectKind
from crawler.urls import blog_home_url, canonical_host, public_url


@dataclass(frozen=True)
class Confined:
    """What :func:`confine_to_blog` made of a post: the record to pass on, and what it did."""

    record: BlogPost | RejectedPage
    disbelieved: str | None = None
    """The off-blog canonical URL the page gave, when the fetched URL was kept instead."""


def confine_to_blog(post: BlogPost, page: CrawledPage) -> Confined:
    """Return ``post`` kept on ``page``'s blog, or a reject when it is another blog's page.

    Does nothing for a page fetched without blog hosts (``page.blog_hosts`` empty).
    """
    if not page.blog_hosts:
        return Confined(post)
    disbelieved = None
    if not _on_blog(post.url, page.blog_hosts):
        disbelieved = post.url
        post.url = public_url(page.url)
        post.blog_url = blog_home_url(post.url)
    if page.blog_id and post.blog_id and post.blog_id != page.blog_id:
        reason = (
            f"another blog's page: Blogger blog id {post.blog_id}, "
            f"the crawled blog is {page.blog_id}"
        )
        return Confined(page.rejected(RejectKind.OFF_BLOG, reason), disbelieved)
    return Confined(post, disbelieved)


def _on_blog(url: str, hosts: frozenset[str]) -> bool:
    return canonical_host(urlsplit(url).hostname or "") in hosts
