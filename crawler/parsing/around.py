"""Search beside the post body, level by level, without walking through the body itself.

:class:`crawler.parsing.proximity.BodyNeighbourhood` searches whole ancestor subtrees, which
include the body; for evidence that is never inside the body (a date header, a byline, a
comment link) that traversal is wasted on the body's often thousands of elements. Here each
level ``n`` is searched only in the subtrees of the siblings of the body's ancestor ``n - 1``:
exactly the elements whose distance to the body is ``n``, nearest level first, with the
elements that precede the body told apart from those that follow it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.proximity import BodyNeighbourhood
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


def beside_body(
    near: BodyNeighbourhood, queries: dict[int, Elements], max_distance: int
) -> Iterator[Beside]:
    """Yield the matches at distance 1, 2, ... ``max_distance`` from the body.

    ``queries`` maps a distance to the query run there (the query for the largest distance
    at or below it applies; each must select with ``descendant-or-self::``). Levels above
    the document's root are not searched.
    """
    top = len(near.ancestors) - 1
    query: Elements | None = None
    for distance in range(1, min(max_distance, top) + 1):
        query = queries.get(distance, query)
        if query is None:
            continue
        inner, parent = near.ancestors[distance - 1], near.ancestors[distance]
        before: list[HtmlElement] = []
        after: list[HtmlElement] = []
        side = before
        for sibling in parent.iterchildren():
            if sibling is inner:
                side = after
            elif isinstance(sibling.tag, str):
                side.extend(query(sibling))
        yield Beside(distance, before, after)
