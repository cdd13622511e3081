"""Classic definition-list threads read without the generic walk of every comment (issue 15).

A classic thread (``dl#comments-block``: ``dt.comment-author`` then ``dd.comment-body`` and
an optional footer ``dd``) repeats one small shape hundreds of times. The generic reader
(:class:`crawler.parsing.comment_fields.CommentParts` and the field readers) walks each
comment's elements and files them before reading a field; for the regular shape below the
same fields are read directly from the few elements it has.

The contract: :func:`regular_comment` returns exactly the comment the generic reader returns
for the same place (every field), or None when it is not of the regular shape; its caller
reads that one the generic way (``comment_thread.read_listed``, after the serialized reader).
:func:`read_definition_list` does so for a whole thread, or None when any comment is not
regular. Regular means (the "roles" are those the walk files a class under,
:func:`comment_fields.class_roles`):

* the ``dt``'s attributes are a class whose only role is author (``comment-author``,
  ``comment-author blog-author``) and at most an ``id="cNNN"``; its children are ``<a>``
  elements without children (at most one anchor, ``name="cNNN"`` and no other attribute;
  at most one link, ``href`` and ``rel`` only, no ``#c`` in it) and boxes the walk passes
  over (``div.avatar-image-container``, with no attribute but the class);
* the text ``dd`` has a class whose only role is text (``comment-body``) and at most an id
  that is no comment id, and no ``<cite>`` or classed element inside but deletion marks (the
  walk's test of a text element, :data:`comment_fields.HEADER_INSIDE`); or, without a
  footer or an avatar box, no attribute at all and no attribute nor ``<cite>`` inside, with
  some text;
* a footer ``dd`` (only after a marked text ``dd``) is walked by the generic walk, which
  must file no text element nor deletion mark there.

The "more" controls (``.loadmore``, comment-page links) that the walk files are not looked
for here: the caller searches the whole container for them instead
(``comment_thread._MORE_CONTROLS``).

Tests (``tests/test_parsing_comment_regular.py``) compare both readers on generated regular
and irregular threads.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree
from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing import comment_fields
from crawler.parsing.body import collapse_whitespace
from crawler.parsing.comment_fields import (
    AUTHOR_ROLE,
    CLASS_ROLES,
    COMMENT_ID,
    DELETED_MARKS,
    HEADER_INSIDE,
    MORE_ROLE,
    SKIPPED_ROLE,
    TEXT_ROLE,
    CommentParts,
    class_roles,
    comment_of_text,
    content_paragraphs,
    name_from_text,
    profile_url,
    shown_text_of,
)
from crawler.parsing.comment_markup import CommentPlace
from crawler.parsing.xpath import Elements

_LINK_KEYS = frozenset({"href", "rel"})


# The text elements that need a look at their descendants: those holding a <cite> or an
# element with any attribute (more than the checks below need: a marked text element's link
# is harmless, but one descendant test per element is the cheapest search). One search in C
# over the whole thread, where testing every element of every comment in Python cost as much
# as reading the fields.
_TEXTS_TO_SEE = Elements(".//dd[descendant::*[@* or self::cite]]")


def read_definition_list(
    container: HtmlElement, places: Sequence[CommentPlace]
) -> list[BlogComment] | None:
    """Return the comments of ``places`` (definition-list places) as the generic reader does.

    ``container`` is the thread's container, which holds the places. None when one of them
    is not of the regular shape (see the module docstring).
    """
    comments = []
    to_see = set(_TEXTS_TO_SEE(container))
    for place in places:
        comment = regular_comment(place.parts, to_see)
        if comment is None:
            return None
        comments.append(comment)
    return comments


def texts_to_see(container: HtmlElement) -> set[HtmlElement]:
    """Return the text elements of ``container`` that :func:`regular_comment` looks into."""
    return set(_TEXTS_TO_SEE(container))


def regular_comment(  # noqa: C901, PLR0911, PLR0912 - one shape's checks, in order
    parts: tuple[HtmlElement, ...], to_see: set[HtmlElement]
) -> BlogComment | None:
    """Return the comment of one definition-list place's ``parts`` as the generic reader does.

    None when it is not of the regular shape (module docstring). ``to_see`` is
    :func:`texts_to_see` of the thread's container; the "more" controls are the caller's.
    """
    if len(parts) == 2:  # noqa: PLR2004 - the term and its text
        term, body = parts
        footer = None
    elif len(parts) == 3:  # noqa: PLR2004 - and a footer
        term, body, footer = parts
    else:
        return None
    # The term: the author's box, and the comment's first id carriers.
    identifier = None
    marked = False
    carriers: list[HtmlElement] = []
    for name, value in term.items():
        if name == "class" and _roles(value) == AUTHOR_ROLE:
            marked = True
        elif name == "id" and (match := COMMENT_ID.match(value)):
            identifier = match.group(1)
            carriers.append(term)
        else:
            return None
    if not marked:
        return None
    link = None
    anchored = avatar = False
    for child in term:
        tag = child.tag
        if tag == "a" and not len(child):
            attributes = child.attrib
            href = attributes.get("href")
            if href is None:
                match = COMMENT_ID.match(attributes.get("name") or "")
                if anchored or len(attributes) != 1 or match is None:
                    return None
                anchored = True
                carriers.append(child)
                if identifier is None:
                    identifier = match.group(1)
            elif link is not None or "#c" in href or not _LINK_KEYS.issuperset(attributes.keys()):
                return None
            else:
                link = child
        elif tag in ("a", "cite") or not isinstance(tag, str) or not _skipped_box(child):
            return None
        else:
            avatar = True  # not entered by the walk, but searched for the author's link
    # The text element (an id of its own, if any, is no comment id: it carries nothing).
    marked = identified = False
    for name, value in body.items():
        if name == "class" and _roles(value) == TEXT_ROLE:
            marked = True
        elif name == "id" and not COMMENT_ID.match(value):
            identified = True
            carriers.append(body)
        else:
            return None
    if not marked and (footer is not None or avatar or identified):
        return None
    deleted = False
    if body in to_see and marked:
        for element in body.iterdescendants(etree.Element):
            if element.tag == "cite" or element.get("class") is not None:
                # The walk's own test of a marked text element (most hold no class).
                if HEADER_INSIDE(body):
                    return None  # a wrapper of the whole comment: the walk enters it
                deleted = bool(DELETED_MARKS(body))
                break
    elif body in to_see:
        for element in body.iterdescendants(etree.Element):
            if len(element.attrib) or element.tag == "cite":
                return None
    if footer is None and not avatar:
        if link is not None and "showComment=" in (link.get("href") or ""):
            return None  # a permalink as the name's link: the generic reader's case
        author, author_url = _author(term, link)
        paragraphs = [] if deleted else content_paragraphs(body)
        if not deleted and not paragraphs and not marked:
            return None  # the generic reader then looks at the term's text
        # Without a footer there is no byline, time element or permalink: no time.
        return comment_of_text(
            paragraphs, id=identifier, author=author, author_url=author_url, deleted=deleted
        )
    if not marked:
        return None
    scan = CommentParts(() if footer is None else (footer,))
    if scan.contents or scan.deleted:
        return None
    # The lists the walk of the whole comment files: the term's, then the footer's.
    scan.parts = parts
    scan.contents = [body]
    scan.deleted = deleted
    scan.id_carriers = carriers + scan.id_carriers
    scan.author_boxes = [term, *scan.author_boxes]
    if link is not None:
        scan.links = [link, *scan.links]
    identifier = comment_fields.comment_id(term, scan)
    author, author_url = comment_fields.author(scan)
    paragraphs, deleted = comment_fields.text(scan)
    return BlogComment(
        id=identifier,
        parent=None,
        author=author,
        author_url=author_url,
        published=comment_fields.published(identifier, scan),
        paragraphs=paragraphs,
        deleted=deleted,
    )


def _roles(classes: str) -> int:
    """Return the roles the walk files a ``class`` value's element under ("more" aside)."""
    roles = CLASS_ROLES.get(classes)
    if roles is None:
        roles = class_roles(classes)
    return roles & ~MORE_ROLE


def _skipped_box(element: HtmlElement) -> bool:
    """Whether the walk passes over ``element`` (an avatar box) having filed nothing of it.

    Its only attribute is a class with the skipped role; "more" controls in it are found by
    the caller's search of the whole container.
    """
    classes = element.get("class")
    if classes is None or len(element.attrib) != 1:
        return False
    return bool(_roles(classes) & SKIPPED_ROLE)


def _author(term: HtmlElement, link: HtmlElement | None) -> tuple[str | None, str | None]:
    """Return :func:`comment_fields.author` for a term that is the only author box.

    Without a footer there is no byline to fall back on.
    """
    if link is not None:
        shown = collapse_whitespace(link.text or "")
        if shown and not (link.get("href") or "").startswith("#"):
            return name_from_text(shown), profile_url(link)
    name = name_from_text(shown_text_of(term))
    return (name, None) if name else (None, None)
