"""The comment thread a post page shows: every comment, with its parent, author and time.

Pure over the parsed tree. The thread's container is found once, next to the post body
(``#comments``, ``#comment-holder``, ``#comments-block``, Plus UI's ``#comment-blogger``,
``.comments``, ``.comments-content``, ``.comment-thread``; the nearest to the body wins, so a
Dynamic Views page's other posts and sidebar copies are never read), and every query after
that runs inside it: the cost follows the thread's size, not the page's.

The markup families are in :mod:`crawler.parsing.comment_markup`, the field readers in
:mod:`crawler.parsing.comment_fields`. Text is raw here (split into paragraphs like a post
body); the cleaning stage repairs it (:mod:`crawler.cleaning.comments`).

Bounds: at most :data:`MAX_PAGE_COMMENTS` comments are read from one page (Blogger shows 200
at most; a page with more is not Blogger's). A thread cut at that bound, a live "Load more"
and comment page links all make the thread *partial*, which the record says
(``BlogPost.comments_partial``), so that nothing is silently missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing import (
    comment_classic,
    comment_early,
    comment_fields,
    comment_rendered,
    comment_serialized,
)
from crawler.parsing.comment_markup import (
    COMMENT_ID_LINE,
    CommentPlace,
    counted_thread_items,
    definition_list,
    definition_place,
    definition_terms,
    early_blocks,
    enclosing_item,
    find_comments,
    own_parts,
    scoped_stray_items,
    thread_place,
)
from crawler.parsing.comment_regular import read_definition_list, regular_comment, texts_to_see
from crawler.parsing.comments import COMMENT_EVIDENCE, CONTAINER_IDS, CONTAINERS_BY_ID, ID_LINE
from crawler.parsing.proximity import BodyNeighbourhood
from crawler.parsing.xpath import Elements, class_tokens

MAX_PAGE_COMMENTS = 5_000
"""Comments read from one page at most; more make the thread partial."""

# libxml2's id table answers these without a traversal; most Blogger pages have one.
_CONTAINER_IDS = Elements(CONTAINERS_BY_ID)
# The query below selects by attribute first (``descendant::*/@class[...]/parent::*``):
# libxml2 tests an attribute's own string far more cheaply than an element's ``@class``,
# and every match's id or class holds the substring tested there (``comment``). The token
# tests then run on those only. It starts with ``.//`` so that the body's neighbourhood
# search runs it ring by ring (crawler.parsing.proximity), never through the post body
# itself. Its attribute test is ``comment`` first (most attributes fail there), then the
# four substrings one of which every container's id or class holds (a thread's hundreds of
# ``comment-header``, ``comment-content`` ... fail there), then the attribute's name: half
# the cost of testing the name first, and the same elements, since every container passes
# all three tests.
_CONTAINER_ATTRIBUTE = (
    "[contains(., 'comment') and (contains(., 'comments')"
    " or contains(., 'comment-thread') or contains(., 'comment-holder')"
    " or contains(., 'comment-blogger')) and (name() = 'id' or name() = 'class')]"
)
_CONTAINER_ELEMENT = (
    "[@id='comments' or @id='comment-holder' or @id='comments-block'"
    " or @id='comment-blogger' or contains(concat(' ', normalize-space(@class), ' '), ' comments ')"
    " or contains(@class, 'comments-content') or contains(@class, 'comment-thread')]"
)
_CONTAINERS = Elements(f".//*/@*{_CONTAINER_ATTRIBUTE}/parent::*{_CONTAINER_ELEMENT}")
# The definition of is_container (the element itself a match), kept for the tests.
_CONTAINER_ITSELF = Elements(f"self::*[@*{_CONTAINER_ATTRIBUTE}]{_CONTAINER_ELEMENT}")


def might_be_container(element: HtmlElement) -> bool:
    """Whether ``element``'s id or class holds ``comment``, as every container's does.

    Implied by :func:`is_container` (its attribute test), and cheaper still: the comment
    evidence around a body is mostly links to the comments feed.
    """
    return "comment" in (element.get("id") or "") or "comment" in (element.get("class") or "")


_CONTAINER_ID_VALUES = frozenset(CONTAINER_IDS)


def _names_container_word(value: str | None) -> bool:
    """:data:`_CONTAINER_ATTRIBUTE`'s test of an attribute's value (each word holds ``comment``)."""
    return value is not None and (
        "comments" in value
        or "comment-thread" in value
        or "comment-holder" in value
        or "comment-blogger" in value
    )


def is_container(element: HtmlElement) -> bool:
    """Whether ``element`` is what :data:`_CONTAINER_ITSELF` selects (pinned against it).

    Asked of the ancestors, siblings and evidence the container search passes: an XPath
    call costs 3-6 us, this test well under one.
    """
    ident = element.get("id")
    classes = element.get("class")
    if not (_names_container_word(ident) or _names_container_word(classes)):
        return False
    if ident in _CONTAINER_ID_VALUES:
        return True
    return classes is not None and (
        "comments" in class_tokens(classes)
        or "comments-content" in classes
        or "comment-thread" in classes
    )


# The rings searched whole are asked for every comment evidence, for the count to read too.
_CONTAINER_SUPERSET = (COMMENT_EVIDENCE, might_be_container)
FIRST_NEAREST_QUERIES = ((_CONTAINERS, is_container, _CONTAINER_SUPERSET),)
"""The (query, query of the element itself, superset) asked of ``first_nearest`` (for tests)."""

# The words of a "more" control's class (is_live_more); a serialized container whose text
# holds neither has none (class values are written as they are).
_MORE_CLASS_WORDS = ("loadmore", "paging-control-container")
# Every "more" control (comment_fields.is_more_class) below the container: the controls the
# walk files in the comments' parts and _more_controls_outside the rest, in one search.
_MORE_CONTROLS = Elements(
    ".//*/@class[" + " or ".join(f"contains(., '{word}')" for word in _MORE_CLASS_WORDS) + "]/.."
)


@dataclass(slots=True)
class PageThread:
    """The comments a page shows, and whether that is only part of the thread."""

    comments: list[BlogComment] = field(default_factory=list)
    partial: bool = False


def thread_container(
    body: HtmlElement, near: BodyNeighbourhood | None = None
) -> HtmlElement | None:
    """Return the comment container nearest to the post ``body`` (outermost on a tie).

    Blogger's ids are tried first (no traversal), the class names in the body's
    neighbourhood only when no such id is near the body. ``near`` is ``body``'s
    neighbourhood if the caller has one: the rings searched whole are asked
    :data:`COMMENT_EVIDENCE` (every container is among its matches) and kept on it, for
    the comment count to read (ask this first).
    """
    shared = near is not None and near.body is body
    if near is None or not shared:
        near = BodyNeighbourhood(body)
    filed = near.filed(_CONTAINER_IDS, ID_LINE)
    by_id = [element for element in filed if near.distance(element) > 0]
    if by_id:
        return near.nearest(by_id)
    # Alone, its own query is cheaper than the evidence nobody else would read.
    superset = _CONTAINER_SUPERSET if shared else None
    return near.first_nearest(_CONTAINERS, is_container, superset=superset)


def read_comment(
    place: CommentPlace, ids: dict[HtmlElement, str | None], scan: comment_fields.CommentParts
) -> BlogComment:
    """Read one comment from ``scan``, the walk of its parts.

    ``ids`` maps the items already read to their ids (for the parent).
    """
    identifier = comment_fields.comment_id(place.item, scan)
    name, url = comment_fields.author(scan)
    paragraphs, deleted = comment_fields.text(scan)
    return BlogComment(
        id=identifier,
        parent=ids.get(place.parent) if place.parent is not None else place.parent_id,
        author=name,
        author_url=url,
        published=comment_fields.published(identifier, scan),
        paragraphs=paragraphs,
        deleted=deleted,
    )


def read_thread(body: HtmlElement, shown: int | None = None) -> PageThread:
    """Return the comments shown next to the post ``body``, in page order (see module docs).

    ``shown`` is the comment count the page states; when the container holds fewer, the
    comments an unbalanced thread pushed out of it are looked for. A comment id seen twice
    (a template that prints the thread twice) is read once.
    """
    return read_container(thread_container(body), shown)


def read_container(
    container: HtmlElement | None,
    shown: int | None = None,
    near: BodyNeighbourhood | None = None,
) -> PageThread:
    """Return the comments of ``container``, :func:`thread_container`'s answer.

    See :func:`read_thread`. ``near`` is the post body's neighbourhood, if the caller has
    one: the page's ids it may hold tell whether comments marked by their ids alone can be
    in the container (a container without comments is not searched for them).
    """
    if container is None:
        return PageThread()
    items, li_count = counted_thread_items(container)
    terms: list[HtmlElement] | None = None
    # Serialized only when the first item is printed as Blogger serves it or as its script
    # renders it (021's <li id="bc_0_2B" class="comment" kind="b">): a thread repeats one markup.
    if 0 < len(items) <= MAX_PAGE_COMMENTS and (
        comment_serialized.is_blogger_item(items[0][1])
        or comment_rendered.is_rendered_item(items[0][1])
    ):
        threaded = read_threaded(container, items, li_count, shown)
        if threaded is not None:
            return threaded
    elif not items:
        terms = definition_terms(container)
        # Blogger's classic terms, as the serialized readers take them (comment_classic's
        # take a trailing space in the class too).
        if 0 < len(terms) <= MAX_PAGE_COMMENTS and comment_classic.is_classic_term(terms[0]):
            listed = read_listed(container, terms)
            if listed is not None:
                return listed
    found = find_comments(
        container,
        shown,
        items=[item for _, item in items],
        terms=terms,
        comment_ids=near is None or near.may_file(COMMENT_ID_LINE),
    )
    places = found.places
    thread = PageThread(partial=len(places) > MAX_PAGE_COMMENTS)
    read = places[:MAX_PAGE_COMMENTS]
    # A regular classic thread is read without walking each comment (comment_regular), the
    # first templates' blocks from their serialization where they have its shape.
    regular = None
    serialized: str | None = None
    if found.finder is definition_list:
        regular = read_definition_list(container, read)
    elif found.finder is early_blocks:
        early = comment_early.read_blocks(container, [place.item for place in read])
        regular = [
            comment or _read_walked(place)
            for comment, place in zip(early.comments, read, strict=True)
        ]
        serialized = early.text
    if regular is None:
        comments, controls = read_each(read, found.own)
    else:
        comments, controls = regular, []
    thread.comments = _first_of_each(comments)
    if not thread.partial:
        if regular is None:
            # Every comment of the container was walked: the rest of it is walked here.
            parts = {part for place in places[: found.own] for part in place.parts}
            controls += _more_controls_outside(container, parts)
        elif serialized is not None and not any(w in serialized for w in _MORE_CLASS_WORDS):
            controls = []  # its text, at hand, names no "more" class
        else:
            # Read without the walk: the whole container is searched, in C.
            controls = _MORE_CONTROLS(container)
        thread.partial = any(map(is_live_more, controls))
    return thread


def read_threaded(
    container: HtmlElement, items: list[tuple[int, HtmlElement]], li_count: int, shown: int | None
) -> PageThread | None:
    """Return the thread of ``container``'s ``li.comment`` ``items`` as :func:`read_thread` does.

    ``items`` are :func:`counted_thread_items`' (position among the ``li``, element), of
    ``li_count`` ``li`` elements. A comment of Blogger's own markup is read from the
    serialized container (:mod:`crawler.parsing.comment_serialized`), any other by the generic
    reader, as are the comments an unbalanced thread pushed out of the container. None when
    the serialization cannot be matched to the elements (the caller then reads the whole
    thread the generic way).
    """
    strays: list[tuple[HtmlElement, CommentPlace]] = []
    if shown is not None and shown > len(items):
        places = (thread_place(item, container) for _, item in items)
        strays = scoped_stray_items(container, places, shown - len(items))
        if len(items) + len(strays) > MAX_PAGE_COMMENTS:
            return None  # a cut thread: the generic reader's bound
    # As Blogger serves the items, or as its script renders them (comment_rendered).
    rendered = comment_rendered.is_rendered_item(items[0][1])
    serialize = (
        comment_rendered.rendered_thread if rendered else comment_serialized.serialized_thread
    )
    serialized = serialize(container, li_count)
    if serialized is None:
        return None
    matches = serialized.items
    ids: dict[HtmlElement, str | None] = {}
    enclosing: dict[HtmlElement, tuple[HtmlElement | None, str | None]] = {}
    comments = []
    read_item = comment_rendered.read_item if rendered else comment_serialized.read_item
    for position, item in items:
        above = item.getparent()
        found = enclosing.get(above) if above is not None else None
        if found is None:
            found = enclosing_item(item, container)
            if above is not None:
                enclosing[above] = found
        element, parent_id = found
        parent = ids.get(element) if element is not None else parent_id
        comment = read_item(matches[position], item, parent)
        if comment is None:
            place = CommentPlace(item, own_parts(item), element, parent_id)
            comment = read_comment(place, ids, comment_fields.CommentParts(place.parts))
        ids[item] = comment.id
        comments.append(comment)
    stray_matches = _stray_matches(strays, serialize)
    for _, place in strays:  # outside the container: no control of theirs counts
        match = stray_matches.get(place.item)
        parent = ids.get(place.parent) if place.parent is not None else place.parent_id
        comment = read_item(match, place.item, parent) if match is not None else None
        if comment is None:
            comment = read_comment(place, ids, comment_fields.CommentParts(place.parts))
        ids[place.item] = comment.id
        comments.append(comment)
    return PageThread(_first_of_each(comments), _partial(container, serialized))


def read_listed(container: HtmlElement, terms: list[HtmlElement]) -> PageThread | None:
    """Return the thread of ``container``'s definition-list ``terms`` as :func:`read_thread` does.

    A term of Blogger's classic markup is read from the serialized container
    (:func:`comment_serialized.read_term`; with a footer :func:`comment_classic.read_footed`),
    any other by :mod:`crawler.parsing.comment_regular` or else the generic reader. None when
    the serialization cannot be matched to the terms.
    """
    if container.tag == "dt":
        return None  # its own start tag would be the text's first <dt
    # Matched by comment_classic's expression when the terms have footers (Layouts templates).
    # Its matches are as many as the text's <dt start tags, which are at least the container's
    # dt elements (each is written so; an HTML comment or a script may add more), of which the
    # terms are some: as many matches as terms means no dt outside the lists (whose matches
    # would shift the terms'), without a count of the elements.
    listed = comment_classic.serialized_list(container, terms)
    if listed is None:
        return None
    serialized, read = listed
    to_see: set[HtmlElement] | None = None
    comments = []
    links: comment_classic.AuthorLinks = {}
    for term, match in zip(terms, serialized.items, strict=True):
        comment = read(match, term, links)
        if comment is None:
            place = definition_place(term)
            if to_see is None:
                to_see = texts_to_see(container)
            comment = regular_comment(place.parts, to_see) or read_comment(
                place, {}, comment_fields.CommentParts(place.parts)
            )
        comments.append(comment)
    return PageThread(_first_of_each(comments), _partial(container, serialized))


def _partial(container: HtmlElement, serialized: comment_serialized.SerializedThread) -> bool:
    """Whether a live "more" control is in ``container`` (all of it: what the walks file too).

    Its text shows every control's class; only when one is not plainly a hidden "Load more"
    are the elements searched.
    """
    if serialized.hidden_more_only():
        return False
    return any(map(is_live_more, _MORE_CONTROLS(container)))


def _stray_matches(
    strays: list[tuple[HtmlElement, CommentPlace]],
    serialize: Callable[[HtmlElement, int], comment_serialized.SerializedThread | None],
) -> dict[HtmlElement, re.Match[str]]:
    """Return the ``<li`` matches of the stray items, from their scopes serialized.

    ``serialize`` is the container's (the served or the rendered items' expression).

    A scope whose text cannot be matched to its ``li`` elements gives none (its strays are
    read the generic way).
    """
    wanted: dict[HtmlElement, set[HtmlElement]] = {}
    for scope, place in strays:
        wanted.setdefault(scope, set()).add(place.item)
    matches: dict[HtmlElement, re.Match[str]] = {}
    for scope, items in wanted.items():
        positions = {}
        count = 0
        for count, element in enumerate(scope.iter("li"), 1):
            if element in items:
                positions[element] = count - 1
        serialized = serialize(scope, count)
        if serialized is not None:
            matches.update((item, serialized.items[at]) for item, at in positions.items())
    return matches


def _first_of_each(comments: list[BlogComment]) -> list[BlogComment]:
    """Return ``comments`` without the repeats of an id (a template that prints them twice)."""
    seen: set[str] = set()
    unique = []
    for comment in comments:
        if comment.id is not None:
            if comment.id in seen:
                continue
            seen.add(comment.id)
        unique.append(comment)
    return unique


def read_each(places: list[CommentPlace], own: int) -> tuple[list[BlogComment], list[HtmlElement]]:
    """Return every place's comment (duplicates kept), and the "more" controls of their parts.

    The generic reader: each comment's parts are walked (:class:`comment_fields.CommentParts`)
    and its fields read from that walk. Controls are collected from the first ``own`` places
    (those inside the container).
    """
    ids: dict[HtmlElement, str | None] = {}
    comments = []
    controls: list[HtmlElement] = []
    for index, place in enumerate(places):
        scan = comment_fields.CommentParts(place.parts)
        if index < own:
            controls += scan.more_controls
        comment = read_comment(place, ids, scan)
        ids[place.item] = comment.id
        comments.append(comment)
    return comments, controls


def _read_walked(place: CommentPlace) -> BlogComment:
    """Return the comment of ``place`` as the generic reader reads it, outside a thread walk."""
    return read_comment(place, {}, comment_fields.CommentParts(place.parts))


def _more_controls_outside(container: HtmlElement, parts: set[HtmlElement]) -> list[HtmlElement]:
    """Return the "more" controls among ``container``'s descendants outside ``parts``.

    Neither the container itself nor the parts' subtrees are searched (their controls are
    filed by the walk that reads each comment): the two searches together cover every
    descendant of the container once, which one XPath scan of every class cost as much again
    as reading the comments.
    """
    controls = []
    stack = list(container.iterchildren(etree.Element))
    while stack:
        element = stack.pop()
        if element in parts:
            continue
        classes = element.get("class")
        # comment_fields.is_more_class, written out: it runs for every element here.
        if classes and ("loadmore" in classes or "paging-control-container" in classes):
            controls.append(element)
        if len(element):
            stack += element.iterchildren(etree.Element)
    return controls


def is_live_more(control: HtmlElement) -> bool:
    """Whether a "more" control says the page holds only part of the thread.

    Blogger's "Load more..." (``.loadmore``, hidden by a class of
    :data:`~crawler.parsing.comment_fields.LOAD_MORE_HIDERS` or a ``display:none`` style when
    the page holds the whole thread), and the comment page links of non-threaded templates
    (``.paging-control-container`` holding an ``<a href>``).
    """
    classes = control.get("class") or ""
    tokens = class_tokens(classes)
    if (
        "loadmore" in tokens
        and comment_fields.LOAD_MORE_HIDERS.isdisjoint(tokens)
        and "display:none" not in (control.get("style") or "").replace(" ", "")
    ):
        return True
    return "paging-control-container" in classes and any(
        link.get("href") is not None for link in control.iterdescendants("a")
    )
