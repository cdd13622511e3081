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

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.proximity import BodyNeighbourhood
from crawler.parsing.xpath import Elements

# Boxes whose content belongs to other items: comments, sidebar widgets, other posts' lists.
_FOREIGN_MARKERS = ("comment", "sidebar", "related", "popular", "archive", "recent")
_WIDGET_TOKENS = frozenset({"widget", "sidebar"})


def is_foreign_box(element: HtmlElement) -> bool:
    """Whether ``element`` is a box of other items: comments, a side widget, a posts list.

    Judged by its class tokens and id (``comments``, ``comment-thread``, ``sidebar``,
    ``widget PopularPosts``, ``related-posts`` ...); Blogger's own Blog widget is not one.
    """
    tokens = (element.get("class") or "").lower().split()
    if _WIDGET_TOKENS.intersection(tokens) and "blog" not in tokens:
        return True
    names = [*tokens, (element.get("id") or "").lower()]
    return any(marker in name for name in names for marker in _FOREIGN_MARKERS if name)


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
    near: BodyNeighbourhood,
    queries: dict[int, Elements],
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
    query: Elements | None = None
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
        inner, parent = near.ancestors[distance - 1], near.ancestors[distance]
        found = ([], [])
        side = found[0]
        for sibling in parent.iterchildren():
            if sibling is inner:
                side = found[1]
            elif isinstance(sibling.tag, str) and not (skip is not None and skip(sibling)):
                side.append(sibling)
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
