"""Blogger's own identifiers on a page: blog id, post id and the page type it declares.

Read from the raw bytes with regular expressions (much cheaper than searching the tree):
the ``_WidgetManager._SetDataContext`` call Blogger writes near ``</body>`` (``blogId``,
``postId``, ``pageType``, ``locale``), schema.org ``meta[itemprop=blogId|postId]`` and the
``_WidgetManager._Init('...blogID=...')`` call; the ``<head>`` links
(:mod:`crawler.parsing.head`) and the body element (``id='post-body-POSTID'``, a preceding
``<a name='POSTID'>``) fill what is missing. Ids are strings of digits.

Each search of the whole page costs about a tenth of lxml's parse of it (``bytes.find`` runs
at a few bytes a nanosecond), so the page is searched as few times as the answers allow: one
search for the data context call tells whether the page names ``_SetDataContext`` at all
(:mod:`crawler.parsing.page_kind` reads the view flags only then) unless the call is absent;
one for ``<meta content=`` finds both microdata ids, and only when the data context lacks one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.byte_search import LiteralLed
from crawler.parsing.xpath import Strings

_SET_DATA_CONTEXT = b"_SetDataContext"
_DATA_CONTEXT_CALL = b"_WidgetManager._SetDataContext("
_CONTEXT_WINDOW = 20_000
_PAGE_TYPE = LiteralLed(rb"""['"]pageType['"]\s*:\s*['"](\w+)['"]""", b"pageType", 1)
_CONTEXT_BLOG_ID = LiteralLed(rb"""['"]blogId['"]\s*:\s*['"](\d+)['"]""", b"blogId", 1)
_CONTEXT_POST_ID = LiteralLed(rb"""['"]postId['"]\s*:\s*['"](\d+)['"]""", b"postId", 1)
_CONTEXT_LOCALE = LiteralLed(
    rb"""['"]locale['"]\s*:\s*['"]([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{1,8})*)['"]""", b"locale", 1
)
# Both microdata ids in one search: the id, then which one it is.
_META_IDS = LiteralLed(
    rb"""<meta content=['"](\d+)['"] itemprop=['"](blogId|postId)['"]""", b"<meta content="
)
_INIT_BLOG_ID = LiteralLed(
    rb"_WidgetManager\._Init\([^)]*?blogID(?:=|\\x3d|\\u003d)(\d+)", b"_WidgetManager._Init("
)
# Searched as the rare literal "post-body-" (bytes.find), then checked for a preceding id=.
_POST_BODY_IDS = LiteralLed(rb"post-body-(\d+)['\"]", b"post-body-")
_ID_ATTRIBUTE = (b"id='", b'id="')
_ANCHOR_NAMES = Strings("./a[@name][not(@href)]/@name | ./*/a[@name][not(@href)]/@name")
_DIGITS = re.compile(r"\d{6,}")


@dataclass(frozen=True, slots=True)
class BloggerIds:
    """What a page says about itself; each field None when the page does not say it."""

    page_type: str | None = None
    """``item``, ``archive``, ``index``, ``error_page``, ``static_page`` ... as Blogger wrote it."""

    blog_id: str | None = None
    post_id: str | None = None

    post_body_ids: tuple[str, ...] = ()
    """Post ids of every ``id='post-body-POSTID'`` element, in page order, without repeats."""

    locale: str | None = None
    """The blog's language setting as the data context writes it (``de``, ``en-GB``, ``pt_BR``)."""

    names_data_context: bool = False
    """Whether the bytes name ``_SetDataContext`` anywhere (with or without a whole call)."""


def _group(pattern: re.Pattern[bytes] | LiteralLed, data: bytes) -> str | None:
    match = pattern.search(data)
    return match.group(1).decode("ascii") if match else None


def _data_context_call(body: bytes) -> tuple[int, bool]:
    """Return where the first ``_WidgetManager._SetDataContext(`` starts (-1 if nowhere).

    And whether the bytes name ``_SetDataContext`` at all: true with the call, else a second
    search (the whole call, a longer literal, is found faster than the bare name).
    """
    at = body.find(_DATA_CONTEXT_CALL)
    return at, at >= 0 or _SET_DATA_CONTEXT in body


def _meta_ids(body: bytes) -> tuple[str | None, str | None]:
    """Return the first ``meta[itemprop=blogId]`` and ``meta[itemprop=postId]`` ids, if any."""
    found: dict[bytes, str] = {}
    for match in _META_IDS.finditer(body):
        found.setdefault(match.group(2), match.group(1).decode("ascii"))
        if len(found) == 2:  # noqa: PLR2004 - both ids found, the rest cannot change them
            break
    return found.get(b"blogId"), found.get(b"postId")


def read_blogger_ids(body: bytes) -> BloggerIds:
    """Read page type, blog id, post id and post-body ids from the raw page bytes."""
    context_at, named = _data_context_call(body)
    context = body[context_at : context_at + _CONTEXT_WINDOW] if context_at >= 0 else b""
    body_ids = tuple(
        dict.fromkeys(
            match.group(1).decode("ascii")
            for match in _POST_BODY_IDS.finditer(body)
            if body[match.start() - 4 : match.start()] in _ID_ATTRIBUTE
        )
    )
    blog_id = _group(_CONTEXT_BLOG_ID, context)
    post_id = _group(_CONTEXT_POST_ID, context)
    if blog_id is None or post_id is None:
        meta_blog_id, meta_post_id = _meta_ids(body)
        blog_id = blog_id or meta_blog_id or _group(_INIT_BLOG_ID, body)
        post_id = post_id or meta_post_id
    return BloggerIds(
        page_type=_group(_PAGE_TYPE, context),
        blog_id=blog_id,
        post_id=post_id,
        post_body_ids=body_ids,
        locale=_group(_CONTEXT_LOCALE, context),
        names_data_context=named,
    )


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
        names = [name.strip() for name in _ANCHOR_NAMES(container)][:3]
        return next((name for name in names if _DIGITS.fullmatch(name)), None)
    return None
