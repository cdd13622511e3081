"""Pages that are not a single post, and the one-line reasons they are rejected with.

Evidence, in order: the ``pageType`` Blogger declares in ``_WidgetManager._SetDataContext``
(``item`` is a post; ``archive``, ``index``, ``error_page``, ``search``, ``static_page`` are
not), or failing that the same call's view flags (``'isMultipleItems': true``,
``'isError': true``); for pages without that declaration, the shape
(``crawler.urls.page_kind``, plus classic ``*_archive.html`` archives) of the fetch URL and
of the page's own canonical URL (a saved listing read from a file has only the latter); the
absence of any post body (Dynamic Views shells, Blogger's "Blog not found", removed and
private-blog pages); then the page's structure alone, so that a listing saved without any
telling URL is still known: several post bodies or post outer blocks, listing snippets
(``#post-snippet-ID``), Blogger's status message (``Showing posts with label ...``, ``Sorry,
the page you were looking for ... does not exist``), a pager whose links page through a
listing (``/search?updated-max=``); finally a post body that is empty under an empty
title. A declared ``item`` outranks the URL and the structure, since Blogger knows what it
rendered.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.items import has_text
from crawler.parsing.errors import NotAPostError
from crawler.parsing.ids import BloggerIds
from crawler.parsing.proximity import BodyNeighbourhood
from crawler.parsing.themes import PageFacts, PostLocation, dynamic
from crawler.parsing.themes.base import ScopeQuery
from crawler.parsing.xpath import FirstDescendant, Text
from crawler.urls import PageKind, joined_url, page_kind

_PAGE_TYPE_REASONS = {
    "archive": "archive listing",
    "index": "blog home, search or label listing",
    "error_page": "Blogger error page (page not found)",
    "search": "search or label listing",
    "static_page": "static page, not a post",
}
# Formats over where the URL came from: "URL" (the fetch URL) or "canonical URL" (the page's).
_URL_KIND_REASONS = {
    PageKind.ARCHIVE: "archive listing ({source} shape)",
    PageKind.LABEL: "label listing ({source} shape)",
    PageKind.SEARCH: "search listing ({source} shape)",
    PageKind.HOME: "blog home page ({source} shape)",
    PageKind.FEED: "feed {source}, not a page",
    PageKind.STATIC_PAGE: "static page, not a post ({source} shape)",
}
_CLASSIC_ARCHIVE = re.compile(r"/\d{4}_\d{2}(?:_\d{2})?_[\w-]*archive\.html$")
_XML_DOCUMENT = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*>\s*)*<(?:feed|rss|urlset|sitemapindex)\b"
)
_TITLE_TEXT = Text("normalize-space(//title)")
_STATUS_TEXT = Text("normalize-space(//body)")
# Blogger's service pages for blogs that cannot be shown (English wording, the commonest).
_SERVICE_PAGES = (
    ("blog not found", "Blogger 'Blog not found' page"),
    ("has been removed", "Blogger page for a removed blog"),
    ("open to invited readers only", "private blog (invited readers only)"),
    ("this blog is private", "private blog"),
    ("page you were looking for in this blog does not exist", "Blogger error page (not found)"),
)


# The view flags of the same data context ('view': {'type': 'feed', 'isMultipleItems': true}).
_VIEW_FLAGS = (
    (re.compile(rb"""['"]isError['"]\s*:\s*true"""), "Blogger error page (view isError)"),
    (
        re.compile(rb"""['"]isMultipleItems['"]\s*:\s*true"""),
        "blog home, archive, search or label listing (view isMultipleItems)",
    ),
)


def reject_declared_non_post(ids: BloggerIds, body: bytes = b"") -> None:
    """Raise :class:`NotAPostError` when Blogger declares a page type other than ``item``.

    Without a ``pageType``, the view flags Blogger writes in the same data context
    (``isError``, ``isMultipleItems``) in the page's bytes ``body`` are the declaration; they
    are looked for only when the bytes name ``_SetDataContext`` (``ids.names_data_context``).
    """
    page_type = ids.page_type
    if page_type is not None and page_type != "item":
        reason = _PAGE_TYPE_REASONS.get(page_type, "not a post page")
        raise NotAPostError(f"{reason} (pageType {page_type})")
    if page_type is None and ids.names_data_context:
        for flag, reason in _VIEW_FLAGS:
            if flag.search(body):
                raise NotAPostError(reason)


def reject_url_shape(url: str, page_type: str | None, canonical: str | None = None) -> None:
    """Raise :class:`NotAPostError` when the http(s) ``url`` or ``canonical`` names a listing.

    ``canonical`` is the URL the page gives for itself (canonical link, ``og:url``), which
    becomes the record's url: a saved home page or label listing read from a file has only
    that. Not raised when the page declares itself an ``item``; URLs that are not http(s)
    (files) are not judged.
    """
    if page_type == "item":
        return
    _reject_listing_url(url, "URL")
    if canonical is not None:
        _reject_listing_url(canonical, "canonical URL")


def _reject_listing_url(url: str, source: str) -> None:
    if not url.lower().startswith(("http://", "https://")):
        return
    if _CLASSIC_ARCHIVE.search(urlsplit(url).path):
        raise NotAPostError(f"archive listing (classic *_archive.html {source})")
    reason = _URL_KIND_REASONS.get(page_kind(url))
    if reason is not None:
        raise NotAPostError(reason.format(source=source))


def reject_missing_body(facts: PageFacts) -> NotAPostError:
    """Return the error for a page where no family found a post body, with the best reason."""
    if _XML_DOCUMENT.match(facts.doc.body):
        return NotAPostError("an XML feed or sitemap, not a page")
    if facts.is_dynamic_views:
        return NotAPostError("Dynamic Views shell without a post body (content loaded by script)")
    words = f"{_TITLE_TEXT(facts.root)} {_STATUS_TEXT(facts.root)[:2000]}".lower()
    for marker, reason in _SERVICE_PAGES:
        if marker in words:
            return NotAPostError(reason)
    listing = listing_structure(facts)
    return NotAPostError(listing or "no post body found")


def reject_empty_post(title: str | None, paragraphs: list[str]) -> None:
    """Raise :class:`NotAPostError` for a post page that shows neither a title nor body text.

    Such a page (an empty ``post-body`` under an empty heading) would give a record with
    nothing to keep. A title over an image-only body, or body text without a title, is a post.
    "Text" is what storage asks for too (``crawler.items.has_text``).
    """
    if not has_text(title, paragraphs):
        raise NotAPostError("post page with neither title nor body")


def reject_listing(location: PostLocation, facts: PageFacts) -> None:
    """Raise :class:`NotAPostError` when the page's structure is a listing's.

    Several post bodies, or any evidence :func:`listing_structure` finds. Not raised when
    Blogger declares the page an ``item`` (one post, repeated in widgets), nor for a Dynamic
    Views overlay, whose post sits in front of a list by design.
    """
    if facts.ids.page_type == "item" or location.extractor == dynamic.NAME:
        return
    if location.body_count > 1:
        raise NotAPostError(f"listing of {location.body_count} posts")
    listing = listing_structure(facts, location.body)
    if listing is not None:
        raise NotAPostError(listing)


# One traversal for every structural marker ("/descendant::", not the slower "//"); the class
# tokens are checked in Python.
# Attribute first (``/descendant::*/@class[...]/..``): libxml2 tests an attribute's own string
# far more cheaply than element predicates that read ``@class`` once per test (a whole classic
# page: 1.8 -> 0.2 ms). The same elements in page order as the element-predicate form
# (pinned by test_parsing_xpath_forms.py).
# Relative (``descendant-or-self``): from the root, every element of the page, as
# "/descendant::" gave.
# Of the page less the Blog widget's comment thread (``ScopeQuery``): no listing evidence
# is in a thread, which on a page of hundreds of comments is most of the tree.
_STRUCTURE = ScopeQuery(
    (
        "*",
        "@class[contains(., 'status-msg-body') or contains(., 'post-outer')"
        " or contains(., 'hentry') or contains(., 'blog-pager-') or contains(., 'jump-link')]/..",
    ),
    ("*", "@id[starts-with(., 'post-snippet-')]/.."),
)
# What _STRUCTURE can find: class values (looked up among the class values outside side
# widgets, which are all that count, see PageFacts.mentions_class_outside_side_widgets),
# then the snippet id prefix (among the page's ids, from the id
# table: a search of the bytes cost a tenth of the parse).
_STRUCTURE_CLASSES = ("status-msg-body", "post-outer", "hentry", "blog-pager-", "jump-link")
_SNIPPET_ID = "post-snippet-"
_LISTING_PAGER = frozenset({PageKind.SEARCH, PageKind.LABEL, PageKind.ARCHIVE})
_NOT_FOUND_WORDS = ("does not exist", "not found", "existiert nicht", "n'existe pas", "no existe")
_PAGER_BASE = "https://blog.invalid/"
_POST_PART_CLASSES = ("post-title", "entry-title", "post-body")


def _is_post_part(element: HtmlElement) -> bool:
    classes = element.get("class")
    if classes is not None and any(name in classes for name in _POST_PART_CLASSES):
        return True
    return (element.get("id") or "").startswith("post-snippet-")


# A block's first title, body or snippet: among its first elements in Python (FirstDescendant:
# libxml2 would walk the whole block, a post's comment thread included).
_POST_PART = FirstDescendant(
    "contains(@class, 'post-title') or contains(@class, 'entry-title')"
    " or contains(@class, 'post-body') or starts-with(@id, 'post-snippet-')",
    _is_post_part,
)
# A post's own jump link follows its body (Layouts) or snippet (2017 themes) in its box.
_JUMP_LINK_REACH = 2


def _in_side_widget(element: HtmlElement) -> bool:
    """Whether ``element`` sits in a widget other than the Blog widget (popular posts ...)."""
    for ancestor in element.iterancestors():
        tokens = (ancestor.get("class") or "").split()
        if "widget" in tokens:
            return "Blog" not in tokens
    return False


def _outer_blocks(elements: list[HtmlElement]) -> int:
    """Count the post outer blocks of the most repeated kind among ``elements``.

    A block counts only when it holds a post's title, body or snippet: a custom template's
    "related posts" box that reuses the class names is not another post.
    """
    kinds = {"post-outer": 0, "post-outer-container": 0, "hentry": 0}
    for element in elements:
        tokens = (element.get("class") or "").split()
        for kind in kinds:
            if kind in tokens and _POST_PART(element):
                kinds[kind] += 1
    return max(kinds.values())


def _status_reason(element: HtmlElement) -> str | None:
    message = " ".join(element.text_content().split())
    if not message:
        return None
    if any(words in message.lower() for words in _NOT_FOUND_WORDS):
        return "Blogger error page (status message)"
    return f"listing (Blogger status message '{message[:60]}')"


def _pages_a_listing(link: HtmlElement) -> bool:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:")):
        return False
    return page_kind(joined_url(_PAGER_BASE, href)) in _LISTING_PAGER


def listing_structure(facts: PageFacts, body: HtmlElement | None = None) -> str | None:
    """Return why the page's markup alone shows a listing or error page, or None.

    Only the Blog widget and markup outside any widget count (a popular-posts widget has
    snippets and jump links of its own). Several post outer blocks (``div.post-outer``,
    ``article.post-outer-container``, ``div.hentry``); listing snippets (``#post-snippet-ID``); a
    non-empty status message; a "Read more" jump link (``div.jump-link``) right beside the
    found ``body`` (the post was cut short); an older/newer pager link into ``/search`` or
    an archive.
    """
    if facts.ids.page_type == "item":
        return None
    has_marker = any(map(facts.mentions_class_outside_side_widgets, _STRUCTURE_CLASSES))
    if not has_marker and not facts.has_id_starting(_SNIPPET_ID):
        return None
    elements = [e for e in _STRUCTURE(facts, facts.root) if not _in_side_widget(e)]
    for element in elements:
        tokens = (element.get("class") or "").split()
        if "status-msg-body" in tokens and (reason := _status_reason(element)):
            return reason
    blocks = _outer_blocks(elements)
    if blocks > 1:
        return f"listing of {blocks} post blocks"
    if any((e.get("id") or "").startswith("post-snippet-") for e in elements):
        return "listing (post snippets)"
    if body is not None:
        near = BodyNeighbourhood(body)
        for element in elements:
            jump = "jump-link" in (element.get("class") or "").split()
            if jump and near.distance(element) <= _JUMP_LINK_REACH:
                return "listing (posts cut short by a jump link)"
    for element in elements:
        tokens = (element.get("class") or "").split()
        pager = any(t in tokens for t in ("blog-pager-older-link", "blog-pager-newer-link"))
        if pager and element.tag == "a" and _pages_a_listing(element):
            return "listing (its pager pages through a listing)"
    return None
