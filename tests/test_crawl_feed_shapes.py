"""End to end, feed-first against every post-feed shape the fake can serve (tests/fakeblog/
feedquirks.py): paging without ``rel=next``, totals absent or wrong, duplicates, skips and
reorders across pages, entries without ``thr:total``, text and xhtml bodies, relative and https
links, a static page and a draft listed, ISO-8859-1 Atom, JSON, malformed later pages, and a
feed answering 403 or 500.

One module fixture crawls one blog per shape in one run. Whatever the feed's shape, the crawl
stores exactly the blog's posts as their pages give them (from the feed where it can, else from
pages), never the static page or the draft, and says why on each run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakeblog import BlogSpec, FakeBlogger, serve
from tests.fakeblog.feedquirks import FEED_QUIRKS
from tests.support.crawl import crawl_runs, migrated_sqlite, run_crawl, stored_posts

pytestmark = pytest.mark.slow

POSTS = 23  # three feed pages of 10 (the fake's cap), the last one short
COMBINED = {
    "fq-mixed-json.blogspot.com": frozenset({"json", "no-next-link", "no-total", "overlap"}),
    "fq-mixed-atom.blogspot.com": frozenset({"latin-1", "shuffled", "no-thr-total", "draft"}),
}
CUSTOM = "www.fq-custom.example"


def _host(quirk: str) -> str:
    return f"fq-{quirk}.blogspot.com"


def _site() -> FakeBlogger:
    specs = [
        BlogSpec(_host(quirk), posts=POSTS, feed_quirks=frozenset({quirk}))
        for quirk in sorted(FEED_QUIRKS)
    ]
    specs += [BlogSpec(host, posts=POSTS, feed_quirks=quirks) for host, quirks in COMBINED.items()]
    specs.append(
        BlogSpec(
            "fq-custom.blogspot.com",
            posts=POSTS,
            custom_domain=CUSTOM,
            feed_quirks=frozenset({"relative-links", "no-next-link"}),
        )
    )
    return FakeBlogger(specs)


@dataclass
class Outcome:
    site: FakeBlogger
    exit_code: int
    stderr: str
    stored: dict[str, tuple[str | None, list[str], int | None]]
    notes: dict[str, str]
    errors: dict[str, str]
    counts: dict[str, dict[str, int]]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    site = _site()
    directory: Path = tmp_path_factory.mktemp("feedshapes")
    database_url = migrated_sqlite(directory)
    with serve(site) as server:
        process = run_crawl(
            [*(f"http://{blog.spec.host}/" for blog in site.blogs), "-s", "BLOGINGEST_SOURCE=auto"],
            database_url=database_url,
            data_dir=directory,
            proxy_url=server.proxy_url,
        )
    runs = crawl_runs(database_url)
    return Outcome(
        site=site,
        exit_code=process.returncode,
        stderr=process.stderr,
        stored={
            url: (post.title, list(post.body_paragraphs), post.comment_count)
            for url, post in stored_posts(database_url).items()
        },
        notes={run.blog_url: " | ".join(run.notes or []) for run in runs},
        errors={run.blog_url: " | ".join(run.errors or []) for run in runs},
        counts={run.blog_url: dict(run.counts) for run in runs},
    )


def test_every_shape_stores_exactly_the_blogs_posts(outcome: Outcome) -> None:
    assert outcome.exit_code in (0, 1), outcome.stderr[-3000:]
    expected = {
        url: (post.title, list(post.paragraphs), post.comment_count)
        for url, post in outcome.site.expected_posts().items()
    }
    wrong = {
        url: (outcome.stored.get(url), wanted)
        for url, wanted in expected.items()
        if outcome.stored.get(url) != wanted
    }
    assert wrong == {}
    assert set(outcome.stored) - set(expected) == set()  # no static page, no draft


def test_only_a_broken_feed_is_an_error(outcome: Outcome) -> None:
    """Every shape a blog may choose is handled without an error; a feed that answers 500
    or breaks off mid-listing is one (the run still stores every post)."""
    broken = {_host("status-500"), _host("malformed-later")}
    for blog in outcome.site.blogs:
        [errors] = [text for url, text in outcome.errors.items() if f"//{blog.host}/" in url]
        if blog.spec.host in broken:
            assert errors, blog.spec.host
        else:
            assert errors == "", (blog.spec.host, errors)
    assert "HTTP 403" in outcome.notes[f"https://{_host('status-403')}/"]


FEED_GIVES_ALL = {
    *(
        _host(quirk)
        for quirk in (
            "no-next-link", "no-total", "total-high", "overlap", "shuffled",
            "static-page", "draft", "latin-1", "json", "relative-links", "https-links",
            "xhtml-content",
        )
    ),
    "fq-mixed-json.blogspot.com",
    CUSTOM,
}  # fmt: skip
"""Shapes that change how the feed pages or links, not what an entry says: every post is
built from the feed (only the verification sample's pages are fetched)."""


def test_where_the_feed_gives_every_post_no_post_page_is_fetched(outcome: Outcome) -> None:
    for blog in outcome.site.blogs:
        [counts] = [c for url, c in outcome.counts.items() if f"//{blog.host}/" in url]
        assert counts["stored"] == POSTS, blog.host
        if blog.host in FEED_GIVES_ALL:
            assert (counts["from_feed"], counts["fetched"]) == (POSTS, 0), blog.host


def test_a_total_too_low_stops_the_feed_there_and_says_so(outcome: Outcome) -> None:
    """Paging past a total is refused (a feed inventing entries must not cost a request per
    invention); a total below the entries listed is named wrong on the run, and the sitemaps
    give the rest."""
    [url] = [url for url in outcome.counts if f"//{_host('total-low')}/" in url]
    assert outcome.counts[url]["from_feed"] == 10  # the first page
    assert "more than its totalResults 7; its next page (start 11) not read" in outcome.notes[url]


def test_a_blog_whose_posts_came_from_pages_says_why(outcome: Outcome) -> None:
    """Every post page fetched is explained by a note or an error, except the post the
    ``skip`` feed never lists (the sitemap lists it)."""
    for blog in outcome.site.blogs:
        [url] = [url for url in outcome.counts if f"//{blog.host}/" in url]
        fetched = outcome.counts[url]["fetched"]
        if blog.host == _host("skip"):
            assert fetched == POSTS - outcome.counts[url]["from_feed"] >= 1
        elif fetched:
            assert outcome.notes[url] or outcome.errors[url], blog.host
