"""Comment-feed pages (``/feeds/comments/default``, ``/feeds/POSTID/comments/default``) read.

Pure code over ``(url, bytes)``: no Scrapy, no storage, no network. Each Atom entry becomes a
:class:`FeedComment`: the comment (:class:`~crawler.items.BlogComment`, text split into
paragraphs like a page's comment, uncleaned) and the post it belongs to.

What an entry says (docs/blogger-reference.md §2.6):

* the comment id: ``<id>tag:blogger.com,1999:blog-BLOGID.post-COMMENTID</id>``;
* the post: ``thr:in-reply-to`` (``ref`` = ``tag:…blog-BLOGID.post-POSTID``, ``href`` = the
  post's permalink);
* the parent comment of a threaded reply: the ``rel=related`` link
  (``…/feeds/BLOGID/POSTID/comments/default/PARENTID``);
* the author: ``author/name`` and ``author/uri`` (the profile); ``author/email`` is never read;
* ``published`` and ``updated``; the text: ``content`` (escaped HTML). A text that is Blogger's
  removal notice ("This comment has been removed by the author.") is a deleted comment with
  no text.

Trust nothing fetched: XML goes through the one safe feed parser, a page yields at most
``max_entries`` comments (the rest are counted in :attr:`CommentFeedPage.dropped`), and an
entry without a comment id or post is skipped and counted. Paging reuses the post feed's rules
(:func:`crawler.discovery.feed.next_page_url`, :func:`~crawler.discovery.feed.paging_stop`)
through :attr:`CommentFeedPage.paging`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from crawler.discovery.atom_names import (
    ATOM,
    AUTHOR_NAME,
    AUTHOR_URI,
    ENTRY_AUTHOR,
    ENTRY_CONTENT,
    ENTRY_ID,
    ENTRY_IN_REPLY_TO,
    ENTRY_LINK,
    ENTRY_PUBLISHED,
    ENTRY_UPDATED,
    OPENSEARCH,
)
from crawler.discovery.feed import FeedEntry, FeedFormatError, FeedPage, parse_feed_xml
from crawler.feed_records.entry import MAX_ENTRIES, feed_time
from crawler.items import BlogComment
from crawler.parsing.body import body_paragraphs
from crawler.parsing.comment_fields import comment_of_text, without_email

_IDS = re.compile(r"blog-(\d{1,32})\.post-(\d{1,32})")
_BLOG = re.compile(r"blog-(\d{1,32})")
_PARENT = re.compile(r"/comments/default/(\d{1,32})(?:[?#]|$)")
_MAX_CONTENT = 1_000_000  # characters of one comment's HTML read at most (a bound, reported)


@dataclass(frozen=True, kw_only=True)
class FeedComment:
    """One comment-feed entry: the comment and the post it belongs to."""

    comment: BlogComment
    blog_id: str | None
    """Blogger's blog id, from the entry's ids."""
    post_id: str | None
    """Blogger's id of the commented post (``thr:in-reply-to/@ref``)."""
    post_url: str | None
    """The post's permalink (``thr:in-reply-to/@href``), as the feed gives it."""


@dataclass(frozen=True, kw_only=True)
class CommentFeedPage:
    """One page of a comments feed."""

    url: str
    comments: tuple[FeedComment, ...]
    skipped: int
    """Entries that named no comment id or no post: not comments we can store."""
    dropped: int
    """Entries past ``max_entries`` (never read; a hit bound)."""
    total_results: int | None
    """``openSearch:totalResults``: how many comments the whole listing has."""
    paging: FeedPage
    """The page as :mod:`crawler.discovery.feed` pages it (one entry per comment id)."""

    @property
    def newest_published(self) -> datetime | None:
        """The latest ``published`` time on this page (the next incremental read's floor)."""
        times = [c.comment.published for c in self.comments if c.comment.published is not None]
        return max(times) if times else None


def read_comment_feed(url: str, body: bytes, *, max_entries: int = MAX_ENTRIES) -> CommentFeedPage:
    """Read one Atom comments-feed page fetched from ``url``.

    Raises :class:`~crawler.discovery.feed.FeedFormatError` (one line, naming ``url``) for
    bytes that are not an Atom feed.
    """
    return comment_feed_page(url, parse_feed_xml(url, body), max_entries=max_entries)


def comment_feed_page(url: str, root: Any, *, max_entries: int = MAX_ENTRIES) -> CommentFeedPage:
    """Return what :func:`read_comment_feed` gives, from the root ``parse_feed_xml`` gave.

    For a reader that parsed the page for its index too (each page parsed once). Raises
    :class:`~crawler.discovery.feed.FeedFormatError` when the root is not an Atom feed.
    """
    if root.tag != f"{ATOM}feed":
        raise FeedFormatError(f"{url}: root element is {root.tag!r}, not an Atom comments feed")
    elements: list[Any] = []
    dropped = 0
    for element in root.iterfind(f"{ATOM}entry"):
        if len(elements) < max_entries:
            elements.append(element)
        else:
            dropped += 1
    comments: list[FeedComment] = []
    skipped = 0
    for element in elements:
        read = _entry(element)
        if read is None:
            skipped += 1
        else:
            comments.append(read)
    blog_match = _BLOG.search(root.findtext(ENTRY_ID) or "")
    paging = FeedPage(
        url=url,
        entries=tuple(
            FeedEntry(
                post_id=c.comment.id,
                blog_id=c.blog_id,
                url=None,
                title=None,
                published=c.comment.published,
                updated=c.comment.updated,
                comment_count=None,
            )
            for c in comments
        ),
        blog_id=blog_match.group(1) if blog_match else None,
        home_url=None,
        total_results=_int(root.findtext(f"{OPENSEARCH}totalResults")),
        start_index=_int(root.findtext(f"{OPENSEARCH}startIndex")),
        items_per_page=_int(root.findtext(f"{OPENSEARCH}itemsPerPage")),
        next_link=_link(root, "next"),
    )
    return CommentFeedPage(
        url=url,
        comments=tuple(comments),
        skipped=skipped,
        dropped=dropped,
        total_results=paging.total_results,
        paging=paging,
    )


@dataclass
class _EntryParts:
    """The children of one comment entry a comment is read from (the first of each tag)."""

    id_text: str | None = None
    reply_to: Any = None
    content: Any = None
    author: Any = None
    published: str | None = None
    updated: str | None = None
    parent: str | None = None

    @classmethod
    def of(cls, element: Any) -> _EntryParts:
        """Read ``element``'s children in one pass (a comments page has thousands of them)."""
        parts = cls()
        seen: set[str] = set()
        for child in element:
            tag = child.tag
            if tag == ENTRY_LINK:
                if parts.parent is None and child.get("rel") == "related":
                    match = _PARENT.search(child.get("href") or "")
                    parts.parent = match.group(1) if match else None
                continue
            if tag in seen:
                continue
            seen.add(tag)
            if tag == ENTRY_ID:
                parts.id_text = child.text or ""
            elif tag == ENTRY_IN_REPLY_TO:
                parts.reply_to = child
            elif tag == ENTRY_CONTENT:
                parts.content = child
            elif tag == ENTRY_AUTHOR:
                parts.author = child
            elif tag == ENTRY_PUBLISHED:
                parts.published = child.text or ""
            elif tag == ENTRY_UPDATED:
                parts.updated = child.text or ""
        return parts


def _entry(element: Any) -> FeedComment | None:
    parts = _EntryParts.of(element)
    ids = _IDS.search(parts.id_text or "")
    reply_to = parts.reply_to
    if ids is None or reply_to is None:
        return None
    post = _IDS.search(reply_to.get("ref") or "")
    post_url = _http(reply_to.get("href"))
    if post is None and post_url is None:
        return None
    name, profile = _author(parts.author)
    comment = comment_of_text(
        _paragraphs(parts.content),
        id=ids.group(2),
        parent=parts.parent,
        author=name,
        author_url=profile,
        published=feed_time(parts.published),
        updated=feed_time(parts.updated),
    )
    return FeedComment(
        comment=comment,
        blog_id=(post or ids).group(1),
        post_id=post.group(2) if post else None,
        post_url=post_url,
    )


def _paragraphs(content: Any) -> list[str]:
    """Return the comment's text split like a page comment's (``content``: escaped HTML)."""
    if content is None or not content.text:
        return []
    markup = content.text[:_MAX_CONTENT]
    if content.get("type") not in ("html", "xhtml"):
        text = " ".join(markup.split())
        return [text] if text else []
    if "<" not in markup and "&" not in markup:
        text = " ".join(markup.split())
        return [text] if text else []
    try:
        holder = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        text = " ".join(markup.split())
        return [text] if text else []
    return body_paragraphs(holder)


def _author(author: Any) -> tuple[str | None, str | None]:
    """Return the author's name (no e-mail address in it) and profile URL (http(s) only)."""
    if author is None:
        return None, None
    name: str | None = None
    uri: str | None = None
    for child in author:  # the first name and uri, as findtext gives them
        if child.tag == AUTHOR_NAME and name is None:
            name = child.text or ""
        elif child.tag == AUTHOR_URI and uri is None:
            uri = child.text or ""
    return _without_email(name), _http(uri)


@lru_cache(maxsize=4096)  # a blog's commenters comment many times
def _without_email(name: str | None) -> str | None:
    return without_email(name)


def _link(root: Any, rel: str) -> str | None:
    for link in root.iterfind(ENTRY_LINK):
        if link.get("rel") == rel:
            href = link.get("href")
            return str(href).strip() if href else None
    return None


@lru_cache(maxsize=4096)  # profiles and post links repeat from comment to comment
def _http(value: str | None) -> str | None:
    """Return ``value`` when it is an http(s) URL (never a ``mailto:``), else ``None``."""
    if not value:
        return None
    text = value.strip()
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and "@" not in parts.netloc else None


def _int(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit():
        return None
    return int(text.strip())
