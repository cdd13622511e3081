"""The record a page yields: parse it, then clean it.

This is the one composition of :func:`crawler.parsing.parse_page` and
:func:`crawler.cleaning.clean_post` outside Scrapy, used by ``blogingest parse``,
``blogingest reparse``, the benchmarks and the seed tests. (The crawl runs the same two steps
as separate pipeline stages, so that each counts its own outcomes.)
"""

from __future__ import annotations

from crawler.cleaning import clean_post
from crawler.items import BlogPost
from crawler.parsing import parse_page


def parse_and_clean(url: str, body: bytes, *, content_type: str | None = None) -> BlogPost:
    """Return ``clean_post(parse_page(url, body, content_type=...))``.

    Raises what :func:`crawler.parsing.parse_page` raises (``NotAPostError``,
    ``UnreadablePageError``).
    """
    return clean_post(parse_page(url, body, content_type=content_type))
