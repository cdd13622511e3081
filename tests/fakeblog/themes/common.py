"""Markup pieces every fake theme shares: escaping, times, post bodies, head links, listings.

All functions return ``str`` HTML fragments; text always goes through :func:`esc` exactly
once, so a ``&`` in a title is ``&amp;`` in the page and nothing is double-escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakeComment, FakePost
from tests.fakeblog.prose import Block


def esc(text: str) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return html.escape(text, quote=True)


def comment_text_html(comment: FakeComment) -> str:
    """A comment's text as its page shows it: Blogger's marked notice for a removed one."""
    if comment.deleted:
        return f"<span class='deleted-comment'>{esc(comment.shown_text)}</span>"
    return esc(comment.text)


def iso(moment: datetime, ms: bool = False) -> str:
    """RFC 3339 with the moment's own offset; with milliseconds when ``ms``."""
    return moment.isoformat(timespec="milliseconds" if ms else "seconds")


def label_url(blog: FakeBlog, label: str) -> str:
    """The label listing URL, label percent-encoded as Blogger does (space → ``%20``)."""
    return f"{blog.base_url}/search/label/{quote(label, safe='')}"


@dataclass(frozen=True)
class Listing:
    """A listing page: home, archive, label or search results (never full bodies)."""

    kind: str
    """``index``, ``archive``, ``label`` or ``search`` (the ``pageType`` Blogger reports)."""
    url: str
    heading: str | None
    posts: list[FakePost]
    older_url: str | None
    newer_url: str | None


def _image(src: str) -> str:
    return (
        "<div class='separator' style='clear: both; text-align: center;'>"
        f"<a href='{esc(src)}' style='margin-left: 1em; margin-right: 1em;'>"
        f"<img border='0' data-original-height='480' data-original-width='640' height='240' "
        f"src='{esc(src)}' width='320' /></a></div>"
    )


def _text(text: str, style: str) -> str:
    escaped = html.escape(text, quote=False)
    # Some editors write typographic characters as named entities; parsers must decode them.
    return escaped.replace("’", "&rsquo;") if style == "br" else escaped


def body_html(post: FakePost, style: str | None = None, jump_break: bool = False) -> str:
    """Render the post body in one of Blogger's editor styles.

    ``p`` (``<p>`` per paragraph), ``div`` (``<div>`` per paragraph) or ``br`` (text runs
    separated by ``<br /><br />``); chosen from the post's seed when ``style`` is None.
    Headings and list items stay block elements in every style; an ``img`` block is an
    image-only ``div.separator``. ``jump_break`` puts ``<a name='more'></a>`` after block 1.
    """
    style = style or ("p", "div", "br")[post.seed % 3]
    out: list[str] = []
    pending_br = False
    blocks: list[Block] = post.blocks
    for index, block in enumerate(blocks):
        if block.kind == "li":
            opening = index == 0 or blocks[index - 1].kind != "li"
            closing = index + 1 == len(blocks) or blocks[index + 1].kind != "li"
            out.append(
                ("<ul>" if opening else "") + f"<li>{_text(block.text, style)}</li>"
                "" + ("</ul>" if closing else "")
            )
            pending_br = False
        elif block.kind == "h":
            out.append(f"<h3>{_text(block.text, style)}</h3>")
            pending_br = False
        elif block.kind == "img":
            out.append(_image(block.text))
            pending_br = False
        elif style == "br":
            out.append(("<br />\n<br />\n" if pending_br else "") + _text(block.text, style))
            pending_br = True
        else:
            out.append(f"<{style}>{_text(block.text, style)}</{style}>")
        if jump_break and index == 0:
            out.append("<a name='more'></a>")
    return "\n".join(out)


def snippet(post: FakePost, limit: int = 280) -> str:
    """Plain-text teaser: the start of the body, cut at a word, with an ellipsis."""
    text = " ".join(post.paragraphs)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def head_links(blog: FakeBlog, canonical: str, title: str, post: FakePost | None) -> str:
    """The ``all-head-content`` block: generator, canonical, feeds, blog id, Open Graph."""
    base = blog.base_url
    links = [
        "<meta content='blogger' name='generator'/>",
        f"<link href='{esc(canonical)}' rel='canonical'/>",
        f'<link rel="alternate" type="application/atom+xml" title="{esc(blog.title)} - Atom" '
        f'href="{base}/feeds/posts/default" />',
        f'<link rel="alternate" type="application/rss+xml" title="{esc(blog.title)} - RSS" '
        f'href="{base}/feeds/posts/default?alt=rss" />',
        f'<link rel="service.post" type="application/atom+xml" title="{esc(blog.title)} - Atom" '
        f'href="https://www.blogger.com/feeds/{blog.blog_id}/posts/default" />',
    ]
    if post is not None:
        links.append(
            f'<link rel="alternate" type="application/atom+xml" title="{esc(blog.title)} - Atom" '
            f'href="{base}/feeds/{post.post_id}/comments/default" />'
        )
    links += [
        f"<meta content='{esc(canonical)}' property='og:url'/>",
        f"<meta content='{esc(title)}' property='og:title'/>",
    ]
    if post is not None:
        links.append(f"<meta content='{esc(snippet(post, 150))}' property='og:description'/>")
    return "\n".join(links)


def widget_context(blog: FakeBlog, page_type: str, url: str, post: FakePost | None) -> str:
    """The ``_WidgetManager`` bootstrap script Blogger appends before ``</body>``.

    ``page_type`` is a ``Listing.kind`` or ``item``/``static_page``; Blogger reports label and
    search listings as ``index`` (with a search label), so those two are written as ``index``.
    """
    page_type = "index" if page_type in ("label", "search") else page_type
    post_part = f"'postId': '{post.post_id}', " if post is not None else ""
    return (
        "<script type='text/javascript'>\n"
        f"window['__wavt'] = 'AOuZoY5fake';_WidgetManager._Init('//www.blogger.com/rearrange?"
        f"blogID\\x3d{blog.blog_id}','//{blog.host}/','{blog.blog_id}');\n"
        f"_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{'blogId': '{blog.blog_id}', "
        f"'title': '{esc(blog.title)}', 'url': '{esc(url)}', 'canonicalUrl': '{esc(url)}', "
        f"'homepageUrl': '{blog.base_url}/', 'pageType': '{page_type}', {post_part}"
        f"'pageName': '', 'isMobile': false}}}}]);\n"
        "</script>"
    )


def json_ld(blog: FakeBlog, post: FakePost, kind: str = "BlogPosting") -> str:
    """A schema.org ``BlogPosting`` (or ``kind``) JSON-LD script for the post."""
    import json

    data = {
        "@context": "http://schema.org",
        "@type": kind,
        "mainEntityOfPage": {"@type": "WebPage", "@id": post.url},
        "headline": post.title,
        "description": snippet(post, 150),
        "datePublished": iso(post.published),
        "dateModified": iso(post.updated),
        "image": {"@type": "ImageObject", "url": "https://lh3.googleusercontent.com/blank.png"},
        "publisher": {"@type": "Organization", "name": "Blogger"},
        "author": {"@type": "Person", "name": post.author},
    }
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f"<script type='application/ld+json'>{text}</script>"
