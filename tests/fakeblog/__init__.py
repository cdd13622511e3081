"""A fake Blogger: realistic blogs served on 127.0.0.1 for crawl, recrawl and scale-out tests.

The stable API::

    site = FakeBlogger.default(seed=1)             # 3 blogs, 65 posts, 3 theme families, faults
    site = FakeBlogger.single(posts=5000, theme="layouts", host="bench.blogspot.com")
    site = FakeBlogger([BlogSpec("x.blogspot.com", theme="contempo", posts=40)])
    site.expected_posts()    # canonical URL -> FakePost: what a correct crawl must store
    blog = site.blogs[0]; blog.edit_post(...); blog.add_post(...); blog.add_comment(...)
    with serve(site) as server:                    # background thread, 127.0.0.1, free port
        server.proxy_url                           # "http://127.0.0.1:PORT"
        server.requests; server.count(path_prefix="/feeds/"); server.reset_log()

Standalone: ``python -m tests.fakeblog --port 0 --posts 5000 [--theme layouts]``.
URL space, feed parameters, validators and faults: see ``tests/fakeblog/README.md``.
"""

from __future__ import annotations

from tests.fakeblog.faults import Fault, FaultKind
from tests.fakeblog.model import Clock, FakeBlog
from tests.fakeblog.posts import FakeComment, FakePost
from tests.fakeblog.server import FakeServer, RequestRecord, serve
from tests.fakeblog.site import FakeBlogger
from tests.fakeblog.spec import THEMES, BlogSpec

__all__ = [
    "THEMES",
    "BlogSpec",
    "Clock",
    "FakeBlog",
    "FakeBlogger",
    "FakeComment",
    "FakePost",
    "FakeServer",
    "Fault",
    "FaultKind",
    "RequestRecord",
    "serve",
]
