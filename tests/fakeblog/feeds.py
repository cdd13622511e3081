"""What Blogger's post and comment feeds say: entry facts and paging links, format-free.

``feedformats`` renders these facts as Atom, ``alt=json`` or ``alt=rss``, so the formats
always agree. Links (``self``, ``next``, ``previous``) point at the blog's own host, not at
``www.blogger.com`` as real Blogger's do, so a crawler following ``rel=next`` stays on the
fake host.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.fakeblog.feedquery import FeedQuery, Page
from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakeComment, FakePost
from tests.fakeblog.themes.common import body_html, iso

DEFAULT_PROFILE = "https://www.blogger.com/profile/0420000000000000001"
"""The profile every post author (and every plain generated commenter) links."""


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
    author_uri: str | None = DEFAULT_PROFILE
    """The author's profile link; ``None`` for an anonymous commenter (no ``uri``)."""
    draft: bool = False
    """A draft or scheduled post (``app:control/app:draft`` ``yes``): its page answers 404."""
    body_type: str | None = None
    """The body's ``type``: ``None`` for Blogger's own (``html`` content, ``text`` summary);
    ``text`` or ``xhtml`` for a quirky feed (``feedquirks``)."""


def short_summary(post: FakePost, limit: int = 400) -> str:
    """The "Short" feed body: the first ~400 characters of plain text, cut at a word."""
    text = " ".join(post.paragraphs)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def has_jump_break(post: FakePost) -> bool:
    """Whether the author put a jump break in ``post`` (after its first block)."""
    return post.seed % 4 == 0 and len(post.blocks) > 1


def full_content(post: FakePost) -> str:
    """The "Full" feed body: the whole body, with the jump anchor where the author put one."""
    return body_html(post, jump_break=has_jump_break(post))


def until_jump_content(post: FakePost) -> str:
    """The "Until Jump Break" feed body: cut at the jump, then a ``#more`` "Read more" link.

    A post without a jump break is whole, as Blogger serves it.
    """
    if not has_jump_break(post):
        return full_content(post)
    head = full_content(post).split("<a name='more'></a>", 1)[0]
    return f"{head}<a href='{html.escape(post.url)}#more'>Read more &#187;</a>"


def post_entry(blog: FakeBlog, post: FakePost, summary: bool, until_jump: bool = False) -> Entry:
    """The feed entry of ``post``; ``summary`` gives a Short-feed ``summary`` body and
    ``until_jump`` an "Until Jump Break" body (:func:`until_jump_content`)."""
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
        body=short_summary(post)
        if summary
        else (until_jump_content(post) if until_jump else full_content(post)),
        links=links,
        author=post.author,
        categories=post.labels,
        thr_total=post.comment_count,
    )


def comment_entry(blog: FakeBlog, post: FakePost, comment: FakeComment) -> Entry:
    """The comment-feed entry of ``comment`` on ``post``.

    A reply carries Blogger's ``rel=related`` link to its parent comment; a removed comment
    says Blogger's notice as its content.
    """
    millis = int(comment.published.timestamp() * 1000)
    links = [
        {
            "rel": "alternate",
            "type": "text/html",
            "href": f"{post.url}?showComment={millis}#c{comment.comment_id}",
            "title": "",
        }
    ]
    if comment.parent_id is not None:
        links.append(
            {
                "rel": "related",
                "type": "application/atom+xml",
                "href": f"http://www.blogger.com/feeds/{blog.blog_id}/{post.post_id}"
                f"/comments/default/{comment.parent_id}",
            }
        )
    profile = comment.author_url or (None if post.comment_kinds else DEFAULT_PROFILE)
    return Entry(
        id=f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{comment.comment_id}",
        published=iso(comment.published, ms=True),
        updated=iso(comment.published, ms=True),
        title=comment.shown_text[:40],
        body_kind="content",
        body=html.escape(comment.shown_text, quote=False),
        links=links,
        author=comment.author,
        author_uri=profile,
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


def page_links(
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
