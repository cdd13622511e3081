"""Properties of the fake Blogger's paging, checked over many blog sizes and page sizes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakeblog import BlogSpec, FakeBlogger
from tests.fakeblog.routes import Router

_ENTRY_ID = re.compile(r"<entry><id>tag:blogger.com,1999:blog-\d+\.post-(\d+)</id>")
_NEXT = re.compile(r"<link rel='next' type='application/atom\+xml' href='([^']+)'/>")
_TOTAL = re.compile(r"<openSearch:totalResults>(\d+)</openSearch:totalResults>")


def follow_feed(router: Router, host: str, query: str) -> tuple[list[str], list[int], int]:
    """Post ids in feed order, the totals each page reported, and the number of pages."""
    ids: list[str] = []
    totals: list[int] = []
    path, pages = "/feeds/posts/default", 0
    while True:
        body = router.respond(host, path, query).body.decode()
        pages += 1
        ids += _ENTRY_ID.findall(body)
        totals += [int(t) for t in _TOTAL.findall(body)]
        found = _NEXT.search(body)
        if not found:
            return ids, totals, pages
        split = urlsplit(found.group(1).replace("&amp;", "&"))
        path, query = split.path, split.query


@settings(max_examples=60, deadline=None)
@given(
    posts=st.integers(min_value=0, max_value=45),
    cap=st.integers(min_value=1, max_value=30),
    asked=st.one_of(st.none(), st.integers(min_value=1, max_value=200)),
    orderby=st.sampled_from(["published", "updated"]),
)
def test_following_next_visits_every_post_once_in_order_whatever_the_sizes(
    posts: int, cap: int, asked: int | None, orderby: str
) -> None:
    site = FakeBlogger([BlogSpec("prop.blogspot.com", posts=posts, feed_cap=cap)])
    blog = site.blogs[0]
    query = f"orderby={orderby}" + ("" if asked is None else f"&max-results={asked}")
    ids, totals, pages = follow_feed(Router(site), blog.host, query)
    key = (lambda p: p.published) if orderby == "published" else (lambda p: p.updated)
    assert ids == [p.post_id for p in sorted(blog.posts, key=key, reverse=True)]
    assert set(totals) <= {posts}
    per_page = min(asked or blog.spec.feed_default_size, cap)
    assert pages == max(1, -(-posts // per_page))


@settings(max_examples=30, deadline=None)
@given(posts=st.integers(min_value=0, max_value=60), size=st.integers(min_value=1, max_value=20))
def test_sitemap_pages_partition_the_posts(posts: int, size: int) -> None:
    site = FakeBlogger([BlogSpec("map.blogspot.com", posts=posts, sitemap_page_size=size)])
    blog = site.blogs[0]
    router = Router(site)
    index = router.respond(blog.host, "/sitemap.xml", "").body.decode()
    children = re.findall(r"<loc>[^<]+\?(page=\d+)</loc>", index)
    locs = [
        loc
        for child in children
        for loc in re.findall(
            r"<loc>([^<]+)</loc>", router.respond(blog.host, "/sitemap.xml", child).body.decode()
        )
    ]
    assert sorted(locs) == sorted(p.url for p in blog.posts)
    beyond = router.respond(blog.host, "/sitemap.xml", f"page={len(children) + 1}").body.decode()
    assert "<loc>" not in beyond
