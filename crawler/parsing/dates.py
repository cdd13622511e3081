"""Publication and update times of a post, as timezone-aware datetimes.

Evidence, in order: ``abbr.published[title]`` (Layouts themes), ``time.published[datetime]``
(2017 themes), ``[itemprop=datePublished|dateModified]``, JSON-LD ``datePublished`` /
``dateModified``; for the publication date only, the visible date header (``h2.date-header``,
``span.post-timestamp``) read together with the ``/YYYY/MM/`` of the post URL. A date shown
without a time (the header fallback) becomes midnight UTC of that day. Naive timestamps are
ignored rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml.html import HtmlElement

from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.proximity import POST_LEVELS, BodyNeighbourhood
from crawler.parsing.xpath import Elements

# One traversal each: abbr.published[title] / time.published[datetime] / itemprop.
_PUBLISHED_ATTRS = Elements(
    ".//*[((self::abbr or self::time) and contains(@class, 'published'))"
    " or @itemprop='datePublished']"
)
_UPDATED_ATTRS = Elements(
    ".//*[((self::abbr or self::time) and contains(@class, 'updated')) or @itemprop='dateModified']"
)
_DATE_HEADERS = Elements(
    ".//*[contains(@class, 'date-header') or contains(@class, 'post-timestamp')"
    " or contains(@class, 'published') or (self::a and @rel='bookmark')]"
)
_URL_YEAR_MONTH = re.compile(r"/(\d{4})/(\d{2})/[^/]+\.html")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_DAY = re.compile(r"(?<![\d:])(\d{1,2})(?![\d:])")


def parse_timestamp(value: str | None) -> datetime | None:
    """Parse an ISO 8601 timestamp with an offset; None for blank, naive or malformed values."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _attribute_time(element: HtmlElement) -> datetime | None:
    for name in ("datetime", "title", "content"):
        parsed = parse_timestamp(element.get(name))
        if parsed is not None:
            return parsed
    return None


def _nearest_time(
    near: BodyNeighbourhood, xpath: Elements, levels: tuple[int, ...]
) -> datetime | None:
    dated = near.search(
        xpath, whole_page=False, levels=levels, accept=lambda e: _attribute_time(e) is not None
    )
    element = near.nearest(dated)
    return _attribute_time(element) if element is not None else None


def date_from_header(text: str, url: str) -> datetime | None:
    """Return midnight UTC of the day a date header shows, using the URL's year and month.

    Only the day number is read from ``text`` (any language); the header must show the URL's
    year. None when the URL has no ``/YYYY/MM/`` or the text does not agree with it.
    """
    match = _URL_YEAR_MONTH.search(url)
    years = _YEAR.findall(text)
    if match is None or match.group(1) not in years:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    for day_text in _DAY.findall(_YEAR.sub(" ", text)):
        try:
            return datetime(year, month, int(day_text), tzinfo=UTC)
        except ValueError:
            continue
    return None


def published_time(near: BodyNeighbourhood, ld: JsonLdPost | None, url: str) -> datetime | None:
    """Return when the post was published (see the module docstring for the evidence)."""
    found = _nearest_time(near, _PUBLISHED_ATTRS, POST_LEVELS)
    if found is None and ld is not None:
        found = parse_timestamp(ld.date_published)
    if found is None:

        def shows_date(element: HtmlElement) -> bool:
            return date_from_header(element.text_content(), url) is not None

        headers = near.search(_DATE_HEADERS, whole_page=False, accept=shows_date)
        header = near.nearest(headers, prefer_before=True)
        if header is not None:
            found = date_from_header(header.text_content(), url)
    return found


def updated_time(near: BodyNeighbourhood, ld: JsonLdPost | None) -> datetime | None:
    """Return when the post was last modified, if the page says so."""
    # Blogger writes the update time (when at all) in the post's own footer: one level range.
    found = _nearest_time(near, _UPDATED_ATTRS, POST_LEVELS[:1])
    if found is None and ld is not None:
        found = parse_timestamp(ld.date_modified)
    return found
