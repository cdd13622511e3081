"""What theme extractors receive and return, and the body choice they share."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing.comments import CONTAINER_IDS, CONTAINERS_BY_ID
from crawler.parsing.document import Document, element_ids
from crawler.parsing.head import HeadFacts
from crawler.parsing.ids import BloggerIds
from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.xpath import Elements

# id() takes a list of ids separated by spaces and returns their elements in page order.
_BY_ID = Elements("id($name)")
_POST_BODY_ID = "post-body-"
_POST_BODY_LINE = "\npost-body-"
_ASCII_DIGITS = frozenset("0123456789")


def post_body_names(ids_text: str) -> list[str]:
    """Return the lines of ``ids_text`` that are ``post-body-`` and ASCII digits, in order.

    What ``re.findall(r"^post-body-[0-9]+$", ids_text, re.MULTILINE)`` returns (pinned by a
    Hypothesis test), found from the few lines that start so: the expression tried every
    line of a page's ids (0.43 ms for the 8,127 ids of a rendered 900-comment thread).
    ``ids_text`` starts with a newline (the ids joined, each on a line).
    """
    names = []
    start = ids_text.find(_POST_BODY_LINE)
    while start != -1:
        end = ids_text.find("\n", start + 1)
        line = ids_text[start + 1 : end] if end != -1 else ids_text[start + 1 :]
        digits = line[len(_POST_BODY_LINE) - 1 :]
        if digits and _ASCII_DIGITS.issuperset(digits):
            names.append(line)
        start = ids_text.find(_POST_BODY_LINE, end) if end != -1 else -1
    return names


Pieces = tuple[list[HtmlElement], list[HtmlElement]]
"""A scope less its comment threads: the elements that hold a thread (the scope among them),
and the subtrees beside those (see :meth:`PageFacts.pieces`)."""
_THREAD_BOUND = 200
"""Elements a comment thread holds at least for class searches to pass it over.

See :meth:`PageFacts.pieces`. Passing a thread over costs about what searching that many
elements costs (the pieces are found in Python, and each search unions them): a thread of
a few comments is searched with the rest."""
# The elements of those ids (an <a name> is filed under its name) that hold that many: in one
# call, libxml2 stopping at the element of that position (a constant position only), before
# any element proxy or ancestor is made in Python for a small thread.
_BIG_BY_ID = Elements("(" + CONTAINERS_BY_ID + f")[not(self::a)][descendant::*[{_THREAD_BOUND}]]")
_WALK_BOUND = 500
"""Elements the walk outside widgets visits before it reads the whole page's class values.

A step of the walk costs several times a class value's read in C: past this many, a
template's own markup is not small, and the walk (at most 0.15 ms) stops. The heaviest
template of the stress pages has 235 elements outside its widgets, the corpus's 123."""


def _scope_forms(steps: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """Return a scope query's two forms: of the whole scope, and of its pieces.

    Each step is (node test, rest): the whole form selects ``descendant-or-self::TEST/REST``;
    the pieces form the same of a scope less its comment threads (:meth:`PageFacts.pieces`):
    ``$path`` holds the scope and its descendants that hold a thread (each tested itself),
    ``$beside`` the subtrees beside them (each searched whole).
    """
    whole = " | ".join(f"descendant-or-self::{test}/{rest}" for test, rest in steps)
    pieces = " | ".join(
        f"$path/self::{test}/{rest} | $beside/descendant-or-self::{test}/{rest}"
        for test, rest in steps
    )
    return whole, pieces


class ScopeQuery:
    """An XPath query of a :class:`PageFacts` scope: its subtree, less its comment threads.

    The template's questions (which family, which body, is it a listing) are never about the
    comment thread, which on a page of hundreds of comments is most of the Blog widget: the
    query runs on the scope's pieces when the scope holds a thread (see
    :meth:`PageFacts.pieces`), else on the whole scope.
    """

    def __init__(self, *steps: tuple[str, str]) -> None:
        """Compile the two forms of the union of ``steps`` (see :func:`_scope_forms`)."""
        whole, pieces = _scope_forms(steps)
        self.whole = Elements(whole)
        """The query of a whole subtree (its root included), in page order."""
        self.of_pieces = Elements(pieces)
        """The query of a subtree's pieces (``$path``, ``$beside``), in page order."""

    def __call__(self, facts: PageFacts, scope: HtmlElement, **variables: str) -> list[HtmlElement]:
        """Return the selected elements of ``scope`` (``facts``'s root or a descendant)."""
        pieces = facts.pieces(scope)
        if pieces is None:
            return self.whole(scope, **variables)
        return self.of_pieces(scope, path=pieces[0], beside=pieces[1], **variables)


# One scan for every class/itemprop/id marker a family may want; cheap substring tests here,
# exact class-token tests in Python (see :func:`has_token`).
# Relative to the scope asked (``descendant-or-self::``): from the root, every element of the
# page; from the Blog widget, its own. Not "//", which libxml2 runs as
# descendant-or-self::node()/child::, a third slower on a big tree.
# Any element: its attribute's own string is tested (``/@class[...]/..``), which libxml2 does
# far more cheaply than an element predicate reading ``@class`` (a fifth less for classes, a
# third for itemprops); div elements are found by name first, which is cheaper still, then
# by their attribute's own string too (a page of 700 line divs: 0.22 -> 0.07 ms).
_CLASS_CONTAINS = ScopeQuery(("*", "@class[contains(., $name)]/.."))
_DIV_CLASS_CONTAINS = ScopeQuery(("div", "@class[contains(., $name)]/.."))
# Every class attribute's value, as plain strings: one walk of the tree in C, where each
# search of the page's bytes for one absent class costs as much (a classic page asked up to
# nine of them: 0.5 ms on a 150 KB page). Not the typed ``Strings`` wrapper: its smart strings
# and copies cost as much again.
_CLASS_VALUES_FORMS = _scope_forms((("*", "@class"),))
_CLASS_VALUES = etree.XPath(_CLASS_VALUES_FORMS[0], smart_strings=False, regexp=False)
_PIECES_CLASS_VALUES = etree.XPath(_CLASS_VALUES_FORMS[1], smart_strings=False, regexp=False)
_BODY_CLASS = "post-body"
_ITEMPROP_BODIES = ScopeQuery(
    ("*", "@itemprop[contains(., 'rticleBody') or contains(., 'rticlesBody')]/..")
)
# Blogger's Blog widget, which renders the posts (and a listing's pager and status message).
_BLOG_WIDGET_ID = "Blog1"


def _class_text(scope: HtmlElement, pieces: Pieces | None) -> str:
    """Return the class values in ``scope``'s subtree (itself included), one a line.

    Only those of its ``pieces`` when it has some (:meth:`PageFacts.pieces`).
    """
    if pieces is None:
        values = _CLASS_VALUES(scope)
    else:
        values = _PIECES_CLASS_VALUES(scope, path=pieces[0], beside=pieces[1])
    return "\n".join(cast("list[str]", values))


def has_token(element: HtmlElement, *names: str) -> bool:
    """Whether ``element``'s class attribute holds every one of the tokens ``names``."""
    tokens = (element.get("class") or "").split()
    return all(name in tokens for name in names)


class PageFacts:
    """The parsed page and what it says about itself, shared by all extractors.

    Class and ``itemprop`` questions are asked of a *scope*: the whole page, or (in the view
    :meth:`within` returns) one element, such as the Blog widget that renders the post
    (:meth:`post_widget`). Answers are cached per scope and shared by the views.
    """

    def __init__(
        self,
        doc: Document,
        ids: BloggerIds,
        head: HeadFacts,
        jsonld: JsonLdPost | None,
        canonical: str | None = None,
    ) -> None:
        """Bundle the page's tree, ids, head facts, JSON-LD post and own canonical URL."""
        self.doc = doc
        self.ids = ids
        self.head = head
        self.jsonld = jsonld
        self.canonical = canonical
        """The canonical form of the URL the page gives for itself, None if it gives none."""
        self.scope: HtmlElement = doc.root
        """The element whose subtree (itself included) class questions search."""
        # The caches: shared by the views within() returns (a shallow copy), so the ones that
        # hold one answer for the whole page are one-slot lists, filled in place.
        self._by_class: dict[tuple[HtmlElement, str], list[HtmlElement]] = {}
        self._class_texts: dict[HtmlElement, str] = {}
        self._article_bodies: dict[HtmlElement, list[HtmlElement]] = {}
        self._blogger_bodies: dict[HtmlElement, list[HtmlElement]] = {}
        self._element_ids: list[list[str]] = []
        self._ids_texts: list[str] = []
        self._outside_texts: list[str] = []
        self._post_widget: list[HtmlElement | None] = []
        self._post_bodies: list[list[HtmlElement]] = []
        self._threads: list[list[HtmlElement]] = []
        self._pieces: dict[HtmlElement, Pieces | None] = {}

    def within(self, scope: HtmlElement) -> PageFacts:
        """Return a view of these facts whose class questions search ``scope``'s subtree.

        The view shares every cache with these facts (each keyed by scope where the answer
        depends on it).
        """
        view = copy.copy(self)
        view.scope = scope
        return view

    @property
    def root(self) -> HtmlElement:
        """The document's root element."""
        return self.doc.root

    @property
    def has_widgets(self) -> bool:
        """Whether Blogger's widget manager (Layouts and later templates) wrote the page."""
        return self.ids.page_type is not None

    @property
    def is_dynamic_views(self) -> bool:
        """Whether the page declares a Dynamic Views template (content loaded by JS)."""
        return self.head.dynamic_views

    def mentions(self, marker: bytes) -> bool:
        """Whether the raw page bytes contain ``marker`` (a cheap pre-check before a search)."""
        return marker in self.doc.body

    def element_by_id(self, element_id: str) -> HtmlElement | None:
        """Return the element with ``id=element_id`` (libxml2's id table, no scan), or None."""
        found = _BY_ID(self.root, name=element_id)
        return found[0] if found else None

    def post_widget(self) -> HtmlElement | None:
        """Return Blogger's Blog widget (``div#Blog1.widget.Blog``), or None if none.

        It renders the post (title, body, byline, comments) and, on listings, the posts, the
        pager and the status message: Layouts and 2017 pages, and templates built on them.
        Found by id (no scan).
        """
        if not self._post_widget:
            widget = self.element_by_id(_BLOG_WIDGET_ID)
            is_widget = widget is not None and widget.tag == "div"
            self._post_widget.append(
                widget if is_widget and has_token(widget, "widget", "Blog") else None
            )
        return self._post_widget[0]

    def element_ids(self) -> list[str]:
        """Return every ``id`` value on the page (libxml2's id table: no scan; read once)."""
        if not self._element_ids:
            self._element_ids.append(element_ids(self.root))
        return self._element_ids[0]

    def _ids_text(self) -> str:
        """Return the page's ids joined, each on a line of its own (read once)."""
        if not self._ids_texts:
            self._ids_texts.append("\n" + "\n".join(self.element_ids()))
        return self._ids_texts[0]

    def read_ids_text(self) -> str | None:
        """Return the page's ids, each after a newline, if :meth:`has_id_starting` read them.

        None when nothing has asked for them yet (reading lxml's list of a big thread's
        ids costs 0.7 ms: it is not read for this).
        """
        return self._ids_texts[0] if self._ids_texts else None

    def has_id_starting(self, prefix: str) -> bool:
        """Whether some element's ``id`` (or an ``<a>``'s ``name``) starts with ``prefix``.

        One search of the ids joined a line each (pages number their paragraphs and
        comments: a Python test per id cost more than the id table's read).
        """
        return "\n" + prefix in self._ids_text()

    def post_body_elements(self) -> list[HtmlElement]:
        """Return the page's ``#post-body-POSTID`` elements (POSTID ASCII digits), in order.

        Their ids are read from the page's id table, where a search of the bytes for
        ``post-body-`` cost a tenth of the parse on every page; an ``<a name>`` filed under
        such a value is not a body. Blogger's own ids: the whole page, whatever the scope, so
        found once for all views (the Dynamic Views test and the families in the Blog widget
        both ask; callers must not modify the list).
        """
        if not self._post_bodies:
            self._post_bodies.append(self._post_body_elements())
        return self._post_bodies[0]

    def _post_body_elements(self) -> list[HtmlElement]:
        if not self.has_id_starting(_POST_BODY_ID):
            return []
        # A line may be part of an id holding a line break: the elements found by a name
        # must carry it as their id.
        names = post_body_names(self._ids_text())
        if not names:
            return []
        return [e for e in _BY_ID(self.root, name=" ".join(names)) if e.get("id") in names]

    def threads(self) -> list[HtmlElement]:
        """Return the Blog widget's comment thread containers (outermost), found by id.

        The elements (no ``<a name>``) inside :meth:`post_widget` whose id is one Blogger's
        comment widgets give a thread's container (``comments.CONTAINER_IDS``). Read once,
        from the page's ids (no scan); empty on a page without a Blog widget. A thread of
        fewer than :data:`_THREAD_BOUND` elements is not among them.
        """
        if not self._threads:
            self._threads.append(self._widget_threads())
        return self._threads[0]

    def _widget_threads(self) -> list[HtmlElement]:
        widget = self.post_widget()
        if widget is None:
            return []
        found = [
            e
            for e in _BIG_BY_ID(self.root)
            if e.get("id") in CONTAINER_IDS and any(a is widget for a in e.iterancestors())
        ]
        return outermost(found)

    def pieces(self, scope: HtmlElement) -> Pieces | None:
        """Return ``scope`` less the comment threads it holds, or None if it holds none.

        The threads are the Blog widget's (:meth:`threads`). The first list holds ``scope``
        and its descendants that hold a thread (their own attributes are searched), the
        second the element children of those that neither are nor hold one (searched whole),
        so that a class search of the Blog widget or the page visits a small template, not a
        thread of hundreds of comments. Found once per scope.
        """
        if scope in self._pieces:
            return self._pieces[scope]
        holders: set[HtmlElement] = set()
        threads = self.threads()
        for thread in threads:
            ancestors = []
            for ancestor in thread.iterancestors():
                ancestors.append(ancestor)
                if ancestor is scope:
                    holders.update(ancestors)
                    break
        pieces: Pieces | None = None
        if holders:
            away = holders.union(threads)
            beside = [
                child
                for holder in holders
                for child in holder
                if child not in away and isinstance(child.tag, str)
            ]
            pieces = (list(holders), beside)
        self._pieces[scope] = pieces
        return pieces

    def mentions_class(self, name: str) -> bool:
        """Whether some class attribute in the scope may hold ``name`` (as a substring).

        A gate: False only when no class attribute in the scope holds ``name``; callers
        search the scope after a yes. Answered from the scope's class values, read once for
        all the questions asked of it (a few families and the listing test ask up to a dozen
        on pages without Blogger's ids); each answer is a search of those values. Once the
        whole page's values are read, they answer for every scope.
        """
        text = self._class_texts.get(self.root) or self._class_text_of(self.scope)
        return name in text

    def mentions_class_outside_side_widgets(self, name: str) -> bool:
        """Whether a class attribute outside widgets other than Blog widgets may hold ``name``.

        A gate as :meth:`mentions_class` (of the whole page): the elements it speaks for are
        those inside a Blog widget (``.widget.Blog``) or inside no widget at all, which is
        what the listing test reads. Found by a walk from the root that passes over each
        widget's subtree (a Blog widget's class values are read whole, in C): a template's
        own markup outside its widgets is small, where the whole page's class values cost a
        sixth of the parse on a big template. A Blog widget inside another widget is passed
        over with it (Blogger puts widgets in sections, never in one another). A page whose
        walk passes :data:`_WALK_BOUND` elements (markup outside widgets) is answered from
        the whole page's class values instead, as is a page without a Blog widget.
        """
        if not self._outside_texts:
            self._outside_texts.append(self._outside_side_widgets_text())
        return name in self._outside_texts[0]

    def _outside_side_widgets_text(self) -> str:
        if self.post_widget() is None:  # no Blog widget: widgets are not Blogger's
            return self._class_text_of(self.root)
        parts: list[str] = []
        walk = etree.iterwalk(self.root, events=("start",))
        for visited, (_, element) in enumerate(walk):
            if visited > _WALK_BOUND:
                return self._class_text_of(self.root)
            classes = element.get("class")
            if classes is None:
                continue
            tokens = classes.split()
            if "widget" in tokens:
                walk.skip_subtree()
                if "Blog" in tokens:
                    parts.append(self._class_text_of(element))
                    continue
            parts.append(classes)
        return "\n".join(parts)

    def _class_text_of(self, scope: HtmlElement) -> str:
        text = self._class_texts.get(scope)
        if text is None:
            text = self._class_texts[scope] = _class_text(scope, self.pieces(scope))
        return text

    def with_class(
        self, name: str, *, divs_only: bool = False, mentioned: bool = False
    ) -> list[HtmlElement]:
        """Return the elements (or only ``div`` elements) in the scope whose class holds ``name``.

        In page order. Scopes where no class attribute holds ``name``
        (:meth:`mentions_class`) are not searched, unless the caller found ``name`` in the
        bytes already (``mentioned``) or asks for ``div.post-body`` before the class values
        are read; results are cached, so families asking for the same class share one scan.
        """
        key = (self.scope, f"div.{name}" if divs_only else name)
        found = self._by_class.get(key)
        if found is None:
            found = []
            if mentioned or self._searched_unread(name, divs_only) or self.mentions_class(name):
                query = _DIV_CLASS_CONTAINS if divs_only else _CLASS_CONTAINS
                matches = query(self, self.scope, name=name)
                found = [e for e in matches if name in (e.get("class") or "").split()]
            self._by_class[key] = found
        return found

    def _searched_unread(self, name: str, divs_only: bool) -> bool:
        """Whether ``div.NAME`` is searched for without the class values' gate.

        ``div.post-body`` is: it is the first question on a page without Blogger's
        ``post-body-POSTID`` ids, asked of the Blog widget, and the answer is nearly always
        yes (a Layouts page); the widget's class values, its whole comment thread's, cost more
        than the search (33 comments: 60 us against 43 us). Once the values are read, they
        answer as for any class.
        """
        return (
            divs_only
            and name == _BODY_CLASS
            and self.root not in self._class_texts
            and self.scope not in self._class_texts
        )

    def with_article_body(self) -> list[HtmlElement]:
        """Return the scope's elements whose ``itemprop`` names ``articleBody``.

        Or the misspelt ``articlesBody``.
        """
        found = self._article_bodies.get(self.scope)
        if found is None:
            found = _ITEMPROP_BODIES(self, self.scope) if b"rticle" in self.doc.body else []
            self._article_bodies[self.scope] = found
        return found


@dataclass(frozen=True, slots=True)
class PostLocation:
    """Where a family found the post on the page."""

    extractor: str
    """The family's ``NAME``."""

    body: HtmlElement
    """The element whose content is the post body."""

    body_count: int = 1
    """How many separate post bodies of this kind the page holds (more than one = listing)."""

    author_hint: str | None = None
    """An author the body itself names (in-body bylines of corporate blogs), if any."""

    body_end: HtmlElement | None = None
    """When set, the post body is not ``body``'s content but the nodes between ``body`` and
    ``body_end``, a later sibling of it: what a classic template's ``<$BlogItemBody$>`` tag
    writes between its two empty marker ``div`` elements."""

    title_hint: str | None = None
    """The post's title where the family knows it from its markup (a classic template's
    heading before the body markers), if any."""


def outermost(elements: Sequence[HtmlElement]) -> list[HtmlElement]:
    """Drop the elements nested inside another element of ``elements``; keep page order."""
    if len(elements) < 2:  # nearly every post page: no ancestor walk
        return list(elements)
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def choose_body(
    name: str, candidates: Sequence[HtmlElement], post_id: str | None
) -> PostLocation | None:
    """Pick the body among ``candidates``: the one named ``post-body-POSTID``, else the first.

    Returns None when there is no candidate. ``body_count`` is the number of outermost ones.
    """
    bodies = outermost(candidates)
    if not bodies:
        return None
    wanted = f"post-body-{post_id}" if post_id else None
    body = next((b for b in bodies if wanted and b.get("id") == wanted), bodies[0])
    return PostLocation(extractor=name, body=body, body_count=len(bodies))


def blogger_bodies(facts: PageFacts) -> list[HtmlElement]:
    """Return Blogger's ``div.post-body.entry-content`` bodies.

    By id when the page has ``post-body-POSTID`` ids, else by class in the scope (never the
    ``post-snippet-*`` snippets of listings). Found once per page and scope (the 2017 and
    Layouts families both ask); callers must not modify the list.
    """
    found = facts._blogger_bodies.get(facts.scope)  # noqa: SLF001 - the cache this module keeps
    if found is None:
        found = facts.post_body_elements() or [
            e
            for e in facts.with_class("post-body", divs_only=True)
            if has_token(e, "entry-content") and not (e.get("id") or "").startswith("post-snippet-")
        ]
        facts._blogger_bodies[facts.scope] = found  # noqa: SLF001
    return found
