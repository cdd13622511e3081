"""Pick, among elements found anywhere in the page, the one that belongs to the post body.

Blogger pages repeat post-like markup in sidebars (popular posts, related posts, archive
lists, a second copy of the post in a listing behind an overlay). Rather than one rule per
theme, every piece of metadata is taken from the candidate that shares the deepest ancestor
with the chosen body: the post's own title, byline and comment section sit next to its body,
the sidebar's copies sit far away.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from lxml.html import HtmlElement

_T = TypeVar("_T", bound=HtmlElement)


class BodyNeighbourhood:
    """Distances from one body element to other elements of the same tree."""

    def __init__(self, body: HtmlElement) -> None:
        """Remember ``body`` and the depth of each of its ancestors (body itself is 0)."""
        self.body = body
        self._levels: dict[HtmlElement, int] = {body: 0}
        for level, ancestor in enumerate(body.iterancestors(), start=1):
            self._levels[ancestor] = level

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

    def is_inside_body(self, element: HtmlElement) -> bool:
        """Whether ``element`` is the body or one of its descendants."""
        return self.distance(element) == 0

    def precedes_body(self, element: HtmlElement) -> bool:
        """Whether ``element`` starts before the body in the source (by source line)."""
        return (element.sourceline or 0) <= (self.body.sourceline or 0)

    def outside(self, elements: Iterable[_T]) -> Iterator[_T]:
        """Yield the ``elements`` that are not inside the body, in their order."""
        return (element for element in elements if not self.is_inside_body(element))

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
