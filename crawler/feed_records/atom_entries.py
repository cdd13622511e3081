"""Atom post-feed pages (and one-entry documents) read into :class:`PostEntry` values.

XML goes through the one safe feed parser (:func:`crawler.discovery.feed.parse_feed_xml`).
Each entry keeps its own bytes as a one-entry Atom feed (:attr:`PostEntry.raw`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lxml import etree

from crawler.discovery.atom_names import (
    ATOM,
    ATOM_NS,
    FEEDBURNER_NS,
    KIND_SCHEME,
    LABEL_SCHEME,
    THREAD,
    XML_LANG,
)
from crawler.discovery.feed import FeedFormatError, parse_feed_xml
from crawler.feed_records.entry import (
    FeedEntries,
    PostEntry,
    absolute_link,
    entry_kind,
    feedburner_host,
)


def read_atom(url: str, body: bytes, max_entries: int, language: str | None) -> FeedEntries:
    return atom_entries(url, parse_feed_xml(url, body), max_entries, language)


def atom_entries(url: str, root: Any, max_entries: int, language: str | None) -> FeedEntries:
    """Return the entries of an Atom document already parsed by ``parse_feed_xml``."""
    if root.tag == f"{ATOM}entry":
        feed, elements = None, [root]
    elif root.tag == f"{ATOM}feed":
        feed, elements = root, []
        for element in root.iterfind(f"{ATOM}entry"):
            elements.append(element)
            if len(elements) > max_entries:
                break
    else:
        raise FeedFormatError(f"{url}: root element is {root.tag!r}, not an Atom feed")
    dropped = 0
    if len(elements) > max_entries:
        dropped = sum(1 for _ in root.iterfind(f"{ATOM}entry")) - max_entries
        elements = elements[:max_entries]
    feed_url = url or (_atom_link(feed, "self") if feed is not None else None) or ""
    facts = _AtomFeedFacts.of(feed, feed_url, language)
    entries = tuple(_atom_entry(element, facts) for element in elements)
    return FeedEntries(url=url, entries=entries, dropped=dropped)


_ENTRY_SLOT = "entry"


@dataclass(frozen=True)
class _AtomFeedFacts:
    feed_url: str
    blog_title: str | None
    home_url: str | None
    language: str | None
    via_feedburner: bool

    def frame_element(self) -> Any:
        """Return a new ``feed`` element holding the facts a one-entry document keeps."""
        feed = etree.Element(f"{ATOM}feed", nsmap={None: ATOM_NS})  # type: ignore[dict-item]
        if self.language:
            feed.set(XML_LANG, self.language)
        if self.blog_title is not None:
            etree.SubElement(feed, f"{ATOM}title").text = self.blog_title
        if self.feed_url:
            etree.SubElement(feed, f"{ATOM}link", rel="self", href=self.feed_url)
        if self.home_url:
            etree.SubElement(feed, f"{ATOM}link", rel="alternate", href=self.home_url)
        return feed

    @cached_property
    def raw_frame(self) -> tuple[bytes, bytes]:
        """The bytes before and after the entry in a one-entry document (made once a page)."""
        feed = self.frame_element()
        feed.append(etree.Comment(_ENTRY_SLOT))
        framed: bytes = etree.tostring(feed, encoding="UTF-8", xml_declaration=True)
        head, _, tail = framed.partition(b"<!--" + _ENTRY_SLOT.encode() + b"-->")
        return head, tail

    @classmethod
    def of(cls, feed: Any, feed_url: str, language: str | None) -> _AtomFeedFacts:
        if feed is None:
            return cls(feed_url, None, None, language, feedburner_host(feed_url))
        burner = FEEDBURNER_NS in feed.nsmap.values() or feedburner_host(feed_url)
        return cls(
            feed_url=feed_url,
            blog_title=feed.findtext(f"{ATOM}title"),
            home_url=_atom_link(feed, "alternate"),
            language=feed.get(XML_LANG) or language,
            via_feedburner=burner,
        )


def _atom_link(element: Any, rel: str, link_type: str | None = None) -> str | None:
    for link in element.iterfind(f"{ATOM}link"):
        if link.get("rel") == rel and (link_type in (None, link.get("type"))):
            href = link.get("href")
            return str(href).strip() if href else None
    return None


def _atom_entry(element: Any, facts: _AtomFeedFacts) -> PostEntry:
    title = element.find(f"{ATOM}title")
    content = element.find(f"{ATOM}content")
    summary = element.find(f"{ATOM}summary")
    author = element.find(f"{ATOM}author")
    labels = (
        str(category.get("term"))
        for category in element.iterfind(f"{ATOM}category")
        if category.get("scheme", LABEL_SCHEME) == LABEL_SCHEME and category.get("term")
    )
    burner = facts.via_feedburner or FEEDBURNER_NS in element.nsmap.values()
    return PostEntry(
        feed_url=facts.feed_url,
        feed_format="atom",
        entry_id=element.findtext(f"{ATOM}id"),
        title=title.text if title is not None else None,
        title_is_html=title is not None and title.get("type") in ("html", "xhtml"),
        content=_atom_html(content),
        summary=(summary.text or "") if summary is not None else None,
        alternate_url=absolute_link(
            facts.feed_url,
            _atom_link(element, "alternate", "text/html") or _atom_link(element, "alternate"),
        ),
        author_name=author.findtext(f"{ATOM}name") if author is not None else None,
        published=element.findtext(f"{ATOM}published"),
        updated=element.findtext(f"{ATOM}updated"),
        labels=tuple(labels),
        thr_total=element.findtext(f"{THREAD}total"),
        blog_title=facts.blog_title,
        language=element.get(XML_LANG) or facts.language,
        via_feedburner=burner,
        kind=entry_kind(
            element.find(f"{THREAD}in-reply-to") is not None,
            [
                str(category.get("term") or "")
                for category in element.iterfind(f"{ATOM}category")
                if category.get("scheme") == KIND_SCHEME
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
    if facts.via_feedburner and FEEDBURNER_NS not in element.nsmap.values():
        return _atom_raw_marked(element, facts)
    head, tail = facts.raw_frame
    # The entry's own bytes (lxml writes the namespace declarations it inherits on it) put in
    # the page's one-entry frame: no copy of the entry's tree per post.
    entry: bytes = etree.tostring(element, encoding="UTF-8", with_tail=False)
    return head + entry + tail


def _atom_raw_marked(element: Any, facts: _AtomFeedFacts) -> bytes:
    """Return :func:`_atom_raw`'s feed for an entry that gets the FeedBurner mark added."""
    feed = facts.frame_element()
    entry = copy.deepcopy(element)
    etree.SubElement(entry, f"{{{FEEDBURNER_NS}}}origin")
    feed.append(entry)
    result: bytes = etree.tostring(feed, encoding="UTF-8", xml_declaration=True)
    return result
