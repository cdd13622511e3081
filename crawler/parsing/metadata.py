"""Post metadata around the body: title, author, dates, labels, language, blog name.

Each field is read from Blogger's own markup first, then schema.org microdata, then JSON-LD,
then OpenGraph and ``<title>``. Among several matches (sidebars repeat titles, bylines and
label lists) the one nearest to the chosen body wins (:mod:`crawler.parsing.proximity`).
Every function returns None (or ``[]``) when the page does not show the field.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.proximity import BodyNeighbourhood
from crawler.parsing.xpath import Elements, Strings


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_TITLE_HEADINGS = Elements(
    "(//h1|//h2|//h3|//h4)["
    + " or ".join(
        [_has_class(n) for n in ("post-title", "entry-title", "pTtl")]
        + ["@itemprop='name'", "@itemprop='headline'"]
    )
    + "]"
)
# Weaker title evidence: a heading classed just "title", or a plain <h1>. It counts only this
# close to the body (same article box); further out it is the blog's name or a widget title.
_NEAR_HEADINGS = Elements("//h1 | (//h2|//h3)[" + _has_class("title") + "]")
_NEAR_HEADING_REACH = 4
_BLOG_NAME_CLASSES = ("blog-title", "sidebar-title", "widget-title", "header-title")
_OG_TITLE = Strings("//meta[@property='og:title']/@content")
_OG_SITE_NAME = Strings("//meta[@property='og:site_name']/@content")
_TITLE_ELEMENT = Elements("//title")
_HEADER_NAME = Elements(
    "(//*[@id='header' or " + _has_class("Header") + "]//h1)[1]"
    " | (//h1[" + _has_class("blog-title") + " or " + _has_class("title") + "])[1]"
)


def squash(text: str | None) -> str | None:
    """Collapse whitespace runs in ``text`` to single spaces; None for None or blank."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _is_blog_name(element: HtmlElement) -> bool:
    classes = f" {element.get('class') or ''} "
    return any(f" {name} " in classes for name in _BLOG_NAME_CLASSES)


def post_title(near: BodyNeighbourhood, ld: JsonLdPost | None) -> str | None:
    """Return the post's own heading (the nearest title heading before the body).

    Falls back to a plain ``<h1>`` near the body, then JSON-LD ``headline``, then
    ``og:title``. Never the ``<title>`` element, which carries the blog name as well.
    """
    root = near.body.getroottree().getroot()
    for candidates, reach in (
        (_TITLE_HEADINGS(root), None),
        (_NEAR_HEADINGS(root), _NEAR_HEADING_REACH),
    ):
        headings = [h for h in candidates if not _is_blog_name(h) and squash(h.text_content())]
        heading = near.nearest(headings, prefer_before=True)
        if heading is not None and (reach is None or near.distance(heading) <= reach):
            return squash(heading.text_content())
    if ld is not None and ld.headline:
        return ld.headline
    return next((t for t in (squash(v) for v in _OG_TITLE(root)) if t), None)


def blog_title(root: HtmlElement) -> str | None:
    """Return the blog's name: ``og:site_name``, else the header ``<h1>``."""
    for value in _OG_SITE_NAME(root):
        if name := squash(value):
            return name
    for element in _HEADER_NAME(root):
        if name := squash(element.text_content()):
            return name
    return None


# Elements whose whole text is the author's name (after a "Posted by" prefix), strongest
# evidence first; then bylines where the name follows "by" somewhere in the text.
_AUTHOR_NAMES = tuple(
    Elements(xpath)
    for xpath in (
        "//*[" + _has_class("post-author") + "]",
        "//*[@itemprop='author']//*[@itemprop='name']",
        "//*[" + " or ".join(_has_class(n) for n in ("entry-author-link", "by-author", "fn")) + "]",
    )
)
_AUTHOR_LINKS = Elements("//a[@rel='author'][not(contains(@class, 'profile'))]")
_BYLINES = Elements(
    "//*[" + " or ".join(_has_class(n) for n in ("post-footer", "publish-info", "byline")) + "]"
)
_BY_NAME = re.compile(r"(?:^|\s)(?:by|von|par|por|door|oleh)\s+(.+)$", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(
    r"^(?:posted|written|published|eingestellt|geschrieben|veröffentlicht|publié|publicado|"
    r"pubblicato|geplaatst|diposting|dodane|opublikowane|postado|postat|lähetti)?\s*"
    r"(?:by|von|par|por|da|door|oleh|przez|av|af)\s*:?\s*",
    re.IGNORECASE,
)
_BYLINE_SUFFIX = re.compile(r"\s+(?:at|um|à|a las|alle|om|pada|o)\s+\d.*$", re.IGNORECASE)


def author_name(text: str | None) -> str | None:
    """Strip a byline (``Posted by X at 1:02 PM``, ``Eingestellt von X``) down to the name."""
    text = squash(text)
    if text is None:
        return None
    text = _BYLINE_SUFFIX.sub("", _BYLINE_PREFIX.sub("", text, count=1))
    return squash(text.strip(" -–—|·:,"))


def _first_name(near: BodyNeighbourhood, elements: list[HtmlElement]) -> str | None:
    for element in near.ranked(elements):
        value = element.get("content") if element.tag == "meta" else element.text_content()
        if name := author_name(value):
            return name
    return None


def _byline_name(near: BodyNeighbourhood, elements: list[HtmlElement]) -> str | None:
    for element in near.ranked(elements):
        match = _BY_NAME.search(" ".join(element.text_content().split()))
        if match and (name := author_name(match.group(1))):
            return name
    return None


def post_author(near: BodyNeighbourhood, ld: JsonLdPost | None) -> str | None:
    """Return the author's display name, from the byline nearest the body.

    Order: Blogger's author markup (``.post-author``, microdata, ``.fn``), JSON-LD
    ``author.name``, an ``a[rel=author]`` that is not a profile-widget link, then "by NAME"
    in a footer/byline line.
    """
    root = near.body.getroottree().getroot()
    for xpath in _AUTHOR_NAMES:
        if name := _first_name(near, xpath(root)):
            return name
    if ld is not None and ld.author:
        return ld.author
    return _first_name(near, _AUTHOR_LINKS(root)) or _byline_name(near, _BYLINES(root))


_LABEL_CONTAINERS = Elements(
    "//*[" + _has_class("post-labels") + " or " + _has_class("label-info") + "]"
)
_LABEL_LINKS = Elements(".//a")
_TAG_LINKS = Elements("//a[@rel='tag']")


def post_labels(near: BodyNeighbourhood) -> list[str]:
    """Return the post's labels in page order without duplicates (``[]`` if none shown)."""
    root = near.body.getroottree().getroot()
    container = near.nearest(c for c in _LABEL_CONTAINERS(root) if _LABEL_LINKS(c))
    if container is not None:
        links = _LABEL_LINKS(container)
    else:
        link = near.nearest(_TAG_LINKS(root))
        parent = link.getparent() if link is not None else None
        links = [] if parent is None else [a for a in _LABEL_LINKS(parent) if a.get("rel") == "tag"]
    labels: list[str] = []
    for link in links:
        label = squash(link.text_content())
        if label and label not in labels:
            labels.append(label)
    return labels


_HTML_LANG = Strings("/html/@lang | /html/@xml:lang")
_META_LANGUAGE = Strings(
    "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    " = 'content-language']/@content"
)


def page_language(root: HtmlElement, ld: JsonLdPost | None) -> str | None:
    """Return the language tag the page declares (``<html lang>``, meta, JSON-LD), or None."""
    for value in (*_HTML_LANG(root), *_META_LANGUAGE(root)):
        if tag := squash(str(value)):
            return tag
    return ld.language if ld is not None else None
