"""Comments of Blogger's own markup, read from the serialized thread (issue 15, speed).

The generic reader (:mod:`crawler.parsing.comment_fields`) walks each comment's elements in
Python and files them before reading a field: about 14 µs a comment, three times lxml's parse
of a page with a 900-comment thread. Most threads repeat the markup Blogger's Layouts and
2017 comment widgets print, character for character. Here the container is serialized once
(libxml2, in C) and one compiled expression (:data:`ITEM`) runs over that text: it stops at
every ``<li`` start tag, and where the item and its own parts have that markup exactly, it
also captures the strings the fields come from. A comment without the markup is read by the
generic reader, from its element.

The markup (whitespace between tags free): ``<li class="comment" id="...">``, an optional
``div.avatar-image-container`` of ``<img>`` only, then ``div.comment-block`` holding
``div.comment-header`` (``cite.user`` or ``cite.user blog-author`` holding one
``<a href rel>`` or only text, an optional empty ``span.icon user``, ``span.datetime
secondary-text`` holding one ``<a href rel>``), ``p.comment-content`` of text and ``<br/>``
only, and an optional ``span.comment-actions secondary-text`` (a reply link
``a.comment-reply`` and an admin box ``span.item-control ...``); then the item ends, or its
replies' box ``div.comment-replies`` follows and is its last child. Every class is matched
whole, so no element of it has a role the generic walk (:class:`comment_fields.CommentParts`)
would file but these; the links have no attribute but ``href`` and ``rel``. The generic
readers' rules then give:

* id: the item's ``id`` when it is ``cNNN`` (else the generic reader);
* author: the cite's link text and profile URL, or the cite's text (a link without text or
  with a ``#`` address, or a cite without a name: the generic reader);
* published: the first ``showComment=`` time of the profile and permalink addresses; else
  (no time attribute can be in the markup) the header's and the date's text as bylines
  showing an ISO time; a legacy 18-digit id, or a reply link with a time, goes to the
  generic reader;
* text: the ``p``'s text cut at its ``<br/>`` as the body writer cuts it
  (:func:`body_stylesheet.marked_paragraphs`); the removal notice makes a deleted comment.

What the serialization can hide is checked: every ``<li`` of the text is an ``li`` element
(as many as lxml counts: one inside an HTML comment would shift them), entities are the few
libxml2 writes (any other ``&`` sends the comment to the generic reader), and text holding
the ``<br>`` marker (DEL) is not cut.

Classic definition lists are read the same way (:data:`_TERM`, :func:`read_term`): every
``<dt`` start tag is matched, and a ``dt.comment-author`` term (at most a ``cNNN`` id; its
text, one empty ``cNNN`` anchor, one profile link) whose only part is a text ``<dd>`` (plain
or ``comment-body``; text, ``<br/>`` and bare ``<p>``) is read as ``comment_regular`` reads
a regular term without a footer: id from the term or its anchor, author from the link or
the text, no time.

"More" controls (``comment_thread.is_live_more``) are looked for in the same text: every
element's ``class`` is written ``class="..."``, so a control that is not plainly a hidden
"Load more" (Blogger prints one under every thread) sends the caller to its search of the
container.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing.body import collapse_whitespace
from crawler.parsing.body_stylesheet import marked_paragraphs
from crawler.parsing.comment_fields import (
    COMMENT_ID,
    LOAD_MORE_HIDERS,
    MORE_CLASSES,
    SHOW_COMMENT,
    comment_of_text,
    from_epoch_ms,
    linked_author,
    name_from_text,
    shown_timestamp_of,
)
from crawler.parsing.xpath import class_tokens

_W = r"[ \t\n\r]*+"
LINK = r'<a (?:href="(?P<{0}>[^"]*+)"(?: rel="nofollow")?|rel="nofollow" href="(?P<{0}2>[^"]*+)")>'
# A commenter's link in the text: no class, so no role; the body writer writes its text.
TEXT_LINK = r'<a (?:href="[^"]*+"(?: rel="nofollow")?|rel="nofollow" href="[^"]*+")>'
_TEXT_LINK_TAG = re.compile(TEXT_LINK + "|</a>")
_REPLY_BOX = r'<div class="comment-replybox-single"(?: id="[^"]*+")?/>'
# Every <li start tag; Blogger's own comment items with their parts captured. The repeats are
# possessive (comment_classic's module docs): each stops where its next part must start.
ITEM = re.compile(
    r"<li(?:(?=[ \t\n\r/>])(?! class=\"comment\" id=)"
    r'| class="comment" id="(?P<id>[^"]*+)">'
    rf'(?:{_W}(?P<avatar><div class="avatar-image-container">)[^<]*+(?:<img [^>]*+>[^<]*+)*</div>)?'
    rf'{_W}<div class="comment-block">{_W}<div class="comment-header">(?P<header>{_W}'
    r'<cite class="user(?: blog-author)?">'
    rf"(?:{LINK.format('profile')}(?P<name>[^<]*+)</a>|(?P<anonymous>[^<]*+))</cite>{_W}"
    rf'(?:<img src="[^"]*+"(?: alt="[^"]*+")?/>{_W})?'
    rf'(?:<span class="icon user(?: blog-author)? ?"/>{_W})?'
    rf'<span class="datetime secondary-text">{LINK.format("permalink")}(?P<date>[^<]*+)</a>'
    rf"</span>{_W})</div>{_W}"
    rf'<p class="comment-content">(?P<text>[^<]*+(?:(?:<br/>|{TEXT_LINK}[^<]*+</a>)[^<]*+)*)</p>'
    rf'(?:{_W}<span class="comment-actions secondary-text">'
    r'(?:<a class="comment-reply"(?P<reply>[^>]*+)>[^<]*+</a>)?'
    r'(?:<span class="item-control [^"]*+">[^<]*+(?:<a [^>]*+>[^<]*+</a>[^<]*+)*</span>)?</span>)?'
    rf'{_W}</div>{_W}(?:(?P<closed>(?:{_REPLY_BOX}{_W})?</li>)|<div class="comment-replies"/?>)'
    r"|(?=[ \t\n\r/>]))"
)
# Every <dt start tag; the terms of Blogger's classic definition lists, with their text
# <dd> as its only part (the next term or the list's end follows), captured.
_TERM = re.compile(
    r"<dt(?:(?=[ \t\n\r/>])(?! class=\"comment-author)"
    r'| class="comment-author(?: blog-author)?"(?: id="(?P<id>[^"]*+)")?>'
    rf'(?P<term>[^<]*+(?:(?:<a name="[^"]*+"/>|{TEXT_LINK}[^<]*+</a>)[^<]*+)*)</dt>'
    rf'{_W}<dd(?P<marked> class="comment-body")?>'
    r"(?:<p>(?P<paragraph>[^<]*+)</p>|(?P<body>[^<]*+(?:(?:<br/>|<p>[^<]*+</p>|<p/>)[^<]*+)*))</dd>"
    rf"{_W}(?=<dt[ \t\n\r/>]|</dl>)"
    r"|(?=[ \t\n\r/>]))"
)
# A term's anchor or link (the only elements _TERM lets into it), and the link's parts.
_TERM_PART = re.compile(
    r'<a name="(?P<anchor>[^"]*)"/>'
    r'|<a (?:href="(?P<href>[^"]*)"(?: rel="nofollow")?|rel="nofollow" href="(?P<href2>[^"]*)")>'
    r"(?P<shown>[^<]*)</a>"
)
TAG = re.compile(r"<[^>]*>")
# The entities libxml2 writes in text and attribute values; any other "&" is not read here.
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#9;": "\t"}
_ENTITIES |= {"&#10;": "\n", "&#13;": "\r"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#9|#10|#13);|&")
BREAK = "\x7f"
"""The cut's mark of a ``<br>`` (two mark a block edge): text holding it is not cut here."""
_BLOCK = BREAK * 2
# A reply link's attributes that the generic reader would take a time from.
_REPLY_TIME = re.compile("showComment=|data-timestamp|data-datetime|data-published")
_ITEM_KEYS = ["class", "id"]
_TERM_CLASSES = frozenset({"comment-author", "comment-author blog-author"})
_TERM_KEYS = frozenset({"class", "id"})
_REPLY_BOX_KEYS = frozenset({"class", "id"})


class SerializedThread:
    """The container's text and its ``<li`` matches, one per ``li`` element, in page order."""

    __slots__ = ("items", "text")

    def __init__(self, text: str, items: list[re.Match[str]]) -> None:
        """``text``: the container serialized; ``items``: :data:`ITEM`'s matches in it."""
        self.text = text
        self.items = items

    def hidden_more_only(self) -> bool:
        """Whether every "more" control in the container is a hidden "Load more".

        False when a control may be live (or text merely looks like one): the caller then
        searches the container's elements. Every control's class is written ``class="..."``
        with no ``"`` or ``<`` inside, so each occurrence of the names is looked at in the
        quotes around it (one C-level search for each name, where an expression testing every
        ``class`` cost a millisecond on a 900-comment thread).
        """
        text = self.text
        for name in MORE_CLASSES:
            start = text.find(name)
            while start != -1:
                opened = text.rfind('"', 0, start)
                closed = text.find('"', start)
                if text.startswith(' class="', opened - 7) and closed != -1:
                    classes = text[opened + 1 : closed]
                    if "<" not in classes and not _hidden_load_more(classes):
                        return False
                start = text.find(name, start + len(name))
        return True


def _hidden_load_more(classes: str) -> bool:
    """Whether a (serialized) class value is a hidden "Load more" control's.

    Hidden by a class of :data:`~crawler.parsing.comment_fields.LOAD_MORE_HIDERS`.
    """
    if "&" in classes or MORE_CLASSES[1] in classes:
        return False
    tokens = class_tokens(classes)
    return MORE_CLASSES[0] in tokens and not LOAD_MORE_HIDERS.isdisjoint(tokens)


def is_blogger_item(item: HtmlElement) -> bool:
    """Whether ``item`` starts as Blogger's items do: ``<li class="comment" id="...">``."""
    return bool(item.get("class") == "comment" and item.keys() == _ITEM_KEYS)


def serialized_thread(container: HtmlElement, li_count: int) -> SerializedThread | None:
    """Serialize ``container`` and match every ``<li`` start tag in it.

    ``li_count``: the ``li`` elements of ``container``'s subtree (itself included), in page
    order as lxml iterates them. None when the text holds another number of ``<li`` (one in an
    HTML comment or processing instruction): its matches would not be the elements'.
    """
    return serialized_matches(container, ITEM, li_count)


def serialized_terms(container: HtmlElement, dt_count: int) -> SerializedThread | None:
    """Serialize ``container`` and match every ``<dt`` start tag in it (see above)."""
    return serialized_matches(container, _TERM, dt_count)


def serialized_matches(
    container: HtmlElement, start_tags: re.Pattern[str], count: int
) -> SerializedThread | None:
    text = etree.tostring(container, encoding=str)
    items = list(start_tags.finditer(text))
    if len(items) != count:
        return None
    return SerializedThread(text, items)


def is_blogger_term(term: HtmlElement) -> bool:
    """Whether ``term`` starts as a classic Blogger comment term: ``<dt class="comment-author"``."""
    classes = term.get("class")
    return classes in _TERM_CLASSES and _TERM_KEYS.issuperset(term.keys())


def read_term(match: re.Match[str]) -> BlogComment | None:  # noqa: C901, PLR0911, PLR0912
    """Return the comment of a term (its ``<dt`` match), or None to read it another way.

    As ``comment_regular`` reads a regular term without a footer or an avatar box: the id
    from the term's ``id`` or its anchor, the author from its link or its text, no time.
    """
    identifier, term, marked, paragraph, body = match.groups()
    if term is None:
        return None
    if identifier is not None:
        found = COMMENT_ID.match(identifier)
        if found is None:
            return None
        identifier = found.group(1)
    href = shown = None
    if "<" in term:
        anchored = False
        for part in _TERM_PART.finditer(term):
            anchor = part.group("anchor")
            if anchor is not None:
                found = COMMENT_ID.match(anchor)
                if found is None or anchored:
                    return None  # not a comment's anchor, or a second one
                anchored = True
                identifier = identifier or found.group(1)
            elif href is not None:
                return None  # a second link
            else:
                href = unescaped_text(part.group("href") or part.group("href2"))
                shown = unescaped_text(part.group("shown"))
                if href is None or shown is None or "#c" in href or "showComment=" in href:
                    return None  # an id or a time the generic reader takes from the link
        text = unescaped_text(TAG.sub("", term))
    else:
        text = unescaped_text(term)
    if text is None:
        return None
    linked = linked_author(href, shown)
    if linked is not None:
        author, author_url = linked
    else:
        author, author_url = name_from_text(text), None
    paragraphs = serialized_paragraphs(body) if paragraph is None else single_paragraph(paragraph)
    if paragraphs is None:
        return None
    if not paragraphs and marked is None:
        return None  # the generic reader then looks at the term's text
    return comment_of_text(paragraphs, id=identifier, author=author, author_url=author_url)


def single_paragraph(text: str) -> list[str] | None:
    """Return the one paragraph of a serialized text without elements (none when blank)."""
    content = unescaped_text(text)
    if content is None:
        return None
    paragraph = collapse_whitespace(content)
    return [paragraph] if paragraph else []


def serialized_paragraphs(body: str) -> list[str] | None:
    """Return the paragraphs of a serialized text ``<dd>`` of text, ``<br/>`` and bare ``<p>``.

    As the body's stylesheet writes it: a DEL at each ``<br>``, two at each block edge.
    """
    if BREAK in body:
        return None
    if "<" not in body:
        return single_paragraph(body)
    marked = body.replace("<br/>", BREAK).replace("<p/>", _BLOCK * 2)
    content = unescaped_text(marked.replace("<p>", _BLOCK).replace("</p>", _BLOCK))
    if content is None:
        return None
    return marked_paragraphs(content)


def read_item(match: re.Match[str], item: HtmlElement, parent: str | None) -> BlogComment | None:
    """Return the comment of ``item`` (its ``<li`` match), or None for the generic reader."""
    return read_fields(match.groups(), item, parent)


def read_fields(  # noqa: C901, PLR0911 - one shape's readings, in order
    groups: tuple[str | Any, ...], item: HtmlElement, parent: str | None
) -> BlogComment | None:
    """:func:`read_item` of :data:`ITEM`'s groups, in order (``comment_rendered`` shares it)."""
    (
        identifier,
        avatar,
        header,
        profile,
        profile2,
        name,
        anonymous,
        permalink,
        permalink2,
        date,
        text,
        reply,
        closed,
    ) = groups
    if identifier is None:
        return None
    if closed is None and not _ends_at_replies(item, 2 + (avatar is not None)):
        return None
    found = COMMENT_ID.match(identifier)
    if found is None:
        return None
    identifier = found.group(1)
    if name is None:
        profile = ""
        cited = unescaped_text(anonymous)
        if cited is None:
            return None
        author, author_url = name_from_text(cited), None
        if author is None:
            return None  # the generic reader then looks at the bylines
    else:
        profile = unescaped_text(profile or profile2)
        cited = unescaped_text(name)
        if profile is None or cited is None:
            return None
        linked = linked_author(profile, cited)
        if linked is None:
            return None  # the generic reader looks further
        author, author_url = linked
    permalink = unescaped_text(permalink or permalink2)
    if permalink is None:
        return None
    published = link_time(profile, permalink)
    if published is None:
        if len(identifier) == 18 or (reply is not None and _REPLY_TIME.search(reply)):  # noqa: PLR2004
            return None  # a legacy id's time, or a link the walk would read: generic
        published = _shown_time(header, date, cited)
        if published is _UNREAD:
            return None
    paragraphs = _paragraphs(text)
    if paragraphs is None:
        return None
    return comment_of_text(
        paragraphs,
        id=identifier,
        parent=parent,
        author=author,
        author_url=author_url,
        published=published,
    )


def _ends_at_replies(item: HtmlElement, shown: int) -> bool:
    """Whether the item's children after the replies' box are none of its parts but a reply box.

    The text shows the item's first ``shown`` children and the replies' box; Blogger prints
    an empty ``div.comment-replybox-single`` (a box the walk passes over) after it.
    """
    children = len(item)
    if children == shown:
        return True
    if children != shown + 1:
        return False
    last = item[-1]
    return (
        last.tag == "div"
        and not len(last)
        and last.get("class") == "comment-replybox-single"
        and _REPLY_BOX_KEYS.issuperset(last.keys())
    )


def unescaped_text(text: str | None) -> str | None:
    """Return ``text`` with libxml2's entities decoded; None when another ``&`` is in it."""
    if text is None or "&" not in text:
        return text
    pieces = _ENTITY.split(text)
    entities = _ENTITY.findall(text)
    decoded = [pieces[0]]
    for entity, piece in zip(entities, pieces[1:], strict=True):
        if entity == "&":
            return None
        decoded += (_ENTITIES[entity], piece)
    return "".join(decoded)


def _paragraphs(text: str) -> list[str] | None:
    """Return the paragraphs of the text element's serialized content (text and ``<br/>``)."""
    if "<" not in text:
        return single_paragraph(text)  # no element: the one paragraph (most comments)
    if BREAK in text:
        return None  # the cut's marker is the page's own character here
    marked = text.replace("<br/>", BREAK)
    if "<a " in marked:
        marked = _TEXT_LINK_TAG.sub("", marked)
    return decoded_paragraphs(marked)


def decoded_paragraphs(marked: str) -> list[str] | None:
    """Return the paragraphs of serialized text without tags, its ``<br>`` made :data:`BREAK`.

    None when it holds an entity :func:`unescaped_text` does not decode.
    """
    content = unescaped_text(marked)
    if content is None:
        return None
    if BREAK in content:
        return marked_paragraphs(content)
    paragraph = collapse_whitespace(content)
    return [paragraph] if paragraph else []


def link_time(*hrefs: str) -> datetime | None:
    """Return the first ``showComment=`` time of ``hrefs`` (``comment_fields.published``)."""
    for href in hrefs:
        match = SHOW_COMMENT.search(href) if "showComment=" in href else None
        if match:
            moment = from_epoch_ms(match.group(1))
            if moment is not None:
                return moment
    return None


_UNREAD = datetime.min
"""What :func:`_shown_time` returns for text this module does not decode."""


def _shown_time(header: str, date: str, cited: str) -> datetime | None:
    """Return ``comment_fields.shown_timestamp`` of the header's and the date's bylines.

    ``header`` and ``date`` are serialized; the header's text begins with the cite's
    (``cited``, decoded) after whitespace, so a cite showing four characters that are not all
    digits rules the header out without its text. A byline not so ruled out is decoded
    (:data:`_UNREAD` when it cannot be).
    """
    texts: list[str] = []
    lead = cited.lstrip()
    for byline in (
        TAG.sub("", header) if len(lead) < 4 or lead[:4].isdigit() else None,  # noqa: PLR2004
        date,
    ):
        if byline is not None:
            shown = unescaped_text(byline)
            if shown is None:
                return _UNREAD
            texts.append(shown)
    return shown_timestamp_of(texts)
