"""Fake-blog feeds and pages without a server: every entry of a feed, and a post's page record.

Goes through ``tests.fakeblog.routes.Router`` directly (the bytes the server would send), so
proof tests over every post stay fast and need no sockets.
"""

from __future__ import annotations

from crawler.extraction import parse_and_clean
from crawler.feed_records import PostEntry, read_post_entries
from crawler.items import BlogPost
from tests.fakeblog import FakeBlogger
from tests.fakeblog.damage import Damage, damage_post
from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakePost
from tests.fakeblog.routes import Router

_MAX_FEED_PAGES = 100
LANGUAGE = "en"
"""What every fake theme declares (``<html lang='en'>``); the caller's blog language."""


def serving_host(blog: FakeBlog) -> str:
    """The host the blog serves from (its custom domain when moved)."""
    return blog.spec.custom_domain or blog.spec.host


def feed_entries(router: Router, blog: FakeBlog, path: str, alt: str) -> list[PostEntry]:
    """Every entry of the feed at ``path``, page by page (bounded), as read by the builder."""
    entries: list[PostEntry] = []
    host = serving_host(blog)
    for page in range(_MAX_FEED_PAGES):
        query = f"alt={alt}&start-index={1 + page * 10}&max-results=10"
        response = router.respond(host, path, query)
        assert response.status == 200, (path, query, response.status)
        read = read_post_entries(f"http://{host}{path}?{query}", response.body, language=LANGUAGE)
        if not read.entries:
            return entries
        entries.extend(read.entries)
    raise AssertionError(f"{path}: more than {_MAX_FEED_PAGES} feed pages")


def page_record(router: Router, post: FakePost) -> BlogPost:
    """``parse_and_clean`` of the post's page as the server sends it."""
    host = post.url.split("/")[2]
    response = router.respond(host, post.path, "")
    assert response.status == 200, (post.url, response.status)
    return parse_and_clean(post.url, response.body, content_type=response.content_type)


def blogs(site: FakeBlogger) -> list[FakeBlog]:
    """Each blog of ``site`` once (``site.hosts`` also names the hosts that redirect)."""
    return list({id(blog): blog for blog in (site.blog(host) for host in site.hosts)}.values())


def damaged_site() -> tuple[FakeBlogger, dict[str, Damage]]:
    """The default blogs (no serving faults), every third post of each blog damaged.

    Returns the site and ``{canonical_url: damage}``; both damage kinds occur in every theme.
    """
    site = FakeBlogger.default(faults=False)
    damaged: dict[str, Damage] = {}
    kinds = list(Damage)
    for blog in blogs(site):
        for index, post in enumerate(blog.posts):
            if index % 3 == 1:
                kind = kinds[(index // 3) % len(kinds)]
                damage_post(blog, post.post_id, kind)
                damaged[post.canonical_url] = kind
    return site, damaged
