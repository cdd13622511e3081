"""Pick, among elements found around the post body, the one that belongs to the post.

Blogger pages repeat post-like markup in sidebars (popular posts, related posts, archive
lists, a second copy of the post in a listing behind an overlay). Rather than one rule per
theme, every piece of metadata is taken from the candidate that shares the deepest ancestor
with the chosen body: the post's own title, byline and comment section sit next to its body,
the sidebar's copies sit far away.

Searching the whole tree is as costly as a good part of parsing it, so queries run first in
the body's near neighbourhood (its ancestor 1, then 3, then 6 levels up) and reach the whole
document only when the neighbourhood has no match. The nearest match found in the smallest
neighbourhood is also the nearest in the whole page.

Each widening searches only the *ring* it adds, never the body (whose matches never count,
and which on pages of thousands of paragraphs is most of the tree) nor a smaller
neighbourhood already searched: the siblings of the body's ancestors (with their subtrees)
and the ancestors themselves, by one XPath call per ring over the ancestors it spans,
results in page order. (A call per ancestor and side cost 17 calls per query on a page
where nothing matches; a call costs more than walking a small post box.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing.xpath import Elements

_T = TypeVar("_T", bound=HtmlElement)

NEIGHBOURHOOD_LEVELS = (1, 3, 6)
"""Ancestor levels searched, in order, before the whole document."""

POST_LEVELS = (1, 3)
"""Levels for what Blogger writes inside the post's own box (byline, labels, dates): the
body's parent is ``div.post`` in most themes; three levels up covers wrapper divs."""


# Boxes whose content belongs to other items: comments, sidebar widgets, other posts' lists.
_FOREIGN_MARKERS = ("comment", "sidebar", "related", "popular", "archive", "recent")
# No marker holds whitespace, so one is in a class token exactly when it is in the class.
_FOREIGN_MARKER = re.compile("|".join(_FOREIGN_MARKERS)).search
_WIDGET_TOKENS = frozenset({"widget", "sidebar"})
_FOREIGN_BOXES: dict[tuple[str | None, str | None], bool] = {}
_MAX_FOREIGN_BOXES = 4_096
"""Class and id pairs remembered at most (a template repeats a few; pages are untrusted)."""


def is_foreign_box(element: HtmlElement) -> bool:
    """Whether ``element`` is a box of other items: comments, a side widget, a posts list.

    Judged by its class tokens and id (``comments``, ``comment-thread``, ``sidebar``,
    ``widget PopularPosts``, ``related-posts`` ...); Blogger's own Blog widget is not one.
    The answer is remembered per class and id: the boxes around a body are asked about
    again for every piece of evidence near it.
    """
    key = (element.get("class"), element.get("id"))
    foreign = _FOREIGN_BOXES.get(key)
    if foreign is None:
        classes, identifier = (key[0] or "").lower(), (key[1] or "").lower()
        tokens = classes.split()
        foreign = bool(
            (_WIDGET_TOKENS.intersection(tokens) and "blog" not in tokens)
            or _FOREIGN_MARKER(classes)
            or _FOREIGN_MARKER(identifier)
        )
        if len(_FOREIGN_BOXES) >= _MAX_FOREIGN_BOXES:
            _FOREIGN_BOXES.clear()
        _FOREIGN_BOXES[key] = foreign
    return foreign


_SMALL_SUBTREE = 16
"""Elements a subtree may have for :func:`_holds_none_passing` to look at them one by one."""


def _holds_none_passing(subtree: HtmlElement, passes: Callable[[HtmlElement], bool]) -> bool:
    """Whether ``subtree`` is small (:data:`_SMALL_SUBTREE`) and none of its elements passes.

    False for a bigger subtree, which is not looked at (its query decides).
    """
    for looked, element in enumerate(subtree.iter(etree.Element)):
        if looked == _SMALL_SUBTREE or passes(element):
            return False
    return True


class BodyNeighbourhood:
    """Distances from one body element to other elements of the same tree."""

    def __init__(
        self,
        body: HtmlElement,
        *,
        walk_first_ring: Callable[[BodyNeighbourhood], None] | None = None,
        page_ids: str | None = None,
        body_end: HtmlElement | None = None,
    ) -> None:
        """Remember ``body`` and the depth of each of its ancestors (body itself is 0).

        ``walk_first_ring`` is called once, before the first search of the first ring (the
        body's siblings' subtrees), with this neighbourhood: a walk that reads that ring for
        other reasons may keep its answers to searches (:meth:`keep_first_ring`), which are
        then not run (:func:`crawler.parsing.around.walk_first_ring`). ``page_ids`` is every
        value the page's id table files, each after a newline (as
        :meth:`crawler.parsing.themes.base.PageFacts.read_ids_text` gives them), if the
        caller has read them: :meth:`filed` then looks up no name the table lacks.
        ``body_end``: the later sibling of ``body`` (a marker) that ends the post's text, when
        the text is the nodes between them (:class:`~crawler.parsing.themes.base.PostLocation`);
        the evidence walks pass over those nodes.
        """
        self.body = body
        self.body_end = body_end
        self.ancestors: list[HtmlElement] = [body, *body.iterancestors()]
        self.root: HtmlElement = self.ancestors[-1]
        self._levels = {element: level for level, element in enumerate(self.ancestors)}
        self.siblings_beside: dict[
            tuple[int, object], tuple[list[HtmlElement], list[HtmlElement]]
        ] = {}
        """Element siblings around the body per (distance, skip rule), kept by
        :mod:`crawler.parsing.around` between searches (the tree is not modified)."""
        self.candidates_beside: dict[int, object] = {}
        """The evidence candidates :mod:`crawler.parsing.around` found, per distance."""
        self._rings: dict[tuple[str, int, int], list[HtmlElement]] = {}
        self._walk_first_ring = walk_first_ring
        self._page_ids = page_ids
        self._filed: dict[str, list[HtmlElement]] = {}
        self._lines_filed: dict[re.Pattern[str], bool] = {}
        self._foreign: dict[HtmlElement, bool] = {}
        self._bounds: dict[tuple[int, ...], list[tuple[int, int]]] = {}
        # The siblings beside the body's path per distance (the tree is not modified): the
        # evidence walk, the container search and the count each go through them.
        self._beside: dict[int, tuple[tuple[bool, HtmlElement], ...]] = {}

    def is_foreign(self, element: HtmlElement) -> bool:
        """Return :func:`is_foreign_box` of ``element``, remembered per element.

        The siblings beside the body are asked by the container search and by the evidence
        walk; reading an attribute of a freshly parsed tree costs about 2K instructions
        (2 us for the two of a box), the answer remembered a dictionary look-up.
        """
        foreign = self._foreign.get(element)
        if foreign is None:
            foreign = self._foreign[element] = is_foreign_box(element)
        return foreign

    def filed(self, query: Elements, line: re.Pattern[str]) -> list[HtmlElement]:
        """Return ``query``'s elements in the document: an ``id()`` lookup of names.

        Every name ``query`` looks up is a value ``line`` finds (see :meth:`may_file`).
        Asked once per query and kept (the comment container search and the count share
        their lookups), and not asked at all when the page's id table files no such value:
        one search of the ids' text instead of an XPath call.
        """
        found = self._filed.get(query.expression)
        if found is None:
            found = query(self.root) if self.may_file(line) else []
            self._filed[query.expression] = found
        return found

    def may_file(self, line: re.Pattern[str]) -> bool:
        """Whether the page's id table may file a value that ``line`` finds (asked once).

        ``line`` is searched in the ids' text (``page_ids``: each value after a newline), so
        it starts with a newline. True when the ids were not read; a value holding a newline
        may make a line look like one (a lookup then runs, which is exact either way).
        """
        files = self._lines_filed.get(line)
        if files is None:
            files = self._page_ids is None or line.search(self._page_ids) is not None
            self._lines_filed[line] = files
        return files

    def distance(self, element: HtmlElement) -> int:
        """Levels from the body up to the nearest ancestor it shares with ``element``.

        0 means ``element`` is inside the body (or is the body).
        """
        levels = self._levels
        node: HtmlElement | None = element
        while node is not None:
            level = levels.get(node)
            if level is not None:
                return level
            node = node.getparent()
        return len(levels)

    def precedes_body(self, element: HtmlElement) -> bool:
        """Whether ``element`` starts before the body in the source (by source line)."""
        return (element.sourceline or 0) <= (self.body.sourceline or 0)

    def search(
        self,
        query: Elements,
        *,
        whole_page: bool = True,
        levels: tuple[int, ...] = NEIGHBOURHOOD_LEVELS,
        accept: Callable[[HtmlElement], bool] | None = None,
    ) -> list[HtmlElement]:
        """Run the relative ``query`` (``.//...``) in growing neighbourhoods of the body.

        Returns the matches outside the body (and, with ``accept``, accepted by it) from the
        smallest neighbourhood that has any, trying the ancestors ``levels`` up (increasing);
        the whole document is searched last, unless ``whole_page`` is False. Matches are in
        page order. A query that :func:`ring_query` cannot split into rings (a step other
        than ``.//``, a positional predicate) is run on each whole neighbourhood instead.
        """
        for found in self.widenings(query, whole_page=whole_page, levels=levels):
            if accept is not None:
                found = [element for element in found if accept(element)]
            if found:
                return found
        return []

    def widenings(
        self,
        query: Elements,
        *,
        whole_page: bool = True,
        levels: tuple[int, ...] = NEIGHBOURHOOD_LEVELS,
    ) -> Iterator[list[HtmlElement]]:
        """Yield the matches :meth:`search` looks at, one widening at a time, page order.

        What each ring adds (the whole neighbourhood, but the body, for a query the rings
        cannot split). :meth:`search` returns the first that has (accepted) matches; a caller
        asking several questions of one query's matches takes each answer from the first
        widening that has matches for it, as many searches would.
        """
        top = len(self.ancestors) - 1
        scopes = [level for level in levels if level < top]
        if whole_page:
            scopes.append(top)
        ring = ring_query(query.expression)
        searched = 0
        for level in scopes:
            if ring is None:
                scope = self.ancestors[level]
                yield [element for element in query(scope) if self.distance(element) > 0]
            else:
                yield self._ring(ring, searched, level)
            searched = level

    def ring_matches(
        self,
        query: Elements,
        index: int,
        *,
        levels: tuple[int, ...] = NEIGHBOURHOOD_LEVELS,
        with_rest: bool = False,
    ) -> list[HtmlElement] | None:
        """Return the ``index``-th of ``widenings(query, whole_page=False, levels=levels)``.

        None past the last; ``query`` must be one :func:`ring_query` can split. Each ring is
        asked only when first wanted, once per query, and kept (the tree is not modified):
        the comment container search and the comment count read the same rings' answer to
        :data:`crawler.parsing.comments.COMMENT_EVIDENCE`, each its own matches. With
        ``with_rest``, a caller that will likely want the rings after it too has them all
        asked by one call (:meth:`_keep_rest`).
        """
        bounds = self._ring_bounds(index, levels)
        if bounds is None:
            return None
        ring = ring_query(query.expression)
        if ring is None:
            raise ValueError(f"not a query the rings can run: {query.expression}")
        if with_rest and index > 0:
            self._keep_rest(ring, index, levels)
        return self._ring(ring, *bounds)

    def _keep_rest(self, ring: Elements, index: int, levels: tuple[int, ...]) -> None:
        """Ask the rings from the ``index``-th (not the first) to the last by one call.

        Each is kept as :meth:`_ring` would find it: the matches (page order) split by where
        they lie, an ancestor ``k`` levels up in the ring from ``k`` up to below its outer
        level, any other element at distance ``d`` in the ring above ``d``'s inner level. A
        ring call costs about as much for three small rings as for one (its two dozen paths'
        fixed cost), and a page without a comment thread asks every ring. Nothing is asked
        when one of them is kept already.
        """
        bounds = []
        while (found := self._ring_bounds(index, levels)) is not None:
            bounds.append(found)
            index += 1
        expression = ring.expression
        if len(bounds) < 2 or any((expression, *b) in self._rings for b in bounds):
            return
        inner, outer = bounds[0][0], bounds[-1][1]
        spanned, levels_of = self.ancestors[inner:outer], self._levels
        parts: list[list[HtmlElement]] = [[] for _ in bounds]
        for element in ring(spanned[0], path=spanned, own=spanned):
            level = levels_of.get(element)
            for part, (low, high) in zip(parts, bounds, strict=True):
                if (low <= level < high) if level is not None else (self.distance(element) <= high):
                    part.append(element)
                    break
        for part, (low, high) in zip(parts, bounds, strict=True):
            self._rings[(expression, low, high)] = part

    def kept_ring(
        self, query: Elements, index: int, *, levels: tuple[int, ...] = NEIGHBOURHOOD_LEVELS
    ) -> list[HtmlElement] | None:
        """Return what :meth:`ring_matches` would, if that ring was asked already, else None."""
        bounds = self._ring_bounds(index, levels)
        ring = ring_query(query.expression)
        if bounds is None or ring is None:
            return None
        return self._rings.get((ring.expression, *bounds))

    def keep_first_ring(self, query: Elements, found: list[HtmlElement]) -> None:
        """Keep ``found`` as the matches of ``query`` in the first ring (no search of it then).

        ``found`` must be what the ring's search gives: the matches in the subtrees of the
        body's siblings, in page order (a walk of those subtrees that tests each element as
        ``query`` does). ``query`` must be one :func:`ring_query` can split.
        """
        ring = ring_query(query.expression)
        if ring is None:
            raise ValueError(f"not a query the rings can run: {query.expression}")
        self._rings[(ring.expression, 0, 1)] = found

    def _ring_bounds(self, index: int, levels: tuple[int, ...]) -> tuple[int, int] | None:
        """Return the (inner, outer) levels of the ``index``-th ring of ``levels``, or None.

        Each ``levels``' rings are listed once (the container search and the count ask a
        dozen times a page).
        """
        bounds = self._bounds.get(levels)
        if bounds is None:
            top = len(self.ancestors) - 1
            scopes = [level for level in levels if level < top]
            bounds = [(scopes[i - 1] if i else 0, scope) for i, scope in enumerate(scopes)]
            self._bounds[levels] = bounds
        return bounds[index] if index < len(bounds) else None

    def first_nearest(
        self,
        query: Elements,
        itself: Callable[[HtmlElement], object],
        *,
        levels: tuple[int, ...] = NEIGHBOURHOOD_LEVELS,
        superset: tuple[Elements, Callable[[HtmlElement], bool]] | None = None,
    ) -> HtmlElement | None:
        """Return ``self.nearest(self.search(query, whole_page=False, levels=levels))``, sooner.

        ``itself`` is ``query`` asked of an element alone (``self::*[...]``, or a Python test
        selecting the same: whether that element is a match; any true value is yes).
        Neighbourhood by neighbourhood, as :meth:`search` widens, and in it distance by
        distance, the candidates are looked at in the order :meth:`nearest`
        ranks them (the ancestor at that distance, then page order), and the first match is
        the answer. A sibling beside the body's path that matches is not searched through: on
        a page whose comment thread sits beside the body, that subtree is most of the
        neighbourhood, and the nearest match is the thread's own box. The candidates of each
        neighbourhood are those its ring holds (see :meth:`_ring`: the ancestors from its
        inner level, but the body, up to below its outer one; the siblings' subtrees beyond).
        A neighbourhood beside which no box of other items sits is searched by one query
        first (:meth:`_holds_no_match`) and passed over when it holds no match. With
        ``superset`` (a ``.//`` query whose matches include every match of ``query``, and a
        test every match of ``query`` passes), that search is the superset's ring, shared
        through :meth:`ring_matches`, each of its matches that pass the test asked ``itself``.
        """
        top = len(self.ancestors) - 1
        ring = ring_query(query.expression)
        inner = 0
        for index, outer in enumerate(level for level in levels if level < top):
            if ring is not None and self._holds_no_match(
                ring,
                inner,
                outer,
                shared=None if superset is None else (*superset, itself, index, levels),
            ):
                inner = outer
                continue
            for distance in range(max(inner, 1), outer + 1):
                if distance < outer and itself(self.ancestors[distance]):
                    return self.ancestors[distance]
                if distance > inner:
                    found = self._first_beside(
                        query, itself, distance, None if superset is None else superset[1]
                    )
                    if found is not None:
                        return found
            inner = outer
        return None

    def _holds_no_match(
        self,
        ring: Elements,
        inner: int,
        outer: int,
        *,
        shared: tuple[
            Elements,
            Callable[[HtmlElement], bool],
            Callable[[HtmlElement], object],
            int,
            tuple[int, ...],
        ]
        | None = None,
    ) -> bool:
        """Whether the ring from ``inner`` to ``outer`` is known to hold no match of ``ring``.

        Asked by one search of the ring (what :meth:`first_nearest` would look at there, one
        query per sibling: 35 queries on a page whose comments Blogger does not render), but
        only where no sibling in the ring is a box of other items (:func:`is_foreign_box`): a
        comment thread beside the body is most of its ring, and :meth:`first_nearest` stops
        at the thread's own box without searching through it. False when not asked.
        ``shared`` is (superset, test, itself, ring index, levels): the ring's superset
        matches, kept by :meth:`ring_matches`, that pass ``test`` are asked ``itself``
        instead of a search of the ring.
        """
        for distance in range(inner + 1, outer + 1):
            for _, sibling in self.beside(distance):
                if self.is_foreign(sibling):
                    return False
        if shared is None:
            return not self._ring(ring, inner, outer)
        superset, test, itself, index, levels = shared
        # A ring passed over is followed by the next: all are asked at once (a page without a
        # comment thread passes over every one).
        candidates = self.ring_matches(superset, index, levels=levels, with_rest=True) or []
        return not any(test(candidate) and itself(candidate) for candidate in candidates)

    def beside(self, distance: int) -> tuple[tuple[bool, HtmlElement], ...]:
        """Return the element siblings of the body's ancestor ``distance - 1``, in page order.

        Each with whether it comes after that ancestor. At distance 1 a marked body's own
        nodes (after ``body``, up to and including ``body_end``) are not among them: they
        are the post's text, not what is beside it. Read once per distance and kept.
        """
        found = self._beside.get(distance)
        if found is None:
            found = self._beside[distance] = tuple(self._siblings_of_path(distance))
        return found

    def _siblings_of_path(self, distance: int) -> Iterator[tuple[bool, HtmlElement]]:
        """:meth:`beside`, read from the tree (it asks once per distance and keeps them)."""
        path = self.ancestors[distance - 1]
        end = self.body_end if distance == 1 else None
        after = within_body = False
        for sibling in self.ancestors[distance].iterchildren(etree.Element):
            if sibling is path:
                after = True
                within_body = end is not None
            elif within_body:
                within_body = sibling is not end
            else:
                yield after, sibling

    def _first_beside(
        self,
        query: Elements,
        itself: Callable[[HtmlElement], object],
        distance: int,
        passes: Callable[[HtmlElement], bool] | None = None,
    ) -> HtmlElement | None:
        """Return the first match in page order among the siblings at ``distance``, subtrees in.

        ``passes``: a test every match passes (``first_nearest``'s superset test). A small
        sibling subtree none of whose elements passes it holds no match and is not queried:
        an XPath call costs more than looking at a few elements (a classic post's title,
        labels and byline beside its body were a query each).
        """
        for _, sibling in self.beside(distance):
            if itself(sibling):
                return sibling
            if passes is not None and _holds_none_passing(sibling, passes):
                continue
            found = query(sibling)
            if found:
                return found[0]
        return None

    def _ring(self, ring: Elements, inner: int, outer: int) -> list[HtmlElement]:
        """Return the matches among ancestor ``outer``'s descendants not searched yet.

        That is, outside ancestor ``inner``'s subtree (the body's, for ``inner`` 0), plus
        ancestor ``inner`` itself when it is not the body: the subtrees of the siblings of
        ancestors ``inner`` to ``outer - 1``, and those ancestors but the body. In page order.
        Asked once per ring and query and kept (the tree is not modified); the first ring's
        answer is the first-ring walk's where it kept one (see ``walk_first_ring``).
        """
        if outer <= inner:
            return []
        key = (ring.expression, inner, outer)
        found = self._rings.get(key)
        if found is None and key[1:] == (0, 1) and self._walk_first_ring is not None:
            walk, self._walk_first_ring = self._walk_first_ring, None
            walk(self)
            found = self._rings.get(key)
        if found is None:
            ancestors = self.ancestors
            found = ring(
                ancestors[inner], path=ancestors[inner:outer], own=ancestors[max(inner, 1) : outer]
            )
            self._rings[key] = found
        return found

    def ranked(self, elements: Iterable[_T], *, prefer_before: bool = False) -> list[_T]:
        """Return the elements outside the body, nearest first (see :meth:`nearest`)."""
        keyed = []
        for order, element in enumerate(elements):
            distance = self.distance(element)
            if distance == 0:
                continue
            after = 0 if not prefer_before or self.precedes_body(element) else 1
            keyed.append(((distance, after, order), element))
        keyed.sort(key=lambda pair: pair[0])
        return [element for _, element in keyed]

    def nearest(self, elements: Iterable[_T], *, prefer_before: bool = False) -> _T | None:
        """Return the element outside the body nearest to it, or None if there is none.

        Ties go to the earlier element; with ``prefer_before`` an element that starts before
        the body beats one after it at the same distance (a title precedes its post).
        """
        ranked = self.ranked(elements, prefer_before=prefer_before)
        return ranked[0] if ranked else None


# Outside its predicates, a query the rings can run is only ``.//NAME`` steps, unions and
# parentheses; a predicate holding a step of its own or a position cannot be split. A step
# may go on to an attribute and back to that attribute's element (``.//*/@class[...]/..``,
# the attribute-first form libxml2 runs fastest): that stays inside the subtree searched.
_NAME = r"(?:\*|[A-Za-z_][\w-]*)"
_RINGABLE_PATHS = re.compile(
    rf"[\s()|]*(?:\.//{_NAME}(?:/@{_NAME}/(?:\.\.|parent::{_NAME}))?[\s()|]*)+"
)
_UNRINGABLE_PREDICATE = re.compile(r"^\s*\d|\.//|position\(|last\(")


@cache
def ring_query(expression: str) -> Elements | None:
    """Compile the form of a ``.//`` query that :meth:`BodyNeighbourhood.search` runs per ring.

    Every ``.//`` step start becomes, in turn: the subtrees of the preceding siblings of the
    elements of ``$path``, those of their following siblings, and the elements of ``$own``
    themselves; the three are one union. Predicates stay as written. None when the query is
    not made of ``.//`` steps only, or a predicate holds a step of its own or depends on
    position: it could not be split so.
    """
    paths, predicates = _split_predicates(expression)
    if not _RINGABLE_PATHS.fullmatch(paths) or any(
        _UNRINGABLE_PREDICATE.search(predicate) for predicate in predicates
    ):
        return None
    steps = (
        "$path/preceding-sibling::*/descendant-or-self::",
        "$path/following-sibling::*/descendant-or-self::",
        "$own/self::",
    )
    return Elements(" | ".join(f"({expression.replace('.//', step)})" for step in steps))


def _split_predicates(expression: str) -> tuple[str, list[str]]:
    """Return ``expression`` without its outermost ``[...]`` predicates, and those predicates.

    Brackets inside quoted strings are text, not predicates.
    """
    paths: list[str] = []
    predicates: list[str] = []
    depth, quote, start = 0, "", 0
    for index, char in enumerate(expression):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                predicates.append(expression[start:index])
            continue
        if depth == 0 and char != "[" and not quote:
            paths.append(char)
    return "".join(paths), predicates
