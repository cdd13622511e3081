"""End to end: stored URLs keep the scheme the blog serves, while identity stays scheme-blind."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.database import make_engine, make_session_factory
from storage.models import Post
from storage.repository import upsert_posts
from tests.fakeblog import BlogSpec, FakeBlogger, serve
from tests.support.crawl import migrated_sqlite, run_crawl
from tests.support.storage_posts import make_post

pytestmark = pytest.mark.slow

HOST = "plainhttp.blogspot.com"
DOMAIN = "www.plain-http.test"


def _urls(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return sorted(session.scalars(select(Post.url)))
    finally:
        engine.dispose()


def test_an_http_only_custom_domain_keeps_http_urls_and_one_row_per_post(tmp_path):
    site = FakeBlogger([BlogSpec(HOST, posts=6, custom_domain=DOMAIN)])
    blog = site.blogs[0]
    database_url = migrated_sqlite(tmp_path)
    # A row stored before, under the https form a former version forced on every URL.
    old = blog.posts[2]
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        upsert_posts(
            session,
            [
                make_post(
                    1,
                    url=old.url.replace("http://", "https://"),
                    blog_url=f"https://{DOMAIN}/",
                    blog_id=blog.blog_id,
                    post_id=old.post_id,
                )
            ],
        )
    engine.dispose()
    with serve(site) as server:
        for _ in range(2):  # a first crawl, then an incremental one
            process = run_crawl(
                [f"http://{HOST}/"],
                database_url=database_url,
                data_dir=tmp_path,
                proxy_url=server.proxy_url,
            )
            assert process.returncode == 0, process.stderr[-3000:]
            urls = _urls(database_url)
            # Links that load: the blog serves http only, and its pages say so.
            assert urls == sorted(post.url for post in blog.posts)
            assert all(url.startswith(f"http://{DOMAIN}/") for url in urls)
