"""Where each comment of a thread is, per family of Blogger's comment markup.

Each finder takes the thread's container and returns :class:`CommentPlace` records (the
comment's element, its *parts* and its parent's element), in page order, or ``[]`` when the
container does not hold its family's markup. :func:`find_comments` tries them in order:

* **threaded** (Layouts ``threaded_comments``, the 2017 themes, Dynamic Views, Plus UI and
  other templates that keep Blogger's thread): ``li.comment`` items, replies nested in
  ``.comment-replies`` / ``.comment-thread`` / ``.thread-chrome``; a reply's parent is the
  nearest enclosing ``li.comment`` or the comment its reply list is named after
  (``ol#c123-ra``);
* **definition list** (Layouts ``comments`` and classic Minima-like templates):
  ``dl#comments-block > dt`` (author, ``id``/``<a name>``), then its ``dd`` siblings
  (``dd.comment-body``, ``dd.comment-footer`` / ``dd.comment-timestamp``);
* **blocks** (the 2017 themes' non-threaded comments): ``div.comment#cID`` with
  ``.comment-author`` / ``.comment-body`` / ``.comment-footer``;
* **anchored** (pre-2006 classic templates and third-party copies): any element whose own
  ``id`` is ``cNNN``, or that directly holds an ``<a name="cNNN">`` anchor;
* **early blocks** (Blogger's first templates, 2003-2006): ``div.blogComment`` items in a
  ``div.blogComments`` block (:mod:`crawler.parsing.comment_early` finds the block).

Threads whose tags do not balance (a stray ``</div>`` in a comment, a template's unclosed
``<ul>``) are rebuilt by the HTML parser with the later comments pushed out of the
container, up into the page around it. :func:`stray_thread_items` finds those: ``li.comment``
items after the container, in no comment section of their own, whose permalinks name the
same post.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing.xpath import Elements, class_token, class_tokens

# Each query tests an attribute's own string first (``.//div/@id[...]/..``: far cheaper in
# libxml2 than an element predicate reading ``@class``), behind a substring test that every
# match passes; the same elements in page order (pinned by test_parsing_xpath_forms.py).
# The definition of definition_terms (a term: a dt inside a dl inside the container).
_TERMS = Elements(".//dl//dt")
_BLOCKS = Elements(
    ".//div/@id[starts-with(., 'c')"
    " and string-length(.) > 1 and translate(substring(., 2), '0123456789', '') = '']"
    "/parent::*[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"
)
# Elements with a cNNN id, and <a name=cNNN> anchors (document order).
_ANCHORED = Elements(
    ".//*/@id[starts-with(., 'c') and translate(substring(., 2), '0123456789', '') = ''"
    " and string-length(.) > 4]/.."
    " | .//a/@name[starts-with(., 'c') and translate(substring(., 2), '0123456789', '') = ''"
    " and string-length(.) > 4]/.."
)

_SECTION_IDS = frozenset({"comments", "comment-holder", "comments-block", "comment-blogger"})
_SECTION_CLASSES = frozenset({"comments", "comments-content"})

_REPLY_CONTAINERS = frozenset(
    {"comment-replies", "comment-thread", "inline-thread", "thread-chrome"}
)
_REPLY_LIST_ID = re.compile(r"^c(\d+)-r[at]$")
_BYLINE_CLASSES = frozenset(
    {"comment-data", "comment-footer", "comment-timestamp", "byline", "comment-poster"}
)
_ANCHOR_NAME = re.compile(r"^c\d{4,}$")
_MAX_THREAD_DEPTH = 64
"""Ancestors climbed from a reply to find its parent (Blogger nests a few levels per reply)."""


class CommentPlace(NamedTuple):
    """One comment's elements: ``item`` holds it, ``parts`` are its own (not its replies').

    A named tuple: a thread builds one per comment, at a third of a frozen dataclass's cost.
    """

    item: HtmlElement
    parts: tuple[HtmlElement, ...]
    parent: HtmlElement | None = None
    """The ``item`` of the comment this one replies to."""
    parent_id: str | None = None
    """The id of the comment this one replies to, when the markup names it instead."""


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


_THREAD_ROLES: dict[str, tuple[bool, bool]] = {}
_MAX_THREAD_ROLES = 4_096
"""Class attributes remembered at most (a template repeats a few; pages are untrusted)."""


def _thread_roles(classes: str) -> tuple[bool, bool]:
    """Return ``(holds the token comment, names a reply container)`` for a ``class`` value.

    Every comment of a thread repeats the same few class attributes, so each is split and
    tested once per process rather than once per element.
    """
    roles = _THREAD_ROLES.get(classes)
    if roles is None:
        tokens = set(classes.split())
        roles = ("comment" in tokens, bool(_REPLY_CONTAINERS.intersection(tokens)))
        if len(_THREAD_ROLES) >= _MAX_THREAD_ROLES:
            _THREAD_ROLES.clear()
        _THREAD_ROLES[classes] = roles
    return roles


_ITEM_CLASSES: dict[str, bool] = {}


def _holds_comment_token(classes: str) -> bool:
    """Whether a ``class`` value holds the token ``comment`` as XPath's token test reads it.

    That is ``contains(concat(' ', normalize-space(@class), ' '), ' comment ')``: tokens are
    split at space, tab, CR and LF only. Remembered per class value, as :func:`_thread_roles`.
    """
    held = _ITEM_CLASSES.get(classes)
    if held is None:
        held = "comment" in class_tokens(classes)
        if len(_ITEM_CLASSES) >= _MAX_THREAD_ROLES:
            _ITEM_CLASSES.clear()
        _ITEM_CLASSES[classes] = held
    return held


def thread_items(container: HtmlElement) -> list[HtmlElement]:
    """Return the ``li`` elements inside ``container`` whose class holds the token ``comment``.

    In page order: what ``.//li[contains(concat(' ', normalize-space(@class), ' '),
    ' comment ')]`` selects (pinned by test_parsing_xpath_forms.py). lxml's C iterator over
    the ``li`` elements alone, with one remembered test per class value, costs half the XPath
    that reads every element's attributes in a big thread.
    """
    return [item for _, item in counted_thread_items(container)[0]]


def counted_thread_items(container: HtmlElement) -> tuple[list[tuple[int, HtmlElement]], int]:
    """Return :func:`thread_items` with their positions among ``container.iter("li")``.

    And the number of ``li`` elements that iteration yields (``container`` itself included
    when it is one).
    """
    items = []
    position = -1
    for position, item in enumerate(container.iter("li")):  # noqa: B007 - counted after
        classes = item.get("class")
        # The substring test first: most ``li`` of a page are no comment and skip the rest.
        if not classes or "comment" not in classes or item is container:
            continue
        if _holds_comment_token(classes):
            items.append((position, item))
    return items, position + 1


def thread_items_here(scope: HtmlElement) -> list[HtmlElement]:
    """Return :func:`thread_items` of ``scope``, with ``scope`` itself first when it is one.

    What ``descendant-or-self::li[...]`` with the token test selects (pinned by
    test_parsing_xpath_forms.py).
    """
    items = thread_items(scope)
    if scope.tag == "li":
        classes = scope.get("class")
        if classes and "comment" in classes and _holds_comment_token(classes):
            items.insert(0, scope)
    return items


def permalinks(element: HtmlElement) -> Iterator[str]:
    """Yield the comment permalinks (``href`` holding ``showComment=``) in ``element``.

    The ``<a>`` elements of its subtree, itself included, in page order.

    What ``descendant-or-self::a/@href[contains(., 'showComment=')]`` selects (pinned by
    test_parsing_xpath_forms.py), found by lxml's iterator over the ``<a>`` elements alone:
    one XPath evaluation per comment part cost more than the walk.
    """
    for link in element.iter("a"):
        href = link.get("href")
        if href is not None and "showComment=" in href:
            yield href


def _is_thread_item(element: HtmlElement) -> bool:
    return element.tag == "li" and _thread_roles(element.get("class") or "")[0]


def own_parts(item: HtmlElement) -> tuple[HtmlElement, ...]:
    """Return the item's children that are not its replies (nor the replies' reply boxes).

    Elements only; a reply is an ``li`` holding the token ``comment``, a replies' box a
    child whose class names a reply container. One loop without a call per child: every
    comment of a thread passes here.
    """
    parts = []
    roles_of = _THREAD_ROLES.get
    for child in item.iterchildren(etree.Element):
        classes = child.get("class") or ""
        roles = roles_of(classes) or _thread_roles(classes)
        if not roles[1] and not (roles[0] and child.tag == "li"):
            parts.append(child)
    return tuple(parts)


def enclosing_item(
    item: HtmlElement, container: HtmlElement
) -> tuple[HtmlElement | None, str | None]:
    """Return the reply's parent, as ``(element, None)`` or ``(None, id)``; ``(None, None)``.

    The nearest enclosing ``li.comment``, or the id that an enclosing reply list names
    (``ol#c123-ra``, ``div#c123-rt``: Blogger's markup states the parent, which survives when
    unbalanced tags detach the list from its ``li``).
    """
    node = item.getparent()
    for _ in range(_MAX_THREAD_DEPTH):
        if node is None or node is container:
            return None, None
        if _is_thread_item(node):
            return node, None
        named = _REPLY_LIST_ID.match(node.get("id") or "")
        if named:
            return None, named.group(1)
        node = node.getparent()
    return None, None


_Enclosing = dict[HtmlElement, tuple[HtmlElement | None, str | None]]


def thread_place(
    item: HtmlElement, container: HtmlElement, enclosing: _Enclosing | None = None
) -> CommentPlace:
    """Return the item's place; ``enclosing`` remembers the parent found per parent element.

    :func:`enclosing_item` reads nothing of the item but its parent and what is above it,
    so siblings (the top-level comments of one ``ol``, the replies of one thread) share one
    walk up the tree.
    """
    above = item.getparent()
    found = enclosing.get(above) if enclosing is not None and above is not None else None
    if found is None:
        found = enclosing_item(item, container)
        if enclosing is not None and above is not None:
            enclosing[above] = found
    return CommentPlace(item, own_parts(item), *found)


def threaded(container: HtmlElement) -> list[CommentPlace]:
    """``li.comment`` items; a reply's parent is the nearest ``li.comment`` around it."""
    enclosing: _Enclosing = {}
    return [thread_place(item, container, enclosing) for item in thread_items(container)]


def definition_list(container: HtmlElement) -> list[CommentPlace]:
    """``dt`` (author) then its ``dd`` siblings up to the next ``dt``."""
    return [definition_place(term) for term in definition_terms(container)]


def definition_terms(container: HtmlElement) -> list[HtmlElement]:
    """Return the ``dt`` elements of the definition lists inside ``container``, in page order.

    What :data:`_TERMS` selects (pinned by test_parsing_xpath_forms.py): lxml's C iterator
    over the ``dt`` elements alone, each kept when a ``dl`` below the container holds it
    (its parent, nearly always). libxml2's ``.//dl//dt`` walked the whole thread twice:
    368K instructions on held-out 002's 55 terms, 157K so.
    """
    terms = []
    for term in container.iter("dt"):
        if term is container:
            continue
        node = term.getparent()
        while node is not None and node is not container:
            if node.tag == "dl":
                terms.append(term)
                break
            node = node.getparent()
    return terms


def definition_place(term: HtmlElement) -> CommentPlace:
    """Return the place of the comment a ``dt`` begins: it, and its ``dd`` siblings to the next."""
    parts = [term]
    for sibling in term.itersiblings():
        if sibling.tag == "dt":
            break
        if sibling.tag == "dd":
            parts.append(sibling)
    return CommentPlace(term, tuple(parts))


def blocks(container: HtmlElement) -> list[CommentPlace]:
    """2017 themes' non-threaded ``div.comment#cID`` blocks."""
    return [CommentPlace(block, (block,)) for block in _BLOCKS(container)]


def _is_anchor(element: HtmlElement) -> bool:
    return element.tag == "a" and element.get("name") is not None and not element.get("id")


def anchored(container: HtmlElement) -> list[CommentPlace]:
    """Elements with a ``cNNN`` id, or holding one ``<a name=cNNN>`` anchor.

    Where one parent holds several anchors (templates that print ``<a name>`` then the
    comment's paragraphs as siblings), each anchor and the siblings up to the next anchor
    make one comment.
    """
    found = _ANCHORED(container)
    anchors_per_parent: dict[HtmlElement, int] = {}
    for element in found:
        if _is_anchor(element):
            parent = element.getparent()
            if parent is not None:
                anchors_per_parent[parent] = anchors_per_parent.get(parent, 0) + 1
    places: list[CommentPlace] = []
    seen: set[HtmlElement] = set()
    for element in found:
        if _is_anchor(element):
            parent = element.getparent()
            if parent is None:
                continue
            if parent is container or anchors_per_parent[parent] > 1:
                places.append(CommentPlace(element, _anchor_run(element)))
                seen.add(element)
                continue
            element = parent
        if element in seen or element is container:
            continue
        seen.add(element)
        places.append(CommentPlace(element, (element,)))
    # An element inside another comment is a part of it (a comment-block id inside its li).
    return [place for place in places if not _inside_another(place.item, seen, container)]


def _anchor_run(anchor: HtmlElement) -> tuple[HtmlElement, ...]:
    """Return the anchor and its following siblings up to the next comment anchor.

    A byline (``posted by X at 2:12 PM``) after the text closes the comment: what follows
    the last one is the template's (the "Post a Comment" link). Each sibling belongs to
    one run at most, so all runs together stay linear in the container.
    """
    run = [anchor]
    has_text = False
    # Elements only: an HTML comment between the paragraphs is the template's note, whose
    # content no reader sees (it would otherwise be read as the comment's text).
    for sibling in anchor.itersiblings(etree.Element):
        if _is_anchor(sibling) and _ANCHOR_NAME.match(sibling.get("name") or ""):
            break
        run.append(sibling)
        if _BYLINE_CLASSES.intersection(_classes(sibling)):
            if has_text:
                break
        else:
            has_text = True
    return tuple(run)


def _inside_another(element: HtmlElement, items: set[HtmlElement], container: HtmlElement) -> bool:
    node = element.getparent()
    for _ in range(_MAX_THREAD_DEPTH):
        if node is None or node is container:
            return False
        if node in items:
            return True
        node = node.getparent()
    return False


def _in_section(element: HtmlElement, known: dict[HtmlElement, bool]) -> bool:
    """Whether an ancestor of ``element`` is a comment section.

    ``known`` remembers the answer for every ancestor walked, so that the strays of one
    page, which share their ancestors, cost one walk up the tree between them.
    """
    walked: list[HtmlElement] = []
    node = element.getparent()
    answer = False
    while node is not None:
        if node in known:
            answer = known[node]
            break
        walked.append(node)
        if node.get("id") in _SECTION_IDS or _SECTION_CLASSES.intersection(_classes(node)):
            answer = True
            break
        node = node.getparent()
    for ancestor in walked:
        known[ancestor] = answer
    return answer


def _thread_post(places: Iterable[CommentPlace]) -> str | None:
    """Return the post URL (no query, fragment) that the first comment permalink names."""
    for place in places:
        post = _permalink_post(place)
        if post is not None:
            return post
    return None


def _permalink_post(place: CommentPlace) -> str | None:
    for part in place.parts:
        for href in permalinks(part):
            return href.split("?", 1)[0].split("#", 1)[0]
    return None


def _following_scopes(container: HtmlElement) -> Iterator[HtmlElement]:
    """Yield the elements after ``container`` that hold the rest of the page, in order.

    Its following siblings, then its parent's, and so on up to the root.
    """
    node: HtmlElement | None = container
    while node is not None:
        # Elements only: an HTML comment or processing instruction has no subtree to search
        # (and XPath refuses one as its context).
        yield from node.itersiblings(etree.Element)
        node = node.getparent()


def stray_thread_items(
    container: HtmlElement, places: Iterable[CommentPlace], missing: int
) -> list[CommentPlace]:
    """Up to ``missing`` ``li.comment`` items the HTML parser moved out of ``container``.

    Taken from after the container in the document, outside any comment section (another
    post's thread stays in its own), and, when the thread's comments have permalinks, only
    those whose permalink names the same post. The walk stops once ``missing`` are found,
    so it rarely goes beyond the post's own box.
    """
    return [place for _, place in scoped_stray_items(container, places, missing)]


def scoped_stray_items(
    container: HtmlElement, places: Iterable[CommentPlace], missing: int
) -> list[tuple[HtmlElement, CommentPlace]]:
    """Return :func:`stray_thread_items`, each with the element after the container holding it.

    That element (one of the container's following siblings, or of its ancestors') is
    searched with :func:`thread_items_here`: it may be the item itself.
    """
    post = _thread_post(places)
    strays: list[tuple[HtmlElement, CommentPlace]] = []
    known: dict[HtmlElement, bool] = {}
    enclosing: _Enclosing = {}
    for scope in _following_scopes(container):
        for item in thread_items_here(scope):
            if _in_section(item, known):
                continue
            place = thread_place(item, container, enclosing)
            if post is None or _permalink_post(place) == post:
                strays.append((scope, place))
        if len(strays) >= missing:
            break
    return strays[:missing]


# The class token, tested on the attribute (an attribute step).
_EARLY_ITEMS = Elements(".//div/@class[" + class_token("blogComment", subject=".") + "]/..")


def early_blocks(container: HtmlElement) -> list[CommentPlace]:
    """Each ``div.blogComment`` in ``container``, in page order, one comment each.

    A block inside another is a part of that one, not a comment of its own.
    """
    items = _EARLY_ITEMS(container)
    kept = set(items)
    return [
        CommentPlace(item, (item,)) for item in items if not _inside_another(item, kept, container)
    ]


FINDERS: tuple[Callable[[HtmlElement], list[CommentPlace]], ...] = (
    threaded,
    definition_list,
    blocks,
    anchored,
    early_blocks,
)
_BY_COMMENT_ID = frozenset({blocks, anchored})


class FoundComments(NamedTuple):
    """The comments :func:`find_comments` found, in page order."""

    places: list[CommentPlace]
    own: int
    """How many of ``places`` (the first) are inside the container; the rest are strays."""
    finder: Callable[[HtmlElement], list[CommentPlace]] | None = None
    """The family's finder (one of :data:`FINDERS`) that found them; None when none did."""


COMMENT_ID_LINE = re.compile("\nc[0-9]")
"""Finds, in the page's ids (``BodyNeighbourhood.may_file``), the id or ``<a>`` name of every
element :func:`blocks` and :func:`anchored` select (``c`` and digits)."""


def find_comments(
    container: HtmlElement,
    shown: int | None = None,
    *,
    items: list[HtmlElement] | None = None,
    terms: list[HtmlElement] | None = None,
    comment_ids: bool = True,
) -> FoundComments:
    """Return the comments of the first family whose markup the container holds.

    Threaded comments pushed out of the container are looked for (a walk over the rest of
    the page) only when the page states more comments (``shown``) than the container holds.
    ``items`` and ``terms``, when the caller has them, are :func:`thread_items` and
    :func:`definition_terms` of ``container`` (not looked for again); ``comment_ids`` False
    says the page files no id or ``<a>`` name that :data:`COMMENT_ID_LINE` finds, so that
    :func:`blocks` and :func:`anchored` would find nothing (they are not asked).
    """
    for finder in FINDERS:
        if finder is threaded and items is not None:
            enclosing: _Enclosing = {}
            places = [thread_place(item, container, enclosing) for item in items]
        elif finder is definition_list and terms is not None:
            places = [definition_place(term) for term in terms]
        elif not comment_ids and finder in _BY_COMMENT_ID:
            places = []
        else:
            places = finder(container)
        if places:
            own = len(places)
            if finder is threaded and shown is not None and shown > own:
                places += stray_thread_items(container, places, shown - own)
            return FoundComments(places, own, finder)
    return FoundComments([], 0)
