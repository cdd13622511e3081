"""Blogger post and comment feeds, in Atom and in the ``alt=json`` (``$t``) shape.

Both formats are rendered from the same entry facts, so they always agree. Links (``self``,
``next``, ``previous``) point at the blog's own host, not at ``www.blogger.com`` as real
Blogger's do, so that a crawler following ``rel=next`` stays on the fake host.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.fakeblog.feedquery import FeedQuery, Page
from tests.fakeblog.model import FakeBlog, FakeComment, FakePost
from tests.fakeblog.themes.common import body_html, iso

ATOM_TYPE = "application/atom+xml; charset=UTF-8"
JSON_TYPE = "application/json; charset=UTF-8"
_KIND = "http://schemas.google.com/blogger/2008/kind#"
_NS = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}


def _x(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class Entry:
    """What one feed entry says; ``body_kind`` is ``content`` (html) or ``summary`` (text)."""

    id: str
    published: str
    updated: str
    title: str
    body_kind: str
    body: str
    links: list[dict[str, str]]
    author: str
    categories: list[str]
    thr_total: int | None = None
    in_reply_to: dict[str, str] | None = None


def short_summary(post: FakePost, limit: int = 400) -> str:
    """The "Short" feed body: the first ~400 characters of plain text, cut at a word."""
    text = " ".join(post.paragraphs)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def post_entry(blog: FakeBlog, post: FakePost, summary: bool) -> Entry:
    """The feed entry of ``post``; ``summary`` gives a Short-feed ``summary`` body."""
    links = [
        {
            "rel": "replies",
            "type": "application/atom+xml",
            "href": f"{blog.base_url}/feeds/{post.post_id}/comments/default",
            "title": "Post Comments",
        },
        {
            "rel": "replies",
            "type": "text/html",
            "href": f"{post.url}#comment-form",
            "title": f"{post.comment_count or 0} Comments",
        },
        {
            "rel": "self",
            "type": "application/atom+xml",
            "href": f"{blog.base_url}/feeds/posts/default/{post.post_id}",
        },
        {"rel": "alternate", "type": "text/html", "href": post.url, "title": post.title},
    ]
    if post.comment_count is None:
        links = links[2:]
    return Entry(
        id=f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}",
        published=iso(post.published, ms=True),
        updated=iso(post.updated, ms=True),
        title=post.title,
        body_kind="summary" if summary else "content",
        body=short_summary(post) if summary else body_html(post),
        links=links,
        author=post.author,
        categories=post.labels,
        thr_total=post.comment_count,
    )


def comment_entry(blog: FakeBlog, post: FakePost, comment: FakeComment) -> Entry:
    """The comment-feed entry of ``comment`` on ``post``."""
    millis = int(comment.published.timestamp() * 1000)
    return Entry(
        id=f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{comment.comment_id}",
        published=iso(comment.published, ms=True),
        updated=iso(comment.published, ms=True),
        title=comment.text[:40],
        body_kind="content",
        body=html.escape(comment.text, quote=False),
        links=[
            {
                "rel": "alternate",
                "type": "text/html",
                "href": f"{post.url}?showComment={millis}#c{comment.comment_id}",
                "title": "",
            }
        ],
        author=comment.author,
        categories=[],
        in_reply_to={
            "href": post.url,
            "ref": f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}",
            "source": f"{blog.base_url}/feeds/posts/default/{post.post_id}",
            "type": "text/html",
        },
    )


@dataclass(frozen=True)
class FeedMeta:
    """Feed-level facts: identity, title, the path it is served at, and its query."""

    id: str
    title: str
    path: str
    params: dict[str, str]


def _page_links(
    blog: FakeBlog, meta: FeedMeta, fq: FeedQuery, page: Page[Any]
) -> list[dict[str, str]]:
    base = f"{blog.base_url}{meta.path}"

    def at(start: int) -> str:
        params = {**meta.params, "start-index": str(start), "max-results": str(fq.max_results)}
        return f"{base}?{urlencode(params)}"

    links = [
        {
            "rel": "http://schemas.google.com/g/2005#feed",
            "type": "application/atom+xml",
            "href": base,
        },
        {"rel": "self", "type": "application/atom+xml", "href": at(fq.start_index)},
        {"rel": "alternate", "type": "text/html", "href": f"{blog.base_url}/"},
    ]
    if fq.start_index > 1:
        links.append(
            {
                "rel": "previous",
                "type": "application/atom+xml",
                "href": at(max(1, fq.start_index - fq.max_results)),
            }
        )
    if page.has_next:
        links.append(
            {
                "rel": "next",
                "type": "application/atom+xml",
                "href": at(fq.start_index + fq.max_results),
            }
        )
    return links


def render_feed(
    blog: FakeBlog, meta: FeedMeta, fq: FeedQuery, page: Page[Entry], labels: Sequence[str]
) -> tuple[bytes, str]:
    """Render one feed page as ``(body bytes, content type)`` in ``fq.alt``."""
    links = _page_links(blog, meta, fq, page)
    updated = iso(blog.modified, ms=True)
    if fq.alt == "json":
        feed: dict[str, Any] = {
            **_NS,
            "id": {"$t": meta.id},
            "updated": {"$t": updated},
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
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?><?xml-stylesheet href=\"http://www.blogger.com/"
        'styles/atom.css" type="text/css"?>',
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/"
        "opensearchrss/1.0/' xmlns:blogger='http://schemas.google.com/blogger/2008' "
        "xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/"
        "thread/1.0'>",
        f"<id>{_x(meta.id)}</id><updated>{updated}</updated>",
        *(f"<category term='{_x(label)}'/>" for label in labels),
        f"<title type='text'>{_x(meta.title)}</title><subtitle type='html'></subtitle>",
        *(_atom_link(link) for link in links),
        _atom_author(blog.authors[0]),
        "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
        f"<openSearch:totalResults>{page.total}</openSearch:totalResults>",
        f"<openSearch:startIndex>{fq.start_index}</openSearch:startIndex>",
        f"<openSearch:itemsPerPage>{fq.max_results}</openSearch:itemsPerPage>",
        *(atom_entry(entry) for entry in page.entries),
        "</feed>",
    ]
    return "".join(parts).encode(), ATOM_TYPE


def _atom_link(link: dict[str, str]) -> str:
    attrs = " ".join(f"{key}='{_x(value)}'" for key, value in link.items())
    return f"<link {attrs}/>"


def _atom_author(name: str) -> str:
    return (
        f"<author><name>{_x(name)}</name><uri>https://www.blogger.com/profile/0420000000000000001"
        "</uri><email>noreply@blogger.com</email><gd:image rel='http://schemas.google.com/g/2005"
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
    body_type = "html" if entry.body_kind == "content" else "text"
    parts = [
        f"<entry><id>{_x(entry.id)}</id><published>{entry.published}</published>"
        f"<updated>{entry.updated}</updated>",
        *(
            f"<category scheme='http://www.blogger.com/atom/ns#' term='{_x(c)}'/>"
            for c in entry.categories
        ),
        f"<title type='text'>{_x(entry.title)}</title>",
        f"<{entry.body_kind} type='{body_type}'>{_x(entry.body)}</{entry.body_kind}>",
        *(_atom_link(link) for link in entry.links),
        _atom_author(entry.author),
    ]
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
            "type": "html" if entry.body_kind == "content" else "text",
            "$t": entry.body,
        },
        "link": entry.links,
        "author": [_json_author(entry.author)],
    }
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
