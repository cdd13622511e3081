"""Small Blogger-like pages built in tests, for the parsing tests.

``layouts_page`` writes a minimal Layouts-theme item page around a body and a comments
block, so that a test can vary one thing (the comment heading, the body markup, the
charset) and keep everything else realistic.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"

POST_URL = "https://fixture-blog.blogspot.com/2020/05/a-post.html"


def layouts_page(
    body_html: str,
    *,
    comments_html: str = "",
    charset: str = "UTF-8",
    title: str = "A post",
    page_type: str = "item",
) -> str:
    """Return a Layouts item page holding ``body_html`` and ``comments_html`` (as text)."""
    return f"""<!DOCTYPE html>
<html><head>
<meta content='text/html; charset={charset}' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{POST_URL}' rel='canonical'/>
<title>Fixture blog: {title}</title>
</head><body>
<div class='widget Blog' data-version='1' id='Blog1'><div class='post-outer'>
<div class='post hentry'>
<h3 class='post-title entry-title'>{title}</h3>
<div class='post-body entry-content' id='post-body-1000000000000000001'>{body_html}</div>
<div class='post-footer'><span class='post-author vcard'>Posted by
<span class='fn'>Fixture Author</span></span></div>
</div>
<div class='comments' id='comments'>{comments_html}</div>
</div></div>
<script>_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{
'blogId': '2000000000000000002', 'pageType': '{page_type}', 'postId': '1000000000000000001'
}}}}]);</script>
</body></html>
"""


def fixture_text(name: str) -> str:
    """Return the UTF-8 text of the fixture page ``name``."""
    return fixture_bytes(name).decode("utf-8")


def fixture_bytes(name: str) -> bytes:
    """Return the bytes of ``tests/fixtures/pages/<name>``."""
    return (FIXTURES / name).read_bytes()
