"""Blogger's own identifiers on a page: blog id, post id and the page type it declares.

Evidence, most direct first: the ``_WidgetManager._SetDataContext`` call Blogger writes near
``</body>`` (``blogId``, ``postId``, ``pageType``), schema.org ``meta[itemprop=blogId|postId]``,
the body's ``id='post-body-POSTID'``, ``<a name='POSTID'>``, the per-post comment feed link
``/feeds/POSTID/comments/default``, the ``service.post`` link and ``authorization.css
?targetBlogID=``. Ids are strings of digits; anything else is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.xpath import Strings

_DATA_CONTEXT = Strings("//script[contains(., '_WidgetManager._SetDataContext')]/text()")
_INIT_SCRIPT = Strings("//script[contains(., '_WidgetManager._Init')]/text()")
_PAGE_TYPE = re.compile(r"""['"]pageType['"]\s*:\s*['"](\w+)['"]""")
_CONTEXT_BLOG_ID = re.compile(r"""['"]blogId['"]\s*:\s*['"](\d+)['"]""")
_CONTEXT_POST_ID = re.compile(r"""['"]postId['"]\s*:\s*['"](\d+)['"]""")
_INIT_BLOG_ID = re.compile(r"blogID(?:=|\\x3d|\\u003d)(\d+)")
_META_BLOG_ID = Strings("//meta[@itemprop='blogId']/@content")
_META_POST_ID = Strings("//meta[@itemprop='postId']/@content")
_LINK_HREFS = Strings("//link[@rel='service.post' or @rel='alternate' or @rel='stylesheet']/@href")
_FEED_POST_ID = re.compile(r"/feeds/(\d+)/comments/default")
_FEED_BLOG_ID = re.compile(r"blogger\.com/feeds/(\d+)/posts/")
_CSS_BLOG_ID = re.compile(r"targetBlogID=(\d+)")
_ANCHOR_NAMES = Strings("./a[@name][not(@href)]/@name | ./*/a[@name][not(@href)]/@name")
_DIGITS = re.compile(r"\d{6,}")


@dataclass(frozen=True, slots=True)
class BloggerIds:
    """What a page says about itself; each field None when the page does not say it."""

    page_type: str | None = None
    """``item``, ``archive``, ``index``, ``error_page``, ``static_page`` ... as Blogger wrote it."""

    blog_id: str | None = None
    post_id: str | None = None


def _first_digits(values: list[str]) -> str | None:
    for value in values:
        value = value.strip()
        if _DIGITS.fullmatch(value):
            return value
    return None


def _search(pattern: re.Pattern[str], texts: list[str]) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def read_blogger_ids(root: HtmlElement) -> BloggerIds:
    """Read page type, blog id and post id from the page (see the module docstring)."""
    context = [str(text) for text in _DATA_CONTEXT(root)]
    page_type = _search(_PAGE_TYPE, context)
    blog_id = _search(_CONTEXT_BLOG_ID, context) or _first_digits(_META_BLOG_ID(root))
    post_id = _search(_CONTEXT_POST_ID, context) or _first_digits(_META_POST_ID(root))
    if blog_id is None or post_id is None:
        hrefs = [str(href) for href in _LINK_HREFS(root)]
        post_id = post_id or _search(_FEED_POST_ID, hrefs)
        blog_id = blog_id or _search(_FEED_BLOG_ID, hrefs) or _search(_CSS_BLOG_ID, hrefs)
    if blog_id is None:
        blog_id = _search(_INIT_BLOG_ID, [str(text) for text in _INIT_SCRIPT(root)])
    return BloggerIds(page_type=page_type, blog_id=blog_id, post_id=post_id)


def post_id_from_body(body: HtmlElement) -> str | None:
    """Return the post id the body element or the anchor before it carries, if any.

    ``id='post-body-POSTID'`` (Layouts and 2017 themes), or the ``<a name='POSTID'>`` that
    Blogger writes before the post title in the same post container.
    """
    element_id = body.get("id") or ""
    if element_id.startswith("post-body-") and _DIGITS.fullmatch(element_id[10:]):
        return element_id[10:]
    container = body.getparent()
    if container is not None:
        return _first_digits([str(name) for name in _ANCHOR_NAMES(container)][:3])
    return None
