"""Threaded comments as Blogger's script renders them, read from the serialized thread (issue 15).

A page saved from a browser (the test fixtures of other projects, and the held-out sets made
from them) holds the thread as the comments widget's script rendered it, not as it was
served: ``<li id="bc_0_0B" class="comment" kind="b">`` items, ``div.comment-block`` with the
comment's ``id="cNNN"``, ``div.comment-header`` with ``kind="m"``, ``p.comment-content`` with
an ``id``, ``span.comment-actions`` with ``kind`` and a bare reply link, and replies nested in
``span[kind=d] > div.comment-thread.inline-thread > ol.thread-chrome > div > li``. The served
shape's reader (:mod:`crawler.parsing.comment_serialized`) matches none of them; this module
is its twin for the rendered shape: the container is serialized once and one compiled
expression (:data:`_RENDERED_ITEM`) stops at every ``<li`` start tag, capturing the strings
the fields come from where the item has the rendered markup exactly, with the groups that
:func:`comment_serialized.read_fields` reads. Any other item goes to the generic reader.

The markup (whitespace between tags free; the attributes in this order, and no others):
``<li id="..." class="comment" kind="b">`` whose id is not ``cNNN`` (the generic reader would
take it), an optional ``div.avatar-image-container`` of ``<img>`` only, ``<div id="..."
class="comment-block">`` (the first id the generic walk meets: the comment's), ``<div [id]
class="comment-header" [kind="m"]>`` holding ``cite.user`` / ``cite.user blog-author`` (one
``<a href rel>`` or only text), an optional empty ``span.icon user`` and ``span.datetime
secondary-text`` of one ``<a href rel>``; ``<p [id] class="comment-content">`` of text,
``<br>`` and plain links, or of one ``span.deleted-comment`` (a deleted comment: the generic
reader gives no text and ``deleted``); an optional ``<span [id] class="comment-actions
secondary-text" [kind="m"]>`` of a reply link ``<a kind="i" href target="_self" o="r">`` and an
admin box ``span.item-control ...``; then an empty ``div.comment-replies`` and an optional empty
``div.comment-replybox-single`` close the item, or a ``div.comment-replies`` holding the
replies follows (its siblings after it are counted on the element, as for the served shape).

A page with an XHTML doctype is serialized by libxml2 in XHTML style: an empty element is
written ``<x></x>`` rather than ``<x/>`` and a break ``<br />``; both forms are matched, and a
text's breaks are written as the served reader reads them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing.comment_serialized import (
    LINK,
    TEXT_LINK,
    SerializedThread,
    read_fields,
    serialized_matches,
)

_W = r"[ \t\n\r]*+"
_ID = r'(?: id="[^"]*+")?'


def _empty(tag: str) -> str:
    """Return an empty element's end as libxml2 writes it: ``/>`` (XML) or ``></tag>`` (XHTML)."""
    return f"(?:/>|></{tag}>)"


# Every <li start tag; the rendered items with their parts captured (the group names are
# comment_serialized.ITEM's, which read_fields reads, and ``deleted``).
_RENDERED_ITEM = re.compile(
    r'<li(?:(?=[ \t\n\r/>])(?! id="[^"]*+" class="comment" kind="b">)'
    r'| id="(?!c\d{1,20}(?:&#10;)?")[^"]*+" class="comment" kind="b">'
    rf'(?:{_W}(?P<avatar><div class="avatar-image-container">)[^<]*+(?:<img [^>]*+>[^<]*+)*</div>)?'
    rf'{_W}<div id="(?P<id>[^"]*+)" class="comment-block">'
    rf'{_W}<div{_ID} class="comment-header"(?: kind="m")?>(?P<header>{_W}'
    r'<cite class="user(?: blog-author)?">'
    rf"(?:{LINK.format('profile')}(?P<name>[^<]*+)</a>|(?P<anonymous>[^<]*+))</cite>{_W}"
    rf'(?:<span class="icon user(?: blog-author)? ?"{_empty("span")}{_W})?'
    rf'<span class="datetime secondary-text">{LINK.format("permalink")}(?P<date>[^<]*+)</a>'
    rf"</span>{_W})</div>{_W}"
    rf'<p{_ID} class="comment-content">'
    r'(?:(?P<deleted>[^<]*+<span class="deleted-comment">[^<]*+</span>[^<]*+)'
    rf"|(?P<text>[^<]*+(?:(?:<br ?/>|{TEXT_LINK}[^<]*+</a>)[^<]*+)*))</p>"
    rf'(?:{_W}<span{_ID} class="comment-actions secondary-text"(?: kind="m")?'
    rf'(?:{_empty("span")}|>(?:<a kind="i" href="(?P<reply>[^"]*+)" target="_self" o="r">'
    r'[^<]*+</a>)?(?:<span class="item-control [^"]*+">'
    r"[^<]*+(?:<a [^>]*+>[^<]*+</a>[^<]*+)*</span>)?"
    r"</span>))?"
    rf"{_W}</div>{_W}(?:(?P<closed>"
    rf'(?:<div{_ID} class="comment-replies"{_empty("div")}{_W})?'
    rf'(?:<div{_ID} class="comment-replybox-single"{_empty("div")}{_W})?</li>)'
    rf'|<div{_ID} class="comment-replies">)'
    r"|(?=[ \t\n\r/>]))"
)
# The groups read_fields reads, in its order.
_FIELDS = (
    *("id", "avatar", "header", "profile", "profile2", "name", "anonymous"),
    *("permalink", "permalink2", "date", "text", "reply", "closed"),
)
_TEXT = _FIELDS.index("text")
_ITEM_KEYS = ["id", "class", "kind"]


def is_rendered_item(item: HtmlElement) -> bool:
    """Whether ``item`` starts as rendered items do: ``<li id=... class="comment" kind="b">``."""
    return bool(
        item.get("class") == "comment" and item.get("kind") == "b" and item.keys() == _ITEM_KEYS
    )


def rendered_thread(container: HtmlElement, li_count: int) -> SerializedThread | None:
    """Serialize ``container`` and match every ``<li`` start tag in it (rendered items).

    As :func:`comment_serialized.serialized_thread`: None when the text holds another number
    of ``<li`` than the ``li_count`` elements of ``container``'s subtree.
    """
    return serialized_matches(container, _RENDERED_ITEM, li_count)


def read_item(match: re.Match[str], item: HtmlElement, parent: str | None) -> BlogComment | None:
    """Return the comment of a rendered ``item`` (its ``<li`` match); None: the generic reader.

    The fields are :func:`comment_serialized.read_fields`'; a deleted comment's text is none
    of them (the generic reader drops it), so it is read as an empty text and marked deleted.
    """
    groups = match.group(*_FIELDS)
    if match.group("deleted") is not None:
        comment = read_fields((*groups[:_TEXT], "", *groups[_TEXT + 1 :]), item, parent)
        return None if comment is None else replace(comment, paragraphs=[], deleted=True)
    text = groups[_TEXT]
    if text is not None and "<br />" in text:
        groups = (*groups[:_TEXT], text.replace("<br />", "<br/>"), *groups[_TEXT + 1 :])
    return read_fields(groups, item, parent)
