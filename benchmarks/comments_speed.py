"""Comments harvested from the blog-wide comments feed: comments stored per second, and the
extra requests per 1,000 comments, against a fake blog served by its own process.

Usage: ``python -m benchmarks.comments_speed [--posts 100] [--per-post 50] [--db URL]``
(default: 5,000 comments, a short run; ``--posts 500 --per-post 100`` is 50,000).

``python -m tests.fakeblog`` serves one blog of ``--posts`` posts with ``--per-post``
comments each (feed pages of at most ``--feed-cap`` entries, 150 as Blogger today). The posts
are stored first (not timed). Then, timed: every page of ``/feeds/comments/default`` is fetched
over loopback (through the fake's proxy), read (:func:`read_comment_feed`), cleaned, grouped
by post and stored (:func:`storage.comments.upsert_comments`, one transaction per page, as the
store stage writes), then one closing listing per post marks the read complete. A second,
identical pass shows the cost of a recrawl that finds nothing new. Prints figures; exit 0.

Extra requests per 1,000 comments compares the routes a crawl has: the blog-wide feed
(measured), the per-post feeds (one request per 150 comments of each post, at least one per
post: computed) and the page thread (no request beyond the post page, but at most 200
comments a post).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from benchmarks.crawl_speed import FakeBlogProcess
from crawler.cleaning.comments import clean_comments
from crawler.cleaning.report import CleaningReport
from crawler.discovery.feed import next_page_url
from crawler.feed_records.comment_entries import CommentFeedPage, read_comment_feed
from crawler.items import BlogPost, PostComments
from storage.comments import CommentWrite, upsert_comments
from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.repository import upsert_posts

HOST = "comments-bench.blogspot.com"
MAX_PAGES = 10_000  # a bound on the feed pages read (50,000 comments need 334 at 150 a page)


def _blog_server(posts: int, per_post: int, feed_cap: int) -> FakeBlogProcess:
    """The fake blog with ``per_post`` comments on each post (built lazily: 50,000 comments)."""
    options = ("--lazy", "--feed-cap", str(feed_cap), "--comments-per-post", str(per_post))
    return FakeBlogProcess(posts, *options, host=HOST)


def _posts(posts: int, per_post: int, feed_cap: int) -> list[BlogPost]:
    from tests.fakeblog import FakeBlogger  # noqa: PLC0415 - the same site the server built

    site = FakeBlogger.single(
        posts=posts,
        host=HOST,
        feed_cap=feed_cap,
        comments_per_post=per_post,
        comments_off_ratio=0.0,
    )
    return [
        BlogPost(
            url=post.canonical_url,
            title=post.title,
            body_paragraphs=post.paragraphs,
            comment_count=post.comment_count,
            blog_id=post.blog_id,
            post_id=post.post_id,
            published=post.published,
            blog_url=f"https://{HOST}/",
        )
        for post in site.blogs[0].posts
    ]


def _feed_pages(opener: urllib.request.OpenerDirector, feed_cap: int) -> Iterator[CommentFeedPage]:
    url: str | None = (
        f"http://{HOST}/feeds/comments/default?orderby=published&max-results={feed_cap}"
    )
    for _ in range(MAX_PAGES):
        if url is None:
            return
        with opener.open(url, timeout=60) as response:
            page = read_comment_feed(url, response.read())
        yield page
        url = next_page_url(page.paging)
    print(f"bound hit: stopped after {MAX_PAGES} feed pages")


def _listings(page: CommentFeedPage) -> list[PostComments]:
    by_post: dict[tuple[str | None, str | None, str | None], PostComments] = {}
    cleaned = clean_comments([c.comment for c in page.comments], report=CleaningReport())
    for read, comment in zip(page.comments, cleaned, strict=True):
        key = (read.blog_id, read.post_id, read.post_url)
        listing = by_post.get(key)
        if listing is None:
            listing = by_post[key] = PostComments(
                post_url=read.post_url, blog_id=read.blog_id, post_id=read.post_id
            )
        listing.comments.append(comment)
    return list(by_post.values())


def harvest(db_url: str, proxy_url: str, feed_cap: int) -> tuple[float, int, CommentWrite]:
    """Read the whole comments feed into the database; return (seconds, requests, totals)."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url})
    )
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    totals = CommentWrite()
    ids: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    requests = 0
    started = time.perf_counter()
    for page in _feed_pages(opener, feed_cap):
        requests += 1
        listings = _listings(page)
        with sessions.begin() as session:
            written = upsert_comments(session, listings)
        for listing in listings:
            key = (listing.blog_id, listing.post_id, listing.post_url)
            ids.setdefault(key, []).extend(c.id for c in listing.comments if c.id)
        _add(totals, written)
    closing = [
        PostComments(post_url=url, blog_id=blog, post_id=post, complete=True, listed_ids=listed)
        for (blog, post, url), listed in ids.items()
    ]
    with sessions.begin() as session:
        _add(totals, upsert_comments(session, closing))
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, requests, totals


def _add(totals: CommentWrite, written: CommentWrite) -> None:
    totals.inserted += written.inserted
    totals.updated += written.updated
    totals.unchanged += written.unchanged
    totals.deleted += written.deleted
    totals.skipped += written.skipped
    totals.unplaced.extend(written.unplaced)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.comments_speed")
    parser.add_argument("--posts", type=int, default=100, help="posts of the blog (100)")
    parser.add_argument("--per-post", type=int, default=50, help="comments per post (50)")
    parser.add_argument("--feed-cap", type=int, default=150, help="entries per feed page (150)")
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="comments-bench-") as folder:
        db_url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(db_url)
        engine = make_engine(db_url)
        with make_session_factory(engine).begin() as session:
            upsert_posts(session, _posts(args.posts, args.per_post, args.feed_cap))
        engine.dispose()
        server = _blog_server(args.posts, args.per_post, args.feed_cap)
        try:
            first = harvest(db_url, server.proxy_url, args.feed_cap)
            again = harvest(db_url, server.proxy_url, args.feed_cap)
        finally:
            server.stop()
    comments = args.posts * args.per_post
    print(f"blog: {args.posts} posts x {args.per_post} comments = {comments:,} comments")
    for name, (seconds, requests, totals) in (("first read", first), ("second read", again)):
        print(
            f"{name}: {seconds:.2f} s, {comments / seconds:,.0f} comments/s, {requests} feed "
            f"requests; inserted {totals.inserted:,}, updated {totals.updated:,}, unchanged "
            f"{totals.unchanged:,}, deleted {totals.deleted}, unplaced {len(totals.unplaced)}"
        )
    per_post = args.posts * max(1, math.ceil(args.per_post / args.feed_cap))
    print("extra requests per 1,000 comments:")
    print(f"  blog-wide comments feed  {first[1] * 1000 / comments:6.1f} (measured)")
    print(f"  per-post comments feeds  {per_post * 1000 / comments:6.1f} (one a post at least)")
    print("  page thread                 0.0 (comes with the post page; at most 200 a post)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
