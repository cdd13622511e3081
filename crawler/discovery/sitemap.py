"""Blogger sitemaps: the ``/sitemap.xml`` index and its ``?page=N`` children.

Pure functions over ``(url, bytes)``. A sitemap is either an index (child sitemap URLs) or a
URL set (post URLs with their ``lastmod``). Blogger's index has been seen to list fewer children
than exist, so :func:`following_child_url` names the page after a child for probing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class SitemapFormatError(ValueError):
    """The bytes are not a sitemap; the message names the URL and why."""


@dataclass(frozen=True, kw_only=True)
class SitemapUrl:
    loc: str
    lastmod: datetime | None
    """Last modification, timezone-aware; ``None`` when absent or unreadable."""


@dataclass(frozen=True, kw_only=True)
class Sitemap:
    """One sitemap document: ``children`` for an index, ``urls`` for a URL set."""

    url: str
    is_index: bool
    children: tuple[str, ...] = ()
    urls: tuple[SitemapUrl, ...] = ()


def parse_sitemap(url: str, body: bytes) -> Sitemap:
    """Read a sitemap index or URL set fetched from ``url``.

    Raises :class:`SitemapFormatError` for anything else (HTML error pages included).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(body.lstrip(), parser=parser)
    except etree.XMLSyntaxError as error:
        raise SitemapFormatError(f"{url}: unreadable XML ({error})") from None
    if root.tag == f"{_SITEMAP}sitemapindex":
        children = [
            loc.strip()
            for node in root.iterfind(f"{_SITEMAP}sitemap")
            if (loc := node.findtext(f"{_SITEMAP}loc"))
        ]
        return Sitemap(url=url, is_index=True, children=tuple(children))
    if root.tag == f"{_SITEMAP}urlset":
        urls = [
            SitemapUrl(loc=loc.strip(), lastmod=_parse_time(node.findtext(f"{_SITEMAP}lastmod")))
            for node in root.iterfind(f"{_SITEMAP}url")
            if (loc := node.findtext(f"{_SITEMAP}loc"))
        ]
        return Sitemap(url=url, is_index=False, urls=tuple(urls))
    raise SitemapFormatError(f"{url}: root element is {root.tag!r}, not a sitemap")


def child_page_number(url: str) -> int | None:
    """Return N of a ``sitemap.xml?page=N`` URL, or ``None`` when it has no page number."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "page" and value.isdigit():
            return int(value)
    return None


def following_child_url(url: str) -> str | None:
    """Return the ``?page=N+1`` URL after a ``?page=N`` child, or ``None`` if ``url`` has no N."""
    number = child_page_number(url)
    if number is None:
        return None
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"]
    query = urlencode([*params, ("page", str(number + 1))])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    # A date-only lastmod (W3C "YYYY-MM-DD") has no zone; read it as UTC midnight.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
