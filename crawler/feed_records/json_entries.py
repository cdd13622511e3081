"""Blogger ``alt=json`` post-feed pages (and ``{"entry": ...}`` documents) read into entries.

Each entry keeps its own bytes as a one-entry ``alt=json`` feed (:attr:`PostEntry.raw`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from crawler.discovery.atom_names import KIND_SCHEME, LABEL_SCHEME
from crawler.discovery.feed import FeedFormatError, read_feed_json
from crawler.feed_records.entry import (
    FeedEntries,
    PostEntry,
    absolute_link,
    entry_kind,
    feedburner_host,
)


def _text(node: Any) -> str | None:
    """Blogger JSON wraps every scalar as ``{"$t": "..."}``."""
    if isinstance(node, dict):
        value = node.get("$t")
        return str(value) if value is not None else None
    return None


def _json_link(node: dict[str, Any], rel: str, link_type: str | None = None) -> str | None:
    links = node.get("link")
    for link in links if isinstance(links, list) else []:
        if (
            isinstance(link, dict)
            and link.get("rel") == rel
            and link_type in (None, link.get("type"))
            and link.get("href")
        ):
            return str(link["href"]).strip()
    return None


def read_json(url: str, body: bytes, max_entries: int, language: str | None) -> FeedEntries:
    return json_entries(url, read_feed_json(url, body), max_entries, language)


def json_entries(url: str, document: Any, max_entries: int, language: str | None) -> FeedEntries:
    """Return the entries of an ``alt=json`` document already decoded by ``read_feed_json``."""
    if not isinstance(document, dict):
        raise FeedFormatError(f"{url}: JSON without a 'feed' or 'entry' object")
    feed = document.get("feed")
    if isinstance(feed, dict):
        raw_entries = feed.get("entry", [])
        items = raw_entries if isinstance(raw_entries, list) else []
    elif isinstance(document.get("entry"), dict):
        feed, items = {}, [document["entry"]]
    else:
        raise FeedFormatError(f"{url}: JSON without a 'feed' or 'entry' object")
    dicts = [item for item in items if isinstance(item, dict)]
    feed_url = url or _json_link(feed, "self") or ""
    facts = _JsonFeedFacts(
        feed_url=feed_url,
        title=_text(feed.get("title")),
        home_url=_json_link(feed, "alternate"),
        language=_text(feed.get("xml$lang")) or language,
        via_feedburner=any(str(key).startswith("feedburner$") for key in feed)
        or feedburner_host(feed_url),
    )
    entries = tuple(_json_entry(item, facts) for item in dicts[:max_entries])
    return FeedEntries(url=url, entries=entries, dropped=max(0, len(dicts) - max_entries))


@dataclass(frozen=True, kw_only=True)
class _JsonFeedFacts:
    feed_url: str
    title: str | None
    home_url: str | None
    language: str | None
    via_feedburner: bool


def _json_labels(entry: dict[str, Any]) -> tuple[str, ...]:
    categories = entry.get("category")
    return tuple(
        str(category["term"])
        for category in (categories if isinstance(categories, list) else [])
        if isinstance(category, dict)
        and category.get("scheme", LABEL_SCHEME) == LABEL_SCHEME
        and category.get("term")
    )


def _json_kind_terms(entry: dict[str, Any]) -> list[str]:
    categories = entry.get("category")
    return [
        str(category.get("term") or "")
        for category in (categories if isinstance(categories, list) else [])
        if isinstance(category, dict) and category.get("scheme") == KIND_SCHEME
    ]


def _json_author(entry: dict[str, Any]) -> str | None:
    authors = entry.get("author")
    first = authors[0] if isinstance(authors, list) and authors else None
    return _text(first.get("name")) if isinstance(first, dict) else None


def _json_entry(entry: dict[str, Any], facts: _JsonFeedFacts) -> PostEntry:
    title = entry.get("title")
    burner = facts.via_feedburner or any(str(key).startswith("feedburner$") for key in entry)
    return PostEntry(
        feed_url=facts.feed_url,
        feed_format="json",
        entry_id=_text(entry.get("id")),
        title=_text(title),
        title_is_html=isinstance(title, dict) and title.get("type") in ("html", "xhtml"),
        content=_text(entry.get("content")) if "content" in entry else None,
        summary=_text(entry.get("summary")) if "summary" in entry else None,
        alternate_url=absolute_link(
            facts.feed_url,
            _json_link(entry, "alternate", "text/html") or _json_link(entry, "alternate"),
        ),
        author_name=_json_author(entry),
        published=_text(entry.get("published")),
        updated=_text(entry.get("updated")),
        labels=_json_labels(entry),
        thr_total=_text(entry.get("thr$total")),
        blog_title=facts.title,
        language=_text(entry.get("xml$lang")) or facts.language,
        via_feedburner=burner,
        kind=entry_kind("thr$in-reply-to" in entry, _json_kind_terms(entry)),
        raw=_json_raw(entry, facts, burner),
    )


def _json_raw(entry: dict[str, Any], facts: _JsonFeedFacts, burner: bool) -> bytes:
    """Return a one-entry ``alt=json`` feed: the entry plus the feed facts a record needs."""
    links = [{"rel": "self", "href": facts.feed_url}] if facts.feed_url else []
    if facts.home_url:
        links.append({"rel": "alternate", "href": facts.home_url})
    feed: dict[str, Any] = {"link": links, "entry": [entry]}
    if facts.title is not None:
        feed["title"] = {"$t": facts.title}
    if facts.language:
        feed["xml$lang"] = {"$t": facts.language}
    if burner:
        feed["feedburner$origin"] = {"$t": ""}
    document = {"version": "1.0", "encoding": "UTF-8", "feed": feed}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
