"""Can this feed entry give the post? A yes, or a no with a reason the crawl can count.

The feed gives the post only when the entry is a post's (not a comment's or a static page's:
a comments feed's entries link to the post they reply to) and carries the whole body as the
page shows it.
It does not when the owner's feed setting is "Short" (``summary`` only), "Until Jump Break"
(the content stops at the jump and ends with a ``#more`` "Read more" link, or with the bare
``<a name="more">`` anchor), when the content is missing or empty, larger than we accept, or
when the feed was re-served by FeedBurner (which rewrites links and content). A full body that
merely *contains* the jump anchor, with text after it, is whole: Blogger's "Full" setting
keeps the anchor in place. A body of only a picture or a video is whole too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from crawler.feed_records.entries import PostEntry
from crawler.urls import PageKind, page_kind

MAX_CONTENT_CHARS = 4_000_000
"""The largest entry content built from (a bigger body is left to the page, and counted)."""

REASONS = (
    "not a post entry",
    "feedburner",
    "summary only",
    "no content",
    "empty content",
    "content over limit",
    "cut at jump break",
    "no post link",
    "no post id",
)
"""Every reason :func:`entry_verdict` can give, for stats keys (``feed/page_needed/REASON``)."""

# Text after a jump counts unless it is the owner's feed footer (``div.blogger-post-footer``,
# added to every entry by the "Post Feed Footer" setting, never shown on the page).
_FOLLOWING_TEXT = etree.XPath(
    "boolean(following::text()[normalize-space()][not(ancestor::*[contains(concat(' ',"
    " normalize-space(@class), ' '), ' blogger-post-footer ')])])",
    regexp=False,
)
# A body of only a picture or a video is whole (its page shows the title and no paragraphs).
_MEDIA = etree.XPath("boolean(.//img | .//iframe | .//object | .//embed | .//video)", regexp=False)


@dataclass(frozen=True)
class EntryVerdict:
    """Whether the entry gives the post; ``reason`` (one of :data:`REASONS`) when it does not."""

    usable: bool
    reason: str | None = None


USABLE = EntryVerdict(True)


@dataclass(frozen=True, eq=False)
class ParsedEntry:
    """One entry judged once: its content parsed once and the verdict on it.

    The crawl judges each feed entry when it triages a feed page and hands this object on to
    the record builder (:func:`~crawler.feed_records.parse_entry`), so an entry's HTML is
    parsed once per crawl. ``body`` is the content parsed by :func:`parse_content`, ``None``
    when the verdict came before parsing or there was nothing to parse; nobody modifies it.
    Pickling (a parse worker process) sends the entry alone; the other side judges it again.
    """

    entry: PostEntry
    body: HtmlElement | None
    verdict: EntryVerdict

    def __reduce__(self) -> tuple[Any, tuple[PostEntry]]:
        # lxml trees do not pickle; judging again gives the same body and verdict.
        return judge_entry, (self.entry,)


def judge_entry(entry: PostEntry) -> ParsedEntry:
    """Parse ``entry``'s content (only when the checks before parsing pass) and decide."""
    early = _verdict_before_parsing(entry)
    if early is not None:
        return ParsedEntry(entry, None, early)
    body = parse_content(entry.content or "")
    if body is None or not (body.text_content().strip() or _has_media(body)):
        return ParsedEntry(entry, body, EntryVerdict(False, "empty content"))
    if _cut_at_jump(body):
        return ParsedEntry(entry, body, EntryVerdict(False, "cut at jump break"))
    return ParsedEntry(entry, body, USABLE)


def entry_verdict(entry: PostEntry) -> EntryVerdict:
    """Decide whether ``entry`` can give the post (see the module docstring)."""
    return judge_entry(entry).verdict


def _verdict_before_parsing(entry: PostEntry) -> EntryVerdict | None:
    if entry.kind != "post" or _names_no_post(entry.alternate_url):
        return EntryVerdict(False, "not a post entry")
    if entry.via_feedburner:
        return EntryVerdict(False, "feedburner")
    if entry.content is None:
        return EntryVerdict(False, "summary only" if entry.summary is not None else "no content")
    if not entry.content.strip():
        return EntryVerdict(False, "empty content")
    if len(entry.content) > MAX_CONTENT_CHARS:
        return EntryVerdict(False, "content over limit")
    if not entry.alternate_url:
        return EntryVerdict(False, "no post link")
    if not entry.entry_id or ".post-" not in entry.entry_id:
        return EntryVerdict(False, "no post id")
    return None


def _names_no_post(url: str | None) -> bool:
    # The page parser rejects these shapes too (reject_url_shape).
    return url is not None and page_kind(url) not in (PageKind.POST, PageKind.OTHER)


def parse_content(html: str) -> HtmlElement | None:
    """Parse entry content HTML into one ``<div>`` holding it; ``None`` when there is none.

    lxml decodes entities once (the feed's XML escaping was undone by the XML parser), as
    for a page.
    """
    if not html.strip():
        return None
    try:
        fragment: HtmlElement = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    return fragment


def _has_media(body: HtmlElement) -> bool:
    return bool(_MEDIA(body))


def _is_jump(anchor: HtmlElement) -> bool:
    if (anchor.get("name") or anchor.get("id") or "").strip() == "more":
        return True
    href = anchor.get("href") or ""
    return bool(href) and urlsplit(href).fragment == "more"


def _cut_at_jump(body: HtmlElement) -> bool:
    """Return True when a jump anchor or ``#more`` link ends the content (no text after it)."""
    return any(_is_jump(anchor) and not _FOLLOWING_TEXT(anchor) for anchor in body.iter("a"))
