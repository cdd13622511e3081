"""Post-feed pages (Atom and ``alt=json``) read into :class:`PostEntry` values, one per post.

Pure code over ``(url, bytes)``: no Scrapy, no storage, no network. Where
:mod:`crawler.discovery.feed` reads a feed as an *index* (which posts exist, and paging), this
module keeps what a post record needs: the entry's HTML ``content`` (or its ``summary``), its
author's name, the feed's title and declared language, and the entry's own bytes as a small
self-contained feed (:attr:`PostEntry.raw`) so that the record can be rebuilt later
(``reparse``) from those bytes alone.

Trust nothing fetched: XML goes through the one safe feed parser
(:func:`crawler.discovery.feed.parse_feed_xml`: no entities, no DTD, no network), and a page
never yields more than ``max_entries`` entries; entries past that bound are counted in
:attr:`FeedEntries.dropped`, never silently lost.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from crawler.discovery.feed import FeedFormatError, parse_feed_xml

ATOM_NS = "http://www.w3.org/2005/Atom"
_ATOM = f"{{{ATOM_NS}}}"
_THREAD = "{http://purl.org/syndication/thread/1.0}"
_FEEDBURNER_NS = "http://rssnamespace.org/feedburner/ext/1.0"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
_KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
_FEEDBURNER_HOSTS = ("feedburner.com", "feedproxy.google.com")

MAX_ENTRIES = 500
"""The most entries read from one feed page (Blogger serves at most 150 today; 500 before)."""

ATOM_RAW_TYPE = "application/atom+xml"
JSON_RAW_TYPE = "application/json"


@dataclass(frozen=True, kw_only=True)
class PostEntry:
    """One post-feed entry as read: the facts a post record is built from.

    ``None`` means "the entry does not say"; strings are as the feed gives them (uncleaned).
    """

    feed_url: str
    """The URL of the feed page the entry was read from (after redirects)."""
    feed_format: str
    """``atom`` or ``json``."""
    entry_id: str | None
    """The Atom id, ``tag:blogger.com,1999:blog-BLOGID.post-POSTID``."""
    title: str | None
    title_is_html: bool
    """True when the title is ``type='html'`` (escaped markup, not plain text)."""
    content: str | None
    """The entry's ``content`` (HTML); ``None`` when the entry has none."""
    summary: str | None
    """The entry's ``summary`` (plain text of a "Short" feed); ``None`` when absent."""
    alternate_url: str | None
    """The ``rel=alternate type=text/html`` link: the post's permalink."""
    author_name: str | None
    """``author/name`` only; the e-mail (always ``noreply@blogger.com``) is never read."""
    published: str | None
    updated: str | None
    labels: tuple[str, ...]
    """``category`` terms of the Blogger label scheme, in feed order."""
    thr_total: str | None
    """``thr:total`` as written (comment count); ``None`` when comments are off."""
    blog_title: str | None
    """The feed's own ``title``: the blog's name."""
    language: str | None
    """``xml:lang`` of the entry or the feed (Blogger rarely writes one), else ``None``."""
    via_feedburner: bool
    """The feed was re-served by FeedBurner (its namespace, or a FeedBurner host)."""
    kind: str
    """``post``, or ``comment`` (``thr:in-reply-to``, or the GData kind ``#comment``: an entry
    of a comments feed) or ``page`` (kind ``#page``: a static page)."""
    raw: bytes
    """A one-entry feed in the same format holding this entry and the feed-level facts above:
    :func:`read_raw_entry` of it gives this entry back (``feed_url`` included)."""

    @property
    def raw_content_type(self) -> str:
        """The media type of :attr:`raw`."""
        return JSON_RAW_TYPE if self.feed_format == "json" else ATOM_RAW_TYPE


@dataclass(frozen=True, kw_only=True)
class FeedEntries:
    """The post entries of one feed page."""

    url: str
    entries: tuple[PostEntry, ...]
    dropped: int = 0
    """Entries past ``max_entries`` that were not read (a limit hit, to be reported)."""


def read_post_entries(
    url: str, body: bytes, *, max_entries: int = MAX_ENTRIES, language: str | None = None
) -> FeedEntries:
    """Read the post entries of a feed page (Atom, ``alt=json``, or a one-entry document).

    ``language`` is the blog's declared language when the caller knows it (its pages'
    ``lang``/locale); the feed's own ``xml:lang`` wins over it. Raises
    :class:`~crawler.discovery.feed.FeedFormatError` for bytes that are neither format.
    """
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        return _read_json(url, stripped, max_entries, language)
    if stripped.startswith(b"<"):
        return _read_atom(url, body, max_entries, language)
    raise FeedFormatError(f"{url}: not an Atom or JSON feed")


def read_raw_entry(raw: bytes) -> PostEntry:
    """Return the entry that :attr:`PostEntry.raw` holds.

    Raises :class:`~crawler.discovery.feed.FeedFormatError` unless ``raw`` holds exactly one
    entry.
    """
    read = read_post_entries("", raw, max_entries=1)
    if len(read.entries) != 1 or read.dropped:
        raise FeedFormatError("raw entry: expected exactly one feed entry")
    return read.entries[0]


def _entry_kind(replies_to: bool, kind_terms: list[str]) -> str:
    """``comment`` for a reply or a comment kind, ``page`` for a page kind, else ``post``."""
    kinds = {term.rsplit("#", 1)[-1] for term in kind_terms}
    if replies_to or "comment" in kinds:
        return "comment"
    return "page" if "page" in kinds else "post"


def _feedburner_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in _FEEDBURNER_HOSTS)


# --- Atom ---------------------------------------------------------------------------------


def _read_atom(url: str, body: bytes, max_entries: int, language: str | None) -> FeedEntries:
    root = parse_feed_xml(url, body)
    if root.tag == f"{_ATOM}entry":
        feed, elements = None, [root]
    elif root.tag == f"{_ATOM}feed":
        feed, elements = root, []
        for element in root.iterfind(f"{_ATOM}entry"):
            elements.append(element)
            if len(elements) > max_entries:
                break
    else:
        raise FeedFormatError(f"{url}: root element is {root.tag!r}, not an Atom feed")
    dropped = 0
    if len(elements) > max_entries:
        dropped = sum(1 for _ in root.iterfind(f"{_ATOM}entry")) - max_entries
        elements = elements[:max_entries]
    feed_url = url or (_atom_link(feed, "self") if feed is not None else None) or ""
    facts = _AtomFeedFacts.of(feed, feed_url, language)
    entries = tuple(_atom_entry(element, facts) for element in elements)
    return FeedEntries(url=url, entries=entries, dropped=dropped)


@dataclass(frozen=True)
class _AtomFeedFacts:
    feed_url: str
    blog_title: str | None
    home_url: str | None
    language: str | None
    via_feedburner: bool

    @classmethod
    def of(cls, feed: Any, feed_url: str, language: str | None) -> _AtomFeedFacts:
        if feed is None:
            return cls(feed_url, None, None, language, _feedburner_host(feed_url))
        burner = _FEEDBURNER_NS in feed.nsmap.values() or _feedburner_host(feed_url)
        return cls(
            feed_url=feed_url,
            blog_title=feed.findtext(f"{_ATOM}title"),
            home_url=_atom_link(feed, "alternate"),
            language=feed.get(_XML_LANG) or language,
            via_feedburner=burner,
        )


def _atom_link(element: Any, rel: str, link_type: str | None = None) -> str | None:
    for link in element.iterfind(f"{_ATOM}link"):
        if link.get("rel") == rel and (link_type in (None, link.get("type"))):
            href = link.get("href")
            return str(href).strip() if href else None
    return None


def _atom_entry(element: Any, facts: _AtomFeedFacts) -> PostEntry:
    title = element.find(f"{_ATOM}title")
    content = element.find(f"{_ATOM}content")
    summary = element.find(f"{_ATOM}summary")
    author = element.find(f"{_ATOM}author")
    labels = (
        str(category.get("term"))
        for category in element.iterfind(f"{_ATOM}category")
        if category.get("scheme", _LABEL_SCHEME) == _LABEL_SCHEME and category.get("term")
    )
    burner = facts.via_feedburner or _FEEDBURNER_NS in element.nsmap.values()
    return PostEntry(
        feed_url=facts.feed_url,
        feed_format="atom",
        entry_id=element.findtext(f"{_ATOM}id"),
        title=title.text if title is not None else None,
        title_is_html=title is not None and title.get("type") in ("html", "xhtml"),
        content=_atom_html(content),
        summary=(summary.text or "") if summary is not None else None,
        alternate_url=_atom_link(element, "alternate", "text/html")
        or _atom_link(element, "alternate"),
        author_name=author.findtext(f"{_ATOM}name") if author is not None else None,
        published=element.findtext(f"{_ATOM}published"),
        updated=element.findtext(f"{_ATOM}updated"),
        labels=tuple(labels),
        thr_total=element.findtext(f"{_THREAD}total"),
        blog_title=facts.blog_title,
        language=element.get(_XML_LANG) or facts.language,
        via_feedburner=burner,
        kind=_entry_kind(
            element.find(f"{_THREAD}in-reply-to") is not None,
            [
                str(category.get("term") or "")
                for category in element.iterfind(f"{_ATOM}category")
                if category.get("scheme") == _KIND_SCHEME
            ],
        ),
        raw=_atom_raw(element, facts),
    )


def _atom_html(element: Any) -> str | None:
    """Return the HTML an Atom text construct holds: escaped (``html``) or inline (``xhtml``)."""
    if element is None:
        return None
    if element.get("type") != "xhtml":
        return str(element.text or "")
    # Inline XHTML: the markup itself, children serialised (namespace declarations are
    # harmless to the HTML parser).
    children = (etree.tostring(child, encoding="unicode", with_tail=True) for child in element)
    return (element.text or "") + "".join(children)


def _atom_raw(element: Any, facts: _AtomFeedFacts) -> bytes:
    """Return a one-entry Atom feed: the entry plus the feed facts a record needs."""
    feed = etree.Element(f"{_ATOM}feed", nsmap={None: ATOM_NS})  # type: ignore[dict-item]
    if facts.language:
        feed.set(_XML_LANG, facts.language)
    if facts.blog_title is not None:
        etree.SubElement(feed, f"{_ATOM}title").text = facts.blog_title
    if facts.feed_url:
        etree.SubElement(feed, f"{_ATOM}link", rel="self", href=facts.feed_url)
    if facts.home_url:
        etree.SubElement(feed, f"{_ATOM}link", rel="alternate", href=facts.home_url)
    entry = copy.deepcopy(element)
    if facts.via_feedburner and _FEEDBURNER_NS not in entry.nsmap.values():
        etree.SubElement(entry, f"{{{_FEEDBURNER_NS}}}origin")
    feed.append(entry)
    result: bytes = etree.tostring(feed, encoding="UTF-8", xml_declaration=True)
    return result


# --- JSON (alt=json) ----------------------------------------------------------------------


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


def _read_json(url: str, body: bytes, max_entries: int, language: str | None) -> FeedEntries:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedFormatError(f"{url}: unreadable JSON ({error})") from None
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
        or _feedburner_host(feed_url),
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
        and category.get("scheme", _LABEL_SCHEME) == _LABEL_SCHEME
        and category.get("term")
    )


def _json_kind_terms(entry: dict[str, Any]) -> list[str]:
    categories = entry.get("category")
    return [
        str(category.get("term") or "")
        for category in (categories if isinstance(categories, list) else [])
        if isinstance(category, dict) and category.get("scheme") == _KIND_SCHEME
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
        alternate_url=_json_link(entry, "alternate", "text/html") or _json_link(entry, "alternate"),
        author_name=_json_author(entry),
        published=_text(entry.get("published")),
        updated=_text(entry.get("updated")),
        labels=_json_labels(entry),
        thr_total=_text(entry.get("thr$total")),
        blog_title=facts.title,
        language=_text(entry.get("xml$lang")) or facts.language,
        via_feedburner=burner,
        kind=_entry_kind("thr$in-reply-to" in entry, _json_kind_terms(entry)),
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
