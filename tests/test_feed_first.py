"""Feed-first, the crawl's pure side: source option, entry triage, the trust sample, the parse
stage and ``reparse`` of feed-built posts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blogingest.cli import main
from crawler.cleaning import clean_post
from crawler.crawl_items import CrawledEntry
from crawler.extraction import KEPT_PAGE_REJECTIONS, record_from_kept
from crawler.feed_first import (
    Sample,
    SampleChain,
    Source,
    Verdict,
    compare_page,
    parse_source,
    pick_sample,
    plan_entries,
)
from crawler.feed_records import build_record, read_post_entries
from crawler.feed_records.entry import is_raw_entry_type
from crawler.items import BlogPost, FetchedPage, RejectedPage
from crawler.pipelines.parse import parse_fetched
from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Post
from storage.repository import upsert_posts
from tests.fakeblog import BlogSpec, FakeBlogger
from tests.fakeblog.feeds import has_jump_break
from tests.fakeblog.routes import Router
from tests.support.feed_entries import LANGUAGE, feed_entries

# --- --source ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "wanted"),
    [(None, Source.AUTO), ("auto", Source.AUTO), (" Feed ", Source.FEED), ("pages", Source.PAGES)],
)
def test_source_spellings(given: str | None, wanted: Source) -> None:
    assert parse_source(given) is wanted


def test_a_bad_source_is_one_line_naming_it() -> None:
    with pytest.raises(ValueError, match=r"^source must be one of auto, feed, pages, got 'rss'$"):
        parse_source("rss")


# --- triage ------------------------------------------------------------------------------


def _feed_page(setting: str, alt: str = "atom") -> tuple[FakeBlogger, dict[str, object]]:
    spec = BlogSpec("triage.blogspot.com", posts=12, feed_setting=setting, feed_cap=50)
    site = FakeBlogger([spec])
    response = Router(site).respond("triage.blogspot.com", "/feeds/posts/default", f"alt={alt}")
    url = f"http://triage.blogspot.com/feeds/posts/default?alt={alt}"
    read = read_post_entries(url, response.body, language=LANGUAGE)
    return site, dict(plan_entries(read))


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_triage_follows_the_owners_feed_setting(alt: str) -> None:
    site, full = _feed_page("full", alt)
    posts = site.blogs[0].posts
    assert set(full) == {post.canonical_url for post in posts}
    assert all(plan.from_feed for plan in full.values())  # type: ignore[attr-defined]
    _, short = _feed_page("short", alt)
    assert {plan.reason for plan in short.values()} == {"summary only"}  # type: ignore[attr-defined]
    _, jump = _feed_page("jump", alt)
    cut = {post.canonical_url for post in posts if has_jump_break(post)}
    assert cut
    assert len(cut) < len(posts)
    for url, plan in jump.items():
        assert plan.reason == ("cut at jump break" if url in cut else None)  # type: ignore[attr-defined]


# --- the verification sample ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sampled() -> tuple[FakeBlogger, Router, list]:
    site = FakeBlogger([BlogSpec("sample.blogspot.com", posts=5, feed_cap=50)])
    router = Router(site)
    entries = feed_entries(router, site.blogs[0], "/feeds/posts/default", "atom")
    return site, router, entries


def _chain(entries: list, size: int) -> SampleChain:
    candidates = [(build_record(e)[0].url, e.alternate_url, e) for e in entries]
    return SampleChain(
        "http://sample.blogspot.com/feeds/posts/default", pick_sample(candidates, size)
    )


def _page(router: Router, sample: Sample) -> tuple[bytes, str | None]:
    path = "/" + sample.url.split("/", 3)[3]
    response = router.respond("sample.blogspot.com", path, "")
    return response.body, response.content_type


def test_agreeing_sample_pages_trust_the_feed(sampled) -> None:
    _, router, entries = sampled
    chain = _chain(entries, 3)
    assert len(chain.samples) == 3
    for _ in range(3):
        sample = chain.current
        assert sample is not None
        body, ctype = _page(router, sample)
        chain = chain.answered(compare_page(sample, sample.url, body, ctype))
    assert chain.current is None
    assert chain.verdict is Verdict.TRUSTED
    assert (chain.compared, chain.uncompared) == (3, 0)
    assert "3 of 3 sample pages compared" in chain.summary()


def test_a_disagreeing_page_ends_the_chain_with_the_reason(sampled) -> None:
    site, router, entries = sampled
    chain = _chain(entries, 3)
    first = chain.current
    assert first is not None
    chain = chain.answered(compare_page(first, first.url, *_page(router, first)))
    second = chain.current
    assert second is not None
    body, ctype = _page(router, second)
    edited = body.replace(b"</h3>", b" (edited)</h3>", 1)
    assert edited != body
    chain = chain.answered(compare_page(second, second.url, edited, ctype))
    assert chain.current is None  # no need to fetch the third
    assert chain.verdict is Verdict.FALLBACK
    assert chain.differing == ("title",)
    assert chain.reason is not None
    assert chain.reason.startswith(f"feed-built {second.key} differs from its page in title")
    assert SampleChain.from_meta(chain.to_meta()) == chain


def test_a_page_without_a_record_is_no_evidence(sampled) -> None:
    _, _, entries = sampled
    chain = _chain(entries, 2)
    first = chain.current
    assert first is not None
    assert compare_page(first, first.url, b"<html><body>archive</body></html>", None) is None
    chain = chain.failed().answered(None)
    assert (chain.verdict, chain.compared, chain.uncompared) == (Verdict.TRUSTED, 0, 2)
    gone = _chain(entries, 2).failed(404)
    assert (gone.verdict, gone.differing, gone.current) == (
        Verdict.FALLBACK,
        ("page missing",),
        None,
    )
    assert gone.reason is not None
    assert "its page answers HTTP 404" in gone.reason
    assert _chain(entries, 2).failed(503).verdict is Verdict.TRUSTED
    bad = Sample(first.key, first.url, b"not a feed")
    assert compare_page(bad, first.url, b"<html/>", None) is None


def test_the_sample_is_the_first_candidates_and_may_be_smaller(sampled) -> None:
    _, _, entries = sampled
    assert _chain(entries, 0).samples == ()
    assert [s.key for s in _chain(entries, 9).samples] == [build_record(e)[0].url for e in entries]


# --- the parse stage and reparse -------------------------------------------------------------


@pytest.fixture(scope="module")
def entries() -> list:
    site = FakeBlogger([BlogSpec("kept.blogspot.com", posts=6, feed_cap=50)])
    return feed_entries(Router(site), site.blogs[0], "/feeds/posts/default", "atom")


def _crawled(entry, *, with_entry: bool = True) -> CrawledEntry:
    record, _ = build_record(entry)
    return CrawledEntry(
        url=record.url,
        body=entry.raw,
        content_type=entry.raw_content_type,
        entry=entry if with_entry else None,
        blog_hosts=frozenset({"kept.blogspot.com"}),
    )


def test_the_parse_stage_gives_the_builders_record_with_the_raw_entry_kept(entries) -> None:
    for entry in entries:
        built, _ = build_record(entry)
        for with_entry in (True, False):
            parsed = parse_fetched(_crawled(entry, with_entry=with_entry))
            assert isinstance(parsed, BlogPost)
            assert clean_post(parsed) == built
            assert parsed.raw_page == FetchedPage(
                url=built.url, body=entry.raw, content_type="application/atom+xml"
            )


def test_a_raw_entry_that_gives_no_post_is_a_reject_kept_with_its_bytes() -> None:
    page = CrawledEntry(
        url="https://kept.blogspot.com/2024/01/x.html",
        body=b"<feed xmlns='http://www.w3.org/2005/Atom'/>",
        content_type="application/atom+xml",
    )
    rejected = parse_fetched(page)
    assert isinstance(rejected, RejectedPage)
    assert rejected.reason.startswith("unusable feed entry: ")
    assert rejected.body == page.body
    assert rejected.url == page.url


def test_kept_pages_are_told_apart_by_content_type(entries) -> None:
    assert is_raw_entry_type("application/atom+xml; charset=UTF-8")
    assert is_raw_entry_type("application/json")
    assert not is_raw_entry_type("text/html; charset=UTF-8")
    assert not is_raw_entry_type(None)
    built, _ = build_record(entries[0])
    assert built.raw_page is not None
    assert record_from_kept(built.raw_page) == built
    with pytest.raises(KEPT_PAGE_REJECTIONS):
        record_from_kept(FetchedPage(url=built.url, body=b"{}", content_type="application/json"))


def test_reparse_of_feed_built_posts_changes_nothing(tmp_path, entries, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'feed.db'}"
    upgrade(url)
    engine = make_engine(url)
    records = [build_record(entry)[0] for entry in entries]
    with make_session_factory(engine).begin() as session:
        upsert_posts(session, records, parser_version="0")
    with make_session_factory(engine)() as session:
        before = [
            (row.url, row.title, row.raw_content_type, row.change_seq)
            for row in session.scalars(select(Post).order_by(Post.id))
        ]
    assert main(["reparse", "--db", url]) == 0
    assert f"reparsed {len(records)} pages: 0 rejects became posts, 0 posts updated, " in (
        capsys.readouterr().out
    )
    with make_session_factory(engine)() as session:
        after = [
            (row.url, row.title, row.raw_content_type, row.change_seq)
            for row in session.scalars(select(Post).order_by(Post.id))
        ]
    engine.dispose()
    assert after == before
    assert {row[2] for row in after} == {"application/atom+xml"}


# --- the fake blog's owner settings ----------------------------------------------------------


def test_fake_blog_feed_off_feedburner_and_comments_feed_off() -> None:
    site = FakeBlogger(
        [
            BlogSpec("off.blogspot.com", posts=3, feed_setting="off"),
            BlogSpec("burner.blogspot.com", posts=3, feed_setting="feedburner"),
            BlogSpec("quiet.blogspot.com", posts=3, comments_feed=False),
        ]
    )
    router = Router(site)
    for path in ("/feeds/posts/default", "/feeds/posts/full", "/atom.xml", "/rss.xml"):
        assert router.respond("off.blogspot.com", path, "").status == 404, path
    redirect = router.respond("burner.blogspot.com", "/feeds/posts/default", "alt=json")
    assert redirect.status == 302
    assert redirect.location == "http://feeds.feedburner.com/Burner"
    assert router.respond("burner.blogspot.com", "/atom.xml", "").status == 302
    assert router.respond("burner.blogspot.com", "/feeds/posts/full", "").status == 200
    quiet = site.blog("quiet.blogspot.com")
    post_id = quiet.posts[0].post_id
    for path in ("/feeds/comments/default", f"/feeds/{post_id}/comments/default"):
        assert router.respond("quiet.blogspot.com", path, "").status == 404, path
    assert router.respond("quiet.blogspot.com", "/feeds/posts/default", "").status == 200
    with pytest.raises(ValueError, match="unknown feed_setting 'none'"):
        BlogSpec("x.blogspot.com", feed_setting="none")


def test_the_crawl_options_carry_source_through_every_path() -> None:
    from crawler.crawl_options import (
        CrawlOptionError,
        options_from_command_line,
        options_from_table,
        parse_crawl_arguments,
    )
    from crawler.distributed.start_jobs import StartJob

    blog = "https://x.blogspot.com/"
    spider = parse_crawl_arguments({"blogs": blog, "source": "Pages"})
    assert spider.source == "pages"
    assert parse_crawl_arguments(spider.to_spider_arguments()) == spider
    assert options_from_command_line(spider.to_arguments(), blogs=[blog]) == spider
    assert options_from_table({"source": "feed"}, blogs=[blog]).source == "feed"
    assert parse_crawl_arguments({"blogs": blog}).source is None
    job = StartJob.for_blog(spider, blog)
    assert StartJob.from_json(job.to_json()).options == spider
    with pytest.raises(
        CrawlOptionError, match=r"^source must be one of auto, feed, pages, got 'x'$"
    ):
        parse_crawl_arguments({"blogs": blog, "source": "x"})
