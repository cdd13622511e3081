"""A third-party (Plus UI-like) template, written for these tests.

Item pages: ``h1.pTtl.aTtl.sml``, ``div.pEnt#postID-ID > div.pS.post-body.postBody#postBody``,
share buttons, JSON-LD ``BlogPosting`` and ``section.cm[data-num-comments]#comment-blogger``
(absent when comments are off). No ``h3.post-title``, no ``entry-content``: parsers must not
depend on the stock themes' classes.
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


def _page(blog: FakeBlog, title: str, head: str, main: str, context: str) -> str:
    shared = chrome(blog)
    return f"""<!DOCTYPE html>
<html class='notranslate' dir='ltr' lang='en'>
<head>
<meta charset='UTF-8'/>
<meta content='width=device-width, initial-scale=1, user-scalable=1, minimum-scale=1, maximum-scale=5' name='viewport'/>
<title>{esc(title)}</title>
{head}
<script type='application/ld+json'>{{"@context":"http://schema.org","@type":"WebSite","name":"{esc(blog.title)}","url":"{blog.base_url}/"}}</script>
<style>.pTtl{{font-size:1.8rem}} .postBody{{line-height:1.8}}</style>
{shared.head}
</head>
<body class='bD onIt' id='mainCont'>
{shared.navbar}
<input class='navi hidden' id='offNav' type='checkbox'/>
<div class='mainWrp'>
<header class='header' id='header'><div class='headCn'><div class='headL'>
<div class='headN'><h2 class='headH'><a href='{blog.base_url}/'>{esc(blog.title)}</a></h2></div></div>
<div class='headR'><label aria-label='Search' class='tSrch tIc bIc' for='offSrh'>Search</label></div></div></header>
<div class='mainIn'><div class='mnBr'><div class='mnBrs'>
<main class='blogItm mainbar'><div class='section' id='main-widget'><div class='widget Blog' data-version='2' id='Blog1'>
{main}
</div></div></main>
<aside class='blogItm sidebar'><div class='sideIn'>
<div class='widget Label' data-version='2' id='Label1'><h2 class='title'>Labels</h2><div class='wL'>
{"".join(f"<a class='lbM' href='{label_url(blog, lb)}'>{esc(lb)}</a>" for lb in blog.sidebar_labels)}
</div></div>
{shared.widgets}
<div class='widget HTML' data-version='2' id='HTML9'><div class='widget-content'>Subscribe for new posts!</div></div>
</div></aside>
</div></div></div>
<footer class='footer'><div class='fotIn'><span class='credit'>Designed by <a href='https://www.fiki.my.id'>Fineshop Design</a></span></div></footer>
</div>
{shared.tail}
{context}
</body>
</html>
"""


def _share(blog: FakeBlog, post: FakePost) -> str:
    targets = ("facebook", "whatsapp", "twitter", "telegram")
    items = "".join(
        f"<li><a aria-label='{t}' class='{t}' data-text='Share to {t}' "
        f"href='https://www.blogger.com/share-post.g?blogID={blog.blog_id}&amp;postID="
        f"{post.post_id}&amp;target={t}' rel='noopener' target='_blank'>{t.title()}</a></li>"
        for t in targets
    )
    return f"<div class='pSh'><div class='pShc' data-text='Share:'><ul>{items}</ul></div></div>"


def _comments(post: FakePost) -> str:
    if post.comment_count is None:
        return ""
    count = post.comment_count
    button = f"Join the conversation ({count})" if count else "Post a Comment"
    shown, more = page_thread(post)
    items = "\n".join(
        f"<li class='c' id='c{c.comment_id}'><div class='cAv'></div><div class='cIn'>"
        f"<div class='cNm'><bdi class='n'>{esc(c.author)}</bdi></div>"
        f"<p class='cCn'>{comment_text_html(c)}</p><div class='cTm'>{iso(c.published)}</div>"
        "</div></li>"
        for c in shown
    )
    if more:
        items += f"\n<div class='loadmore' data-post-id='{post.post_id}'><a>Load more...</a></div>"
    return f"""<section class='cm cmBr fixLs' data-embed='true' data-num-comments='{count}' id='comment-blogger'>
<div class='cmBri'><div class='cmBtn ln'>{button}</div>
<div class='cmBd' id='comments'><div class='cmH fl'><h3 class='title'>{count} comments</h3></div>
<ol class='cmHl'>{items}</ol></div></div>
</section>"""


def post_page(
    blog: FakeBlog, post: FakePost, newer: FakePost | None, older: FakePost | None
) -> str:
    """The item page of ``post`` with its Plus UI "Newer/Older" navigation."""
    labels = "".join(
        f"<a aria-label='{esc(lb)}' data-text='{esc(lb)}' href='{label_url(blog, lb)}' rel='tag'>"
        f"{esc(lb)}</a>"
        for lb in post.labels
    )
    nav = "".join(
        f"<a class='{cls}' href='{p.url}'>{text}</a>"
        for cls, p, text in (("nwr", newer, "Newer"), ("olr", older, "Older"))
        if p is not None
    )
    main = f"""<div class='blogPts'>
<article class='ntry ps post'>
{json_ld(blog, post)}
<div class='brdCmb'><div class='hm'><a href='{blog.base_url}/'>Home</a></div>{labels and f"<div class='tl'>{labels}</div>"}</div>
<h1 class='pTtl aTtl sml itm'><span>{esc(post.title)}</span></h1>
<div class='pDesc'>{esc(snippet(post, 120))}</div>
<div class='pInf pSml ps'><div class='pIm'><div class='im lazy'></div></div>
<div class='pNm'><bdi class='nm' data-text='{esc(post.author)}'></bdi>
<div class='pDr'><time class='aTtmp pTtmp pbl' data-text='{post.published:%B %d, %Y}' datetime='{iso(post.published)}' title='Published: {post.published:%B %d, %Y}'></time></div></div></div>
<div class='pAd'></div>
<div class='pEnt' id='postID-{post.post_id}'><div class='pS post-body postBody' id='postBody'>
{body_html(post)}
</div></div>
{_share(blog, post)}
<div class='pNav'>{nav}</div>
</article>
{_comments(post)}
</div>"""
    head = head_links(blog, post.url, post.title, post)
    return _page(blog, f"{post.title}", head, main, widget_context(blog, "item", post.url, post))


def listing_page(blog: FakeBlog, listing: Listing) -> str:
    """A listing of ``article.ntry`` cards with snippets and a "Load more" link."""
    cards = "\n".join(
        f"<article class='ntry'><div class='pCntn'><h2 class='pTtl aTtl sml'>"
        f"<a data-text='{esc(p.title)}' href='{p.url}' rel='bookmark'>{esc(p.title)}</a></h2>"
        f"<div class='pSnpt'>{esc(snippet(p))}</div><div class='pInf pSml'>"
        f"<time class='aTtmp iTtmp' datetime='{iso(p.published)}'></time></div></div></article>"
        for p in listing.posts
    )
    heading = f"<div class='blogMn'><h2 class='title'>{esc(listing.heading or '')}</h2></div>"
    pager = (
        f"<div class='blogPg' id='blogPager'><a aria-label='Load more posts' class='jsLd' "
        f"data-text='Load more posts' href='{esc(listing.older_url)}'>Load more posts</a></div>"
        if listing.older_url
        else ""
    )
    main = f"{heading if listing.heading else ''}<div class='blogPts'>{cards}</div>{pager}"
    head = head_links(blog, listing.url, blog.title, None)
    return _page(
        blog, blog.title, head, main, widget_context(blog, listing.kind, listing.url, None)
    )


def static_page(blog: FakeBlog, url: str, title: str, paragraphs: list[str]) -> str:
    """A static page in the card markup."""
    body = "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs)
    main = (
        f"<div class='blogPts'><article class='ntry ps page'><h1 class='pTtl aTtl sml itm'>"
        f"<span>{esc(title)}</span></h1><div class='pEnt'><div class='pS post-body postBody' "
        f"id='postBody'>{body}</div></div></article></div>"
    )
    head = head_links(blog, url, title, None)
    return _page(blog, title, head, main, widget_context(blog, "static_page", url, None))
