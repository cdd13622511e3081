"""A 2017 Contempo-like theme, written for these tests.

Item pages: JSON-LD ``BlogPosting``, ``h3.post-title.entry-title``,
``div.post-body.entry-content.float-container#post-body-ID``, ``time.published[datetime]``,
``.byline.post-labels a``, ``section.comments.threaded[data-num-comments]`` (absent when
comments are off). Listings show ``#post-snippet-ID`` snippets and a "More posts" pager.
"""

# ruff: noqa: E501  (template markup: one HTML element per line reads better than wrapped strings)

from __future__ import annotations

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakePost, page_thread
from tests.fakeblog.themes.chrome import chrome
from tests.fakeblog.themes.common import (
    Listing,
    body_html,
    comment_text_html,
    esc,
    head_links,
    iso,
    json_ld,
    label_url,
    snippet,
    widget_context,
)


def _page(blog: FakeBlog, title: str, head: str, main: str, context: str, kind: str) -> str:
    shared = chrome(blog)
    return f"""<!DOCTYPE html>
<html dir='ltr' lang='en'>
<head>
<meta content='width=device-width, initial-scale=1' name='viewport'/>
<title>{esc(title)}</title>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
{head}
<style>body{{font:15px Roboto, sans-serif;}} .float-container::after{{clear:both;content:'';display:table;}}</style>
{shared.head}
</head>
<body class='version-1-3-3 variant-indie_light {kind}-view'>
{shared.navbar}
<div class='flat-icon-button ripple'><button class='svg-icon-24-button hamburger-menu'>Menu</button></div>
<div class='page'><div class='centered'>
<header class='centered-top-container' role='banner'><div class='main-heading'>
<div class='widget Header' data-version='2' id='Header1'><div class='header-widget'>
<div><h1><a href='{blog.base_url}/'>{esc(blog.title)}</a></h1></div>
<p>Recipes and kitchen notes.</p></div></div></div></header>
<main class='centered-bottom' id='main' role='main' tabindex='-1'>
<div class='main section' id='page_body'><div class='widget Blog' data-version='2' id='Blog1'>
{main}
</div></div>
</main>
<aside class='sidebar-container container sidebar-invisible' role='complementary'>
<div class='widget PopularPosts' data-version='2' id='PopularPosts1'><h3 class='title'>Popular posts from this blog</h3></div>
<div class='widget Label' data-version='2' id='Label1'><h3 class='title'>Labels</h3><ul>
{"".join(f"<li><a class='label-name' href='{label_url(blog, lb)}'>{esc(lb)}</a></li>" for lb in blog.sidebar_labels)}
</ul></div>
{shared.widgets}
<div class='widget ReportAbuse' data-version='2' id='ReportAbuse1'><h3 class='title'><a class='report_abuse' href='https://www.blogger.com/go/report-abuse'>Report Abuse</a></h3></div>
</aside>
<footer class='footer section' id='footer'><div class='widget Attribution' data-version='2' id='Attribution1'>
<div class='blogger'><a href='https://www.blogger.com' rel='nofollow'>Powered by Blogger</a></div>
<div class='image-attribution'>Theme images by <a href='http://www.offset.com/'>Michael Elkan</a></div></div></footer>
</div></div>
{shared.tail}
{context}
</body>
</html>
"""


def _comments(post: FakePost) -> str:
    if post.comment_count is None:
        return ""
    shown, more = page_thread(post)
    items = "\n".join(
        f"<li class='comment' id='c{c.comment_id}'><div class='comment-block'>"
        f"<div class='comment-header'><cite class='user'>{esc(c.author)}</cite>"
        f"<span class='datetime secondary-text'>{iso(c.published)}</span></div>"
        f"<p class='comment-content'>{comment_text_html(c)}</p></div></li>"
        for c in shown
    )
    if more:
        items += f"\n<div class='loadmore' data-post-id='{post.post_id}'><a>Load more...</a></div>"
    return f"""<section class='comments threaded' data-embed='true' data-num-comments='{post.comment_count}' id='comments'>
<a name='comments'></a>
<h3 class='title'>Comments</h3>
<div class='comments-content'><div id='comment-holder'><ol>{items}</ol></div></div>
<div class='footer'><a class='comment-editor-toggle-link' href='{post.url}#comment-form'>Post a Comment</a></div>
</section>"""


def post_page(
    blog: FakeBlog, post: FakePost, newer: FakePost | None, older: FakePost | None
) -> str:
    """The item page of ``post``; Contempo shows no older/newer pager on item pages."""
    del newer, older  # Contempo's item view has no pager.
    labels = "".join(
        f"<a href='{label_url(blog, lb)}' rel='tag'>{esc(lb)}</a>" for lb in post.labels
    )
    main = f"""<div class='blog-posts hfeed container'>
<article class='post-outer-container'><div class='post-outer'><div class='post'>
{json_ld(blog, post)}
<a name='{post.post_id}'></a>
<h3 class='post-title entry-title'>
{esc(post.title)}
</h3>
<div class='post-header'><div class='post-header-line-1'>
<span class='byline post-author vcard'><span class='byline-label'>By</span>
<span class='fn'><meta content='https://www.blogger.com/profile/0520000000000000003'/>
<a class='g-profile' href='https://www.blogger.com/profile/0520000000000000003' rel='author' title='author profile'><span>{esc(post.author)}</span></a></span></span>
<span class='byline post-timestamp'><meta content='{post.url}'/>
<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'>
<time class='published' datetime='{iso(post.published)}' title='{iso(post.published)}'>{post.published:%B %d, %Y}</time></a></span>
</div></div>
<div class='post-body entry-content float-container' id='post-body-{post.post_id}'>
{body_html(post)}
</div>
<div class='post-footer'><div class='post-footer-line post-footer-line-0'>
{f"<span class='byline post-labels'><span class='byline-label'>Labels:</span>{labels}</span>" if post.labels else ""}
<div class='byline post-share-buttons goog-inline-block'><div class='share-buttons-container'>
<ul class='share-buttons'><li><a class='goog-inline-block sharing-facebook' href='https://www.blogger.com/share-post.g?blogID={blog.blog_id}&amp;postID={post.post_id}&amp;target=facebook' target='_blank'>Share to Facebook</a></li>
<li><a class='goog-inline-block sharing-twitter' href='https://www.blogger.com/share-post.g?blogID={blog.blog_id}&amp;postID={post.post_id}&amp;target=twitter' target='_blank'>Share to X</a></li></ul></div></div>
</div></div>
</div></div>
{_comments(post)}
</article></div>"""
    head = head_links(blog, post.url, post.title, post)
    return _page(blog, post.title, head, main, widget_context(blog, "item", post.url, post), "item")


def _snippet_outer(blog: FakeBlog, post: FakePost) -> str:
    if post.comment_count is None:
        link = ""
    elif post.comment_count == 0:
        link = f"<a class='comment-link' href='{post.url}#comments'>Post a Comment</a>"
    else:
        link = (
            f"<a class='comment-link' href='{post.url}#comments'><span class='num_comments'>"
            f"{post.comment_count} comments</span></a>"
        )
    return f"""<article class='post-outer-container'><div class='post-outer'><div class='post'>
{json_ld(blog, post)}
<h3 class='post-title entry-title'><a href='{post.url}'>{esc(post.title)}</a></h3>
<div class='post-header'><span class='byline post-timestamp'>
<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'>
<time class='published' datetime='{iso(post.published)}' title='{iso(post.published)}'>{post.published:%B %d, %Y}</time></a></span></div>
<div class='container post-body entry-content' id='post-snippet-{post.post_id}'>
<div class='snippet-container r-snippet-container'><div class='snippet-item r-snippetized'>{esc(snippet(post))}</div></div>
</div>
<div class='post-bottom'><div class='jump-link flat-button'><a href='{post.url}' title='{esc(post.title)}'>Read more</a></div>
{link}</div>
</div></div></article>"""


def listing_page(blog: FakeBlog, listing: Listing) -> str:
    """A listing: snippets only, "More posts" pager, no newer link (as Contempo)."""
    heading = (
        f"<div class='post-filter-message'><div>{esc(listing.heading)}</div></div>"
        if listing.heading
        else ""
    )
    posts = "\n".join(_snippet_outer(blog, post) for post in listing.posts)
    pager = (
        f"<div class='blog-pager container' id='blog-pager'><a class='blog-pager-older-link "
        f"flat-button ripple' href='{esc(listing.older_url)}' id='Blog1_blog-pager-older-link' "
        f"title='More posts'>More posts</a></div>"
        if listing.older_url
        else ""
    )
    main = f"{heading}<div class='blog-posts hfeed container'>\n{posts}\n</div>\n{pager}"
    head = head_links(blog, listing.url, blog.title, None)
    context = widget_context(blog, listing.kind, listing.url, None)
    return _page(blog, blog.title, head, main, context, listing.kind)


def static_page(blog: FakeBlog, url: str, title: str, paragraphs: list[str]) -> str:
    """A static page rendered with the item markup, without JSON-LD or comments."""
    body = "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs)
    main = (
        f"<div class='blog-posts hfeed container'><article class='post-outer-container'>"
        f"<div class='post'><h3 class='post-title entry-title'>{esc(title)}</h3>"
        f"<div class='post-body entry-content float-container'>{body}</div></div></article></div>"
    )
    head = head_links(blog, url, title, None)
    context = widget_context(blog, "static_page", url, None)
    return _page(blog, title, head, main, context, "static_page")
