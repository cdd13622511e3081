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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from lxml.html import HtmlElement

from crawler.parsing.xpath import Elements

_T = TypeVar("_T", bound=HtmlElement)

NEIGHBOURHOOD_LEVELS = (1, 3, 6)
"""Ancestor levels searched, in order, before the whole document."""

POST_LEVELS = (1, 3)
"""Levels for what Blogger writes inside the post's own box (byline, labels, dates): the
body's parent is ``div.post`` in most themes; three levels up covers wrapper divs."""


class BodyNeighbourhood:
    """Distances from one body element to other elements of the same tree."""

    def __init__(self, body: HtmlElement) -> None:
        """Remember ``body`` and the depth of each of its ancestors (body itself is 0)."""
        self.body = body
        self.ancestors: list[HtmlElement] = [body, *body.iterancestors()]
        self.root: HtmlElement = self.ancestors[-1]
        self._levels = {element: level for level, element in enumerate(self.ancestors)}

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
        smallest neighbourhood that has any, trying the ancestors ``levels`` up; the whole
        document is searched last, unless ``whole_page`` is False.
        """
        top = len(self.ancestors) - 1
        scopes = [self.ancestors[level] for level in levels if level < top]
        if whole_page:
            scopes.append(self.root)
        for scope in scopes:
            found = [
                element
                for element in query(scope)
                if self.distance(element) > 0 and (accept is None or accept(element))
            ]
            if found:
                return found
        return []

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
