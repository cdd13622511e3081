"""End to end, feed-first (docs/feeds.md): `blogingest crawl` subprocesses against the fake
Blogger with every owner feed setting, then a recrawl after an edit, a new post and a new
comment on a blog whose comments feed is off.

One module fixture crawls seven blogs in one run, changes one blog, and crawls again. Each test
checks one promise on that history.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from blogingest.cli import main
from storage.models import Post
from tests.fakeblog import BlogSpec, FakeBlogger, Fault, FaultKind, RequestRecord, serve
from tests.fakeblog.damage import Damage, damage_post
from tests.fakeblog.feeds import has_jump_break
from tests.fakeblog.routes import Router
from tests.support.crawl import crawl_runs, migrated_sqlite, run_crawl, stored_posts
from tests.support.feed_entries import page_record

pytestmark = pytest.mark.slow

SAMPLE = 3
FULL = ("ff-full.blogspot.com", "ff-contempo.blogspot.com", "ff-plusui.blogspot.com")
FORGED_TARGET = "https://elsewhere.example/2020/01/not-this-post.html"


def _site() -> tuple[FakeBlogger, set[str]]:
    site = FakeBlogger(
        [
            BlogSpec("ff-full.blogspot.com", posts=24, comments_feed=False),
            BlogSpec("ff-contempo.blogspot.com", theme="contempo", posts=12, utc_offset_minutes=60),
            BlogSpec("ff-plusui.blogspot.com", theme="plusui", posts=12, utc_offset_minutes=330),
            BlogSpec("ff-jump.blogspot.com", posts=12, feed_setting="jump"),
            BlogSpec("ff-short.blogspot.com", theme="plusui", posts=6, feed_setting="short"),
            BlogSpec("ff-off.blogspot.com", theme="contempo", posts=6, feed_setting="off"),
            BlogSpec("ff-burner.blogspot.com", posts=6, feed_setting="feedburner"),
            BlogSpec("ff-forged.blogspot.com", posts=6),
        ]
    )
    kinds = list(Damage)
    damaged: set[str] = set()
    for blog in site.blogs:
        for index, post in enumerate(blog.posts):
            if index % 3 == 1:  # the same damage in page and feed, every theme
                damage_post(blog, post.post_id, kinds[(index // 3) % len(kinds)])
                damaged.add(post.canonical_url)
    forged = site.blog("ff-forged.blogspot.com")
    forged.set_fault(forged.posts[0], Fault(FaultKind.FORGED_CANONICAL, target=FORGED_TARGET))
    return site, damaged


def _expected(
    site: FakeBlogger, damaged: set[str]
) -> dict[str, tuple[str | None, list[str], int | None]]:
    """What a correct crawl stores: every post as generated, but a damaged one as its page's
    record gives it (cleaning repairs damage as well as it can; the feed record equals the
    page record, tests/test_feed_records.py); the forged page's post too, under its own URL
    (a canonical URL off the blog is not believed)."""
    forged = site.blog("ff-forged.blogspot.com").posts[0]
    router = Router(site)
    wanted = {}
    for url, post in {**site.expected_posts(), forged.canonical_url: forged}.items():
        if url in damaged:
            record = page_record(router, post)
            wanted[url] = (record.title, record.body_paragraphs, record.comment_count)
        else:
            wanted[url] = (post.title, list(post.paragraphs), post.comment_count)
    return wanted


@dataclass
class Crawl:
    exit_code: int
    stderr: str
    stored: dict[str, tuple[str | None, list[str], int | None]]
    expected: dict[str, tuple[str | None, list[str], int | None]]
    post_requests: list[RequestRecord]


@dataclass
class History:
    site: FakeBlogger
    database_url: str
    crawls: list[Crawl] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)


def _post_paths(requests: list[RequestRecord], host: str) -> list[str]:
    return [r.path for r in requests if r.host == host and r.path.endswith(".html")]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    site, damaged = _site()
    directory: Path = tmp_path_factory.mktemp("feedfirst")
    result = History(site, migrated_sqlite(directory))
    blogs = [f"http://{blog.spec.host}/" for blog in site.blogs]
    with serve(site) as server:

        def crawl() -> None:
            server.reset_log()
            process = run_crawl(
                [*blogs, "-s", "BLOGINGEST_SOURCE=auto"],
                database_url=result.database_url,
                data_dir=directory,
                proxy_url=server.proxy_url,
            )
            stored = stored_posts(result.database_url)
            result.crawls.append(
                Crawl(
                    exit_code=process.returncode,
                    stderr=process.stderr,
                    stored={
                        url: (p.title, list(p.body_paragraphs), p.comment_count)
                        for url, p in stored.items()
                    },
                    expected=_expected(site, damaged),
                    post_requests=[r for r in server.requests if r.path[1:5].isdigit()],
                )
            )

        crawl()
        full = site.blog("ff-full.blogspot.com")
        edited = full.edit_post(full.posts[5].post_id, ["A rewritten paragraph.", "And more."])
        added = full.add_post(title="A post written since", paragraphs=["New words."])
        commented = next(p for p in full.posts[8:] if p.comment_count is not None)
        comment = full.add_comment(commented.post_id)
        # The fake stamps each change a second after the last; wait until it is in our past.
        time.sleep(max(0.0, (comment.published - datetime.now(UTC)).total_seconds()) + 0.2)
        result.changed = {"edited": edited.path, "added": added.path, "commented": commented.path}
        damaged.discard(edited.canonical_url)  # rewritten whole
        crawl()
    return result


def test_every_blog_is_stored_exactly_whatever_the_feed_setting(history: History) -> None:
    for crawl in history.crawls:
        assert crawl.exit_code == 0, crawl.stderr
        assert len(crawl.expected) >= 84
        for url, wanted in crawl.expected.items():
            assert crawl.stored.get(url) == wanted, url
        assert set(crawl.stored) == set(crawl.expected)


def test_a_full_feed_blog_costs_only_its_sample_pages(history: History) -> None:
    first = history.crawls[0]
    for host in FULL:
        paths = _post_paths(first.post_requests, host)
        assert len(set(paths)) == len(paths) == SAMPLE, (host, paths)
        if host != "ff-full.blogspot.com":  # changed since: its feed order moved
            newest = history.site.blog(host).ordered_by("updated")[:SAMPLE]
            assert sorted(paths) == sorted(post.path for post in newest)


def test_posts_the_feed_cannot_give_are_fetched_as_pages(history: History) -> None:
    first, site = history.crawls[0], history.site
    jump = site.blog("ff-jump.blogspot.com")
    cut = {post.path for post in jump.posts if has_jump_break(post)}
    whole = [post.path for post in jump.ordered_by("updated") if not has_jump_break(post)]
    assert cut
    assert set(_post_paths(first.post_requests, "ff-jump.blogspot.com")) == cut | set(
        whole[:SAMPLE]
    )
    for host in ("ff-short.blogspot.com", "ff-off.blogspot.com", "ff-burner.blogspot.com"):
        every = {post.path for post in site.blog(host).posts}
        assert set(_post_paths(first.post_requests, host)) == every, host


def test_each_blog_run_says_why_its_posts_came_from_pages(history: History) -> None:
    runs = {
        run.blog_url: run for run in crawl_runs(history.database_url)[: len(history.site.blogs)]
    }
    notes = {
        url.split("//")[1].split(".")[0]: " | ".join(run.notes or []) for url, run in runs.items()
    }
    assert "feed-first: summary only" in notes["ff-short"]
    # The example post is named as it is stored (https on blogspot), not as it was fetched.
    assert "(e.g. https://ff-short.blogspot.com/" in notes["ff-short"]
    assert "feed-first: cut at jump break" in notes["ff-jump"]
    assert "HTTP 404" in notes["ff-off"]
    assert "feeds.feedburner.com" in notes["ff-burner"]
    assert "differs from its page in url" in notes["ff-forged"]
    assert "this run takes every post from its page" in notes["ff-forged"]
    assert notes["ff-full"] == ""
    # An expected fallback is no error: every run is clean.
    assert {url: run.errors for url, run in runs.items() if run.errors} == {}
    assert all(run.status == "success" for run in runs.values())


def test_each_blog_run_counts_the_posts_stored_and_where_from(history: History) -> None:
    runs = {
        run.blog_url: run for run in crawl_runs(history.database_url)[: len(history.site.blogs)]
    }
    first = history.crawls[0]
    cut = sum(has_jump_break(post) for post in history.site.blog("ff-jump.blogspot.com").posts)
    from_pages = {"ff-jump.blogspot.com": cut} | {
        f"ff-{name}.blogspot.com": len(history.site.blog(f"ff-{name}.blogspot.com").posts)
        for name in ("short", "off", "burner", "forged")
    }
    for blog in history.site.blogs:
        host = blog.spec.host
        counts = runs[f"https://{host}/"].counts
        stored = sum(url.startswith(f"https://{host}/") for url in first.expected)
        assert counts["stored"] == stored, host
        # The sample pages of a trusted feed are compared only: those posts are the feed's.
        assert counts["from_feed"] == stored - from_pages.get(host, 0), host
    summary = first.stderr
    assert "stored 24 (24 from the feed, 0 from pages)" in summary
    assert "stored 6 (0 from the feed, 6 from pages)" in summary
    assert "    note: feed-first: summary only" in summary
    assert "first error" not in summary


def test_a_failed_verification_fetches_every_page(history: History) -> None:
    forged = history.site.blog("ff-forged.blogspot.com")
    paths = _post_paths(history.crawls[0].post_requests, "ff-forged.blogspot.com")
    assert set(paths) == {post.path for post in forged.posts}


def test_a_recrawl_stores_the_edit_the_new_post_and_the_new_count(history: History) -> None:
    second = history.crawls[1]
    assert second.exit_code == 0, second.stderr
    commented = history.site.blog("ff-full.blogspot.com").post(_post_id(history, "commented"))
    url = commented.canonical_url
    assert second.stored[url][2] == commented.comment_count
    assert history.crawls[0].stored[url][2] == (commented.comment_count or 0) - 1
    # Only the changed posts are sampled; the new comment needs no page (thr:total).
    paths = set(_post_paths(second.post_requests, "ff-full.blogspot.com"))
    assert paths == {history.changed["edited"], history.changed["added"]}
    for host in FULL[1:]:
        assert _post_paths(second.post_requests, host) == []


def _post_id(history: History, change: str) -> str:
    blog = history.site.blog("ff-full.blogspot.com")
    return next(p.post_id for p in blog.posts if p.path == history.changed[change])


def test_reparse_of_the_crawled_posts_changes_nothing(
    history: History, capsys: pytest.CaptureFixture[str]
) -> None:
    before = stored_posts(history.database_url)
    assert main(["reparse", "--db", history.database_url]) == 0
    assert " 0 posts updated, " in capsys.readouterr().out
    assert stored_posts(history.database_url) == before


def test_offline_seeds_take_the_same_path(tmp_path: Path) -> None:
    """The bakery seed's feed is full: its posts are built from it (their pages only sampled),
    and stored as the page path stores them; the seed post's feed is a summary: its page."""
    by_pages, by_feed = migrated_sqlite(tmp_path / "pages"), migrated_sqlite(tmp_path / "feed")
    for url, source in ((by_pages, "pages"), (by_feed, "auto")):
        process = run_crawl(
            ["--offline", "-s", f"BLOGINGEST_SOURCE={source}"], database_url=url, data_dir=tmp_path
        )
        assert process.returncode == 0, process.stderr
    assert stored_posts(by_feed) == stored_posts(by_pages)
    assert len(stored_posts(by_feed)) == 3
    engine = create_engine(by_feed)
    with engine.connect() as connection:
        kinds = dict(connection.execute(select(Post.url, Post.raw_content_type)).all())
    engine.dispose()
    bakery = {kind for url, kind in kinds.items() if "harbour-bakery" in url}
    assert bakery == {"application/atom+xml"}
    assert {kind for url, kind in kinds.items() if "southasia" in url} != bakery


def test_a_feed_inventing_posts_is_not_trusted(tmp_path: Path) -> None:
    """Invented entries (their permalinks answer 404) fail the verification: nothing invented
    is stored, every listed post is tried as a page, and the run says why."""
    host = "ff-liar.blogspot.com"
    site = FakeBlogger([BlogSpec(host, posts=12, feed_cap=10)])
    site.blog(host).set_fault("/feeds/posts/default", Fault(FaultKind.INVENTED_FEED))
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        process = run_crawl(
            [f"http://{host}/", "-s", "BLOGINGEST_SOURCE=auto"],
            database_url=database_url,
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
    assert process.returncode == 0, process.stderr
    assert set(stored_posts(database_url)) == set(site.expected_posts())  # via the sitemap
    (run,) = crawl_runs(database_url)
    assert "its page answers HTTP 404; this run takes every post from its page" in " ".join(
        run.notes or []
    )
