"""Theme families the fake blogs render with, and the pages every theme shares.

A theme module defines ``post_page(blog, post, newer, older)``, ``listing_page(blog,
listing)`` and ``static_page(blog, url, title, paragraphs)``, each returning HTML text.
"""

# ruff: noqa: E501  (template markup: one HTML element per line reads better than wrapped strings)

from __future__ import annotations

from types import ModuleType

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.themes import contempo, layouts, plusui
from tests.fakeblog.themes.common import esc

_THEMES: dict[str, ModuleType] = {"layouts": layouts, "contempo": contempo, "plusui": plusui}


def theme_module(name: str) -> ModuleType:
    """The module rendering theme ``name`` (one of ``spec.THEMES``)."""
    return _THEMES[name]


def not_found_page(blog: FakeBlog) -> str:
    """Blogger's 404 page for a missing post on an existing blog."""
    return f"""<!DOCTYPE html>
<html dir='ltr' lang='en'><head><meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/><title>{esc(blog.title)}</title></head>
<body><div class='main section' id='main'><div class='widget Blog' data-version='1' id='Blog1'>
<div class='status-msg-wrap'><div class='status-msg-body'>Sorry, the page you were looking for in this blog does not exist.</div></div>
<a class='home-link' href='{blog.base_url}/'>Home</a></div></div></body></html>
"""


def js_shell_page(blog: FakeBlog, url: str) -> str:
    """A Dynamic Views shell: head metadata and scripts, but no post body in the HTML."""
    return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' lang='en'><head>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<meta content='!' name='fragment'/>
<meta content='dynamic' name='blogger-template'/>
<link href='{esc(url)}' rel='canonical'/>
<title>{esc(blog.title)}</title>
<script type='text/javascript' src='//www.blogblog.com/dynamicviews/fake/js/magazine.js'></script>
</head>
<body class='loading'><div id='content'></div>
<script type='text/javascript'>window.blogger.ui().configure().view();</script>
</body></html>
"""
