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
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.parsing.around import search_beside
from crawler.parsing.proximity import NEIGHBOURHOOD_LEVELS, BodyNeighbourhood
from crawler.parsing.themes import PageFacts, classic
from crawler.parsing.xpath import Elements

EARLY_THREAD_MARKER = b"blogComments"
"""Bytes every page with such a block holds (its class)."""

# A class token matched whole, behind the substring test it implies; descendant-or-self, as
# search_beside runs it on each subtree beside the body.
_BLOCKS = Elements(
    "descendant-or-self::div/@class[contains(., 'blogComments')"
    " and contains(concat(' ', normalize-space(.), ' '), ' blogComments ')]/.."
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
