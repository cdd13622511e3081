"""``robots.txt``, the ``/sitemap.xml`` index with its ``?page=N`` children, ``/sitemap-pages.xml``.

Children list posts newest ``published`` first, ``BlogSpec.sitemap_page_size`` per page, each
with ``<lastmod>`` = the post's ``updated`` in UTC (as Blogger writes it, ``Z`` suffix).
A child past the end is an empty ``<urlset>`` (crawlers probing ``?page=N`` must stop there).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.themes.common import esc

XML_TYPE = "application/xml; charset=UTF-8"
_HEAD = "<?xml version='1.0' encoding='UTF-8'?>"
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
STATIC_PAGES = {"/p/about.html": "About"}
"""Static pages every fake blog has: path → title."""


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def robots_txt(blog: FakeBlog) -> str:
    """Blogger's default robots.txt, naming the serving host's sitemap."""
    return (
        "User-agent: Mediapartners-Google\nDisallow: \n\n"
        "User-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: {blog.base_url}/sitemap.xml\n"
    )


def page_count(blog: FakeBlog) -> int:
    """How many ``?page=N`` children the index lists (at least 1)."""
    size = blog.spec.sitemap_page_size
    return max(1, -(-len(blog.posts) // size))


def sitemap_index(blog: FakeBlog, children: int | None = None) -> str:
    """The ``<sitemapindex>`` of every child page (or of ``children`` pages, when given)."""
    count = page_count(blog) if children is None else children
    listed = "".join(
        f"<sitemap><loc>{blog.base_url}/sitemap.xml?page={n}</loc></sitemap>"
        for n in range(1, count + 1)
    )
    return f'{_HEAD}<sitemapindex xmlns="{_NS}">{listed}</sitemapindex>'


def sitemap_page(blog: FakeBlog, page: int) -> str:
    """Child ``page`` (1-based): a ``<urlset>`` of post URLs with ``<lastmod>``."""
    size = blog.spec.sitemap_page_size
    posts = sorted(blog.posts, key=lambda p: p.published, reverse=True)
    chosen = posts[(page - 1) * size : page * size]
    urls = "".join(
        f"<url><loc>{esc(post.url)}</loc><lastmod>{_utc(post.updated)}</lastmod></url>"
        for post in chosen
    )
    return f'{_HEAD}<urlset xmlns="{_NS}">{urls}</urlset>'


def pages_sitemap(blog: FakeBlog) -> str:
    """``/sitemap-pages.xml``: the static pages."""
    stamp = _utc(blog.posts[-1].published) if blog.posts else "2012-01-01T00:00:00Z"
    urls = "".join(
        f"<url><loc>{blog.base_url}{path}</loc><lastmod>{stamp}</lastmod></url>"
        for path in STATIC_PAGES
    )
    return f'{_HEAD}<urlset xmlns="{_NS}">{urls}</urlset>'
