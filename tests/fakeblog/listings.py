"""Which posts a listing URL shows: home, ``/search`` paging, labels, month and year archives.

Listings page by publication time, as Blogger's "Older posts" links do:
``/search?updated-max=<published of the last shown post>&max-results=N`` shows posts
published strictly before that time (despite the parameter's name).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from tests.fakeblog.feedquery import BadQueryError, parse_time
from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakePost
from tests.fakeblog.themes.common import Listing, iso, label_url
from tests.fakeblog.themes.layouts import MONTH_NAMES

ARCHIVE_PAGE_SIZE = 50
"""Most posts one archive (month/year) page shows before its "Older posts" link."""
SEARCH_CAP = 20
"""Most posts a ``/search`` listing shows, whatever ``max-results`` asks for."""

_MONTH = re.compile(r"^/(\d{4})/(\d{2})/?$")
_YEAR = re.compile(r"^/(\d{4})/?$")
_LEGACY = re.compile(r"^/(\d{4})_(\d{2})_\d{2}_archive\.html$")


def _older(
    blog: FakeBlog, shown: list[FakePost], rest: bool, size: int, label: str | None
) -> str | None:
    if not rest or not shown:
        return None
    params = urlencode({"updated-max": iso(shown[-1].published), "max-results": str(size)})
    base = (
        f"{blog.base_url}/search/label/{quote(label, safe='')}"
        if label
        else f"{blog.base_url}/search"
    )
    return f"{base}?{params}"


def _page(posts: list[FakePost], size: int) -> tuple[list[FakePost], bool]:
    return posts[:size], len(posts) > size


def home(blog: FakeBlog) -> Listing:
    """The home page: the newest ``listing_size`` posts."""
    size = blog.spec.listing_size
    shown, rest = _page(blog.posts, size)
    return Listing(
        "index", f"{blog.base_url}/", None, shown, _older(blog, shown, rest, size, None), None
    )


def search(blog: FakeBlog, query: dict[str, str], label: str | None) -> Listing:
    """``/search`` or ``/search/label/LABEL`` with ``updated-max``, ``max-results`` and ``q``."""
    raw_size = query.get("max-results", str(blog.spec.listing_size))
    if not raw_size.isdigit() or int(raw_size) < 1:
        raise BadQueryError(f"max-results must be a positive integer, got {raw_size!r}")
    size = min(int(raw_size), SEARCH_CAP)
    posts = blog.posts
    if label is not None:
        posts = [p for p in posts if label in p.labels]
    if "updated-max" in query:
        limit = parse_time("updated-max", query["updated-max"])
        posts = [p for p in posts if p.published < limit]
    text = query.get("q")
    if text:
        posts = [p for p in posts if text.lower() in p.title.lower()]
    shown, rest = _page(posts, size)
    heading = None
    url = f"{blog.base_url}/search"
    if label is not None:
        heading = f"Showing posts with the label {label}"
        url = label_url(blog, label)
    elif text:
        heading = f"Showing posts matching the search for {text}"
    older = _older(blog, shown, rest, size, label)
    return Listing("label" if label else "search", url, heading, shown, older, f"{blog.base_url}/")


def archive(blog: FakeBlog, path: str) -> Listing | None:
    """A month (``/YYYY/MM/``, legacy ``/YYYY_MM_01_archive.html``) or year (``/YYYY/``)
    archive; ``None`` when ``path`` is not an archive path."""
    match = _MONTH.match(path) or _LEGACY.match(path)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return None
        posts = [p for p in blog.posts if _local(blog, p) == (year, month)]
        heading = f"Posts from {MONTH_NAMES[month - 1]} {year}"
        url = f"{blog.base_url}/{year}/{month:02d}/"
    elif match := _YEAR.match(path):
        year = int(match.group(1))
        posts = [p for p in blog.posts if _local(blog, p)[0] == year]
        heading = f"Posts from {year}"
        url = f"{blog.base_url}/{year}/"
    else:
        return None
    shown, rest = _page(posts, ARCHIVE_PAGE_SIZE)
    older = _older(blog, shown, rest, ARCHIVE_PAGE_SIZE, None)
    return Listing("archive", url, heading, shown, older, None)


def month_archive_path(blog: FakeBlog, post: FakePost) -> str:
    """The month archive path the post belongs to, ``/YYYY/MM/``."""
    year, month = _local(blog, post)
    return f"/{year}/{month:02d}/"


def _local(blog: FakeBlog, post: FakePost) -> tuple[int, int]:
    local = post.published.astimezone(blog.tz)
    return local.year, local.month
