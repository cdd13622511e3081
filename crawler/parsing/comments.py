"""How many comments Blogger shows for the post, in whatever language the blog uses.

Evidence, in order:

1. ``data-num-comments`` on the comment section (2017 themes, Plus UI and other templates).
2. The comment section's heading: ``24 comments:``, ``1 Meinungen:``, ``No comments:``,
   ``Keine Kommentare:``, ``Aucun commentaire:``. A leading number is the count; a known "no"
   word means 0. A heading without a number (``Kommentare:``) is answered by counting the
   comments in Blogger's thread (``li.comment``, replies included, or ``dt.comment-author``),
   then by the number in the post footer's comment link.
3. A WordPress-style heading ``0 Response to "TITLE"`` anywhere on the page.
4. A Dynamic Views comment bubble (``span.comments-count``).

``None`` when the page shows none of these, or when comments are handled outside Blogger
(Disqus, HaloScan, Google+ comments): their counts are written by scripts, not in the page.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.parsing.proximity import BodyNeighbourhood
from crawler.parsing.xpath import Elements

_SECTION_IDS = Elements("id('comments') | id('comment-blogger')")
_SECTIONS = Elements(
    ".//*[@data-num-comments or contains(concat(' ', normalize-space(@class), ' '), ' comments ')]"
)
_SECTION_HEADINGS = Elements(
    "(.//h2|.//h3|.//h4|.//h5|.//*[contains(concat(' ', normalize-space(@class), ' '),"
    " ' comments-title ')])[not(ancestor::*[@id='backlinks-container'"
    " or contains(@class, 'backlinks')])][1]"
)
# Blogger's own comment machinery: a thread, a comments block or the comment form/editor.
_THREAD_MARKERS = Elements(
    ".//*[@id='comment-holder' or @id='comments-block' or @id='comment-form'"
    " or @id='comment-editor' or contains(@class, 'comments-content')"
    " or contains(@class, 'comment-thread') or contains(@class, 'comment-form')][1]"
)
_THREAD_ITEMS = Elements(
    ".//li[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"
    " | .//dt[contains(@class, 'comment-author')]"
)
_COMMENT_LINKS = Elements(".//a[contains(@class, 'comment-link')]")
_HEADINGS = Elements(".//h2|.//h3|.//h4|.//h5|.//h6")
_BUBBLES = Elements(".//*[contains(@class, 'comments-count')]")

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


def _from_section(section: HtmlElement, near: BodyNeighbourhood) -> int | None:
    raw = section.get("data-num-comments")
    if raw is not None and raw.strip().isdigit():
        return int(raw)
    headings = _SECTION_HEADINGS(section)
    if headings:
        heading_count = count_from_text(headings[0].text_content())
        if heading_count is not None:
            return heading_count
    elif not _THREAD_MARKERS(section):
        return None  # an empty section or a backlinks block: comments are off
    items = len(_THREAD_ITEMS(section))
    if items:
        return items
    link = near.nearest(near.search(_COMMENT_LINKS, whole_page=False))
    if link is not None:
        linked = count_from_text(link.text_content())
        if linked is not None:
            return linked
    return 0


def _response_count(heading: HtmlElement, title: str | None) -> int | None:
    text = " ".join(heading.text_content().split())
    match = _RESPONSE_HEADING.match(text)
    if match and (title is None or title in text):
        return int(match.group(1))
    return None


def _from_response_heading(near: BodyNeighbourhood, title: str | None) -> int | None:
    headings = near.search(
        _HEADINGS, whole_page=False, accept=lambda h: _response_count(h, title) is not None
    )
    heading = near.nearest(headings)
    return _response_count(heading, title) if heading is not None else None


def comment_count(body: HtmlElement, title: str | None) -> int | None:
    """Return the post's comment count as the page shows it (see the module docstring).

    ``body`` is the chosen post body; sections and headings nearest to it win over copies
    elsewhere on the page. ``title`` (the post title) confirms a ``N Response to "TITLE"``
    heading.
    """
    near = BodyNeighbourhood(body)
    by_id = [s for s in _SECTION_IDS(near.root) if near.distance(s) > 0]
    section = near.nearest(by_id)
    if section is None:
        section = near.nearest(near.search(_SECTIONS, whole_page=False))
    if section is not None:
        count = _from_section(section, near)
        if count is not None:
            return count
    count = _from_response_heading(near, title)
    if count is not None:
        return count
    bubble = near.nearest(near.search(_BUBBLES, whole_page=False))
    if bubble is not None:
        return count_from_text(bubble.text_content())
    return None
