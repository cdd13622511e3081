"""A Layouts "Simple"-like theme (Blogger's 2006-2016 generation), written for these tests.

Item pages: microdata ``itemprop=blogId/postId``, ``h3.post-title.entry-title``,
``div.post-body.entry-content#post-body-ID``, ``abbr.published[title]``,
``span.post-labels a[rel=tag]``, ``#comments h4 "N comments:"`` with a threaded list,
``#blog-pager`` Older/Newer Post links, sidebar widgets and ``_WidgetManager``.
"""

# ruff: noqa: E501  (template markup: one HTML element per line reads better than wrapped strings)

from __future__ import annotations

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakeComment, FakePost, page_thread
from tests.fakeblog.themes.chrome import chrome
from tests.fakeblog.themes.common import (
    Listing,
    body_html,
    comment_text_html,
    esc,
    head_links,
    iso,
    label_url,
    snippet,
    widget_context,
)

_MONTHS = "January February March April May June July August September October November December"
MONTH_NAMES = _MONTHS.split()


def _page(blog: FakeBlog, title: str, head: str, main: str, context: str) -> str:
    shared = chrome(blog)
    return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' lang='en' xmlns='http://www.w3.org/1999/xhtml' xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' xmlns:expr='http://www.google.com/2005/gml/expr'>
<head>
<meta content='width=1100' name='viewport'/>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
{head}
<title>{esc(title)}</title>
<style id='page-skin-1' type='text/css'><!--
body {{ font: normal normal 12px Arial, Tahoma, Helvetica, FreeSans, sans-serif; }}
.post-body {{ font-size: 110%; line-height: 1.4; position: relative; }}
--></style>
{shared.head}
<link href='https://www.blogger.com/dyn-css/authorization.css?targetBlogID={blog.blog_id}&amp;zx=fake' media='none' rel='stylesheet'/>
</head>
<body class='loading'>
{shared.navbar}
<div class='content-outer'><div class='header-outer'>
<div class='header section' id='header'><div class='widget Header' data-version='1' id='Header1'>
<div id='header-inner'><div class='titlewrapper'><h1 class='title'>
<a href='{blog.base_url}/'>{esc(blog.title)}</a></h1></div>
<div class='descriptionwrapper'><p class='description'><span>Small things, written down.</span></p></div>
</div></div></div></div>
<div class='columns fauxcolumns'><div class='main-outer'>
<div class='main section' id='main'><div class='widget Blog' data-version='1' id='Blog1'>
{main}
</div></div></div>
{_sidebar(blog, shared.widgets)}
</div></div>
<div class='footer-outer'><div class='widget Attribution' data-version='1' id='Attribution1'>
<div class='widget-content' style='text-align: center;'>Simple theme. Powered by
<a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div></div></div>
<script type='text/javascript' src='https://www.blogger.com/static/v1/widgets/fake-widgets.js'></script>
{shared.tail}
{context}
</body>
</html>
"""


def _sidebar(blog: FakeBlog, widgets: str) -> str:
    """Profile, the shared chrome widgets (archive, popular posts...), Labels, Subscribe."""
    labels = "".join(
        f"<li><a dir='ltr' href='{label_url(blog, label)}'>{esc(label)}</a></li>"
        for label in blog.sidebar_labels
    )
    return f"""<div class='sidebar section' id='sidebar-right-1'>
<div class='widget Profile' data-version='1' id='Profile1'><h2>About Me</h2>
<div class='widget-content'><dl class='profile-datablock'><dt class='profile-data'>
<a class='profile-name-link g-profile' href='https://www.blogger.com/profile/0420000000000000001' rel='author'>{esc(blog.authors[0])}</a>
</dt></dl><a class='profile-link' href='https://www.blogger.com/profile/0420000000000000001' rel='author'>View my complete profile</a></div></div>
{widgets}
<div class='widget Label' data-version='1' id='Label1'><h2>Labels</h2>
<div class='widget-content list-label-widget-content'><ul>{labels}</ul></div></div>
<div class='widget Subscribe' data-version='1' id='Subscribe1'><h2 class='title'>Subscribe To</h2>
<div class='widget-content'><a class='feed-icon' href='{blog.base_url}/feeds/posts/default'>Posts</a>
<a class='feed-icon' href='{blog.base_url}/feeds/comments/default'>All Comments</a></div></div>
</div>"""


def _comments(post: FakePost) -> str:
    if post.comment_count is None:
        # The non-threaded includable prints only the anchor when comments are not allowed.
        return "<div class='comments' id='comments'>\n<a name='comments'></a>\n</div>"
    count = post.comment_count
    heading = "No comments" if count == 0 else ("1 comment" if count == 1 else f"{count} comments")
    shown, more = page_thread(post)
    replies: dict[str, list[FakeComment]] = {}
    for comment in shown:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    items = "\n".join(
        _comment(post, c, replies.get(c.comment_id, [])) for c in shown if not c.parent_id
    )
    loadmore = "loadmore" if more else "loadmore hidden"
    return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>{heading}:</h4>
<div class='comments-content'>
<div id='comment-holder'><div class='comment-thread toplevel-thread'><ol id='top-ra'>
{items}
</ol></div></div>
<div class='{loadmore}' data-post-id='{post.post_id}'><a target='_self'>Load more...</a></div>
</div>
<p class='comment-footer'><div class='comment-form'><a name='comment-form'></a>
<h4 id='comment-post-message'>Post a Comment</h4>
<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='https://www.blogger.com/comment-iframe.g?blogID={post.blog_id}&amp;postID={post.post_id}' width='100%'></iframe>
</div></p>
</div>"""


def _comment(post: FakePost, comment: FakeComment, replies: list[FakeComment]) -> str:
    millis = int(comment.published.timestamp() * 1000)
    inner = "".join(_comment(post, r, []) for r in replies)
    thread = (
        f"<div class='comment-replies'><div class='comment-thread inline-thread'>"
        f"<ol>{inner}</ol></div></div>"
        if replies
        else ""
    )
    # Plain generated comments all link one profile; varied ones their own, or none.
    profile = comment.author_url or (
        None if post.comment_kinds else "https://www.blogger.com/profile/0430000000000000002"
    )
    name = (
        f"<a href='{esc(profile)}' rel='nofollow'>{esc(comment.author)}</a>"
        if profile
        else esc(comment.author)
    )
    return (
        f"<li class='comment' id='c{comment.comment_id}'><div class='avatar-image-container'>"
        f"<img src='https://resources.blogblog.com/img/blank.gif' width='35' height='35'/></div>"
        f"<div class='comment-block'><div class='comment-header'><cite class='user'>"
        f"{name}</cite><span class='icon user'></span>"
        f"<span class='datetime secondary-text'><a rel='nofollow' href='{esc(post.url)}"
        f"?showComment={millis}#c{comment.comment_id}'>{comment.published:%B %d, %Y at %I:%M %p}"
        f"</a></span></div><p class='comment-content'>{comment_text_html(comment)}</p>"
        f"<span class='comment-actions secondary-text'><a class='comment-reply' target='_self' "
        f"data-comment-id='{comment.comment_id}'>Reply</a></span></div>{thread}</li>"
    )


def _post_outer(blog: FakeBlog, post: FakePost, item: bool) -> str:
    local = post.published.astimezone(blog.tz)
    body = (
        body_html(post, jump_break=post.seed % 4 == 0)
        if item
        else esc(snippet(post))
        + f"<div class='jump-link'><a href='{post.url}#more' title='{esc(post.title)}'>"
        f"Read more &#187;</a></div>"
    )
    labels = ", ".join(
        f"<a href='{label_url(blog, lb)}' rel='tag'>{esc(lb)}</a>" for lb in post.labels
    )
    labels_span = f"<span class='post-labels'>\nLabels:\n{labels}\n</span>" if post.labels else ""
    if item or post.comment_count is None:
        comment_link = "<span class='post-comment-link'>\n</span>"
    else:
        n = post.comment_count
        comment_link = (
            f"<span class='post-comment-link'><a class='comment-link' href='{post.url}#comment-form'"
            f" onclick=''>{'No comments' if n == 0 else f'{n} comments'}:</a></span>"
        )
    return f"""<div class='date-outer'>
<h2 class='date-header'><span>{local:%A, %B %d, %Y}</span></h2>
<div class='date-posts'><div class='post-outer'>
<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>
<meta content='{blog.blog_id}' itemprop='blogId'/>
<meta content='{post.post_id}' itemprop='postId'/>
<a name='{post.post_id}'></a>
<h3 class='post-title entry-title' itemprop='name'>
{esc(post.title) if item else f"<a href='{post.url}'>{esc(post.title)}</a>"}
</h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='description articleBody'>
{body}
<div style='clear: both;'></div>
</div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>Posted by <span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'>
<meta content='https://www.blogger.com/profile/0420000000000000001' itemprop='url'/>
<a class='g-profile' href='https://www.blogger.com/profile/0420000000000000001' rel='author' title='author profile'><span itemprop='name'>{esc(post.author)}</span></a></span></span>
<span class='post-timestamp'>at <meta content='{post.url}' itemprop='url'/>
<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'><abbr class='published' itemprop='datePublished' title='{iso(post.published)}'>{local:%I:%M %p}</abbr></a></span>
{comment_link}
<span class='post-icons'></span>
<div class='post-share-buttons goog-inline-block'><a class='goog-inline-block share-button sb-email' href='https://www.blogger.com/share-post.g?blogID={blog.blog_id}&amp;postID={post.post_id}&amp;target=email' target='_blank' title='Email This'><span class='share-button-link-text'>Email This</span></a></div>
</div>
<div class='post-footer-line post-footer-line-2'>{labels_span}</div>
<div class='post-footer-line post-footer-line-3'></div>
</div></div>
{_comments(post) if item else ""}
</div></div></div>"""


def post_page(
    blog: FakeBlog, post: FakePost, newer: FakePost | None, older: FakePost | None
) -> str:
    """The item page of ``post``; ``newer``/``older`` are its pager neighbours."""
    pager = "<div class='blog-pager' id='blog-pager'>"
    if newer is not None:
        pager += (
            f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{newer.url}'"
            f" id='Blog1_blog-pager-newer-link' title='Newer Post'>Newer Post</a></span>"
        )
    if older is not None:
        pager += (
            f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{older.url}'"
            f" id='Blog1_blog-pager-older-link' title='Older Post'>Older Post</a></span>"
        )
    pager += f"<a class='home-link' href='{blog.base_url}/'>Home</a></div>"
    main = (
        f"<div class='blog-posts hfeed'>\n{_post_outer(blog, post, item=True)}\n</div>\n{pager}\n"
        f"<div class='post-feeds'><div class='feed-links'>Subscribe to: "
        f"<a class='feed-link' href='{blog.base_url}/feeds/{post.post_id}/comments/default' "
        f"target='_blank' type='application/atom+xml'>Post Comments (Atom)</a></div></div>"
    )
    head = head_links(blog, post.url, post.title, post)
    context = widget_context(blog, "item", post.url, post)
    return _page(blog, f"{blog.title}: {post.title}", head, main, context)


def listing_page(blog: FakeBlog, listing: Listing) -> str:
    """A home, archive, label or search listing: snippets, never full bodies."""
    status = (
        f"<div class='status-msg-wrap'><div class='status-msg-body'>{esc(listing.heading)}"
        f"</div></div>"
        if listing.heading
        else ""
    )
    posts = "\n".join(_post_outer(blog, post, item=False) for post in listing.posts)
    pager = "<div class='blog-pager' id='blog-pager'>"
    if listing.newer_url:
        pager += (
            f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' "
            f"href='{esc(listing.newer_url)}' id='Blog1_blog-pager-newer-link' "
            f"title='Newer Posts'>Newer Posts</a></span>"
        )
    if listing.older_url:
        pager += (
            f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' "
            f"href='{esc(listing.older_url)}' id='Blog1_blog-pager-older-link' "
            f"title='Older Posts'>Older Posts</a></span>"
        )
    pager += f"<a class='home-link' href='{blog.base_url}/'>Home</a></div>"
    main = f"{status}<div class='blog-posts hfeed'>\n{posts}\n</div>\n{pager}"
    head = head_links(blog, listing.url, blog.title, None)
    context = widget_context(blog, listing.kind, listing.url, None)
    return _page(blog, blog.title, head, main, context)


def static_page(blog: FakeBlog, url: str, title: str, paragraphs: list[str]) -> str:
    """A static page (``/p/slug.html``): Blogger renders it with the post markup, no comments."""
    body = "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs)
    main = (
        f"<div class='blog-posts hfeed'><div class='post-outer'><div class='post hentry'>"
        f"<h3 class='post-title entry-title'>{esc(title)}</h3>"
        f"<div class='post-body entry-content'>{body}</div></div></div></div>"
    )
    head = head_links(blog, url, title, None)
    return _page(
        blog, f"{blog.title}: {title}", head, main, widget_context(blog, "static_page", url, None)
    )
