"""Blogger's own identifiers on a page: blog id, post id and the page type it declares.

Read from the page's scripts with regular expressions: the ``_WidgetManager._SetDataContext``
call Blogger writes near ``</body>`` (``blogId``, ``postId``, ``pageType``, ``locale``) and
the ``_WidgetManager._Init('...blogID=...')`` call; then from schema.org
``meta[itemprop=blogId|postId]``. The ``<head>`` links (:mod:`crawler.parsing.head`) and the
body element (``id='post-body-POSTID'``, a preceding ``<a name='POSTID'>``) fill what is
missing. Ids are strings of digits.

Scoped to where Blogger writes them: the calls are script code, so only the scripts' text is
searched (one C-level walk gathers it, and it is a fraction of the page), where a search of
the whole page's bytes for each call cost about a tenth of lxml's parse, and a page without
them (classic and third-party templates) paid three or four such searches. The microdata
elements are gathered by the same walk (by name), and read only when the data context lacks
an id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.byte_search import LiteralLed
from crawler.parsing.document import scripts_and_metas
from crawler.parsing.xpath import Strings

_SET_DATA_CONTEXT = "_SetDataContext"
_DATA_CONTEXT_CALL = "_WidgetManager._SetDataContext("
_CONTEXT_WINDOW = 20_000
_PAGE_TYPE = LiteralLed(r"""['"]pageType['"]\s*:\s*['"](\w+)['"]""", "pageType", 1)
_CONTEXT_BLOG_ID = LiteralLed(r"""['"]blogId['"]\s*:\s*['"](\d+)['"]""", "blogId", 1)
_CONTEXT_POST_ID = LiteralLed(r"""['"]postId['"]\s*:\s*['"](\d+)['"]""", "postId", 1)
_CONTEXT_LOCALE = LiteralLed(
    r"""['"]locale['"]\s*:\s*['"]([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{1,8})*)['"]""", "locale", 1
)
_INIT_BLOG_ID = LiteralLed(
    r"_WidgetManager\._Init\([^)]*?blogID(?:=|\\x3d|\\u003d)(\d+)", "_WidgetManager._Init("
)
_META_ID_NAMES = ("blogId", "postId")
_ANCHOR_NAMES = Strings("./a[@name][not(@href)]/@name | ./*/a[@name][not(@href)]/@name")
_DIGITS = re.compile(r"\d{6,}")


@dataclass(frozen=True, slots=True)
class BloggerIds:
    """What a page says about itself; each field None when the page does not say it."""

    page_type: str | None = None
    """``item``, ``archive``, ``index``, ``error_page``, ``static_page`` ... as Blogger wrote it."""

    blog_id: str | None = None
    post_id: str | None = None

    locale: str | None = None
    """The blog's language setting as the data context writes it (``de``, ``en-GB``, ``pt_BR``)."""

    names_data_context: bool = False
    """Whether a script names ``_SetDataContext`` (with or without a whole call)."""


def _group(pattern: LiteralLed[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _data_context(scripts: list[str]) -> tuple[str, bool]:
    """Return the data context, and whether any script names ``_SetDataContext`` at all.

    The context is the scripts' text from the first ``_WidgetManager._SetDataContext(`` call
    on (that script's rest, then the scripts after it), at most :data:`_CONTEXT_WINDOW`
    characters; empty when no script makes the call. The whole call is looked for first (a
    longer literal, found faster; Blogger's widget script can be 80 KB), the bare name only
    when no script makes the call.
    """
    for number, text in enumerate(scripts):
        at = text.find(_DATA_CONTEXT_CALL)
        if at >= 0:
            parts = [text[at : at + _CONTEXT_WINDOW]]
            size = len(parts[0])
            for later in scripts[number + 1 :]:
                if size >= _CONTEXT_WINDOW:
                    break
                parts.append(later[: _CONTEXT_WINDOW - size])
                size += len(parts[-1])
            return "\n".join(parts), True
    return "", any(_SET_DATA_CONTEXT in text for text in scripts)


def _init_blog_id(scripts: list[str]) -> str | None:
    """Return the blog id of the first script's ``_WidgetManager._Init(...blogID=...)``."""
    for text in scripts:
        if (found := _group(_INIT_BLOG_ID, text)) is not None:
            return found
    return None


def _digits(value: str | None) -> str | None:
    return value if value and value.isascii() and value.isdigit() else None


def _meta_ids(metas: list[HtmlElement]) -> tuple[str | None, str | None]:
    """Return the first ``meta[itemprop=blogId]`` and ``meta[itemprop=postId]`` ids, if any.

    ``metas`` are the page's ``meta`` elements in page order; only a ``content`` of digits
    is an id.
    """
    found: dict[str, str] = {}
    for meta in metas:
        itemprop = meta.get("itemprop")
        if itemprop in _META_ID_NAMES and (value := _digits(meta.get("content"))) is not None:
            found.setdefault(itemprop, value)
    return found.get("blogId"), found.get("postId")


def read_blogger_ids(
    root: HtmlElement,
    scripts: list[HtmlElement] | None = None,
    metas: list[HtmlElement] | None = None,
) -> BloggerIds:
    """Read page type, blog id, post id and locale from the page's scripts and microdata.

    ``scripts`` and ``metas`` are the page's script and meta elements
    (:func:`~crawler.parsing.document.scripts_and_metas`, read from ``root`` when not given).
    """
    if scripts is None or metas is None:
        scripts, metas = scripts_and_metas(root)
    texts = [script.text or "" for script in scripts]
    context, named = _data_context(texts)
    blog_id = _group(_CONTEXT_BLOG_ID, context)
    post_id = _group(_CONTEXT_POST_ID, context)
    if blog_id is None or post_id is None:
        meta_blog_id, meta_post_id = _meta_ids(metas)
        blog_id = blog_id or meta_blog_id or _init_blog_id(texts)
        post_id = post_id or meta_post_id
    return BloggerIds(
        page_type=_group(_PAGE_TYPE, context),
        blog_id=blog_id,
        post_id=post_id,
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
