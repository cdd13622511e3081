"""Publication and update times of a post, as timezone-aware datetimes.

Evidence for the publication time, in order:

1. machine-readable times in the post's own box: ``abbr.published[title]`` (Layouts themes),
   ``time.published[datetime]`` (2017 themes), ``[itemprop=datePublished]`` with an ISO value;
2. JSON-LD ``datePublished``, then the head's ``article:published_time`` /
   ``meta[itemprop=datePublished]``;
3. a date line at the head of the body (a 2010 corporate template writes
   ``9/15/2010 06:00:00 AM`` there), which the parse stage takes out of the body;
4. a date the page shows for readers next to the post: Blogger's date header
   (``h2.date-header``), a timestamp or date element (``.post-timestamp``, ``.publishdate``,
   ``span.updated[itemprop=datePublished]``, ``time``, a permalink's text), then a footer or
   byline line (``posted by NAME | Wednesday, June 15, 2005 | 9:37 AM``), read in the page's
   language (:mod:`crawler.parsing.date_text`).

A date shown for readers becomes midnight UTC of that day. Only the post's neighbourhood is
searched, and never inside comments, sidebar widgets or another post's box: a date from
there is another item's; when the nearest evidence is ambiguous or disagrees with the post
URL's ``/YYYY/MM/``, the answer is None (null over wrong). Naive machine timestamps are
ignored rather than guessed. The update time is read from machine-readable evidence only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from lxml.html import HtmlElement

from crawler.parsing.around import beside_body, is_foreign_box, search_beside
from crawler.parsing.date_text import date_in_text, is_date_line, url_year_month
from crawler.parsing.head import HeadFacts
from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.proximity import POST_LEVELS, BodyNeighbourhood
from crawler.parsing.xpath import Elements

# abbr.published[title] / time.published[datetime] / itemprop. Written attribute first
# (``descendant-or-self::*/@itemprop[...]/..``): libxml2 tests an attribute node's own string
# far more cheaply than an element predicate reading ``@class`` (40% less here; the same
# elements in page order, pinned by test_parsing_xpath_forms.py).
_PUBLISHED_ATTRS = Elements(
    "descendant-or-self::abbr/@class[contains(., 'published')]/.."
    " | descendant-or-self::time/@class[contains(., 'published')]/.."
    " | descendant-or-self::*/@itemprop[. = 'datePublished']/.."
)
_UPDATED_ATTRS = Elements(
    "descendant-or-self::abbr/@class[contains(., 'updated')]/.."
    " | descendant-or-self::time/@class[contains(., 'updated')]/.."
    " | descendant-or-self::*/@itemprop[. = 'dateModified']/.."
)
# Dates shown for readers: specific date elements (first choice) and footer/byline lines
# (second choice, told apart by _is_date_element), attribute first as above.
_SHOWN_DATES = Elements(
    "descendant-or-self::*/@class[contains(., 'date') or contains(., 'timestamp')"
    " or contains(., 'published')"
    " or contains(., 'post-footer') or contains(., 'byline')"
    " or contains(., 'post-info') or contains(., 'post-meta')"
    " or contains(., 'postmeta') or contains(., 'entry-meta')]/.."
    " | descendant-or-self::*/@itemprop[. = 'datePublished']/.. | descendant-or-self::time"
    " | descendant-or-self::a/@rel[. = 'bookmark']/.."
)
_DATE_CLASS_WORDS = ("date", "timestamp", "published")
# Beyond the post's own box only Blogger's per-day date header counts: it sits above the
# post's outer blocks (a cheap query where the subtrees beside the body grow large).
_DATE_HEADERS = Elements("descendant-or-self::*/@class[contains(., 'date-header')]/..")
_SHOWN_DATE_QUERIES = {1: _SHOWN_DATES, POST_LEVELS[-1] + 1: _DATE_HEADERS}
_SHOWN_DATE_REACH = 6
_OTHER_POST_TOKENS = frozenset({"post-outer", "post", "hentry", "date-outer"})
_SHOWN_DATE_LENGTH = 300
_DATE_ATTRIBUTES = ("datetime", "content", "data-text", "title")


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
    def accept(element: HtmlElement) -> bool:
        # A comment's schema.org datePublished is the comment's, never the post's.
        return _attribute_time(element) is not None and belongs_to_post(element, near)

    dated = search_beside(near, xpath, levels, accept=accept)
    element = near.nearest(dated)
    return _attribute_time(element) if element is not None else None


def belongs_to_post(element: HtmlElement, near: BodyNeighbourhood) -> bool:
    """Whether ``element`` sits in the post's own surroundings, not in another item's box.

    Walks from ``element`` up to the ancestor it shares with the body: a comment, a sidebar
    widget, a related/popular/archive list or another post's container on the way means the
    element belongs to something else.
    """
    shared = near.ancestors[min(near.distance(element), len(near.ancestors) - 1)]
    for box in element.iterancestors():
        if box is shared:
            break
        other_post = _OTHER_POST_TOKENS.intersection((box.get("class") or "").split())
        if other_post or is_foreign_box(box):
            return False
    return not is_foreign_box(element)


def _shown_date(element: HtmlElement, hint: tuple[int, int] | None) -> date | None:
    tokens = (element.get("class") or "").lower()
    if "update" in tokens and element.get("itemprop") != "datePublished":
        return None  # an update time, not the publication's
    text = element.text_content()
    if len(text) > _SHOWN_DATE_LENGTH:
        return None  # a date element or byline line is short; this contains other things
    day = date_in_text(text, hint)
    if day is None:
        # A date-only or zone-less datetime ("2016-06-15"), or Plus UI's empty element whose
        # date is written in data-text / title, still states the day.
        for name in _DATE_ATTRIBUTES:
            value = element.get(name)
            if value and (day := date_in_text(value[:_SHOWN_DATE_LENGTH], hint)) is not None:
                break
    return day


def _is_date_element(element: HtmlElement) -> bool:
    """Whether ``element`` is a date element rather than a footer or byline line."""
    if element.tag == "time" or element.get("itemprop") == "datePublished":
        return True
    if element.tag == "a" and element.get("rel") == "bookmark":
        return True
    classes = (element.get("class") or "").lower()
    return any(word in classes for word in _DATE_CLASS_WORDS)


def shown_date(near: BodyNeighbourhood, url: str) -> date | None:
    """Return the publication day the page shows for readers next to the post, or None.

    The nearest distance with any evidence decides: date elements there win over footer
    lines; two different dates among them give None.
    """
    hint = url_year_month(url)
    # Comment threads and sidebars are skipped whole: none of their dates can be the post's.
    for found in beside_body(near, _SHOWN_DATE_QUERIES, _SHOWN_DATE_REACH, skip=is_foreign_box):
        days: dict[bool, set[date]] = {True: set(), False: set()}
        for element in found.nearest_first:
            if belongs_to_post(element, near):
                day = _shown_date(element, hint)
                if day is not None:
                    days[_is_date_element(element)].add(day)
        chosen = days[True] or days[False]
        if chosen:
            # Two different dates at the same distance: neither is known to be this post's.
            return chosen.pop() if len(chosen) == 1 else None
    return None


def midnight_utc(day: date) -> datetime:
    """Return the start of ``day`` in UTC (how a date shown without a zone is stored)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


_DATE_LINE_REACH = 3
_DATE_LINE_LEAD = 120


def split_date_line(paragraphs: list[str], url: str) -> tuple[list[str], date | None]:
    """Take a template's date line from the head of the body: ``(rest, its date)``.

    A paragraph among the first three that is a template's date line
    (``9/15/2010 06:00:00 AM``; see :func:`crawler.parsing.date_text.is_date_line`), with
    only short lines (a byline) before it and text after it, is the template's, not the
    author's. Returns ``paragraphs`` unchanged and None when
    there is no such line.
    """
    hint = url_year_month(url)
    for index, paragraph in enumerate(paragraphs[:_DATE_LINE_REACH]):
        if len(paragraph) > _DATE_LINE_LEAD:
            break
        if index + 1 < len(paragraphs) and is_date_line(paragraph, hint):
            return [*paragraphs[:index], *paragraphs[index + 1 :]], date_in_text(paragraph, hint)
    return paragraphs, None


def published_time(
    near: BodyNeighbourhood,
    ld: JsonLdPost | None,
    url: str,
    date_line: date | None = None,
    head: HeadFacts | None = None,
) -> datetime | None:
    """Return when the post was published (see the module docstring for the evidence).

    ``url`` is the record's URL (its ``/YYYY/MM/`` checks shown dates); ``date_line`` is the
    date of a date line the parse stage took from the head of the body, if any; ``head``
    gives the page's ``article:published_time`` (after JSON-LD).
    """
    found = _nearest_time(near, _PUBLISHED_ATTRS, POST_LEVELS)
    if found is None and ld is not None:
        found = parse_timestamp(ld.date_published)
    if found is None and head is not None:
        found = parse_timestamp(head.published_time)
    if found is not None:
        return found
    day = date_line or shown_date(near, url)
    return midnight_utc(day) if day is not None else None


def updated_time(
    near: BodyNeighbourhood, ld: JsonLdPost | None, head: HeadFacts | None = None
) -> datetime | None:
    """Return when the post was last modified, if the page says so."""
    # Blogger writes the update time (when at all) in the post's own footer: one level range.
    found = _nearest_time(near, _UPDATED_ATTRS, POST_LEVELS[:1])
    if found is None and ld is not None:
        found = parse_timestamp(ld.date_modified)
    if found is None and head is not None:
        found = parse_timestamp(head.modified_time)
    return found
