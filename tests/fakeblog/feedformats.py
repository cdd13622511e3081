"""Feed formats: Atom, ``alt=json`` (the GData ``$t`` shape) and ``alt=rss``, from ``feeds`` facts.

All bodies are UTF-8. Atom ``content`` is escaped HTML (decode once, then parse).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from tests.fakeblog.feedquery import FeedQuery, Page
from tests.fakeblog.feeds import DEFAULT_PROFILE, Entry, FeedMeta, page_links
from tests.fakeblog.model import FakeBlog
from tests.fakeblog.themes.common import iso

ATOM_TYPE = "application/atom+xml; charset=UTF-8"
JSON_TYPE = "application/json; charset=UTF-8"
RSS_TYPE = "application/rss+xml; charset=UTF-8"
_GD = "http://schemas.google.com/g/2005"
_LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
_NS = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}


_XMLNS = " ".join(f"{key.replace('$', ':')}='{value}'" for key, value in _NS.items())


def _x(text: str) -> str:
    return html.escape(text, quote=True)


def render_feed(
    blog: FakeBlog, meta: FeedMeta, fq: FeedQuery, page: Page[Entry], labels: Sequence[str]
) -> tuple[bytes, str]:
    """Render one feed page as ``(body bytes, content type)`` in ``fq.alt``."""
    links = page_links(blog, meta, fq, page)
    render = {"json": _json_feed, "rss": _rss_feed}.get(fq.alt, _atom_feed)
    return render(blog, meta, fq, page, labels, links)


def _json_feed(
    blog: FakeBlog,
    meta: FeedMeta,
    fq: FeedQuery,
    page: Page[Entry],
    labels: Sequence[str],
    links: list[dict[str, str]],
) -> tuple[bytes, str]:
    feed: dict[str, Any] = {
        **_NS,
        "id": {"$t": meta.id},
        "updated": {"$t": iso(blog.modified, ms=True)},
        "category": [{"term": label} for label in labels],
        "title": {"type": "text", "$t": meta.title},
        "subtitle": {"type": "html", "$t": ""},
        "link": links,
        "author": [_json_author(blog.authors[0])],
        "generator": {"version": "7.00", "uri": "http://www.blogger.com", "$t": "Blogger"},
        "openSearch$totalResults": {"$t": str(page.total)},
        "openSearch$startIndex": {"$t": str(fq.start_index)},
        "openSearch$itemsPerPage": {"$t": str(fq.max_results)},
        "entry": [_json_entry(entry) for entry in page.entries],
    }
    document = {"version": "1.0", "encoding": "UTF-8", "feed": feed}
    return json.dumps(document, ensure_ascii=False).encode(), JSON_TYPE


def _atom_feed(
    blog: FakeBlog,
    meta: FeedMeta,
    fq: FeedQuery,
    page: Page[Entry],
    labels: Sequence[str],
    links: list[dict[str, str]],
) -> tuple[bytes, str]:
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?><?xml-stylesheet href=\"http://www.blogger.com/"
        'styles/atom.css" type="text/css"?>',
        f"<feed {_XMLNS}>",
        f"<id>{_x(meta.id)}</id><updated>{iso(blog.modified, ms=True)}</updated>",
        *(f"<category term='{_x(label)}'/>" for label in labels),
        f"<title type='text'>{_x(meta.title)}</title><subtitle type='html'></subtitle>",
        *(_atom_link(link) for link in links),
        _atom_author(blog.authors[0]),
        "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
        _opensearch(fq, page),
        *(atom_entry(entry) for entry in page.entries),
        "</feed>",
    ]
    return "".join(parts).encode(), ATOM_TYPE


def _opensearch(fq: FeedQuery, page: Page[Entry]) -> str:
    return (
        f"<openSearch:totalResults>{page.total}</openSearch:totalResults>"
        f"<openSearch:startIndex>{fq.start_index}</openSearch:startIndex>"
        f"<openSearch:itemsPerPage>{fq.max_results}</openSearch:itemsPerPage>"
    )


def _rfc822(stamp: str) -> str:
    return format_datetime(datetime.fromisoformat(stamp).astimezone(UTC))


def _rss_feed(
    blog: FakeBlog,
    meta: FeedMeta,
    fq: FeedQuery,
    page: Page[Entry],
    labels: Sequence[str],
    links: list[dict[str, str]],
) -> tuple[bytes, str]:
    # RSS keeps second-precision UTC pubDate and the Atom updated time, as Blogger's does.
    paging = "".join(
        f"<atom:link rel='{link['rel']}' type='application/rss+xml' href='{_x(link['href'])}'/>"
        for link in links
        if link["rel"] in ("next", "previous", "self")
    )
    items = []
    for entry in page.entries:
        alternate = next((ln["href"] for ln in entry.links if ln["rel"] == "alternate"), "")
        items.append(
            f"<item><guid isPermaLink='false'>{_x(entry.id)}</guid>"
            f"<pubDate>{_rfc822(entry.published)}</pubDate>"
            f"<atom:updated>{entry.updated}</atom:updated>"
            + "".join(
                f"<category domain='{_LABEL_SCHEME}'>{_x(c)}</category>" for c in entry.categories
            )
            + f"<title>{_x(entry.title)}</title><description>{_x(entry.body)}</description>"
            f"<link>{_x(alternate)}</link>"
            f"<author>noreply@blogger.com ({_x(entry.author)})</author>"
            + ("" if entry.thr_total is None else f"<thr:total>{entry.thr_total}</thr:total>")
            + "</item>"
        )
    text = (
        f"<?xml version='1.0' encoding='UTF-8'?><rss {_XMLNS.replace('xmlns=', 'xmlns:atom=')} "
        f"version='2.0'><channel><atom:id>{_x(meta.id)}</atom:id>"
        f"<lastBuildDate>{_rfc822(iso(blog.modified))}</lastBuildDate>"
        + "".join(f"<category>{_x(label)}</category>" for label in labels)
        + f"<title>{_x(meta.title)}</title><description></description>"
        f"<link>{blog.base_url}/</link>{paging}"
        f"<managingEditor>noreply@blogger.com ({_x(blog.authors[0])})</managingEditor>"
        f"<generator>Blogger</generator>{_opensearch(fq, page)}{''.join(items)}</channel></rss>"
    )
    return text.encode(), RSS_TYPE


def _atom_link(link: dict[str, str]) -> str:
    attrs = " ".join(f"{key}='{_x(value)}'" for key, value in link.items())
    return f"<link {attrs}/>"


def _atom_author(name: str, uri: str | None = DEFAULT_PROFILE) -> str:
    link = "" if uri is None else f"<uri>{_x(uri)}</uri>"
    return (
        f"<author><name>{_x(name)}</name>{link}"
        "<email>noreply@blogger.com</email><gd:image rel='http://schemas.google.com/g/2005"
        "#thumbnail' width='16' height='16' src='https://img1.blogblog.com/img/b16-rounded.gif'/>"
        "</author>"
    )


def _json_author(name: str) -> dict[str, Any]:
    return {
        "name": {"$t": name},
        "uri": {"$t": "https://www.blogger.com/profile/0420000000000000001"},
        "email": {"$t": "noreply@blogger.com"},
        "gd$image": {
            "rel": "http://schemas.google.com/g/2005#thumbnail",
            "width": "16",
            "height": "16",
            "src": "https://img1.blogblog.com/img/b16-rounded.gif",
        },
    }


def atom_entry(entry: Entry) -> str:
    """One ``<entry>`` element (no namespace declarations: it lives inside ``<feed>``)."""
    body_type = entry.body_type or ("html" if entry.body_kind == "content" else "text")
    body = (
        f"<div xmlns='http://www.w3.org/1999/xhtml'>{entry.body}</div>"
        if body_type == "xhtml"
        else _x(entry.body)
    )
    parts = [
        f"<entry><id>{_x(entry.id)}</id><published>{entry.published}</published>"
        f"<updated>{entry.updated}</updated>",
        *(
            f"<category scheme='http://www.blogger.com/atom/ns#' term='{_x(c)}'/>"
            for c in entry.categories
        ),
        f"<title type='text'>{_x(entry.title)}</title>",
        f"<{entry.body_kind} type='{body_type}'>{body}</{entry.body_kind}>",
        *(_atom_link(link) for link in entry.links),
        _atom_author(entry.author, entry.author_uri),
    ]
    if entry.draft:
        parts.append(
            "<app:control xmlns:app='http://www.w3.org/2007/app'><app:draft>yes</app:draft>"
            "</app:control>"
        )
    if entry.in_reply_to is not None:
        attrs = " ".join(f"{k}='{_x(v)}'" for k, v in entry.in_reply_to.items())
        parts.append(f"<thr:in-reply-to {attrs}/>")
    if entry.thr_total is not None:
        parts.append(f"<thr:total>{entry.thr_total}</thr:total>")
    parts.append("</entry>")
    return "".join(parts)


def _json_entry(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": {"$t": entry.id},
        "published": {"$t": entry.published},
        "updated": {"$t": entry.updated},
        "category": [
            {"scheme": "http://www.blogger.com/atom/ns#", "term": c} for c in entry.categories
        ],
        "title": {"type": "text", "$t": entry.title},
        entry.body_kind: {
            "type": entry.body_type or ("html" if entry.body_kind == "content" else "text"),
            "$t": entry.body,
        },
        "link": entry.links,
        "author": [_json_author(entry.author)],
    }
    if entry.draft:
        data["app$control"] = {"app$draft": {"$t": "yes"}}
    if entry.in_reply_to is not None:
        data["thr$in-reply-to"] = entry.in_reply_to
    if entry.thr_total is not None:
        data["thr$total"] = {"$t": str(entry.thr_total)}
    return data


def single_entry(entry: Entry, alt: str) -> tuple[bytes, str]:
    """One entry on its own (``/feeds/posts/default/POSTID``)."""
    if alt == "json":
        document = {"version": "1.0", "encoding": "UTF-8", "entry": {**_NS, **_json_entry(entry)}}
        return json.dumps(document, ensure_ascii=False).encode(), JSON_TYPE
    text = atom_entry(entry).replace(
        "<entry>",
        "<?xml version='1.0' encoding='UTF-8'?><entry xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:gd='http://schemas.google.com/g/2005' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'>",
        1,
    )
    return text.encode(), ATOM_TYPE
