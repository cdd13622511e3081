"""How many comments Blogger shows for the post, in whatever language the blog uses.

Evidence, in order:

1. ``data-num-comments`` on the comment section (2017 themes, Plus UI and other templates),
   or ``data-count`` / ``data-num-comments`` on its heading (custom templates).
2. The number in the post's comment link (``a.comment-link``, ``a[href$="#comments"]``)
   when the page shows one: it is the total Blogger computed.
3. The comment section's heading: ``24 comments:``, ``1 Meinungen:``, ``No comments:``,
   ``Keine Kommentare:``, ``Aucun commentaire:``. A leading number is the count when it is
   the heading's only number (``78 楼 / 292 条评论`` counts threads and comments: not a
   total), or a lone number in closing parentheses (``Comments (5)``); a known "no" word
   means 0. A heading without a usable number (``Kommentare:``) is
   answered by counting the comments in Blogger's thread (``li.comment``, replies included,
   or ``dt.comment-author``).
4. A WordPress-style heading ``0 Response to "TITLE"`` anywhere on the page.
5. A Dynamic Views comment bubble (``span.comments-count``).

``None`` when the page shows none of these, or when comments are handled outside Blogger
(Disqus, HaloScan, Google+ comments): their counts are written by scripts, not in the page.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterator

from lxml.html import HtmlElement

from crawler.parsing.around import RingElement, answer_in_first_ring, beside_body
from crawler.parsing.proximity import POST_LEVELS, BodyNeighbourhood
from crawler.parsing.xpath import Elements, FirstDescendant, class_token, class_tokens

CONTAINER_IDS = ("comments", "comment-holder", "comments-block", "comment-blogger")
"""The ids a comment thread's container has in Blogger's widgets (and Plus UI's)."""
CONTAINERS_BY_ID = " | ".join(f"id('{name}')" for name in CONTAINER_IDS)
"""An XPath union of the elements filed under :data:`CONTAINER_IDS` in libxml2's id table
(found without a traversal; an ``<a name>`` is filed under its name, too)."""
_SECTION_IDS = Elements("id('comments') | id('comment-blogger')")
ID_LINE = re.compile("\ncomment")
"""Finds every name of :data:`CONTAINER_IDS` (and so of the sections' ids) in the page's ids
(:meth:`BodyNeighbourhood.may_file`)."""
# Attribute first (``.//*/@class[...]/..``): libxml2 tests an attribute's own string far more
# cheaply than an element predicate reading ``@class``; the same elements in page order
# (pinned by test_parsing_xpath_forms.py). These two run ring by ring around the body.
_SECTIONS = Elements(
    ".//*/@class[" + class_token("comments", subject=".") + "]/.. | .//*/@data-num-comments/.."
)
_SECTION_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5"})
_THREAD_MARKER_IDS = frozenset(
    {"comment-holder", "comments-block", "comment-form", "comment-editor"}
)
_THREAD_MARKER_CLASSES = ("comments-content", "comment-thread", "comment-form")


def _is_section_heading(element: HtmlElement) -> bool:
    """Whether ``element`` passes :data:`section_headings`' test: a heading not in backlinks."""
    if element.tag not in _SECTION_HEADING_TAGS:
        classes = element.get("class")
        if not classes or "comments-title" not in class_tokens(classes):
            return False
    return not any(
        ancestor.get("id") == "backlinks-container" or "backlinks" in (ancestor.get("class") or "")
        for ancestor in element.iterancestors()
    )


def _is_thread_marker(element: HtmlElement) -> bool:
    """Whether ``element`` passes :data:`_THREAD_MARKERS`' predicate."""
    if element.get("id") in _THREAD_MARKER_IDS:
        return True
    classes = element.get("class")
    return classes is not None and any(name in classes for name in _THREAD_MARKER_CLASSES)


# The section's first heading in page order, outside a backlinks block: the same element as
# the union form (pinned by test_parsing_xpath_forms.py), looked for among the section's first
# elements in Python (FirstDescendant: libxml2 walks the whole section for the query, 0.25 ms
# on a 900-comment thread, 1.3 ms on a rendered one).
section_headings = FirstDescendant(
    "(self::h2 or self::h3 or self::h4 or self::h5 or "
    + class_token("comments-title")
    + ") and not(ancestor::*[@id='backlinks-container' or contains(@class, 'backlinks')])",
    _is_section_heading,
)
# Blogger's own comment machinery: a thread, a comments block or the comment form/editor.
# Asked only whether there is one: the first, as above.
_THREAD_MARKERS = FirstDescendant(
    "@id='comment-holder' or @id='comments-block' or @id='comment-form'"
    " or @id='comment-editor' or contains(@class, 'comments-content')"
    " or contains(@class, 'comment-thread') or contains(@class, 'comment-form')",
    _is_thread_marker,
)
_THREAD_ITEMS = Elements(
    ".//li/@class["
    + class_token("comment", subject=".")
    + "]/.. | .//dt/@class[contains(., 'comment-author')]/.."
)
# The post's own comment link, searched beside the body (never through it). The suffix test
# is guarded by the substring test it implies (a third cheaper over many links).
_POST_COMMENT_LINKS = Elements(
    "descendant-or-self::a/@class[contains(., 'comment-link')]/.."
    " | descendant-or-self::a/@href[contains(., '#comments')"
    " and substring(., string-length(.) - 8) = '#comments']/.."
)


def post_comment_links(scope: HtmlElement) -> list[HtmlElement]:
    """Return what :data:`_POST_COMMENT_LINKS` selects in ``scope`` (pinned against it).

    lxml's iterator over the ``<a>`` elements alone (in C), each tested in Python: an XPath
    call per sibling beside the body cost 20-45K instructions (about 1K an element a path
    walks), six calls on a Layouts page's post box.
    """
    return [
        link
        for link in scope.iter("a")
        if _links_post_comments(link.get("class"), link.get("href"))
    ]


def _links_post_comments(classes: str | None, href: str | None) -> bool:
    """Whether an ``<a>`` with this class and address is one :data:`_POST_COMMENT_LINKS` selects."""
    return (classes is not None and "comment-link" in classes) or (
        href is not None and href.endswith("#comments")
    )


# Custom templates put the total on the heading or a counter inside the section.
_COUNT_ATTRIBUTES = ("data-num-comments", "data-count")
_COUNTERS = Elements(
    ".//*/@data-num-comments/.. | .//*/@data-count/parent::*[contains(@class, 'comment')"
    " or contains(@class, 'count') or self::h2 or self::h3 or self::h4]"
)
_NUMBERS = re.compile(r"\d[\d.,\u00a0]*")
_PARENTHESISED_TOTAL = re.compile(r"[(（](\d+)[)）]\s*:?\s*$")
_QUOTED = re.compile(r"[\"“”„«»].*?[\"“”„«»]")
_HEADINGS = Elements(".//h2|.//h3|.//h4|.//h5|.//h6")
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BUBBLES = Elements(".//*/@class[contains(., 'comments-count')]/..")
# The three searched around the body at once, told apart by _is_section, _is_heading and
# _is_bubble (pinned by test_parsing_xpath_forms.py): a section's class and a bubble's both
# hold "comments", so one walk tests the classes for both, and the token test is Python's.
_AROUND = Elements(
    ".//*/@class[contains(., 'comments')]/.. | .//*/@data-num-comments/.. | " + _HEADINGS.expression
)
# What _AROUND selects and every comment container (comment_thread's: an id or class
# holding "comment"; tested by name: any attribute's value, links' addresses and inline
# styles among them, cost half as much again around a body). The container search asks it
# of the rings it searches whole (no container id near the body, no box of other items
# beside: a page without a thread), and the count reads those rings from it
# (BodyNeighbourhood.kept_ring) instead of asking _AROUND: the same rings walked once for
# both. Asked of every ring by the count, it would cost more than _AROUND where many
# classes hold "comment" (a thread's, comment links).
COMMENT_EVIDENCE = Elements(
    ".//*/@class[contains(., 'comment')]/.. | .//*/@id[contains(., 'comment')]/.."
    " | .//*/@data-num-comments/.. | " + _HEADINGS.expression
)


def _is_comment_evidence(element: RingElement) -> bool:
    """Whether an element is what :data:`COMMENT_EVIDENCE` selects (the first-ring walk's test)."""
    classes, ident = element.classes, element.ident
    return (
        element.tag in _HEADING_TAGS
        or element.counted
        or (classes is not None and "comment" in classes)
        or (ident is not None and "comment" in ident)
    )


answer_in_first_ring(COMMENT_EVIDENCE, _is_comment_evidence)
# The post's comment links in the first ring (the body's siblings' subtrees), for the walk of
# that ring to answer (around.walk_first_ring): what post_comment_links finds there.
_POST_COMMENT_LINKS_RING = Elements(
    _POST_COMMENT_LINKS.expression.replace("descendant-or-self::", ".//")
)


def _is_post_comment_link(element: RingElement) -> bool:
    """Whether an element is what :data:`_POST_COMMENT_LINKS_RING` selects (the walk's test)."""
    return element.tag == "a" and _links_post_comments(element.classes, element.href)


answer_in_first_ring(_POST_COMMENT_LINKS_RING, _is_post_comment_link)

_LEADING_NUMBER = re.compile(r"^\D{0,3}?(\d[\d.,\u00a0 ]*)")
# Words Blogger's localized templates print for zero comments ("No comments:").
_ZERO_WORDS = re.compile(
    r"^\s*(no|keine|kein|aucun|aucune|pas de|sin|ningún|nessun|nessuno|geen|brak|nenhum|"
    r"sem|ingen|inga|ei|nincs|žádné|нет|немає|hiç|tidak ada|belum ada|không có|沒有|没有|"
    r"コメントはありません|댓글 없음)\b",
    re.IGNORECASE,
)
_RESPONSE_HEADING = re.compile(r"^\s*(\d+)\s+\S+.*[\"“”„«»']")


def count_from_text(text: str) -> int | None:
    """Return the count a comments heading or link states, 0 for "no comments", else None."""
    text = " ".join(text.split())
    match = _LEADING_NUMBER.match(text)
    if match:
        digits = re.sub(r"\D", "", match.group(1))
        return int(digits) if digits else None
    if _ZERO_WORDS.match(text):
        return 0
    return None


def _attribute_count(element: HtmlElement) -> int | None:
    for name in _COUNT_ATTRIBUTES:
        raw = (element.get(name) or "").strip()
        if raw.isdigit():
            return int(raw)
    return None


def _declared_count(section: HtmlElement, heading: HtmlElement | None) -> int | None:
    """Return the total the section's or its heading's count attribute states, if any."""
    raw = section.get("data-num-comments")
    if raw is not None and raw.strip().isdigit():
        return int(raw)
    return _attribute_count(heading) if heading is not None else None


def _counter_count(section: HtmlElement) -> int | None:
    """Return the total a counter inside the section states (``span[data-count]``), if any."""
    for element in _COUNTERS(section):
        count = _attribute_count(element)
        if count is not None:
            return count
    return None


def _heading_total(heading: HtmlElement, title: str | None) -> int | None:
    """Return the heading's count if it can only be the total (one number, or a "no" word).

    Numbers inside the quoted post title (``24 comments on "Top 10 of 2019"``) do not count.
    """
    text = heading.text_content()
    unquoted = _QUOTED.sub(" ", text.replace(title, " ") if title else text)
    if len(_NUMBERS.findall(unquoted)) > 1:
        return None  # "78 楼 / 292 条评论": threads and comments, not one total
    count = count_from_text(text)
    if count is None and (trailing := _PARENTHESISED_TOTAL.search(unquoted)):
        count = int(trailing.group(1))  # "Comments (5)", "Kommentare (5):"
    return count


def _linked_count(near: BodyNeighbourhood, section: HtmlElement) -> int | None:
    """Return the number the post's comment link shows ("292 comments"), if it shows one.

    A link that says 0 (or nothing countable) does not outvote a heading or a thread. The
    comments ``section`` is not searched: the post's link is outside its thread, and a
    thread of hundreds of comments is most of what lies beside the body.
    """
    # The first ring's links as the walk of the body's siblings found them, if it kept them
    # (none of those siblings a box of other items); only the section is not searched there.
    first = near.kept_ring(_POST_COMMENT_LINKS_RING, 0)
    if first is not None:
        if section.getparent() is near.ancestors[1]:
            first = [link for link in first if not _within(link, section)]
        count = _first_count(first)
        if count:
            return count
    outside = functools.partial(operator.is_, section)
    searched = {1 if first is None else 2: post_comment_links}
    for found in beside_body(near, searched, POST_LEVELS[-1], skip=outside):
        count = _first_count(found.nearest_first)
        if count:
            return count
    return None


def _first_count(links: list[HtmlElement]) -> int | None:
    """Return the first non-zero number the ``links`` show, or None."""
    for link in links:
        count = count_from_text(link.text_content())
        if count:
            return count
    return None


def _within(element: HtmlElement, box: HtmlElement) -> bool:
    """Whether ``element`` is ``box`` or inside it."""
    return element is box or any(ancestor is box for ancestor in element.iterancestors())


def _from_section(section: HtmlElement, near: BodyNeighbourhood, title: str | None) -> int | None:
    headings = section_headings(section)
    heading = headings[0] if headings else None
    declared = _declared_count(section, heading)
    if declared is not None:
        return declared
    if heading is None and not _THREAD_MARKERS(section):
        return None  # an empty section or a backlinks block: comments are off
    linked = _linked_count(near, section)
    if linked:
        return linked
    if heading is not None:
        heading_count = _heading_total(heading, title)
        if heading_count is not None:
            return heading_count
    # Only now, with no usable heading, is the section searched for a counter of its own.
    counter = _counter_count(section)
    if counter is not None:
        return counter
    items = len(_THREAD_ITEMS(section))
    if items:
        return items
    return 0


def _response_count(heading: HtmlElement, title: str | None) -> int | None:
    # The heading's leading text, read without an XPath call, shows most headings (a post's
    # title, a date) start with no number: the whole text would not match either.
    lead = heading.text
    if lead is not None and (start := lead.lstrip()) and not start[0].isdecimal():
        return None
    text = " ".join(heading.text_content().split())
    match = _RESPONSE_HEADING.match(text)
    if match and (title is None or title in text):
        return int(match.group(1))
    return None


def _from_response_heading(around: _AroundBody, title: str | None) -> int | None:
    heading = around.nearest(_is_heading, accept=lambda h: _response_count(h, title) is not None)
    return _response_count(heading, title) if heading is not None else None


def _is_section(element: HtmlElement) -> bool:
    """Whether ``element`` is what :data:`_SECTIONS` selects (among :data:`_AROUND`'s)."""
    if element.get("data-num-comments") is not None:
        return True
    classes = element.get("class")
    return classes is not None and "comments" in class_tokens(classes)


def _is_heading(element: HtmlElement) -> bool:
    """Whether ``element`` is what :data:`_HEADINGS` selects."""
    return element.tag in _HEADING_TAGS


def _is_bubble(element: HtmlElement) -> bool:
    """Whether ``element`` is what :data:`_BUBBLES` selects."""
    return "comments-count" in (element.get("class") or "")


class _AroundBody:
    """The comment sections, headings and bubbles around the body, found by one query.

    Ring by ring as far as a question needs (:meth:`BodyNeighbourhood.ring_matches`), each
    ring searched once for the three: where none is found (comments Blogger does not render,
    Google+ or Disqus), three searches cost three calls per ring and the same walks. A ring
    the comment container search asked :data:`COMMENT_EVIDENCE` of is read from that answer
    (a superset of :data:`_AROUND`'s, told apart by the same exact tests).
    """

    def __init__(self, near: BodyNeighbourhood) -> None:
        self._near = near
        self._asked: list[list[HtmlElement]] = []
        self._last_asked = False

    def _rings(self) -> Iterator[list[HtmlElement]]:
        """Yield the rings' matches, each looked up once for the count's three questions."""
        near, asked = self._near, self._asked
        yield from asked
        index = len(asked)
        while not self._last_asked:
            ring = near.kept_ring(COMMENT_EVIDENCE, index)
            if ring is None:
                ring = near.ring_matches(_AROUND, index)
                if ring is None:
                    self._last_asked = True
                    return
            asked.append(ring)
            yield ring
            index += 1

    def nearest(
        self,
        kind: Callable[[HtmlElement], bool],
        *,
        accept: Callable[[HtmlElement], bool] | None = None,
    ) -> HtmlElement | None:
        """Return ``near.nearest(near.search(Q, whole_page=False, accept=accept))``.

        Q is the query whose matches ``kind`` tells apart among :data:`_AROUND`'s (and
        :data:`COMMENT_EVIDENCE`'s).
        """
        for ring in self._rings():
            found = [e for e in ring if kind(e) and (accept is None or accept(e))]
            if found:
                return self._near.nearest(found)
        return None


def comment_count(
    body: HtmlElement, title: str | None, near: BodyNeighbourhood | None = None
) -> int | None:
    """Return the post's comment count as the page shows it (see the module docstring).

    ``body`` is the chosen post body; sections and headings nearest to it win over copies
    elsewhere on the page. ``title`` (the post title) confirms a ``N Response to "TITLE"``
    heading. ``near`` is ``body``'s neighbourhood if the caller has one: the siblings beside
    the body are then found once for the count and the other fields, and the rings the
    comment container search asked (:func:`comment_thread.thread_container`, asked first)
    are not searched again.
    """
    if near is None or near.body is not body:
        near = BodyNeighbourhood(body)
    around = _AroundBody(near)
    by_id = [s for s in near.filed(_SECTION_IDS, ID_LINE) if near.distance(s) > 0]
    section = near.nearest(by_id)
    if section is None:
        section = around.nearest(_is_section)
    if section is not None:
        count = _from_section(section, near, title)
        if count is not None:
            return count
    count = _from_response_heading(around, title)
    if count is not None:
        return count
    bubble = around.nearest(_is_bubble)
    if bubble is not None:
        return count_from_text(bubble.text_content())
    return None
