"""Classic threads with a footer, read from the serialized list (issue 15, speed).

Blogger's Layouts templates of 2007-2013 (Minima, Simple, TicTac ...) print a thread as a
definition list: per comment a ``dt.comment-author`` (an anchor, an avatar box, the name or
profile link, "said..."), a ``dd.comment-body`` and a ``dd.comment-footer`` holding the
permalink with the time. :mod:`crawler.parsing.comment_regular` reads them without the
generic walk of the term and the text, but still walks each footer and reads the fields
through the generic readers. Here the list's serialization (one libxml2 call, made for
:func:`crawler.parsing.comment_serialized.serialized_terms` already) is matched by one
expression, :data:`_FOOTED`, and the fields are read from its groups.

The markup (whitespace between tags free; classes matched whole, so no element has a role
the walk would file but these):

* ``<dt class="comment-author[ blog-author][ ]"[ id="cNNN"]>`` holding text, at most one
  ``<a name="cNNN"/>``, at most one link ``<a href rel>`` of text, and avatar boxes
  ``div.avatar-image-container ...`` (any elements but ``div``, whitespace text only);
* ``<dd class="comment-body"[ id="..."]>`` of text, ``<br/>``, bare ``<p>``, text links
  (``href`` and ``rel="nofollow"`` only) and bare ``b``, ``i``, ``em``, ``strong`` (written in
  line by the body writers, as the links are), or a ``span.deleted-comment`` of text only;
* ``<dd class="comment-footer"><span class="comment-timestamp"><a href title="comment
  permalink">DATE</a>[ span.item-control ... (no span inside)]</span></dd>``;

then the next ``<dt`` or the list's end. The fields, as ``comment_regular.regular_comment``
gives them for such a term (the contract, checked by ``tests/test_parsing_comment_classic.py``
against the generic reader):

* id: the term's id, else the anchor's name, else the permalink's ``#cNNN``;
* author: the link's text and profile URL, else the term's text less "said...";
* published: the first ``showComment=`` time of the link and the permalink;
* text: the body's paragraphs as the body writer cuts them; the deletion mark or the
  removal notice makes a deleted comment. The commonest text, one bare ``<p>`` of lines cut by
  ``<br>`` (most comments Blogger serves), has a group of its own, and its lines are cut at the
  serialized ``<br/>`` itself, with no tag written over or taken out first.

The expression's repeats are possessive (``*+``): each runs up to a character its next part
cannot start with (``[^<]*+`` up to a ``<``), so giving any back could never match, and the
engine keeps no state to give it back (a third of the match's cost on held-out 002).

Anything else (an id that is no comment id, a term without a name, a permalink without a
time, an entity libxml2 does not write) returns None: that comment is read as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing.body import collapse_whitespace
from crawler.parsing.body_stylesheet import marked_paragraphs
from crawler.parsing.comment_fields import (
    COMMENT_ID,
    PERMALINK_ID,
    comment_of_text,
    epoch_ms_time,
    linked_author,
    name_from_text,
)
from crawler.parsing.comment_serialized import (
    BREAK,
    TAG,
    TEXT_LINK,
    SerializedThread,
    link_time,
    read_term,
    serialized_matches,
    serialized_paragraphs,
    serialized_terms,
    unescaped_text,
)

_W = r"[ \t\n\r]*+"
# The boxes below take any tag but their own and a <dt>: no match holds a <dt start tag but its
# first, so that the matches are as many as the text's <dt (comment_thread.read_listed relies on
# it: every dt element of the container is then one of its terms).
_NOT_DT = r"(?!dt[ \t\n\r/>])"
_AVATAR = (
    r'<div class="avatar-image-container[^"<]*+">'
    rf"{_W}(?:<(?!/?div[ \t\n\r/>]){_NOT_DT}[a-zA-Z/][^>]*+>{_W})*+</div>"
)
# Tags and text without a span (the admin box's content: the walk passes over it).
_NO_SPAN = rf"[^<]*+(?:<(?!/?span[ \t\n\r/>]){_NOT_DT}[a-zA-Z/][^>]*+>[^<]*+)*+"
# The phrase tags Blogger lets into a comment (and editors add), bare: the body writers write
# their text in line, as they do a link's.
_PHRASE = r"</?(?:b|i|em|strong)/?>"
_IN_LINE = re.compile(rf"{TEXT_LINK}|</a>|{_PHRASE}")
# Every <dt start tag; a classic term with its text <dd> and its footer <dd>, captured.
_FOOTED = re.compile(
    r"<dt(?:(?=[ \t\n\r/>])(?! class=\"comment-author)"
    r'| class="comment-author(?: blog-author)? ?"(?: id="(?P<id>[^"]*+)")?>'
    # The term's parts in Blogger's order: the anchor, the avatar box, the name's link.
    r"(?P<term>[^<]*+"
    r'(?:<a name="(?P<anchor>[^"]*+)"(?P<anchor_id> id="[^"]*+")?(?:/>|></a>)[^<]*+)?'
    rf"(?:{_AVATAR}[^<]*+)?"
    r'(?:<a (?:href="(?P<href>[^"]*+)"(?: rel="[^"]*+")?|rel="[^"]*+" href="(?P<href2>[^"]*+)")>'
    r"(?P<shown>[^<]*+)</a>[^<]*+)?)</dt>"
    rf'{_W}<dd class="comment-body"(?: id="(?P<body_id>[^"]*+)")?>'
    # The commonest text: one bare <p> of lines cut by <br/> (<br /> in XHTML style).
    rf"(?:{_W}<p>(?:(?P<lines>[^<]*+(?:<br/>[^<]*+)*+)"
    rf"|(?P<xlines>[^<]*+(?:<br />[^<]*+)*+))</p>{_W}"
    rf'|{_W}<span class="deleted-comment">(?P<removed>[^<]*+)</span>{_W}'
    rf"|(?P<body>[^<]*+(?:(?:</?p>|<p/>|<br ?/>|{TEXT_LINK}|</a>|{_PHRASE})[^<]*+)*))</dd>"
    rf'{_W}<dd class="comment-footer">{_W}<span class="comment-timestamp">{_W}'
    # The permalink's time, where it is the address's first query parameter (Blogger's form).
    r'<a href="(?P<permalink>[^"?&]*+(?:\?showComment=(?P<epoch>[0-9]{13})(?=[#&"]))?[^"]*+)"'
    r' title="comment permalink">[^<]*+</a>'
    rf'{_W}(?:<span class="item-control [^"<]*+">{_NO_SPAN}</span>{_W})?</span>{_W}</dd>'
    rf"{_W}(?=<dt[ \t\n\r/>]|</dl>)"
    r"|(?=[ \t\n\r/>]))"
)
_CLASSIC_TERM_CLASSES = frozenset(
    {
        "comment-author",
        "comment-author ",
        "comment-author blog-author",
        "comment-author blog-author ",
    }
)
_CLASSIC_TERM_KEYS = frozenset({"class", "id"})

AuthorLinks = dict[tuple[str, str], tuple[str | None, str | None] | None]
"""``linked_author`` of each (address, text) of a thread's name links, read once: most classic
threads name a commenter more than once (the blog's author above all)."""
TermReader = Callable[[re.Match[str], HtmlElement, AuthorLinks], BlogComment | None]
"""Reads a term from its ``<dt`` match, its element and the thread's author links read so far;
None: read it another way."""


def is_classic_term(term: HtmlElement) -> bool:
    """Whether ``term`` starts as a Layouts-era term (``dt.comment-author``, a space or not)."""
    return term.get("class") in _CLASSIC_TERM_CLASSES and _CLASSIC_TERM_KEYS.issuperset(term.keys())


def serialized_list(
    container: HtmlElement, terms: list[HtmlElement]
) -> tuple[SerializedThread, TermReader] | None:
    """Serialize ``container`` and match every ``<dt`` in it; return the matches and their reader.

    A list whose first term has a footer is matched by :data:`_FOOTED` and read by
    :func:`read_footed`, any other by ``comment_serialized``'s terms expression and
    ``read_term`` (a thread repeats one markup). Both expressions match each ``<dt`` start
    tag of the text once, none inside another's match. None when the text holds another
    number of ``<dt`` than ``terms`` (one in an HTML comment, or a ``dt`` element that is not
    a term, would shift them).
    """
    footed = has_footer(terms[0])
    if footed:
        serialized = serialized_matches(container, _FOOTED, len(terms))
    else:
        serialized = serialized_terms(container, len(terms))
    if serialized is None:
        return None
    return serialized, read_footed if footed else _read_term


def _read_term(match: re.Match[str], term: HtmlElement, links: AuthorLinks) -> BlogComment | None:
    return read_term(match)


def has_footer(term: HtmlElement) -> bool:
    """Whether ``term`` is followed by its text ``dd`` and a ``dd.comment-footer``."""
    text = term.getnext()
    footer = text.getnext() if text is not None else None
    return footer is not None and footer.tag == "dd" and footer.get("class") == "comment-footer"


def read_footed(  # noqa: C901, PLR0911, PLR0912 - one shape's readings, in order
    match: re.Match[str], term_element: HtmlElement, links: AuthorLinks
) -> BlogComment | None:
    """Return the comment of a term (its ``<dt`` match), or None to read it another way.

    ``term_element`` is the term itself: an anchor written with an id (XHTML style) is
    looked at there, since the id may be the element's own (the generic reader's case).
    ``links``: the thread's author links read so far (this term's is added).
    """
    (
        identifier,
        term,
        anchor,
        anchor_id,
        href,
        href2,
        shown,
        body_id,
        lines,
        xlines,
        removed,
        body,
        permalink,
        epoch,
    ) = match.groups()
    if term is None:
        return None
    if body_id is not None and COMMENT_ID.match(body_id):
        return None  # an id carrier the generic reader weighs
    term_id = identifier
    if identifier is not None:
        found = COMMENT_ID.match(identifier)
        if found is None:
            return None
        identifier = found.group(1)
    if anchor is not None:
        # An empty anchor: libxml2 writes <a name="x"/>, or in XHTML style <a name="x"
        # id="x"></a>, the id its own addition unless the element had one.
        if anchor != term_id:  # the term's own id (most terms) is a comment id already
            found = COMMENT_ID.match(anchor)
            if found is None:
                return None  # not a comment's anchor
            identifier = identifier or found.group(1)
        if anchor_id is not None and not _bare_anchor(term_element):
            return None  # an anchor the generic reader weighs
    if shown is not None:  # the name's link (the avatar box's text is blank: no name there)
        href = unescaped_text(href if href is not None else href2)
        shown = unescaped_text(shown)
        if href is None or shown is None or "#c" in href:
            return None  # an id the generic reader takes from the link
    permalink = unescaped_text(permalink)
    if permalink is None:
        return None
    if identifier is None:
        found = PERMALINK_ID.search(permalink) if "#c" in permalink else None
        identifier = found.group(1) if found else None
    if shown is None:
        linked = None
    else:
        key = (href, shown)
        linked = links[key] if key in links else links.setdefault(key, linked_author(href, shown))
    if linked is not None:
        author, author_url = linked
    else:
        text = unescaped_text(TAG.sub("", term))
        if text is None:
            return None
        author, author_url = name_from_text(text), None
        if author is None:
            return None  # the generic reader then looks at the footer's bylines
    if epoch is not None and (href is None or "showComment=" not in href):
        published = epoch_ms_time(int(epoch))  # what link_time finds first, at one step
    else:
        published = link_time(*(() if href is None else (href,)), permalink)
    if published is None:
        return None  # a legacy id's time or a time shown as text: the generic reader's
    if removed is not None:
        return comment_of_text(
            [],
            id=identifier,
            author=author,
            author_url=author_url,
            published=published,
            deleted=True,
        )
    if body is None:
        paragraphs = (
            _block_paragraphs(lines, "<br/>")
            if xlines is None
            else _block_paragraphs(xlines, "<br />")
        )
    else:
        if "<" in body:
            body = _IN_LINE.sub("", body)
        if "<br />" in body:
            body = body.replace("<br />", "<br/>")  # libxml2's XHTML style
        paragraphs = serialized_paragraphs(body)
    if paragraphs is None:
        return None
    return comment_of_text(
        paragraphs, id=identifier, author=author, author_url=author_url, published=published
    )


def _bare_anchor(term: HtmlElement) -> bool:
    """Whether the term's anchor (``a[@name]`` child) has no attribute but its name."""
    for child in term.iterchildren("a"):
        if child.get("name") is not None:
            return len(child.attrib) == 1
    return False


def _block_paragraphs(lines: str, mark: str) -> list[str] | None:
    """Return the paragraphs of one ``<p>``'s serialized ``lines`` (text cut by ``mark``).

    As ``serialized_paragraphs`` cuts the ``<p>`` (the same pieces between the marks, without
    the marks written first); text with an entity or the cut's mark goes there.
    """
    if "&" in lines or BREAK in lines:
        return serialized_paragraphs(f"<p>{lines.replace(mark, '<br/>')}</p>")
    if "<" not in lines:
        paragraph = collapse_whitespace(lines)
        return [paragraph] if paragraph else []
    return marked_paragraphs(lines, mark)
