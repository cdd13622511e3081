"""Search beside the post body, level by level, without walking through the body itself.

:class:`crawler.parsing.proximity.BodyNeighbourhood` searches whole ancestor subtrees, which
include the body; for evidence that is never inside the body (a date header, a byline, a
comment link) that traversal is wasted on the body's often thousands of elements. Here each
level ``n`` is searched only in the subtrees of the siblings of the body's ancestor ``n - 1``:
exactly the elements whose distance to the body is ``n``, nearest level first, with the
elements that precede the body told apart from those that follow it. Boxes that hold other
items (a comment thread, a sidebar widget, a related-posts list) can be skipped whole: on a
page with thousands of comments that is most of the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, TypeVar, cast

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing.proximity import BodyNeighbourhood, is_foreign_box
from crawler.parsing.xpath import Elements


@dataclass(frozen=True, slots=True)
class Beside:
    """The matches at one distance from the body, in page order on each side."""

    distance: int
    before: list[HtmlElement]
    after: list[HtmlElement]

    @property
    def nearest_first(self) -> list[HtmlElement]:
        """The matches before the body (a heading or date header precedes its post) first."""
        return [*self.before, *self.after]


Query = Callable[[HtmlElement], list[HtmlElement]]
"""A search of one subtree (itself included): an :class:`Elements` or a Python equivalent."""


def beside_body(
    near: BodyNeighbourhood,
    queries: Mapping[int, Query],
    max_distance: int,
    *,
    skip: Callable[[HtmlElement], bool] | None = None,
) -> Iterator[Beside]:
    """Yield the matches at distance 1, 2, ... ``max_distance`` from the body.

    ``queries`` maps a distance to the query run there (the query for the largest distance
    at or below it applies; each must select with ``descendant-or-self::``). A sibling
    subtree for which ``skip`` is true (a comment thread, a sidebar) is not searched at all.
    Levels above the document's root are not searched.
    """
    top = len(near.ancestors) - 1
    query: Query | None = None
    for distance in range(1, min(max_distance, top) + 1):
        query = queries.get(distance, query)
        if query is None:
            continue
        before: list[HtmlElement] = []
        after: list[HtmlElement] = []
        siblings_before, siblings_after = _siblings(near, distance, skip)
        for sibling in siblings_before:
            before.extend(query(sibling))
        for sibling in siblings_after:
            after.extend(query(sibling))
        yield Beside(distance, before, after)


_Siblings = tuple[list[HtmlElement], list[HtmlElement]]


def _siblings(
    near: BodyNeighbourhood, distance: int, skip: Callable[[HtmlElement], bool] | None
) -> _Siblings:
    """Return the siblings (before, after) of the body's ancestor ``distance - 1`` kept.

    Kept: elements that ``skip`` (if any) spares.

    Cached on ``near`` per distance and skip rule: a post's author, dates, labels and comment
    link are each searched beside the same body, and the skip rule reads every sibling's
    class and id.
    """
    key = (distance, skip)
    cache = near.siblings_beside
    found = cache.get(key)
    if found is None:
        # The foreign-box rule's answers are kept on ``near`` (the container search asks too).
        skip = near.is_foreign if skip is is_foreign_box else skip
        found = ([], [])
        for after, sibling in near.beside(distance):
            if skip is None or not skip(sibling):
                found[after].append(sibling)
        cache[key] = found
    return found


def search_beside(
    near: BodyNeighbourhood,
    query: Elements,
    levels: tuple[int, ...],
    *,
    accept: Callable[[HtmlElement], bool] | None = None,
    skip: Callable[[HtmlElement], bool] | None = is_foreign_box,
) -> list[HtmlElement]:
    """Return the (accepted) matches within the smallest of ``levels`` that has any.

    Like :meth:`BodyNeighbourhood.search` without the whole-page step, but never through
    the body nor (by default) through boxes of other items; ``query`` must select with
    ``descendant-or-self::``. Nearest distance first, page order within one distance.
    """
    found: list[HtmlElement] = []
    bounds = sorted(levels)
    for beside in beside_body(near, {1: query}, bounds[-1], skip=skip):
        matches = beside.nearest_first
        found.extend(matches if accept is None else [e for e in matches if accept(e)])
        if beside.distance in bounds and found:
            return found
    return found


# Every element that may be evidence of the post's author, times, shown date or labels: a
# superset of what each reader's test accepts (see is_author_evidence in metadata, and
# dates' is_published_evidence and the rest). Found in one walk of each sibling subtree for
# them all, where an XPath query per reader cost a scan each, and libxml2 copies an
# attribute's string for every ``contains`` it is tested by: a regular expression tests a
# class for every word at once. "date" covers "updated", "info" and "meta" the classes that
# end so.
_EVIDENCE_WORDS = (
    "author", "fn", "post-footer", "byline", "pNm", "published", "date", "timestamp", "info",
    "meta", "post-labels",
)  # fmt: skip
_EVIDENCE_CLASS = re.compile("|".join(map(re.escape, _EVIDENCE_WORDS))).search
_R = TypeVar("_R")
_CLASS_CACHE_SIZE = 4_096
"""Class values whose tests are remembered (a template repeats a few; pages are untrusted)."""
_CLASS_CACHE_LENGTH = 256
"""The longest class value remembered: the cache holds a few megabytes at most."""


def remembered_class_test(test: Callable[[str], _R]) -> Callable[[str], _R]:
    """Return ``test`` of a class value, its answers remembered per value (bounded).

    A search of eleven alternatives costs ``re`` about 0.4 us a class, a dictionary lookup a
    tenth; the candidates around a post repeat a few class values, and so do a template's
    pages. Values longer than :data:`_CLASS_CACHE_LENGTH` are tested, not remembered.
    """
    cached = lru_cache(maxsize=_CLASS_CACHE_SIZE)(test)

    def tested(classes: str) -> _R:
        return cached(classes) if len(classes) <= _CLASS_CACHE_LENGTH else test(classes)

    return tested


@remembered_class_test
def _is_evidence_class(classes: str) -> bool:
    return _EVIDENCE_CLASS(classes) is not None


_EVIDENCE_ITEMPROPS = frozenset({"name", "datePublished", "dateModified"})
_EVIDENCE_RELS = frozenset({"author", "tag", "bookmark"})


def _evidence_in_boxes() -> Elements:
    """Return the evidence walk's test (see :func:`candidates_in`) as one query over ``$boxes``.

    Selects, in page order, the candidates in the subtrees of the elements of ``$boxes``
    (themselves included). libxml2 walks a subtree in C and makes no Python object for an
    element it passes over: a 71-element sidebar cell costs 16 us so, 40 us walked in Python.
    Attribute steps, not element predicates (``*[@a or @b]`` costs libxml2 three times more).
    """
    words = " or ".join(f"contains(., '{word}')" for word in _EVIDENCE_WORDS)

    def equal_to(values: frozenset[str]) -> str:
        return " or ".join(f".='{value}'" for value in sorted(values))

    step = "$boxes/descendant-or-self::"
    return Elements(
        f"{step}*/@class[{words}]/.. | {step}*/@itemprop[{equal_to(_EVIDENCE_ITEMPROPS)}]/.."
        f" | {step}*/@rel[{equal_to(_EVIDENCE_RELS)}]/.. | {step}time"
    )


_EVIDENCE_IN_BOXES = _evidence_in_boxes()
_QUERIED_CHILDREN = 4
"""Boxes holding this many children or more are searched by :data:`_EVIDENCE_IN_BOXES`.

The query's fixed cost (about 7 us) is that of walking five to eight elements in Python
(0.9 us each); the children are a floor of the elements below, known without a walk.
"""


class Candidate(NamedTuple):
    """An element that may be evidence, with the attributes the readers' tests read.

    Read once, by the walk that found it: each reader tested every candidate again through
    lxml (a string made per attribute read, four readers, a score of candidates a page). A
    named tuple: built in 0.23 us where a frozen dataclass took 0.55.
    """

    element: HtmlElement
    tag: str
    classes: str | None
    itemprop: str | None
    rel: str | None


def candidate_of(element: HtmlElement) -> Candidate:
    """Return ``element`` as a :class:`Candidate` (its attributes read now)."""
    return Candidate(
        element, element.tag, element.get("class"), element.get("itemprop"), element.get("rel")
    )


class RingElement(NamedTuple):
    """What the first-ring walk read of an element, for the tests of :func:`answer_in_first_ring`.

    Built only for the elements the walk's gate lets through (a heading tag,
    ``data-num-comments``, the word or the link below): a few per page.
    """

    tag: str
    classes: str | None
    ident: str | None
    itemprop: str | None
    counted: bool
    """Whether the element has ``data-num-comments``."""
    href: str | None


FirstRingTest = Callable[[RingElement], bool]
"""A test of an element as a query tests it, from what the walk read of it."""
_FIRST_RING_QUERIES: list[tuple[Elements, FirstRingTest]] = []
# An element without a heading tag, data-num-comments, the word in its class or id or the
# link in its address passes no first-ring test, and none is asked of it (most elements).
_FIRST_RING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_FIRST_RING_WORD = "comment"
_FIRST_RING_LINK = "#comments"


def answer_in_first_ring(query: Elements, test: FirstRingTest) -> None:
    """Have the first-ring walk answer ``query`` (a ``.//`` query) by ``test`` of each element.

    ``test`` must accept exactly the elements ``query`` selects (given their tag, class, id,
    itemprop, whether they have ``data-num-comments``, and their ``href``), and only elements
    with a heading tag, ``data-num-comments``, :data:`_FIRST_RING_WORD` in their class or id
    or :data:`_FIRST_RING_LINK` in their ``href`` (the walk asks no test of the others).
    Called once per query, at import.
    """
    _FIRST_RING_QUERIES.append((query, test))


def walk_first_ring(near: BodyNeighbourhood) -> None:
    """Read the candidate evidence beside the body (distance 1), keeping the first ring's answers.

    One Python walk of the body's siblings' subtrees reads the evidence candidates
    (:func:`candidates_beside`) and answers the queries of :func:`answer_in_first_ring`
    (the title headings, the comment evidence) for that ring, which the title, the comment
    container and the count each searched by XPath again (walks in C of the same subtrees:
    275K and 92K instructions on 001, where the tests cost this walk 80K more). The answers are
    kept only where no sibling is a box of other items: the walk passes over those (a
    comment thread), the searches do not.
    """
    if len(near.ancestors) > 1:
        candidates_beside(near, 1)


def _walked(
    box: HtmlElement, found: list[Candidate], answers: list[list[HtmlElement]] | None
) -> None:
    """Append ``box``'s candidates (see :func:`candidates_in`) to ``found``.

    With ``answers``, also each element a first-ring test accepts to that test's list.
    """
    for element in box.iter(etree.Element):
        tag = element.tag
        classes = ident = itemprop = rel = href = None
        counted = False
        # One read of all the attributes (an element has a few) costs less than a read per
        # name (five here).
        for name, value in element.items():
            if name == "class":
                classes = value
            elif name == "id":
                ident = value
            elif name == "itemprop":
                itemprop = value
            elif name == "rel":
                rel = value
            elif name == "data-num-comments":
                counted = True
            elif name == "href":
                href = value
        if (
            (classes is not None and _is_evidence_class(classes))
            or itemprop in _EVIDENCE_ITEMPROPS
            or rel in _EVIDENCE_RELS
            or tag == "time"
        ):
            found.append(Candidate(element, tag, classes, itemprop, rel))
        if answers is not None and (
            tag in _FIRST_RING_TAGS
            or counted
            or (classes is not None and _FIRST_RING_WORD in classes)
            or (ident is not None and _FIRST_RING_WORD in ident)
            or (href is not None and _FIRST_RING_LINK in href)
        ):
            read = RingElement(tag, classes, ident, itemprop, counted, href)
            for (_, test), matches in zip(_FIRST_RING_QUERIES, answers, strict=True):
                if test(read):
                    matches.append(element)


def candidates_in(box: HtmlElement) -> list[Candidate]:
    """Return the candidate evidence in ``box``'s subtree (itself included), in page order.

    Elements whose class holds an evidence word, whose ``itemprop`` is ``name``,
    ``datePublished`` or ``dateModified``, whose ``rel`` is ``author``, ``tag`` or
    ``bookmark``, and every ``time``.
    """
    found: list[Candidate] = []
    _walked(box, found, None)
    return found


def evidence_in(box: HtmlElement) -> list[HtmlElement]:
    """Return the elements of :func:`candidates_in` (the evidence walk's definition)."""
    return [candidate.element for candidate in candidates_in(box)]


EVIDENCE_REACH = 3
"""The farthest distance from the body that evidence is read at (the post's own box)."""


def candidates_beside(
    near: BodyNeighbourhood, distance: int
) -> tuple[list[Candidate], list[Candidate]]:
    """Return the candidate evidence at ``distance`` (at most :data:`EVIDENCE_REACH`).

    Before and after the body's path: what :func:`candidates_in` finds in the subtrees
    :func:`beside_body` searches there, outside the boxes of other items
    (:func:`is_foreign_box`). Cached on ``near``: the author, the times, the shown date and
    the labels are all read from it.
    """
    cached = cast(
        "tuple[list[Candidate], list[Candidate]] | None", near.candidates_beside.get(distance)
    )
    if cached is None:
        siblings_before, siblings_after = _siblings(near, distance, is_foreign_box)
        # At distance 1, the walk answers the first ring's queries too (walk_first_ring),
        # where it passes over no sibling: every element sibling is a kept one.
        whole = distance == 1 and len(siblings_before) + len(siblings_after) == len(near.beside(1))
        answers: list[list[HtmlElement]] | None = (
            [[] for _ in _FIRST_RING_QUERIES] if whole else None
        )
        cached = ([], [])
        for side, siblings in zip(cached, (siblings_before, siblings_after), strict=True):
            if answers is None and sum(map(len, siblings)) >= _QUERIED_CHILDREN:
                found = _EVIDENCE_IN_BOXES(siblings[0], boxes=siblings)
                side.extend(map(candidate_of, found))
                continue
            for sibling in siblings:
                _walked(sibling, side, answers)
        if answers is not None:
            for (query, _), matches in zip(_FIRST_RING_QUERIES, answers, strict=True):
                near.keep_first_ring(query, matches)
        near.candidates_beside[distance] = cached
    return cached


def search_candidates(
    near: BodyNeighbourhood,
    kind: Callable[[Candidate], bool],
    levels: tuple[int, ...],
    *,
    accept: Callable[[HtmlElement], bool] | None = None,
) -> list[Candidate]:
    """:func:`search_beside` for the evidence of one ``kind`` (a test of the candidates).

    The candidates of the same matches in the same order as ``search_beside`` with the query
    that selects exactly what ``kind`` accepts; ``levels`` may not reach beyond
    :data:`EVIDENCE_REACH`.
    """
    found: list[Candidate] = []
    bounds = sorted(levels)
    if bounds[-1] > EVIDENCE_REACH:
        raise ValueError("evidence is read within the post's own box only")
    for distance in range(1, min(bounds[-1], len(near.ancestors) - 1) + 1):
        before, after = candidates_beside(near, distance)
        for candidate in (*before, *after):
            if kind(candidate) and (accept is None or accept(candidate.element)):
                found.append(candidate)
        if distance in bounds and found:
            return found
    return found


def search_evidence(
    near: BodyNeighbourhood,
    kind: Callable[[Candidate], bool],
    levels: tuple[int, ...],
    *,
    accept: Callable[[HtmlElement], bool] | None = None,
) -> list[HtmlElement]:
    """Return the elements of :func:`search_candidates`."""
    return [c.element for c in search_candidates(near, kind, levels, accept=accept)]
