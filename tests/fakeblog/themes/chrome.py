"""The per-blog page chrome: skin CSS, navbar, sidebar widgets and scripts, shared by every page.

Built once per blog on first use and frozen, like the existing ``sidebar_labels``/
``sidebar_months``: a later mutation changes only the pages it should. ``Chrome.shared`` lists
the big pieces as ``(text, encoded)`` so the router can keep one copy of each in memory and
splice it into every cached page (see ``routes.splice``).

Sizes (characters) are per theme family, chosen so that post pages land near the corpus's
median of ~165 KB: ``SKIN_SIZE`` of CSS, and a minified script bundle that tops the chrome
up to ``CHROME_SIZE`` (a big blog's archive widget is longer, so its bundle is shorter).
"""

# ruff: noqa: E501  (template markup: one HTML element per line reads better than wrapped strings)

from __future__ import annotations

import random
import weakref
from dataclasses import dataclass

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakePost
from tests.fakeblog.themes import scripts
from tests.fakeblog.themes.common import esc, snippet
from tests.fakeblog.themes.skin import skin_css

SKIN_SIZE = {"layouts": 70_000, "contempo": 76_000, "plusui": 64_000}
CHROME_SIZE = {"layouts": 152_000, "contempo": 156_000, "plusui": 160_000}
"""Characters of chrome per theme: the script bundle fills what skin and widgets leave."""
MIN_BUNDLE = 16_000
POPULAR_COUNT = 10
"""Posts the Popular Posts widget shows (title, thumbnail, snippet)."""

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WIDGETS = [
    ("Navbar", "Navbar1", "navbar"),
    ("Header", "Header1", "header"),
    ("Blog", "Blog1", "main"),
    ("Profile", "Profile1", "sidebar-right-1"),
    ("PopularPosts", "PopularPosts1", "sidebar-right-1"),
    ("BlogArchive", "BlogArchive1", "sidebar-right-1"),
    ("Label", "Label1", "sidebar-right-1"),
    ("Followers", "Followers1", "sidebar-right-1"),
    ("FollowByEmail", "FollowByEmail1", "sidebar-right-1"),
    ("Subscribe", "Subscribe1", "sidebar-right-1"),
    ("Attribution", "Attribution1", "footer-3"),
]


@dataclass(frozen=True)
class Chrome:
    """The shared markup of one blog's pages; each field is a complete HTML fragment."""

    head: str
    """Skin ``<style>`` and the ``jstiming`` script, for inside ``<head>``."""
    navbar: str
    """The Navbar widget (iframe container and its loader script)."""
    widgets: str
    """Sidebar widgets: Popular Posts, Blog Archive (years → months → posts), Followers,
    Follow by Email. Themes add their own Labels/Profile/Subscribe markup beside it."""
    tail: str
    """Comment-iframe helper, analytics, theme bundle and ``_RegisterWidget`` calls."""

    @property
    def shared(self) -> list[tuple[str, bytes]]:
        """The fragments worth sharing between cached pages, with their UTF-8 encoding."""
        return [(part, part.encode()) for part in (self.head, self.widgets, self.tail)]


_BUILT: weakref.WeakKeyDictionary[FakeBlog, tuple[Chrome, list[tuple[str, bytes]]]] = (
    weakref.WeakKeyDictionary()
)


def chrome(blog: FakeBlog) -> Chrome:
    """The blog's chrome, built on first call and the same object ever after."""
    return _built(blog)[0]


def shared_parts(blog: FakeBlog) -> list[tuple[str, bytes]]:
    """``chrome(blog).shared``, encoded once per blog."""
    return _built(blog)[1]


def _built(blog: FakeBlog) -> tuple[Chrome, list[tuple[str, bytes]]]:
    found = _BUILT.get(blog)
    if found is None:
        made = _build(blog)
        found = (made, made.shared)
        _BUILT[blog] = found
    return found


def _build(blog: FakeBlog) -> Chrome:
    theme = blog.spec.theme
    head = (
        f"<style id='template-skin-1' type='text/css'><!--\n{skin_css(theme, SKIN_SIZE[theme])}\n--></style>\n"
        f"{scripts.JSTIMING}"
    )
    navbar = _navbar(blog)
    widgets = "\n".join((_popular(blog), _archive(blog), _followers(blog), _follow_by_email(blog)))
    others = scripts.comment_iframe_script(blog.blog_id), scripts.register_widgets(_WIDGETS)
    used = len(head) + len(navbar) + len(widgets) + sum(map(len, others))
    # Rounded to 4 KB so that blogs of similar size share one cached bundle string.
    bundle_size = max(MIN_BUNDLE, (CHROME_SIZE[theme] - used) // 4096 * 4096)
    tail = "\n".join((others[0], scripts.theme_bundle(theme, bundle_size), others[1]))
    return Chrome(head, navbar, widgets, tail)


def _navbar(blog: FakeBlog) -> str:
    return f"""<div class='navbar section' id='navbar' name='Navbar'><div class='widget Navbar' data-version='1' id='Navbar1'><script type="text/javascript">
function setAttributeOnload(object, attribute, val) {{ if(window.addEventListener) {{ window.addEventListener('load', function(){{ object[attribute] = val; }}, false); }} else {{ window.attachEvent('onload', function(){{ object[attribute] = val; }}); }} }}
</script>
<div id="navbar-iframe-container"></div>
<script type="text/javascript" src="https://apis.google.com/js/platform.js"></script>
<script type="text/javascript">
gapi.load("gapi.iframes:gapi.iframes.style.bubble", function() {{ if (gapi.iframes && gapi.iframes.getContext) {{
gapi.iframes.getContext().openChild({{ url: 'https://www.blogger.com/navbar/{blog.blog_id}?origin\\x3dhttp://{blog.host}', where: document.getElementById("navbar-iframe-container"), id: "navbar-iframe" }}); }} }});
</script></div></div>"""


def _thumbnail(rng: random.Random) -> str:
    token = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        for _ in range(160)
    )
    return (
        f"https://blogger.googleusercontent.com/img/b/R29vZ2xl/{token}/w72-h72-p-k-no-nu/thumb.jpg"
    )


def _popular(blog: FakeBlog) -> str:
    rng = random.Random(int(blog.blog_id) ^ 0x909)
    chosen = rng.sample(blog.posts, min(POPULAR_COUNT, len(blog.posts)))
    items = "\n".join(
        f"<li><div class='item-content'><div class='item-thumbnail'><a href='{p.url}' target='_blank'>"
        f"<img alt='' border='0' src='{_thumbnail(rng)}'/></a></div>"
        f"<div class='item-title'><a href='{p.url}'>{esc(p.title)}</a></div>"
        f"<div class='item-snippet'>{esc(snippet(p, 300))}</div></div><div style='clear: both;'></div></li>"
        for p in chosen
    )
    return f"""<div class='widget PopularPosts' data-version='1' id='PopularPosts1'><h2>Popular Posts</h2>
<div class='widget-content popular-posts'><ul>
{items}
</ul><div class='clear'></div></div></div>"""


def _archive(blog: FakeBlog) -> str:
    """Blogger's hierarchy archive: newest year and month expanded down to post titles."""
    by_year: dict[int, dict[int, list[FakePost]]] = {}
    for post in blog.posts:
        local = post.published.astimezone(blog.tz)
        by_year.setdefault(local.year, {}).setdefault(local.month, []).append(post)
    years: list[str] = []
    for y_index, (year, months) in enumerate(sorted(by_year.items(), reverse=True)):
        total = sum(len(posts) for posts in months.values())
        month_items: list[str] = []
        for m_index, (month, posts) in enumerate(sorted(months.items(), reverse=True)):
            open_month = y_index == 0 and m_index == 0
            titles = (
                "<ul class='posts'>"
                + "".join(f"<li><a href='{p.url}'>{esc(p.title)}</a></li>" for p in posts)
                + "</ul>"
                if open_month
                else ""
            )
            month_items.append(
                _archive_node(
                    blog, f"{year}/{month:02d}", _MONTHS[month - 1], len(posts), open_month, titles
                )
            )
        inner = f"<ul class='hierarchy'>{''.join(month_items)}</ul>"
        years.append(_archive_node(blog, f"{year}", str(year), total, y_index == 0, inner))
    return f"""<div class='widget BlogArchive' data-version='1' id='BlogArchive1'><h2>Blog Archive</h2>
<div class='widget-content'><div id='ArchiveList'><div id='BlogArchive1_ArchiveList'>
<ul class='hierarchy'>{"".join(years)}</ul></div></div><div class='clear'></div></div></div>"""


def _archive_node(
    blog: FakeBlog, path: str, name: str, count: int, expanded: bool, inner: str
) -> str:
    state, arrow = ("expanded", "toggle-open'>&#9660;") if expanded else ("collapsed", "'>&#9658;")
    return (
        f"<li class='archivedate {state}'><a class='toggle' href='javascript:void(0)'>"
        f"<span class='zippy{' ' if expanded else ''}{arrow}&nbsp;</span></a>"
        f"<a class='post-count-link' href='{blog.base_url}/{path}/'>{name}</a> "
        f"<span class='post-count' dir='ltr'>({count})</span>{inner}</li>"
    )


def _followers(blog: FakeBlog) -> str:
    return f"""<div class='widget Followers' data-version='1' id='Followers1'><h2 class='title'>Followers</h2>
<div class='widget-content'><div id='Followers1-wrapper'><div style='margin-right:2px;'><div><script type="text/javascript" src="https://apis.google.com/js/platform.js"></script>
<div id="followers-iframe-container"></div>
<script type="text/javascript">window.followersIframe = null; function followersIframeOpen(url) {{ gapi.load("gapi.iframes", function() {{ if (gapi.iframes && gapi.iframes.getContext) {{ window.followersIframe = gapi.iframes.getContext().openChild({{ url: url, where: document.getElementById("followers-iframe-container"), messageHandlersFilter: gapi.iframes.CROSS_ORIGIN_IFRAMES_FILTER }}); }} }}); }}
followersIframeOpen("https://www.blogger.com/followers/frame/{blog.blog_id}?colors\\x3dCgt0cmFuc3BhcmVudBILdHJhbnNwYXJlbnQ\\x26pageSize\\x3d21\\x26origin\\x3dhttp://{blog.host}/");</script></div></div></div><div class='clear'></div></div></div>"""


def _follow_by_email(blog: FakeBlog) -> str:
    return f"""<div class='widget FollowByEmail' data-version='1' id='FollowByEmail1'><h2 class='title'>Follow by Email</h2>
<div class='widget-content'><div class='follow-by-email-inner'><form action='https://feedburner.google.com/fb/a/mailverify' method='post' target='popupwindow'>
<table width='100%'><tr><td><input class='follow-by-email-address' name='email' placeholder='Email address...' type='text'/></td>
<td width='64px'><input class='follow-by-email-submit' type='submit' value='Submit'/></td></tr></table>
<input name='uri' type='hidden' value='{esc(blog.title.replace(" ", ""))}'/><input name='loc' type='hidden' value='en_US'/></form></div></div></div>"""
