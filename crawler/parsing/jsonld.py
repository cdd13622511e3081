"""schema.org JSON-LD blocks: the post object among them and the fields we read from it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

_LD_JSON_TYPE = "application/ld+json"
_POST_TYPES = frozenset(
    {"BlogPosting", "Article", "NewsArticle", "Posting", "SocialMediaPosting", "Report"}
)


@dataclass(frozen=True, slots=True)
class JsonLdPost:
    """The fields of a JSON-LD ``BlogPosting`` (or ``Article``) that parsing uses.

    Each is None when the block does not carry it. Dates are the strings as written.
    """

    headline: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    author: str | None = None
    language: str | None = None
    url: str | None = None


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"])


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _url(obj: dict[str, Any]) -> str | None:
    page = obj.get("mainEntityOfPage")
    if isinstance(page, dict):
        page = page.get("@id") or page.get("url")
    return _text(page) or _text(obj.get("url"))


def _first_post(scripts: Iterable[HtmlElement]) -> JsonLdPost | None:
    """Return the first post-typed object of the JSON-LD ``scripts``, in their order."""
    for script in scripts:
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for obj in _objects(data):
            if _types(obj) & _POST_TYPES:
                return JsonLdPost(
                    headline=_text(obj.get("headline")) or _text(obj.get("name")),
                    date_published=_text(obj.get("datePublished")),
                    date_modified=_text(obj.get("dateModified")),
                    author=_text(obj.get("author")),
                    language=_text(obj.get("inLanguage")),
                    url=_url(obj),
                )
    return None


def read_jsonld_post(scripts: Iterable[HtmlElement]) -> JsonLdPost | None:
    """Return the first post-typed JSON-LD object among the page's ``scripts``, or None.

    ``scripts`` are every script element of the page in page order
    (:func:`~crawler.parsing.document.page_scripts`, read once for the ids too: a search of
    the bytes for ``application/ld+json`` before a walk of the tree cost up to a tenth of
    the parse on pages full of ``+``). Blocks that are not valid JSON are skipped (templates
    emit broken ones); blocks of other types (``Recipe`` typed into a post, ``WebSite``) are
    ignored.
    """
    return _first_post(s for s in scripts if s.get("type") == _LD_JSON_TYPE)
