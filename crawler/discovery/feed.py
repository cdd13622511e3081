"""Blogger post feeds (Atom and ``alt=json``) read into plain records, and their paging.

Pure functions over ``(url, bytes)``: no Scrapy, no network. A feed page gives the post
entries it lists plus what the server said about paging (``openSearch`` counts and the
``rel=next`` link). Paging never assumes a page size: the next page is what the server's
``next`` link or its own counts say (see :func:`next_page_url`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from crawler.discovery.atom_names import (
    ATOM,
    ENTRY_CATEGORY,
    ENTRY_CONTENT,
    ENTRY_CONTROL,
    ENTRY_DRAFT,
    ENTRY_ID,
    ENTRY_LINK,
    ENTRY_ORIG_LINK,
    ENTRY_PUBLISHED,
    ENTRY_TITLE,
    ENTRY_TOTAL,
    ENTRY_UPDATED,
    LABEL_SCHEME,
    OPENSEARCH,
)
from crawler.urls import joined_url

_POST_ID = re.compile(r"blog-(?P<blog>\d+)\.post-(?P<post>\d+)")
_BLOG_ID = re.compile(r"blog-(?P<blog>\d+)")
# A label feed's next link sometimes repeats its category path: /-/A/-/A (a known Blogger bug).
_REPEATED_CATEGORY = re.compile(r"(/-/[^/?#]+)(?:\1)+")
_PAGING_PARAMS = ("start-index", "max-results")


class FeedFormatError(ValueError):
    """The bytes are not a Blogger feed we can read; the message names the URL and why."""


@dataclass(frozen=True, kw_only=True)
class FeedEntry:
    """One post as a feed lists it. ``None`` means the feed does not say."""

    post_id: str | None
    blog_id: str | None
    url: str | None
    """The post's permalink as the feed gives it (FeedBurner's ``origLink`` preferred)."""
    title: str | None
    published: datetime | None
    updated: datetime | None
    comment_count: int | None
    """``thr:total``; ``None`` when the entry has none (comments off)."""
    labels: tuple[str, ...] = ()
    has_full_content: bool = False
    """True when the entry carries ``content``; False for summary-only entries."""


@dataclass(frozen=True, kw_only=True)
class FeedPage:
    """One page of a post feed."""

    url: str
    entries: tuple[FeedEntry, ...]
    blog_id: str | None
    home_url: str | None
    """The feed's ``rel=alternate`` HTML link: the blog's home as Blogger names it."""
    total_results: int | None
    start_index: int | None
    items_per_page: int | None
    next_link: str | None
    """The server's ``rel=next`` href with repeated label segments collapsed, or ``None``."""


def parse_feed(url: str, body: bytes) -> FeedPage:
    """Read a feed page (Atom XML or Blogger ``alt=json``) fetched from ``url``.

    Raises :class:`FeedFormatError` when ``body`` is neither.
    """
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        return _parse_json_feed(url, stripped)
    if stripped.startswith(b"<"):
        return _parse_atom_feed(url, body)
    raise FeedFormatError(f"{url}: not an Atom or JSON feed")


def parse_feed_keeping_root(url: str, body: bytes) -> tuple[FeedPage, Any | None]:
    """Return what :func:`parse_feed` gives, and the Atom root it was read from.

    The root (``None`` for an ``alt=json`` page) is for a reader that wants more of the page
    than the index, so that the page's XML is parsed once. Raises as :func:`parse_feed`.
    """
    stripped = body.lstrip()
    if stripped.startswith(b"<"):
        root = parse_feed_xml(url, body)
        return atom_feed_page(url, root), root
    return parse_feed(url, body), None


def next_page_url(page: FeedPage) -> str | None:
    """Return the URL of the page after ``page`` on the feed's own host and path, or ``None``.

    The server decides: its ``next`` link's ``start-index``/``max-results`` are carried over to
    the URL we fetched (``next`` links often point at ``www.blogger.com/feeds/BLOGID/...``,
    off the blog), whatever ``totalResults`` says (it can be wrong). Without a ``next`` link
    the ``openSearch`` counts decide: another page exists when ``startIndex + entries`` is
    still within ``totalResults``; without a total, when the page was full (as many entries
    as ``itemsPerPage``, else as the ``max-results`` asked). The start index is the page's
    own, else its URL's (1 by default). An empty page ends paging whatever the counts say (a
    server that lies must not make us loop; :func:`paging_stop` bounds the rest).
    """
    if not page.entries:
        return None
    if page.next_link is not None:
        params = dict(parse_qsl(urlsplit(page.next_link).query))
        paging = {key: params[key] for key in _PAGING_PARAMS if key in params}
        if "start-index" not in paging:
            return None
        return _with_params(page.url, paging)
    start = page.start_index or _url_int(page.url, "start-index") or 1
    following = start + len(page.entries)
    if page.total_results is not None:
        if following > page.total_results:
            return None
    elif len(page.entries) < (page.items_per_page or _url_int(page.url, "max-results") or 1):
        return None  # a short page is the last one
    paging = {"start-index": str(following)}
    if page.items_per_page is not None:
        paging["max-results"] = str(page.items_per_page)
    return _with_params(page.url, paging)


FEED_OVERRUN_SLACK = 100
"""Entries a feed may list beyond its ``openSearch:totalResults`` (posts published while it
is paged) before paging stops as a bound."""


@dataclass(frozen=True)
class PagingStop:
    """Why paging a feed stops before the page its server offers next."""

    reason: str
    """One line naming the bound, for the run's errors."""
    complete: bool = False
    """True when every entry the feed promised was listed (a normal end, not a bound hit)."""


def entry_key(entry: FeedEntry) -> str:
    """Return what identifies a feed entry across pages: its Blogger id, else URL and time."""
    if entry.post_id:
        return f"id:{entry.blog_id}:{entry.post_id}"
    return f"url:{entry.url}|{entry.updated.isoformat() if entry.updated else ''}"


def paging_stop(page: FeedPage, following: str, seen: set[str]) -> PagingStop | None:
    """Decide whether to fetch ``following`` after ``page``; ``None``: go on.

    ``seen`` holds the keys (:func:`entry_key`) of the entries of the feed's earlier pages;
    this page's are added. Paging stops when the page brought no new entry (a server that
    pages over the same entries forever), when more entries were listed than
    ``openSearch:totalResults`` promised (plus :data:`FEED_OVERRUN_SLACK`), and when the next
    page starts past that total: a ``next`` link past it is not followed (a feed inventing
    entries must not cost a request per invention). A total lower than the entries listed is
    wrong, and the stop says so: the sitemaps list what the feed did not.
    """
    keys = {entry_key(entry) for entry in page.entries}
    new = keys - seen
    seen |= keys
    if page.entries and not new:
        return PagingStop(f"feed page {page.url} brought no new entries")
    total = page.total_results
    if total is None:
        return None
    if len(seen) > total + FEED_OVERRUN_SLACK:
        reason = f"feed listed {len(seen)} entries, more than its totalResults {total}"
        return PagingStop(reason)
    start = _url_int(following, "start-index")
    if start is not None and start > total:
        reason = f"feed's next page starts at {start}, past its totalResults {total}"
        if len(seen) > total:
            reason = f"feed listed {len(seen)} entries, more than its totalResults {total}"
            reason += f"; its next page (start {start}) not read"
        return PagingStop(reason, complete=len(seen) >= total)
    return None


def _url_int(url: str, name: str) -> int | None:
    """Return the whole-number query parameter ``name`` of ``url`` (``None``: absent)."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == name and value.isdigit():
            return int(value)
    return None


def _with_params(url: str, updates: dict[str, str]) -> str:
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in updates]
    query = urlencode([*kept, *updates.items()])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _collapse_label_path(href: str) -> str:
    parts = urlsplit(href)
    path = _REPEATED_CATEGORY.sub(r"\1", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _parse_int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _ids(raw_id: str | None) -> tuple[str | None, str | None]:
    match = _POST_ID.search(raw_id or "")
    return (match.group("blog"), match.group("post")) if match else (None, None)


# --- Atom ---------------------------------------------------------------------------------


def parse_feed_xml(url: str, body: bytes) -> Any:
    """Parse feed XML without resolving entities, loading DTDs or touching the network.

    The one safe XML reader for feeds: no XXE, no entity expansion ("billion laughs"), no
    huge-tree mode. Returns the root element; raises :class:`FeedFormatError` for bytes that
    are not well-formed XML.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        raise FeedFormatError(f"{url}: unreadable XML ({error})") from None


def _parse_atom_feed(url: str, body: bytes) -> FeedPage:
    return atom_feed_page(url, parse_feed_xml(url, body))


def atom_feed_page(url: str, root: Any) -> FeedPage:
    """Return the page :func:`parse_feed` gives, from the root :func:`parse_feed_xml` gave.

    For a reader that parsed the XML itself for more than the index (each page parsed once).
    Raises :class:`FeedFormatError` when the root is not an Atom feed.
    """
    if root.tag != f"{ATOM}feed":
        raise FeedFormatError(f"{url}: root element is {root.tag!r}, not an Atom feed")
    blog_match = _BLOG_ID.search(root.findtext(f"{ATOM}id") or "")
    next_href = _atom_link(root, "next")
    return FeedPage(
        url=url,
        entries=tuple(
            entry
            for entry in (_atom_entry(url, element) for element in root.iterfind(f"{ATOM}entry"))
            if entry is not None
        ),
        blog_id=blog_match.group("blog") if blog_match else None,
        home_url=_atom_link(root, "alternate"),
        total_results=_parse_int(root.findtext(f"{OPENSEARCH}totalResults")),
        start_index=_parse_int(root.findtext(f"{OPENSEARCH}startIndex")),
        items_per_page=_parse_int(root.findtext(f"{OPENSEARCH}itemsPerPage")),
        next_link=_collapse_label_path(next_href) if next_href else None,
    )


def _atom_link(element: Any, rel: str, link_type: str | None = None) -> str | None:
    for link in element.iterfind(f"{ATOM}link"):
        if link.get("rel") == rel and (link_type is None or link.get("type") == link_type):
            href = link.get("href")
            return str(href) if href else None
    return None


def _permalink(feed_url: str, link: str | None) -> str | None:
    """Return the entry's permalink, absolute: a relative one is resolved against the page."""
    link = link.strip() if link else None
    return joined_url(feed_url, link) if link else None


def _json_draft(entry: dict[str, Any]) -> bool:
    """Whether a JSON entry is a draft (``app$control.app$draft.$t``), as for Atom."""
    control = entry.get("app$control")
    marker = _text(control.get("app$draft")) if isinstance(control, dict) else None
    return (marker or "").strip().lower() == "yes"


_ENTRY_TEXTS = frozenset(
    {ENTRY_ID, ENTRY_TITLE, ENTRY_PUBLISHED, ENTRY_UPDATED, ENTRY_TOTAL, ENTRY_ORIG_LINK}
)


def _atom_entry(feed_url: str, entry: Any) -> FeedEntry | None:
    """Return the index entry of an Atom ``entry``; ``None`` for a draft or scheduled post.

    A draft (``app:control/app:draft`` ``yes``) is no public post: never listed (its
    permalink answers 404). FeedBurner's ``origLink`` is preferred to the ``alternate`` link.
    The entry's children are read in one pass, each value the first such child's, as
    ``find``/``findtext`` give it: an index reads every entry of every feed page, and a
    dozen ``findtext`` searches of the children cost three times this pass.
    """
    texts: dict[Any, str] = {}  # tag -> the first such child's text ("" when it has none)
    alternate: str | None = None  # the first alternate text/html link's href ("": none)
    draft: str | None = None
    labels: list[str] = []
    content = False
    for child in entry:
        tag = child.tag
        if tag in _ENTRY_TEXTS:
            texts.setdefault(tag, child.text or "")
        elif tag == ENTRY_LINK:
            if alternate is None and _is_html_alternate(child):
                alternate = str(child.get("href") or "")
        elif tag == ENTRY_CATEGORY:
            if child.get("scheme") == LABEL_SCHEME and child.get("term"):
                labels.append(str(child.get("term")))
        elif tag == ENTRY_CONTENT:
            content = True
        elif tag == ENTRY_CONTROL and draft is None:
            draft = next((mark.text or "" for mark in child if mark.tag == ENTRY_DRAFT), None)
    if (draft or "").strip().lower() == "yes":
        return None
    blog_id, post_id = _ids(texts.get(ENTRY_ID))
    return FeedEntry(
        post_id=post_id,
        blog_id=blog_id,
        url=_permalink(feed_url, texts.get(ENTRY_ORIG_LINK) or alternate or None),
        title=texts.get(ENTRY_TITLE),
        published=_parse_time(texts.get(ENTRY_PUBLISHED)),
        updated=_parse_time(texts.get(ENTRY_UPDATED)),
        comment_count=_parse_int(texts.get(ENTRY_TOTAL)),
        labels=tuple(dict.fromkeys(labels)),
        has_full_content=content,
    )


def _is_html_alternate(link: Any) -> bool:
    return bool(link.get("rel") == "alternate" and link.get("type") == "text/html")


# --- JSON (alt=json) ----------------------------------------------------------------------


def _text(node: Any) -> str | None:
    """Blogger JSON wraps every scalar as ``{"$t": "..."}``."""
    if isinstance(node, dict):
        value = node.get("$t")
        return str(value) if value is not None else None
    return None


def _json_links(node: dict[str, Any]) -> list[dict[str, Any]]:
    links = node.get("link", [])
    return [link for link in links if isinstance(link, dict)] if isinstance(links, list) else []


def _json_link(node: dict[str, Any], rel: str, link_type: str | None = None) -> str | None:
    for link in _json_links(node):
        if link.get("rel") == rel and (link_type is None or link.get("type") == link_type):
            href = link.get("href")
            return str(href) if href else None
    return None


def _parse_json_feed(url: str, body: bytes) -> FeedPage:
    return json_feed_page(url, read_feed_json(url, body))


def read_feed_json(url: str, body: bytes) -> Any:
    """Return the decoded JSON of a feed page; raise :class:`FeedFormatError` when unreadable."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedFormatError(f"{url}: unreadable JSON ({error})") from None


def json_feed_page(url: str, document: Any) -> FeedPage:
    """Return the page :func:`parse_feed` gives, from the document :func:`read_feed_json` gave.

    Raises :class:`FeedFormatError` when it holds no ``feed`` object.
    """
    feed = document.get("feed") if isinstance(document, dict) else None
    if not isinstance(feed, dict):
        raise FeedFormatError(f"{url}: JSON without a 'feed' object")
    blog_match = _BLOG_ID.search(_text(feed.get("id")) or "")
    raw_entries = feed.get("entry", [])
    next_href = _json_link(feed, "next")
    return FeedPage(
        url=url,
        entries=tuple(
            _json_entry(url, entry)
            for entry in raw_entries
            if isinstance(entry, dict) and not _json_draft(entry)
        )
        if isinstance(raw_entries, list)
        else (),
        blog_id=blog_match.group("blog") if blog_match else None,
        home_url=_json_link(feed, "alternate"),
        total_results=_parse_int(_text(feed.get("openSearch$totalResults"))),
        start_index=_parse_int(_text(feed.get("openSearch$startIndex"))),
        items_per_page=_parse_int(_text(feed.get("openSearch$itemsPerPage"))),
        next_link=_collapse_label_path(next_href) if next_href else None,
    )


def _json_entry(feed_url: str, entry: dict[str, Any]) -> FeedEntry:
    blog_id, post_id = _ids(_text(entry.get("id")))
    categories = entry.get("category", [])
    labels = [
        str(category["term"])
        for category in (categories if isinstance(categories, list) else [])
        if isinstance(category, dict)
        and category.get("scheme", LABEL_SCHEME) == LABEL_SCHEME
        and category.get("term")
    ]
    permalink = _text(entry.get("feedburner$origLink")) or _json_link(
        entry, "alternate", "text/html"
    )
    return FeedEntry(
        post_id=post_id,
        blog_id=blog_id,
        url=_permalink(feed_url, permalink),
        title=_text(entry.get("title")),
        published=_parse_time(_text(entry.get("published"))),
        updated=_parse_time(_text(entry.get("updated"))),
        comment_count=_parse_int(_text(entry.get("thr$total"))),
        labels=tuple(dict.fromkeys(labels)),
        has_full_content="content" in entry,
    )
