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
URL's ``/YYYY/MM/``, the answer is None (null over wrong). A date whose day and month could
be either way round (``1/05/2006``) is read with the post URL's month, or, on a page read
without its URL, with that of the date's own permalink, when its link is one. Naive machine
timestamps are ignored rather than guessed. The update time is read from machine-readable
evidence only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

from lxml.html import HtmlElement

from crawler.parsing.around import (
    EVIDENCE_REACH,
    Candidate,
    beside_body,
    candidate_of,
    candidates_beside,
    remembered_class_test,
    search_evidence,
)
from crawler.parsing.date_text import (
    date_in_text,
    is_date_line,
    month_may_settle,
    url_year_month,
)
from crawler.parsing.head import HeadFacts
from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.proximity import POST_LEVELS, BodyNeighbourhood, is_foreign_box
from crawler.parsing.xpath import Elements

# Machine-readable times (abbr.published[title], time.published[datetime], itemprop), and
# dates shown for readers (date elements first, then footer and byline lines, told apart by
# _is_date_element), among the evidence around the body (crawler.parsing.around): each test
# accepts what ``descendant-or-self::*`` with it selects (pinned by test_parsing_xpath_forms.py).
_SHOWN_DATE_CLASS_WORDS = (
    "date",
    "timestamp",
    "published",
    "post-footer",
    "byline",
    "post-info",
    "post-meta",
    "postmeta",
    "entry-meta",
)


def is_published_evidence(element: HtmlElement) -> bool:
    """``abbr`` or ``time`` whose class holds ``published``, or ``[itemprop=datePublished]``."""
    return is_published_candidate(candidate_of(element))


def is_published_candidate(candidate: Candidate) -> bool:
    """:func:`is_published_evidence` of a candidate, from the attributes the walk read."""
    if candidate.itemprop == "datePublished":
        return True
    return candidate.tag in _TIMED_TAGS and "published" in (candidate.classes or "")


def is_updated_evidence(element: HtmlElement) -> bool:
    """``abbr`` or ``time`` whose class holds ``updated``, or ``[itemprop=dateModified]``."""
    return is_updated_candidate(candidate_of(element))


def is_updated_candidate(candidate: Candidate) -> bool:
    """:func:`is_updated_evidence` of a candidate, from the attributes the walk read."""
    if candidate.itemprop == "dateModified":
        return True
    return candidate.tag in _TIMED_TAGS and "updated" in (candidate.classes or "")


def is_shown_date_evidence(element: HtmlElement) -> bool:
    """Whether ``element`` is a date element or a footer/byline line.

    A class holding one of :data:`_SHOWN_DATE_CLASS_WORDS`, ``[itemprop=datePublished]``,
    any ``time`` and a permalink (``a[rel=bookmark]``).
    """
    return is_shown_date_candidate(candidate_of(element))


def is_shown_date_candidate(candidate: Candidate) -> bool:
    """:func:`is_shown_date_evidence` of a candidate, from the attributes the walk read."""
    classes = candidate.classes
    if classes is not None and _is_shown_date_class(classes):
        return True
    tag = candidate.tag
    return bool(
        tag == "time"
        or candidate.itemprop == "datePublished"
        or (tag == "a" and candidate.rel == "bookmark")
    )


_TIMED_TAGS = frozenset({"abbr", "time"})
_DATE_CLASS_WORDS = ("date", "timestamp", "published")
# The words above, each list in one search of a class (not a generator of substring tests).
_SHOWN_DATE_CLASS = re.compile("|".join(_SHOWN_DATE_CLASS_WORDS)).search
_DATE_CLASS = re.compile("|".join(_DATE_CLASS_WORDS)).search


@remembered_class_test
def _is_shown_date_class(classes: str) -> bool:
    return _SHOWN_DATE_CLASS(classes) is not None


# Beyond the post's own box only Blogger's per-day date header counts: it sits above the
# post's outer blocks (a cheap query where the subtrees beside the body grow large).
_DATE_HEADERS = Elements("descendant-or-self::*/@class[contains(., 'date-header')]/..")
_DATE_HEADER_QUERIES = {EVIDENCE_REACH + 1: _DATE_HEADERS}
_SHOWN_DATE_REACH = 6
_OTHER_POST_TOKENS = frozenset({"post-outer", "post", "hentry", "date-outer"})
_SHOWN_DATE_LENGTH = 300
_DATE_ATTRIBUTES = ("datetime", "content", "data-text", "title")
_PERMALINKS_READ = 4
"""Links of a date element read for its permalink (a byline holds one or two)."""


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
    near: BodyNeighbourhood, kind: Callable[[Candidate], bool], levels: tuple[int, ...]
) -> datetime | None:
    def accept(element: HtmlElement) -> bool:
        # A comment's schema.org datePublished is the comment's, never the post's.
        return _attribute_time(element) is not None and belongs_to_post(element, near)

    dated = search_evidence(near, kind, levels, accept=accept)
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
    if (
        day is None
        and hint is None
        and month_may_settle(text)
        and (linked := _permalink_year_month(element)) is not None
    ):
        # A date whose order (or century) the text leaves open ("1/05/2006", "6/15/05"), on
        # a page read without its post URL: the date's own link, the post's permalink (a
        # classic byline's "posted by NAME at <a href=PERMALINK>1/05/2006 06:42 AM</a>"),
        # states its month.
        day = date_in_text(text, linked)
    if day is None:
        # A date-only or zone-less datetime ("2016-06-15"), or Plus UI's empty element whose
        # date is written in data-text / title, still states the day.
        for name in _DATE_ATTRIBUTES:
            value = element.get(name)
            if value and (day := date_in_text(value[:_SHOWN_DATE_LENGTH], hint)) is not None:
                break
    return day


def _permalink_year_month(element: HtmlElement) -> tuple[int, int] | None:
    """Return the ``/YYYY/MM/`` of the post URL that ``element``'s links name, or None.

    The links are ``element`` itself when it is one, and those inside it, the first
    :data:`_PERMALINKS_READ` of them (more, or links to posts of two months: None).
    """
    months: set[tuple[int, int]] = set()
    for count, link in enumerate(element.iter("a")):
        if count == _PERMALINKS_READ:
            return None
        href = link.get("href")
        month = url_year_month(href) if href else None
        if month is not None:
            months.add(month)
    return months.pop() if len(months) == 1 else None


def _is_date_element(element: HtmlElement) -> bool:
    """Whether ``element`` is a date element rather than a footer or byline line."""
    if element.tag == "time" or element.get("itemprop") == "datePublished":
        return True
    if element.tag == "a" and element.get("rel") == "bookmark":
        return True
    classes = (element.get("class") or "").lower()
    return _DATE_CLASS(classes) is not None


def shown_date(near: BodyNeighbourhood, url: str) -> date | None:
    """Return the publication day the page shows for readers next to the post, or None.

    The nearest distance with any evidence decides: date elements there win over footer
    lines; two different dates among them give None.
    """
    hint = url_year_month(url)
    for found in _shown_date_evidence(near):
        days: dict[bool, set[date]] = {True: set(), False: set()}
        for element in found:
            if belongs_to_post(element, near):
                day = _shown_date(element, hint)
                if day is not None:
                    days[_is_date_element(element)].add(day)
        chosen = days[True] or days[False]
        if chosen:
            # Two different dates at the same distance: neither is known to be this post's.
            return chosen.pop() if len(chosen) == 1 else None
    return None


def _shown_date_evidence(near: BodyNeighbourhood) -> Iterator[list[HtmlElement]]:
    """Yield the shown-date evidence at distance 1, 2 ... :data:`_SHOWN_DATE_REACH`.

    Nearest first at each distance: date elements and footer lines in the post's own box,
    Blogger's date headers beyond it. Comment threads and sidebars are skipped whole: none
    of their dates can be the post's.
    """
    top = len(near.ancestors) - 1
    for distance in range(1, min(EVIDENCE_REACH, top) + 1):
        before, after = candidates_beside(near, distance)
        yield [c.element for c in (*before, *after) if is_shown_date_candidate(c)]
    headers = _DATE_HEADER_QUERIES
    for beside in beside_body(near, headers, _SHOWN_DATE_REACH, skip=is_foreign_box):
        yield beside.nearest_first


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
    found = _nearest_time(near, is_published_candidate, POST_LEVELS)
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
    found = _nearest_time(near, is_updated_candidate, POST_LEVELS[:1])
    if found is None and ld is not None:
        found = parse_timestamp(ld.date_modified)
    if found is None and head is not None:
        found = parse_timestamp(head.modified_time)
    return found
