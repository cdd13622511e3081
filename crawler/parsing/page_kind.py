"""Pages that are not a single post, and the one-line reasons they are rejected with.

Evidence, in order: the ``pageType`` Blogger declares in ``_WidgetManager._SetDataContext``
(``item`` is a post; ``archive``, ``index``, ``error_page``, ``search``, ``static_page`` are
not); for pages without that declaration, the shape (``crawler.urls.page_kind``, plus
classic ``*_archive.html`` archives) of the fetch URL and of the page's own canonical URL
(a saved listing read from a file has only the latter); the absence of any post body
(Dynamic Views shells, Blogger's "Blog not found", removed and private-blog pages); several
post bodies on one page; finally a post body that is empty under an empty title. A declared
``item`` outranks the URL, since Blogger knows what it rendered.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.parsing.errors import NotAPostError
from crawler.parsing.themes import PageFacts, PostLocation
from crawler.parsing.xpath import Text
from crawler.urls import PageKind, page_kind

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


def reject_declared_non_post(page_type: str | None) -> None:
    """Raise :class:`NotAPostError` when Blogger declares a page type other than ``item``."""
    if page_type is not None and page_type != "item":
        reason = _PAGE_TYPE_REASONS.get(page_type, "not a post page")
        raise NotAPostError(f"{reason} (pageType {page_type})")


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
    return NotAPostError("no post body found")


def reject_empty_post(title: str | None, paragraphs: list[str]) -> None:
    """Raise :class:`NotAPostError` for a post page that shows neither a title nor body text.

    Such a page (an empty ``post-body`` under an empty heading) would give a record with
    nothing to keep. A title over an image-only body, or body text without a title, is a post.
    """
    if title is None and not paragraphs:
        raise NotAPostError("post page with neither title nor body")


def reject_listing(location: PostLocation, page_type: str | None) -> None:
    """Raise :class:`NotAPostError` when the page shows several post bodies.

    Not raised when Blogger declares the page an ``item`` (one post, repeated in widgets).
    """
    if location.body_count > 1 and page_type != "item":
        raise NotAPostError(f"listing of {location.body_count} posts")
