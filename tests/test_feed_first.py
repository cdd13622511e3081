"""Feed-first, the crawl's pure side: source option, entry triage, the trust sample, the parse
stage and ``reparse`` of feed-built posts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from blogingest.cli import main
from crawler.cleaning import clean_post
from crawler.crawl_records import CrawledEntry
from crawler.extraction import KEPT_PAGE_REJECTIONS, record_from_kept
from crawler.feed_first import FeedTrust, Held, Source, Verdict, parse_source, plan_entries
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


# --- the trust sample ------------------------------------------------------------------------


def _record(n: int, **changes: object) -> BlogPost:
    post = BlogPost(
        url=f"https://t.blogspot.com/2024/01/p{n}.html",
        title=f"Post {n}",
        body_paragraphs=[f"Body {n}."],
        comment_count=n,
        published=datetime(2024, 1, 1, 12, n, tzinfo=UTC),
        blog_url="https://t.blogspot.com/",
    )
    for name, value in changes.items():
        setattr(post, name, value)
    return post


def _held(n: int) -> Held:
    return Held(
        key=_record(n).url, url=f"http://t.blogspot.com/2024/01/p{n}.html", updated=None, item=n
    )


def _offer_samples(trust: FeedTrust, count: int) -> None:
    for n in range(count):
        assert trust.wants_sample()
        trust.add_sample(_record(n).url, _record(n))
        assert trust.offer(_held(n)).released == []


def test_agreeing_samples_release_every_held_post_and_the_deferred_page() -> None:
    trust = FeedTrust(2)
    _offer_samples(trust, 2)
    assert not trust.wants_sample()
    assert trust.offer(_held(7)).released == []
    assert trust.defer("next page").deferred == []  # samples outstanding: paging waits
    assert trust.page_answered(_record(0).url, _record(0)).released == []
    done = trust.page_answered(_record(1).url, _record(1))
    assert trust.verdict is Verdict.TRUSTED
    assert [held.item for held in done.released] == [0, 1, 7]
    assert done.deferred == ["next page"]
    assert done.to_pages == []
    assert [held.item for held in trust.offer(_held(8)).released] == [8]
    assert (trust.compared, trust.uncompared, trust.held) == (2, 0, 0)


def test_a_mismatch_sends_every_held_and_later_post_to_its_page_and_says_why() -> None:
    trust = FeedTrust(3)
    _offer_samples(trust, 3)
    trust.offer(_held(9))
    trust.defer("next page")
    trust.page_answered(_record(0).url, _record(0), fetched="page 0")
    # The first mismatch decides at once: no need to wait for the last sample.
    other = _record(1, comment_count=None, title="Other")
    done = trust.page_answered(_record(1).url, other, fetched="page 1")
    assert trust.verdict is Verdict.FALLBACK
    # The sample pages in hand are stored instead of fetched again.
    assert [held.item for held in done.to_pages] == [2, 9]
    assert done.in_hand == ["page 0", "page 1"]
    assert done.released == []
    assert done.deferred == ["next page"]
    late = trust.page_answered(_record(2).url, None)
    assert (late.released, late.to_pages, late.deferred) == ([], [], [])
    assert trust.reason is not None
    assert "title, comment_count" in trust.reason
    assert _record(1).url in trust.reason
    assert [held.item for held in trust.offer(_held(10)).to_pages] == [10]
    assert (trust.compared, trust.uncompared) == (2, 1)


def test_fewer_posts_than_the_sample_settle_when_the_feed_ends() -> None:
    trust = FeedTrust(3)
    _offer_samples(trust, 1)
    trust.page_answered(_record(0).url, _record(0))
    assert trust.verdict is Verdict.CHECKING
    assert trust.defer("next").deferred == ["next"]  # nothing outstanding: paging goes on
    assert [held.item for held in trust.feed_listed().released] == [0]
    assert trust.verdict is Verdict.TRUSTED


def test_a_feed_without_buildable_posts_settles_trusted_with_nothing_held() -> None:
    trust = FeedTrust(3)
    assert trust.feed_listed().released == []
    assert trust.verdict is Verdict.TRUSTED


def test_sample_size_zero_trusts_at_once_and_unknown_answers_are_ignored() -> None:
    trust = FeedTrust(0)
    assert not trust.wants_sample()
    assert [held.item for held in trust.offer(_held(1)).released] == [1]
    assert trust.page_answered("https://elsewhere/", _record(1)).released == []
    with pytest.raises(ValueError, match="sample_size must be >= 0"):
        FeedTrust(-1)


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
