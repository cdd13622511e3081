"""What the page's ``<head>`` says, read in one pass over its children (no document scan).

Canonical URL, OpenGraph (``og:url``, ``og:title``, ``og:site_name``, ``og:type``), Blogger's
feed links (``service.post`` and the first templates' ``EditURI`` → blog id,
``/feeds/POSTID/comments/default`` → post id, ``authorization.css?targetBlogID=``, the posts
feed's ``title='BLOG NAME - Atom'`` → the blog's name), the Dynamic Views marker
(``meta[name=blogger-template][content=dynamic]``), a declared content language and the
page's own publication and modification times (``article:published_time`` /
``article:modified_time``, ``meta[itemprop=datePublished|dateModified]``), which custom
templates write.
Values are as written (entities decoded by lxml); absent ones are None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

_FEED_POST_ID = re.compile(r"/feeds/(\d+)/comments/default")
# The posting API's address names the blog: the feeds of Layouts and later, the Atom 0.3
# endpoint of the first templates' metadata (``<$BlogMetaData$>``, 2004-2006).
_FEED_BLOG_ID = re.compile(r"blogger\.com/(?:feeds/(\d+)/posts/|atom/(\d+)/?$)")
# The first templates' metadata names it in the RSD link too (``rel="EditURI"``).
_RSD_BLOG_ID = re.compile(r"blogger\.com/rsd\.g\?blogID=(\d+)")
_CSS_BLOG_ID = re.compile(r"targetBlogID=(\d+)")
_POSTS_FEED = re.compile(r"/feeds/(?:\d+/)?posts/default(?:$|\?)")
# Blogger names its feed links after the blog, whatever the blog's language: "NAME - Atom".
_FEED_TITLE_SUFFIXES = (" - Atom", " - RSS")


@dataclass(slots=True)
class HeadFacts:
    """Facts from ``<head>``; each None (or empty) when the head does not carry it."""

    canonical: str | None = None
    og_url: str | None = None
    og_title: str | None = None
    og_site_name: str | None = None
    og_type: str | None = None
    blog_id: str | None = None
    post_id: str | None = None
    dynamic_views: bool = False
    content_language: str | None = None
    title: str | None = None
    feed_blog_name: str | None = None
    """The blog's name as its posts feed link is titled (``NAME - Atom``, suffix removed)."""
    published_time: str | None = None
    modified_time: str | None = None
    url_candidates: list[str] = field(default_factory=list)


def _read_link(element: HtmlElement, facts: HeadFacts) -> None:
    rel = (element.get("rel") or "").lower()
    href = element.get("href") or ""
    if rel == "canonical" and facts.canonical is None:
        facts.canonical = href
    elif rel == "service.post" and (match := _FEED_BLOG_ID.search(href)):
        facts.blog_id = facts.blog_id or match.group(1) or match.group(2)
    elif rel == "edituri" and (match := _RSD_BLOG_ID.search(href)):
        facts.blog_id = facts.blog_id or match.group(1)
    elif rel == "alternate" and (match := _FEED_POST_ID.search(href)):
        facts.post_id = facts.post_id or match.group(1)
    elif rel == "alternate" and facts.feed_blog_name is None and _POSTS_FEED.search(href):
        facts.feed_blog_name = _feed_blog_name(element.get("title"))
    elif rel == "stylesheet" and (match := _CSS_BLOG_ID.search(href)):
        facts.blog_id = facts.blog_id or match.group(1)


def _feed_blog_name(title: str | None) -> str | None:
    """Return the blog's name from a Blogger feed link's title, or None if not of that form."""
    if title is None:
        return None
    for suffix in _FEED_TITLE_SUFFIXES:
        if title.endswith(suffix):
            return title[: -len(suffix)].strip() or None
    return None


def _read_meta(element: HtmlElement, facts: HeadFacts) -> None:
    content = element.get("content")
    if content is None:
        return
    prop = element.get("property") or ""
    name = (element.get("name") or "").lower()
    if prop == "og:url" and facts.og_url is None:
        facts.og_url = content
    elif prop == "og:title" and facts.og_title is None:
        facts.og_title = content
    elif prop == "og:site_name" and facts.og_site_name is None:
        facts.og_site_name = content
    elif prop == "og:type":
        facts.og_type = content
    elif name == "blogger-template":
        facts.dynamic_views = content.strip().lower() == "dynamic"
    elif (element.get("http-equiv") or "").lower() == "content-language":
        facts.content_language = content
    elif prop == "article:published_time" or element.get("itemprop") == "datePublished":
        facts.published_time = facts.published_time or content
    elif prop == "article:modified_time" or element.get("itemprop") == "dateModified":
        facts.modified_time = facts.modified_time or content


def read_head(root: HtmlElement) -> HeadFacts:
    """Read :class:`HeadFacts` from the children of ``<head>`` (none if there is no head)."""
    facts = HeadFacts()
    head = root.find("head")
    if head is None:
        return facts
    for element in head:
        tag = element.tag
        if tag == "link":
            _read_link(element, facts)
        elif tag == "meta":
            _read_meta(element, facts)
        elif tag == "title" and facts.title is None:
            facts.title = element.text_content()
    facts.url_candidates = [u for u in (facts.canonical, facts.og_url) if u]
    return facts
