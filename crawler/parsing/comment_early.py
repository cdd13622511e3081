"""The comment blocks of Blogger's first templates (2003-2006, ``<$BlogItemComments$>``).

Before Layouts, Blogger's default templates (and the owners' own templates written from
them) printed an item page's comments as::

    <div class="blogComments">Comments:
      <div class="blogComment">
        <a name="113702982096865524"></a> TEXT
        <div class="byline"><a href="POST#113702982096865524">#</a> posted by
          <a href="https://www.blogger.com/profile/963786">NAME</a> : 5:37 PM</div>
        <span class="item-control ...">(delete link)</span>
      </div>
      ...
      <a class="comment-link" href="...comment.g?...">Post a Comment</a>
    </div>

No class holds ``comment`` (the families of :mod:`crawler.parsing.comment_markup` all test
it, case and all), no id starts with ``c``, and no heading states a number: the block is the
whole thread (these templates never paged comments), so its comments are the count.

Looked for only on pages of the classic family (the first templates had no widgets) whose
bytes mention :data:`EARLY_THREAD_MARKER` (:func:`holds_early_thread`): the search of the raw
bytes costs 15-100 us on a 40-270 KB page, which no other page pays.

A block printed exactly as above is read from its serialization (:func:`read_blocks`: one
libxml2 call for the container, one expression a block), as the generic reader
(:mod:`crawler.parsing.comment_fields`) reads it: that reader's walk, byline and paragraph
writer cost ten times lxml's parse of a page with a long thread (the stress pages'
``early-thread``). The shape, whitespace between
the parts free: the block's text (text, ``<br>``, one empty ``<a name>`` anchor, links without
a class and ``b``/``i``/``em``/``strong``/``u``), then ``div.byline`` (text and links without a
class), then an optional ``span.item-control`` showing no text (the delete icon), and the
block ends. In that shape no element has a role the generic walk would file but the byline,
so its rules give: the id from the anchor's name (``cNNN`` or a bare Blogger id), the author
from the byline (``posted by NAME: TIME``, the link showing the name as the profile), the
time from a pre-2007 id whose minutes the byline shows (or an ISO time as the byline's whole
text), and the text before the byline, cut as the body writer cuts it. An address holding
``#c`` or ``showComment=`` (an id or a time the generic reader would take from a link) and
any other markup send the block to the generic reader.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing.around import search_beside
from crawler.parsing.comment_fields import (
    COMMENT_ID,
    EARLY_ID,
    byline_name,
    comment_of_text,
    legacy_id_time,
    named_author,
    shown_timestamp_of,
)
from crawler.parsing.comment_serialized import (
    BREAK,
    TAG,
    TEXT_LINK,
    decoded_paragraphs,
    unescaped_text,
)
from crawler.parsing.proximity import NEIGHBOURHOOD_LEVELS, BodyNeighbourhood
from crawler.parsing.themes import PageFacts, classic
from crawler.parsing.xpath import Elements, class_token

EARLY_THREAD_MARKER = b"blogComments"
"""Bytes every page with such a block holds (its class)."""

# The class token, tested on the attribute (an attribute step); descendant-or-self, as
# search_beside runs it on each subtree beside the body.
_BLOCKS = Elements(
    "descendant-or-self::div/@class[" + class_token("blogComments", subject=".") + "]/.."
)


def holds_early_thread(extractor: str, facts: PageFacts) -> bool:
    """Whether the page, located by ``extractor``, may hold the first templates' block."""
    return extractor == classic.NAME and facts.mentions(EARLY_THREAD_MARKER)


def early_thread_container(near: BodyNeighbourhood) -> HtmlElement | None:
    """Return the ``div.blogComments`` nearest to the body, or None.

    Searched beside the body only, level by level (:func:`search_beside`): never inside the
    post's text (a marked body's nodes included) nor past the neighbourhood's widest level;
    an archive page's other posts carry blocks of their own, farther away. Its comments are
    :func:`crawler.parsing.comment_markup.early_blocks`.
    """
    found = search_beside(near, _BLOCKS, NEIGHBOURHOOD_LEVELS, skip=None)
    return near.nearest(found)


_W = r"[ \t\n\r]*+"
# libxml2 writes a tree parsed from an XHTML page XHTML-style: ``<br />``, ``<x></x>`` for an
# empty element, and an id (its name) on an ``<a name>`` that has none; both forms are read.
_INLINE = r"<(?:b|i|em|strong|u)/?>|</(?:b|i|em|strong|u)>"
_BREAK_TAGS = ("<br/>", "<br />")
_ANCHOR = r'<a name="[^"]*+"(?: id="[^"]*+")?/?>'
_BYLINE_LINK = r'<a href="[^"]*+"(?: (?:title|rel|target)="[^"]*+")*+>'
# Possessive throughout (comment_serialized's module docs): each part stops where the next
# must start, so that a block of another shape fails in one pass.
_BLOCK = re.compile(
    r'<div class="blogComment">'
    rf"(?P<text>[^<]*+(?:(?:<br ?/>|{_ANCHOR}|{TEXT_LINK}|</a>|{_INLINE})[^<]*+)*+)"
    rf'<div class="byline">(?P<byline>[^<]*+(?:(?:{_BYLINE_LINK}|</a>)[^<]*+)*+)</div>{_W}'
    r'(?:(?P<control><span class="item-control [^"]*+">[^<]*+(?:<a [^>]*+>[^<]*+'
    r'(?:(?:<span class="delete-comment-icon">[^<]*+</span>|<img [^>]*+>)[^<]*+)?</a>[^<]*+)?'
    rf"</span>){_W})?"
    r"</div>"
)
_ANCHOR_NAME = re.compile(r'<a name="([^"]*+)"(?: id="([^"]*+)")?')
_IN_TEXT = re.compile(rf"{_ANCHOR}|{TEXT_LINK}|</a>|{_INLINE}")
_BYLINE_PART = re.compile(r'<a href="([^"]*+)"[^>]*+>([^<]*+)</a>')
_BLOCK_KEYS = ["class"]
_CLASS = "blogComment"
_START = re.compile('<div class="blogComment">')


class EarlyBlocks(NamedTuple):
    """What :func:`read_blocks` read: each block's comment, and the text it read them from."""

    comments: list[BlogComment | None]
    """Each block's comment, in order; None where the generic reader must read the block."""
    text: str | None
    """The container serialized (every element's class as written), or None when not read."""


def read_blocks(container: HtmlElement, blocks: list[HtmlElement]) -> EarlyBlocks:
    """Read each ``div.blogComment`` of ``blocks`` from the serialized ``container``.

    ``blocks`` are :func:`crawler.parsing.comment_markup.early_blocks`' items in
    ``container``, in page order. The container is serialized once; when its text holds
    another number of the blocks' start tag (one in an HTML comment, a block of other
    attributes) than ``blocks`` has, every block is left to the generic reader.
    """
    unread = EarlyBlocks([None] * len(blocks), None)
    if not all(block.keys() == _BLOCK_KEYS and block.get("class") == _CLASS for block in blocks):
        return unread
    text = etree.tostring(container, encoding=str, with_tail=False)
    starts = [match.start() for match in _START.finditer(text)]
    if len(starts) != len(blocks):
        return unread._replace(text=text)
    return EarlyBlocks([_read(text, start) for start in starts], text)


def _read(text: str, start: int) -> BlogComment | None:
    """Return the comment of the block whose start tag is at ``start`` in ``text``, or None."""
    match = _BLOCK.match(text, start)
    if match is None:
        return None
    end = match.end()
    if text.find("#c", start, end) != -1 or text.find("showComment=", start, end) != -1:
        return None
    written, byline, control = match.group("text", "byline", "control")
    if control is not None and not _shows_nothing(control):
        return None
    anchors = _ANCHOR_NAME.findall(written)
    if len(anchors) > 1 or (anchors and anchors[0][1] not in ("", anchors[0][0])):
        return None  # a second id carrier, or an id of its own (the generic reader's first)
    identifier = _anchor_id(anchors[0][0]) if anchors else None
    shown = unescaped_text(TAG.sub("", byline))
    paragraphs = _paragraphs(written)
    if shown is None or not paragraphs:
        return None  # an entity not decoded here; no text (the generic reader's fallback)
    links: list[tuple[str, str]] = []
    for href, label in _BYLINE_PART.findall(byline):
        address, label_shown = unescaped_text(href), unescaped_text(label)
        if address is None or label_shown is None:
            return None
        links.append((address, label_shown))
    name = byline_name(shown)
    author, author_url = named_author(name, links) if name is not None else (None, None)
    published = legacy_id_time(identifier, [shown]) or shown_timestamp_of([shown])
    return comment_of_text(
        paragraphs, id=identifier, author=author, author_url=author_url, published=published
    )


def _anchor_id(name: str) -> str | None:
    """Return the id the generic reader takes from the block's only anchor (its id carrier)."""
    match = COMMENT_ID.match(name) or EARLY_ID.match(name)
    return match.group(1) if match else None


def _shows_nothing(control: str) -> bool:
    """Whether the serialized delete control shows no text (the generic reader skips it)."""
    shown = unescaped_text(TAG.sub("", control))
    return shown is not None and (not shown or shown.isspace())


def _paragraphs(text: str) -> list[str] | None:
    """Return the paragraphs of the block's text before its byline, cut as the body writer cuts."""
    if BREAK in text:
        return None  # the cut's marker is the page's own character here
    for tag in _BREAK_TAGS:
        text = text.replace(tag, BREAK)
    return decoded_paragraphs(_IN_TEXT.sub("", text))
