"""Generated Blogger post pages in the shapes that cost a parser most, for speed checks.

Real held-out pages cannot be shipped with the project, but their costly *shapes* can be
generated: thousands of short paragraphs, ``<br>``-separated lines, ``<div>``-per-line
bodies, heavy templates (hundreds of widgets, scripts and archive links), big comment
threads, deep wrapper nesting and non-ASCII or damaged text. Each shape is rendered in four
template families (Layouts, 2017, classic, third-party), so that every theme path is timed.

Pages are deterministic for a seed (``random.Random``), self-contained (no network) and
written for this project (modelled on Blogger's markup, not copied from any page). Every
page is a single post that the parser accepts; :func:`stress_pages` is what
``python -m benchmarks.parse_speed --generated`` times, and the equivalence test runs too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

_BLOG_ID = "7070707070707070707"
_HOST = "https://stress-test.blogspot.com"

# Words in several scripts, so that cleaning sees ASCII, Latin-1, Vietnamese, Cyrillic and
# CJK text; typographic punctuation and mojibake come in through the sentence builder.
_WORDS = {
    "en": "the of and to in is was for on that with as garden kitchen recipe river bread "
    "winter summer letter village market friend school story photo travel coffee music",
    "de": "und der die das ist nicht mit für über schön Straße Küche Mädchen Bücher Grüße "
    "heute morgen wirklich endlich Geschichte Freunde",
    "fr": "le la les est pas pour avec été très déjà où château crème élève garçon "
    "fenêtre côté théâtre",
    "vi": "tôi là của và có không người này những được một cũng đã với tình yêu",
    "ru": "и в не на что он она это как по но из за так уже книга город",
    "zh": "我们 你们 他们 今天 明天 生活 时间 朋友 工作 学习 中国 北京",
}
_MOJIBAKE = ("itâ€™s", "donâ€™t", "â€œquotedâ€\x9d", "cafÃ©", "â€”", "Itâs")
_TYPOGRAPHY = ("’", "“", "”", "—", "…", "–")


def _sentence(rng: random.Random, words: int, language: str, damage: float) -> str:
    pool = _WORDS[language].split()
    out = [rng.choice(pool) for _ in range(words)]
    if rng.random() < damage:
        out.insert(rng.randrange(len(out) + 1), rng.choice(_MOJIBAKE))
    if rng.random() < 0.3:  # noqa: PLR2004 - a share of sentences carry typographic marks
        out.insert(rng.randrange(len(out) + 1), rng.choice(_TYPOGRAPHY))
    return escape(" ".join(out).capitalize() + ".", quote=False)


@dataclass(frozen=True, slots=True)
class Shape:
    """One costly page shape: its post body, its extra template weight and its comments."""

    name: str
    body: Callable[[random.Random, int], str]
    widgets: int = 12
    """Sidebar widgets (each with a list of links and a script)."""
    comments: int = 6
    wrappers: int = 3
    """Extra ``div`` wrappers between the post box and the template's main column."""
    rendered: bool = False
    """The thread as Blogger's script renders it (a page saved from a browser), not as served."""
    listed: bool = False
    """The thread as Layouts-era templates print it: a definition list, a footer per comment."""
    early: bool = False
    """A page of Blogger's first templates (2003-2006), classic family only: a table layout,
    the post between style markers, its thread a ``div.blogComment`` block per comment."""


def _language(rng: random.Random) -> str:
    return rng.choice(("en", "en", "en", "de", "fr", "vi", "ru", "zh"))


def _short_paragraphs(rng: random.Random, scale: int) -> str:
    language = _language(rng)
    return "\n".join(
        f"<p>{_sentence(rng, rng.randint(2, 12), language, 0.01)}</p>" for _ in range(800 * scale)
    )


def _br_lines(rng: random.Random, scale: int) -> str:
    language = _language(rng)
    lines = []
    for _ in range(900 * scale):
        lines.append(_sentence(rng, rng.randint(3, 14), language, 0.005))
        lines.append("<br />\n<br />" if rng.random() < 0.25 else "<br />")  # noqa: PLR2004
    return "\n".join(lines)


def _div_lines(rng: random.Random, scale: int) -> str:
    language = _language(rng)
    lines = []
    for _ in range(700 * scale):
        text = _sentence(rng, rng.randint(3, 16), language, 0.01)
        if rng.random() < 0.2:  # noqa: PLR2004 - inline formatting inside some lines
            text = f"<span style='font-family: inherit;'><b>{text}</b></span>"
        lines.append(f"<div>{text}</div>")
        if rng.random() < 0.3:  # noqa: PLR2004 - the editor's blank-line spacers
            lines.append("<div><br /></div>")
    return "\n".join(lines)


def _long_prose(rng: random.Random, scale: int) -> str:
    language = _language(rng)
    return "\n".join(
        "<p>"
        + " ".join(_sentence(rng, rng.randint(8, 25), language, 0.002) for _ in range(8))
        + "</p>"
        for _ in range(40 * scale)
    )


def _mixed_blocks(rng: random.Random, scale: int) -> str:
    language = _language(rng)
    parts = []
    for index in range(120 * scale):
        text = _sentence(rng, rng.randint(4, 20), language, 0.01)
        kind = index % 6
        if kind == 0:
            parts.append(f"<h3>{text}</h3>")
        elif kind == 1:
            parts.append(f"<ul><li>{text}</li><li>{text[::-1]}</li></ul>")
        elif kind == 2:  # noqa: PLR2004
            parts.append(f"<table><tr><td>{text}</td><td>{index}</td></tr></table>")
        elif kind == 3:  # noqa: PLR2004
            parts.append(
                "<div class='separator' style='clear: both;'><a href='https://example.invalid/"
                f"i{index}.jpg'><img border='0' src='https://example.invalid/i{index}.jpg'/>"
                "</a></div>"
            )
        elif kind == 4:  # noqa: PLR2004
            parts.append(f"<blockquote>{text}</blockquote>")
        else:
            parts.append(f"<p><span><i>{text}</i></span>&nbsp;<a href='#x'>{text}</a></p>")
    return "\n".join(parts)


def _few_paragraphs(rng: random.Random, scale: int) -> str:
    language = _language(rng)
    return "\n".join(
        f"<p>{_sentence(rng, rng.randint(10, 30), language, 0.02)}</p>" for _ in range(15 * scale)
    )


SHAPES: tuple[Shape, ...] = (
    Shape("short-paragraphs", _short_paragraphs),
    Shape("br-lines", _br_lines),
    Shape("div-lines", _div_lines),
    Shape("long-prose", _long_prose),
    Shape("mixed-blocks", _mixed_blocks, wrappers=12),
    Shape("heavy-template", _few_paragraphs, widgets=220, comments=20),
    Shape("comment-thread", _few_paragraphs, comments=900),
    Shape("deep-nesting", _mixed_blocks, wrappers=60, widgets=40),
    # Last, so that the pages before it (and their digests) are the same bytes as before it.
    Shape("rendered-thread", _few_paragraphs, comments=900, rendered=True),
    # Blogger shows at most 200 comments on a page of a Layouts template.
    Shape("classic-thread", _few_paragraphs, comments=200, listed=True),
    # The first templates never paged comments: a popular post's whole thread is one page.
    Shape("early-thread", _few_paragraphs, comments=300, early=True),
)
THEMES = ("layouts", "v2017", "classic", "third-party")


def _widget(rng: random.Random, number: int, v2: bool) -> str:
    links = "".join(
        f"<li><a href='{_HOST}/20{10 + n % 15}/0{1 + n % 9}/post-{number}-{n}.html'>"
        f"{_sentence(rng, 4, 'en', 0)}</a>"
        f"<div class='item-snippet'>{_sentence(rng, 12, 'en', 0)}</div></li>"
        for n in range(rng.randint(5, 25))
    )
    script = "var w%d = {%s};" % (number, ",".join(f"'k{n}': {n}" for n in range(60)))  # noqa: UP031
    heading = "h3 class='title'" if v2 else "h2"
    return (
        f"<div class='widget HTML' data-version='{2 if v2 else 1}' id='HTML{number}'>"
        f"<{heading}>{_sentence(rng, 3, 'en', 0)}</{heading.split()[0]}>"
        f"<div class='widget-content'><ul>{links}</ul>"
        f"<script type='text/javascript'>{script}</script></div></div>"
    )


def _comment_items(rng: random.Random, count: int, post_url: str) -> str:
    items = []
    for number in range(count):
        reply = number % 4 == 3  # noqa: PLR2004 - every fourth comment is a reply
        text = " ".join(_sentence(rng, rng.randint(5, 30), "en", 0.02) for _ in range(2))
        item = (
            f"<li class='comment' id='c{900 + number}'><div class='comment-block'>"
            f"<div class='comment-header'><cite class='user'><a href='https://www.blogger.com/"
            f"profile/{number}' rel='nofollow'>Reader {number}</a></cite>"
            f"<span class='datetime secondary-text'><a href='{post_url}?showComment={number}'>"
            f"June {1 + number % 28}, 2016 at 9:{number % 60:02d} AM</a></span></div>"
            f"<p class='comment-content'>{text}</p></div></li>"
        )
        items.append(f"<div class='comment-replies'><ol>{item}</ol></div>" if reply else item)
    return "\n".join(items)


_XHTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
)


def _rendered_item(rng: random.Random, number: int, post_url: str, replies: str) -> str:
    """One comment as Blogger's comments script renders it (ids ``bc_0_NB``, ``kind``)."""
    cid = 5_100_000_000_000_000_000 + number * 7_919
    shown = 1_465_000_000_000 + number * 61_000
    key = f"bc_0_{number}"
    if number % 7 == 5:  # noqa: PLR2004 - some readers comment without a profile
        cite = "<cite class='user'>Anonymous</cite><span class='icon user'></span>"
    else:
        author = "user blog-author" if number % 11 == 3 else "user"  # noqa: PLR2004
        cite = (
            f"<cite class='{author}'><a rel='nofollow' href='https://www.blogger.com/profile/"
            f"0{number:019d}'>Reader {number}</a></cite><span class='icon {author}'></span>"
        )
    if number % 37 == 20:  # noqa: PLR2004 - a removed comment keeps its place in the thread
        text = "<span class='deleted-comment'>This comment has been removed by the author.</span>"
    else:
        text = "<br /><br />".join(
            _sentence(rng, rng.randint(4, 24), "en", 0.02) for _ in range(1 + number % 3)
        )
    return (
        f"<li id='{key}B' class='comment' kind='b'><div class='avatar-image-container'>"
        f"<img src='//img1.blogblog.com/img/blank.gif'></img></div>"
        f"<div id='c{cid}' class='comment-block'><div id='{key}M' class='comment-header' "
        f"kind='m'>{cite}<span class='datetime secondary-text'><a rel='nofollow' "
        f"href='{post_url}?showComment={shown}#c{cid}'>June {1 + number % 28}, 2016 at "
        f"9:{number % 60:02d} AM</a></span></div><p id='{key}MC' class='comment-content'>{text}"
        f"</p><span id='{key}MN' class='comment-actions secondary-text' kind='m'><a kind='i' "
        "href='javascript:;' target='_self' o='r'>Reply</a><span class='item-control "
        f"blog-admin pid-{number}'><a o='d' target='_self' href='https://www.blogger.com/"
        f"delete-comment.g?blogID={_BLOG_ID}&amp;postID={cid}'>Delete</a></span></span></div>"
        f"<div id='{key}BR' class='comment-replies'>{replies}</div>"
        f"<div id='{key}B_box' class='comment-replybox-single'></div></li>"
    )


def _rendered_replies(key: str, items: str) -> str:
    """A comment's replies as the script nests them: ``span > div.inline-thread > ol > div``."""
    return (
        f"<span id='{key}b+seedR' kind='d'><div id='{key}T' class='comment-thread inline-thread' "
        f"kind='t' t='0' u='0'><span id='{key}TT' class='thread-toggle thread-expanded' "
        f"kind='g'><span id='{key}TA' class='thread-arrow'></span><span id='{key}TN' "
        "class='thread-count'><a href='javascript:;' target='_self'>Replies</a></span></span>"
        f"<ol id='{key}TC' class='thread-chrome thread-expanded'><div>{items}</div>"
        f"<div id='{key}I' class='continue' kind='ci'><a href='javascript:;' target='_self'>"
        f"Reply</a></div></ol><div id='{key}T_box' class='comment-replybox-thread'></div>"
        "</div></span>"
    )


def _rendered_thread(rng: random.Random, count: int, post_url: str) -> str:
    """A thread as the script renders it: three comments in eight are replies."""
    items = []
    number = 0
    while number < count:
        top = number
        replies = []
        number += 1
        while number < count and number % 8 in (3, 6, 7):  # noqa: PLR2004
            replies.append(_rendered_item(rng, number, post_url, ""))
            number += 1
        nested = _rendered_replies(f"bc_0_{top}R", "".join(replies)) if replies else ""
        items.append(_rendered_item(rng, top, post_url, nested))
    return (
        f"<div id='bc_0_{count}C' kind='c'><div id='bc_0_{count}CT'><div id='bc_0_{count}T' "
        f"class='comment-thread' kind='r' t='0' u='0'><ol id='bc_0_{count}TB'>{''.join(items)}"
        f"</ol><div id='bc_0_{count}I' class='continue' kind='ci'><a href='javascript:;' "
        f"target='_self'>Add comment</a></div><div id='bc_0_{count}T_box' "
        f"class='comment-replybox-thread'></div><div id='bc_0_{count}L' class='loadmore loaded' "
        "kind='rb'><a href='javascript:;' target='_self'>Load more...</a></div></div></div></div>"
    )


def _listed_term(rng: random.Random, number: int, post_url: str) -> str:
    """One comment as a Layouts template (Minima, Simple ...) prints it: ``dt``, ``dd``, footer."""
    cid = 6_200_000_000_000_000_000 + number * 7_919
    shown = 1_300_000_000_000 + number * 3_600_000
    profile = f"{number % 90:020d}"
    if number % 6 == 4:  # noqa: PLR2004 - some readers comment without a profile
        avatar = (
            '<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="'
            '//resources.blogblog.com/img/blank.gif" width="35" height="35" alt="" '
            'title="Anonymous">\n\n</span></div>'
        )
        name, author = "Anonymous", "comment-author "
    else:
        avatar = (
            f'<div class="avatar-image-container vcard"><span dir="ltr"><a href="https://'
            f'www.blogger.com/profile/{profile}" target="" rel="nofollow" onclick="" '
            f'class="avatar-hovercard" id="av-{cid}-{profile}"><img src="//example.invalid/'
            f'a{number % 90}.png" width="35" height="35" alt="" title="Reader '
            f'{number % 90}">\n\n</a></span></div>'
        )
        name = (
            f"<a href='https://www.blogger.com/profile/{profile}' rel='nofollow'>Reader "
            f"{number % 90}</a>"
        )
        author = "comment-author blog-author" if number % 9 == 2 else "comment-author "  # noqa: PLR2004
    if number % 37 == 20:  # noqa: PLR2004 - a removed comment keeps its place in the thread
        text = "<span class='deleted-comment'>This comment has been removed by the author.</span>"
    else:
        lines = [_sentence(rng, rng.randint(4, 28), "en", 0.02) for _ in range(1 + number % 4)]
        if number % 5 == 1:  # noqa: PLR2004 - a link in the text
            lines[0] += " <a href='http://example.invalid/more' rel='nofollow'>more here</a>"
        if number % 13 == 7:  # noqa: PLR2004 - inline markup
            lines[-1] = f"<i>{lines[-1]}</i>"
        text = f"<p>\n{'<br /><br />'.join(lines)}\n</p>"
    return (
        f"<dt class='{author}' id='c{cid}'>\n<a name='c{cid}'></a>\n{avatar}\n{name}\nsaid...\n"
        f"</dt>\n<dd class='comment-body' id='Blog1_cmt-{cid}'>\n{text}\n</dd>\n"
        "<dd class='comment-footer'>\n<span class='comment-timestamp'>\n"
        f"<a href='{post_url}?showComment={shown}#c{cid}' title='comment permalink'>\n"
        f"April {1 + number % 28}, 2011 at {1 + number % 12}:{number % 60:02d}&#8239;PM\n</a>\n"
        f"<span class='item-control blog-admin pid-{number}'>\n<a class='comment-delete' "
        f"href='https://www.blogger.com/comment/delete/{_BLOG_ID}/{cid}' title='Delete Comment'>"
        "\n<img src='https://resources.blogblog.com/img/icon_delete13.gif'/>\n</a>\n</span>\n"
        "</span>\n</dd>\n"
    )


def _listed_thread(rng: random.Random, count: int, post_url: str) -> str:
    """A Layouts template's thread: ``dl#comments-block`` in its wrapper."""
    terms = "".join(_listed_term(rng, number, post_url) for number in range(count))
    return (
        "<div id='Blog1_comments-block-wrapper'>\n<dl class='avatar-comment-indent' "
        f"id='comments-block'>\n{terms}</dl>\n</div>"
    )


_EARLY_THEMES = ("classic",)
_EARLY_BLOG_ID = "7173751"
# A comment of 2005: its id is its creation time in epoch ms, then five more digits.
_EARLY_FIRST_MS = 1_104_000_000_000


def _early_block(rng: random.Random, number: int, post_url: str) -> str:
    """One comment as the first templates print it (``<$BlogCommentBody$>`` and its byline)."""
    milliseconds = _EARLY_FIRST_MS + number * 3_917_000 + number % 997
    cid = f"{milliseconds}{number % 100_000:05d}"
    minute = milliseconds // 60_000 % 60
    hour = milliseconds // 3_600_000 % 24
    shown = f"{(hour - 1) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"  # noqa: PLR2004
    if number % 41 == 17:  # noqa: PLR2004 - a removed comment keeps its place in the thread
        text = "This post has been removed by the author."
    else:
        lines = [
            _sentence(rng, rng.randint(4, 40), _language(rng), 0.02) for _ in range(1 + number % 5)
        ]
        if number % 7 == 3:  # noqa: PLR2004 - a link in the text
            lines[0] += " <a href='http://example.invalid/a?b=1&amp;c=2' rel='nofollow'>here</a>"
        if number % 11 == 5:  # noqa: PLR2004 - inline markup
            lines[-1] = f"<b>{lines[-1]}</b> <i>really</i>"
        text = "<BR/><BR/>".join(lines) if number % 3 else "<br />".join(lines)
    if number % 5 == 2:  # noqa: PLR2004 - a reader without a profile
        poster = "Anonymous :"
    else:
        poster = (
            f"<a href='http://www.blogger.com/profile/{100_000 + number % 70}' rel='nofollow'>"
            f"Reader {number % 70}</a>:"
        )
    control = (
        f'<span class="item-control admin-1811622599 pid-1265515124"><a style="border:none;" '
        f'href="http://www.blogger.com/delete-comment.g?blogID={_EARLY_BLOG_ID}&amp;postID={cid}"'
        ' title="Delete Comment" ><span class="delete-comment-icon">&nbsp;</span></a></span>'
        if number % 2
        else ""
    )
    return (
        f'\n<div class="blogComment">\n&nbsp;<br /><a name="{cid}"></a>\n{text}<br />\n'
        f'<div class="byline">\n<a href="{post_url}#{cid}" title="permanent link">#</a>\n'
        f"posted by {poster}\n{shown}\n</div>\n{control}\n</div>"
    )


def _early_page(
    shape: Shape, theme: str, rng: random.Random, scale: int, number: int
) -> StressPage:
    """A post page of the first templates: ``theme`` is "classic" (they had no other)."""
    post_id = f"{_EARLY_FIRST_MS + number}12345"
    url = f"http://stress-early.example.net/log/2005/06/{shape.name}-{theme}-{number}.html"
    title = _sentence(rng, 6, "en", 0)
    blocks = "".join(_early_block(rng, n, url) for n in range(shape.comments))
    archive = "".join(
        f"<a href='http://stress-early.example.net/log/{year}_{month:02d}_01_archive.html'>"
        f"{year}-{month:02d}</a><br />\n"
        for year in (2003, 2004, 2005)
        for month in range(1, 13)
    )
    service = f"https://www.blogger.com/atom/{_EARLY_BLOG_ID}"
    comment_form = f"http://www.blogger.com/comment.g?blogID={_EARLY_BLOG_ID}&amp;postID={post_id}"
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><title>Stress log: {title}</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="generator" content="Blogger" />
<link rel="service.post" type="application/atom+xml" href="{service}" />
</head><body bgcolor="#556677"><table align="center" width="95%" border="0"><tr>
<td width="25%" valign="top"><div class="posts">Archives<br />{archive}</div></td>
<td valign="top"><h3><a name="2005-06-15" href="#2005-06-15">2005-06-15</a></h3>
<div class="posts"><a name="{post_id}"></a><h2><font color="#000080">{title}</font></h2>
<p><div style="clear:both;"></div>{shape.body(rng, scale)}
<div style="clear:both; padding-bottom: 0.25em;"></div></p>
<span class="byline">posted by Ann Example at <a href="{url}">6/15/2005 09:37:00 AM</a></span>
<div class="blogComments">&nbsp;<br /><b><i>Comments:</i></b>{blocks}
<a class="comment-link" href="{comment_form}">Post a Comment</a>
</div></div></td></tr></table></body></html>"""
    return StressPage(f"{shape.name}/{theme}#{number}", url, html.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class StressPage:
    """A generated page: ``name`` is ``shape/theme[#n]``; ``url`` is its permalink."""

    name: str
    url: str
    body: bytes


def _context(post_id: str) -> str:
    return (
        "<script type='text/javascript'>window['__wavt'] = 'x';"
        "_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d" + _BLOG_ID + "', "
        "'//stress-test.blogspot.com/', '" + _BLOG_ID + "');"
        "_WidgetManager._SetDataContext([{'name': 'blog', 'data': {'blogId': '" + _BLOG_ID + "', "
        "'locale': 'en', 'pageType': 'item', 'postId': '" + post_id + "'}}]);</script>"
    )


def _holder(shape: Shape, theme: str, comments: str) -> str:
    """The thread inside ``.comments-content``: served, or rendered (021: no holder in 2017)."""
    if not shape.rendered:
        return (
            f"<div id='comment-holder'><div class='comment-thread'><ol>{comments}</ol></div></div>"
        )
    return comments if theme == "v2017" else f"<div id='comment-holder'>{comments}</div>"


def _page(shape: Shape, theme: str, rng: random.Random, scale: int, number: int) -> StressPage:
    post_id = str(4_000_000_000_000_000_000 + number)
    url = f"{_HOST}/2016/06/{shape.name}-{theme}-{number}.html"
    title = _sentence(rng, 6, "en", 0)
    body = shape.body(rng, scale)
    v2 = theme == "v2017"
    widgets = "\n".join(_widget(rng, n, v2) for n in range(shape.widgets))
    if shape.rendered:
        comments = _rendered_thread(rng, shape.comments, url)
    elif shape.listed:
        comments = _listed_thread(rng, shape.comments, url)
    else:
        comments = _comment_items(rng, shape.comments, url)
    opened, closed = "<div class='wrap'>" * shape.wrappers, "</div>" * shape.wrappers
    styles = "\n".join(f".w{n} .c{n} {{ margin: {n}px; color: #{n:06x}; }}" for n in range(800))
    if theme == "classic":
        post = (
            f"<h2 class='date-header'>Wednesday, June 15, 2016</h2><div class='post'>"
            f"<a name='{post_id}'></a><h3 class='post-title'>{title}</h3>"
            f"<div class='post-body'>{body}</div>"
            f"<p class='post-footer'><em>posted by Ann Example at 9:37 AM</em> | "
            f"<a class='comment-link' href='{url}#comments'>{shape.comments} comments</a></p>"
            f"</div><div id='comments'><h4>{shape.comments} Comments:</h4>"
            + (
                f"<div class='comments-content'>{comments}</div></div>"
                if shape.rendered
                else f"{comments}</div>"
                if shape.listed
                else "<dl id='comments-block'>"
                + "".join(
                    f"<dt class='comment-author'>Reader {n} said...</dt><dd><p>"
                    f"{_sentence(rng, 12, 'en', 0)}</p></dd>"
                    for n in range(shape.comments)
                )
                + "</dl></div>"
            )
        )
        context, head_extra = "", ""
    else:
        body_class = {
            "layouts": f"post-body entry-content' id='post-body-{post_id}",
            "v2017": f"post-body entry-content float-container' id='post-body-{post_id}",
            "third-party": "post-body' id='postBody",
        }[theme]
        comments_open = (
            f"<section class='comments threaded' data-num-comments='{shape.comments}' "
            "id='comments'>"
            if v2
            else "<div class='comments' id='comments'>"
        )
        post = (
            f"<div class='post-outer'><div class='post hentry' itemprop='blogPost'>"
            f"<a name='{post_id}'></a><h3 class='post-title entry-title'>{title}</h3>"
            f"<div class='post-header'><span class='byline post-timestamp'>"
            f"<time class='published' datetime='2016-06-15T09:37:00+02:00'>June 15, 2016"
            f"</time></span></div>"
            f"<div class='{body_class}' itemprop='description articleBody'>{body}"
            f"<div style='clear: both;'></div></div>"
            f"<div class='post-footer'><span class='post-author vcard'>Posted by "
            f"<span class='fn'>Ann Example</span></span>"
            f"<span class='post-labels'>Labels: <a href='{_HOST}/search/label/a' rel='tag'>a"
            f"</a>, <a href='{_HOST}/search/label/b' rel='tag'>b</a></span></div></div>"
            f"{comments_open}<h4>{shape.comments} comments:</h4>"
            + (
                comments
                if shape.listed
                else f"<div class='comments-content'>{_holder(shape, theme, comments)}</div>"
            )
            + f"{'</section>' if v2 else '</div>'}</div>"
        )
        context = _context(post_id)
        head_extra = f"<link href='{url}' rel='canonical'/>"
        if v2:
            head_extra += (
                '<script type=\'application/ld+json\'>{"@context": "http://schema.org", '
                '"@type": "BlogPosting", "headline": "' + title.replace('"', "") + '", '
                '"datePublished": "2016-06-15T09:37:00+02:00"}</script>'
            )
    widget_class = "widget Blog' data-version='2" if v2 else "widget Blog' data-version='1"
    # Layouts and classic templates declare XHTML (libxml2 then writes the tree XHTML-style).
    xhtml = (shape.rendered or shape.listed) and theme in ("layouts", "classic")
    html = f"""{_XHTML if xhtml else "<!DOCTYPE html>"}
<html dir='ltr' lang='en'><head>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<title>Stress blog: {title}</title>{head_extra}
<style type='text/css'>{styles}</style>
<script type='text/javascript'>{"var t=1;" * 2000}</script>
</head><body><div class='navbar section' id='navbar'></div>
<div class='content-outer'><div class='header section' id='header'><h1 class='title'>
Stress blog</h1></div><div class='columns'><div class='main section' id='main'>
<div class='{widget_class}' id='Blog1'>{opened}{post}{closed}</div></div>
<div class='sidebar section' id='sidebar'>{widgets}</div></div></div>
{context}</body></html>"""
    return StressPage(f"{shape.name}/{theme}#{number}", url, html.encode("utf-8"))


def stress_pages(seed: int = 15, scale: int = 1, copies: int = 1) -> list[StressPage]:
    """Return ``copies`` pages of every shape in every theme family (deterministic).

    ``scale`` multiplies the size of the shape's body (paragraph or line count).
    """
    rng = random.Random(seed)
    pages = []
    number = 0
    for shape in SHAPES:
        page = _early_page if shape.early else _page
        for theme in _EARLY_THEMES if shape.early else THEMES:
            for _ in range(copies):
                pages.append(page(shape, theme, rng, scale, number))
                number += 1
    return pages
