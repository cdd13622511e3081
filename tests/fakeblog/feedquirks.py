"""Post-feed quirks: the shapes a real Blogger post feed (or a blog's proxy) may take.

``BlogSpec.feed_quirks`` names any of :data:`FEED_QUIRKS`; each changes what
``/feeds/posts/default`` (and its ``full``/``summary`` projections) answers, and nothing else:
the post pages and sitemaps stay true, so a crawl must store exactly the blog's posts, from
the feed where it can and from pages where the feed cannot give them.

Entry quirks (every entry): ``no-thr-total`` (no comment count), ``relative-links`` and
``https-links`` (the ``alternate`` link relative, or https on a blog served over http),
``text-content`` (``type='text'``: the body as plain text) and ``xhtml-content``
(``type='xhtml'``: the body as inline XHTML in a ``div``).
Page quirks: ``overlap`` (each later page starts one entry early: a duplicate across pages),
``skip`` (each later page starts one entry late: a post the feed never lists), ``shuffled``
(each page's entries in reverse order), ``static-page`` and ``draft`` (the first page also
lists the static page ``/p/about.html``, and a draft whose permalink answers 404).
Document quirks: ``no-next-link`` (no ``rel=next``: paging by ``start-index`` only),
``no-total`` / ``total-low`` / ``total-high`` (``openSearch:totalResults`` absent, or a
third of the truth, or 50 more), ``latin-1`` (Atom in ISO-8859-1), ``json`` (``alt=json``
whatever was asked), ``malformed-later`` (every page after the first cut mid-element), and
``status-403`` / ``status-500`` (the feed answers that status).
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable

from tests.fakeblog.feedquery import FeedQuery, Page
from tests.fakeblog.feeds import Entry
from tests.fakeblog.model import FakeBlog

ENTRY_QUIRKS = frozenset(
    {"no-thr-total", "relative-links", "https-links", "text-content", "xhtml-content"}
)
PAGE_QUIRKS = frozenset({"overlap", "skip", "shuffled", "static-page", "draft"})
DOCUMENT_QUIRKS = frozenset(
    {
        "no-next-link",
        "no-total",
        "total-low",
        "total-high",
        "latin-1",
        "json",
        "malformed-later",
        "status-403",
        "status-500",
    }
)
FEED_QUIRKS = ENTRY_QUIRKS | PAGE_QUIRKS | DOCUMENT_QUIRKS
_XML_UNSAFE_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)\w+;")
"""An HTML named entity XML does not define (``&rsquo;``): inline XHTML has the character."""
DRAFT_PATH = "/2026/12/a-draft-not-yet-published.html"
"""The permalink the ``draft`` entry names: no page answers it (404)."""


def check_quirks(quirks: Iterable[str]) -> None:
    """Raise ``ValueError`` naming a quirk this module does not know."""
    unknown = sorted(set(quirks) - FEED_QUIRKS)
    if unknown:
        raise ValueError(f"unknown feed quirks {unknown}; expected some of {sorted(FEED_QUIRKS)}")


def status(quirks: frozenset[str]) -> int | None:
    """The status the feed answers instead of a feed page, if a quirk says one."""
    for code in (403, 500):
        if f"status-{code}" in quirks:
            return code
    return None


def shifted_query(quirks: frozenset[str], fq: FeedQuery) -> FeedQuery:
    """The query the page is cut by: ``overlap``/``skip`` move later pages by one entry."""
    if fq.start_index == 1:
        return fq
    if "overlap" in quirks:
        return dataclasses.replace(fq, start_index=fq.start_index - 1)
    if "skip" in quirks:
        return dataclasses.replace(fq, start_index=fq.start_index + 1)
    return fq


def shape_entries(
    blog: FakeBlog, quirks: frozenset[str], fq: FeedQuery, page: Page[Entry]
) -> Page[Entry]:
    """Apply the entry and page quirks to one feed page's entries."""
    entries = [_entry(blog, quirks, entry) for entry in page.entries]
    if fq.start_index == 1:
        if "static-page" in quirks:
            entries.append(_static_entry(blog, entries[0] if entries else None))
        if "draft" in quirks:
            entries.insert(0, _draft_entry(blog, entries[0] if entries else None))
    if "shuffled" in quirks:
        entries.reverse()
    total = page.total
    if "total-low" in quirks:
        total = max(1, total // 3)
    elif "total-high" in quirks:
        total += 50
    return Page(entries, total, page.has_next)


def shape_body(quirks: frozenset[str], fq: FeedQuery, body: bytes, ctype: str) -> bytes:
    """Apply the document quirks to one rendered feed page (Atom or JSON)."""
    text = body.decode()
    if "no-next-link" in quirks:
        text = re.sub(r"<link rel='next'[^>]*/>", "", text)
        text = re.sub(r', \{"rel": "next", [^}]*\}', "", text)
    if "no-total" in quirks:
        text = re.sub(r"<openSearch:totalResults>\d+</openSearch:totalResults>", "", text)
        text = re.sub(r'"openSearch\$totalResults": \{"\$t": "\d+"\}, ', "", text)
    if "malformed-later" in quirks and fq.start_index > 1:
        return text[: len(text) * 2 // 3].encode()
    if "latin-1" in quirks and ctype.startswith("application/atom+xml"):
        text = text.replace("encoding='UTF-8'", "encoding='ISO-8859-1'", 1)
        return text.encode("iso-8859-1", errors="xmlcharrefreplace")
    return text.encode()


def content_type(quirks: frozenset[str], ctype: str) -> str:
    """The ``Content-Type`` a quirky feed page is served with."""
    if "latin-1" in quirks and ctype.startswith("application/atom+xml"):
        return "application/atom+xml; charset=ISO-8859-1"
    return ctype


def _entry(blog: FakeBlog, quirks: frozenset[str], entry: Entry) -> Entry:
    changes: dict[str, object] = {}
    if "no-thr-total" in quirks:
        changes["thr_total"] = None
        changes["links"] = [ln for ln in entry.links if ln["rel"] != "replies"]
    links = changes.get("links", entry.links)
    if "relative-links" in quirks or "https-links" in quirks:
        changes["links"] = [_alternate(blog, quirks, link) for link in links]  # type: ignore[attr-defined]
    if entry.body_kind == "content" and "text-content" in quirks:
        changes["body_type"] = "text"
        changes["body"] = _plain_text(entry.body)
    elif entry.body_kind == "content" and "xhtml-content" in quirks:
        changes["body_type"] = "xhtml"
        changes["body"] = _XML_UNSAFE_ENTITY.sub(lambda m: html.unescape(m.group(0)), entry.body)
    return dataclasses.replace(entry, **changes)  # type: ignore[arg-type]


def _alternate(blog: FakeBlog, quirks: frozenset[str], link: dict[str, str]) -> dict[str, str]:
    if link["rel"] != "alternate":
        return link
    href = link["href"]
    if "relative-links" in quirks:
        href = href.removeprefix(blog.base_url)
    else:
        href = href.replace("http://", "https://", 1)
    return {**link, "href": href}


def _plain_text(body: str) -> str:
    """The body as Blogger's plain-text content: blocks on their own lines, no markup."""
    text = re.sub(r"<br\s*/?>|</(?:p|div|h\d|li)>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _static_entry(blog: FakeBlog, model: Entry | None) -> Entry:
    """An entry for the static page ``/p/about.html`` (Blogger lists pages in their own feed;
    a proxy or an old export may mix them in)."""
    url = f"{blog.base_url}/p/about.html"
    return _made_entry(blog, model, "about", "About", url)


def _draft_entry(blog: FakeBlog, model: Entry | None) -> Entry:
    """A draft's entry (``app:draft`` ``yes``), with a permalink that answers 404."""
    entry = _made_entry(blog, model, "draft", "A draft", f"{blog.base_url}{DRAFT_PATH}")
    return dataclasses.replace(entry, draft=True)


def _made_entry(blog: FakeBlog, model: Entry | None, key: str, title: str, url: str) -> Entry:
    number = 7000000000000000000 + sum(map(ord, key))
    stamp = model.updated if model is not None else "2026-06-01T00:00:00.000Z"
    return Entry(
        id=f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{number}",
        published=stamp,
        updated=stamp,
        title=title,
        body_kind="content",
        body=f"<p>{html.escape(title)} text, only in the feed.</p>",
        links=[{"rel": "alternate", "type": "text/html", "href": url, "title": title}],
        author=model.author if model is not None else "Nobody",
        categories=[],
    )
