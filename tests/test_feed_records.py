"""Feed-entry records: the same record the page gives, the verdict, the raw form, hostile feeds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.discovery.feed import FeedFormatError
from crawler.extraction import parse_and_clean
from crawler.feed_records import (
    REASONS,
    EntryUnusableError,
    entry_verdict,
    read_post_entries,
    record_differences,
    record_from_entry,
    record_from_raw_entry,
)
from crawler.feed_records.agreement import times_agree
from tests.fakeblog import BlogSpec, FakeBlogger
from tests.fakeblog.damage import Damage, damage_post
from tests.fakeblog.feeds import has_jump_break
from tests.fakeblog.routes import Router
from tests.support.feed_entries import blogs, damaged_site, feed_entries, page_record

# --- the proof: every post of the fake blog, every theme, every damage --------------------


@pytest.fixture(scope="module")
def damaged() -> tuple[FakeBlogger, dict[str, Damage], Router]:
    site, kinds = damaged_site()
    return site, kinds, Router(site)


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_full_feed_record_is_the_page_record_for_every_post(
    damaged: tuple[FakeBlogger, dict[str, Damage], Router], alt: str
) -> None:
    site, kinds, router = damaged
    seen_themes: set[str] = set()
    seen_damage: set[tuple[str, Damage]] = set()
    built = 0
    for blog in blogs(site):
        by_url = {post.canonical_url: post for post in blog.posts}
        entries = feed_entries(router, blog, "/feeds/posts/full", alt)
        assert len(entries) == len(blog.posts)
        for entry in entries:
            feed = record_from_entry(entry)
            post = by_url[feed.url]
            page = page_record(router, post)
            assert record_differences(feed, page) == (), feed.url
            # The fields the page shows are equal, not merely compatible.
            for name in ("title", "body_paragraphs", "comment_count", "author", "labels"):
                assert getattr(feed, name) == getattr(page, name), (feed.url, name)
            assert (feed.blog_id, feed.post_id) == (post.blog_id, post.post_id)
            assert feed.published == post.published
            assert feed.updated == post.updated
            assert feed.language == "en"
            assert feed.blog_title == blog.title
            built += 1
            seen_themes.add(blog.spec.theme)
            if feed.url in kinds:
                seen_damage.add((blog.spec.theme, kinds[feed.url]))
    assert built == len(site.expected_posts()) == 65
    assert seen_themes == {"layouts", "contempo", "plusui"}
    assert seen_damage == {(theme, kind) for theme in seen_themes for kind in Damage}


def test_damaged_bodies_are_repaired_alike(
    damaged: tuple[FakeBlogger, dict[str, Damage], Router],
) -> None:
    site, kinds, router = damaged
    for blog in blogs(site):
        for entry in feed_entries(router, blog, "/feeds/posts/full", "atom"):
            record = record_from_entry(entry)
            if kinds.get(record.url) is Damage.REPEATED_PARAGRAPHS:
                body = record.body_paragraphs
                assert len(body) == len(set(body)), record.url


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_raw_entry_rebuilds_the_same_record(
    damaged: tuple[FakeBlogger, dict[str, Damage], Router], alt: str
) -> None:
    site, _kinds, router = damaged
    for blog in blogs(site):
        for entry in feed_entries(router, blog, "/feeds/posts/full", alt):
            record = record_from_entry(entry)
            again = record_from_raw_entry(entry.raw)
            assert again == record
            assert again.to_json_dict() == record.to_json_dict()
            assert record.raw_page is not None
            assert record.raw_page.body == entry.raw


# --- the verdict: owner's feed settings ---------------------------------------------------


def _settings_site(setting: str) -> tuple[FakeBlogger, Router]:
    site = FakeBlogger(
        [BlogSpec("settings.blogspot.com", theme="layouts", posts=24, feed_setting=setting)]
    )
    return site, Router(site)


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_until_jump_break_feed_sends_cut_posts_to_their_pages(alt: str) -> None:
    site, router = _settings_site("jump")
    blog = site.blog("settings.blogspot.com")
    by_url = {post.canonical_url: post for post in blog.posts}
    cut = whole = 0
    for entry in feed_entries(router, blog, "/feeds/posts/default", alt):
        verdict = entry_verdict(entry)
        post = by_url[entry.alternate_url.replace("http://", "https://")]  # type: ignore[union-attr]
        if has_jump_break(post):
            assert verdict.reason == "cut at jump break"
            with pytest.raises(EntryUnusableError) as raised:
                record_from_entry(entry)
            assert raised.value.reason == "cut at jump break"
            cut += 1
        else:
            assert verdict.usable
            assert record_differences(record_from_entry(entry), page_record(router, post)) == ()
            whole += 1
    assert cut
    assert whole


def test_full_feed_keeps_posts_whose_body_has_the_jump_anchor() -> None:
    site, router = _settings_site("full")
    blog = site.blog("settings.blogspot.com")
    anchored = [
        entry
        for entry in feed_entries(router, blog, "/feeds/posts/default", "atom")
        if "name='more'" in (entry.content or "")
    ]
    assert anchored
    assert all(entry_verdict(entry).usable for entry in anchored)


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_short_feed_is_summary_only(alt: str) -> None:
    site, router = _settings_site("short")
    blog = site.blog("settings.blogspot.com")
    entries = feed_entries(router, blog, "/feeds/posts/default", alt)
    assert entries
    assert {entry_verdict(entry).reason for entry in entries} == {"summary only"}


def _atom(entry_body: str, *, feed_attrs: str = "", feed_extra: str = "") -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<feed xmlns='http://www.w3.org/2005/Atom' {feed_attrs}"
        " xmlns:thr='http://purl.org/syndication/thread/1.0'>"
        "<id>tag:blogger.com,1999:blog-42</id><title type='text'>Tiny Blog</title>"
        f"{feed_extra}"
        "<entry><id>tag:blogger.com,1999:blog-42.post-7</id>"
        "<published>2020-01-02T03:04:05.678+01:00</published>"
        "<updated>2020-01-03T03:04:05.678+01:00</updated>"
        "<category scheme='http://www.blogger.com/atom/ns#' term='News'/>"
        "<title type='text'>Hello</title>"
        f"{entry_body}"
        "<link rel='alternate' type='text/html' href='http://tiny.blogspot.com/2020/01/hello.html'/>"
        "<author><name>Ann</name><email>noreply@blogger.com</email></author>"
        "<thr:total>3</thr:total></entry></feed>"
    ).encode()


_CONTENT = "<content type='html'>&lt;p&gt;One.&lt;/p&gt;&lt;p&gt;Two.&lt;/p&gt;</content>"


@pytest.mark.parametrize(
    ("entry_body", "reason"),
    [
        ("<summary type='text'>One. Two.</summary>", "summary only"),
        ("", "no content"),
        ("<content type='html'></content>", "empty content"),
        ("<content type='html'>&lt;p&gt; &lt;/p&gt;</content>", "empty content"),
        (
            "<content type='html'>&lt;p&gt;One.&lt;/p&gt;&lt;a href='http://tiny.blogspot.com/"
            "2020/01/hello.html#more'&gt;Read more »&lt;/a&gt;</content>",
            "cut at jump break",
        ),
        (
            "<content type='html'>&lt;p&gt;One.&lt;/p&gt;&lt;a name='more'&gt;&lt;/a&gt;</content>",
            "cut at jump break",
        ),  # fmt: skip
    ],
)
def test_entries_that_cannot_give_the_post_say_why(entry_body: str, reason: str) -> None:
    url = "http://tiny.blogspot.com/feeds/posts/default"
    (entry,) = read_post_entries(url, _atom(entry_body)).entries
    assert entry_verdict(entry).reason == reason
    assert reason in REASONS


def test_feedburner_feeds_go_to_pages() -> None:
    burner_ns = "xmlns:feedburner='http://rssnamespace.org/feedburner/ext/1.0'"
    (entry,) = read_post_entries("http://x/feed", _atom(_CONTENT, feed_attrs=burner_ns)).entries
    assert entry_verdict(entry).reason == "feedburner"
    (entry,) = read_post_entries("https://feeds.feedburner.com/Tiny", _atom(_CONTENT)).entries
    assert entry_verdict(entry).reason == "feedburner"


def test_a_raw_entry_keeps_what_the_feed_said_around_it() -> None:
    """The raw one-entry document reads back as the entry read from its page, FeedBurner too."""
    burner_ns = "xmlns:feedburner='http://rssnamespace.org/feedburner/ext/1.0'"
    pages = [
        ("http://x/feed", _atom(_CONTENT, feed_attrs=burner_ns)),  # marked by a namespace
        ("https://feeds.feedburner.com/Tiny", _atom(_CONTENT)),  # marked by the host only
        ("http://tiny.blogspot.com/feeds/posts/default", _atom(_CONTENT)),
    ]
    for url, body in pages:
        (entry,) = read_post_entries(url, body).entries
        (again,) = read_post_entries("", entry.raw).entries
        assert replace(again, raw=b"") == replace(entry, raw=b"")
        assert entry_verdict(again).reason == entry_verdict(entry).reason


def test_a_small_entry_gives_every_field() -> None:
    url = "http://tiny.blogspot.com/feeds/posts/default"
    (entry,) = read_post_entries(url, _atom(_CONTENT)).entries
    record = record_from_entry(entry)
    offset = timezone(timedelta(hours=1))
    assert record.url == "https://tiny.blogspot.com/2020/01/hello.html"
    assert (record.title, record.body_paragraphs) == ("Hello", ["One.", "Two."])
    assert (record.blog_id, record.post_id, record.comment_count) == ("42", "7", 3)
    assert (record.author, record.labels, record.blog_title) == ("Ann", ["News"], "Tiny Blog")
    assert record.published == datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=offset)
    assert record.updated == datetime(2020, 1, 3, 3, 4, 5, 678000, tzinfo=offset)
    assert record.blog_url == "https://tiny.blogspot.com/"
    assert record.extractor == "feed-atom"
    assert record.language is None


def test_language_is_the_feeds_then_the_callers() -> None:
    url = "http://tiny.blogspot.com/feeds/posts/default"
    (declared,) = read_post_entries(
        url, _atom(_CONTENT, feed_attrs="xml:lang='de'"), language="en"
    ).entries
    (given,) = read_post_entries(url, _atom(_CONTENT), language="fr").entries
    assert record_from_entry(declared).language == "de"
    assert record_from_entry(given).language == "fr"
    assert record_from_raw_entry(given.raw).language == "fr"


def test_author_is_never_an_email() -> None:
    body = _atom(_CONTENT).replace(b"<name>Ann</name>", b"<name>noreply@blogger.com</name>")
    (entry,) = read_post_entries("http://tiny.blogspot.com/feeds", body).entries
    assert record_from_entry(entry).author is None


def test_json_single_entry_document() -> None:
    entry = {
        "id": {"$t": "tag:blogger.com,1999:blog-42.post-7"},
        "title": {"$t": "Hello"},
        "content": {"type": "html", "$t": "<p>One.</p>"},
        "link": [
            {"rel": "alternate", "type": "text/html", "href": "http://tiny.blogspot.com/a.html"}
        ],
        "author": [{"name": {"$t": "Ann"}, "email": {"$t": "noreply@blogger.com"}}],
    }
    body = json.dumps({"version": "1.0", "entry": entry}).encode()
    (read,) = read_post_entries("http://tiny.blogspot.com/feeds/posts/default/7", body).entries
    record = record_from_entry(read)
    assert (record.body_paragraphs, record.author, record.extractor) == (
        ["One."],
        "Ann",
        "feed-json",
    )
    assert record_from_raw_entry(read.raw) == record


# --- hostile and oversized feeds ----------------------------------------------------------


def test_entity_expansion_is_not_performed() -> None:
    bomb = (
        b"<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY a 'aaaaaaaaaa'>"
        b"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
        b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>"
        + _atom("<content type='html'>&c;&c;&c;</content>").split(b"?>", 1)[1]
    )
    try:
        read = read_post_entries("http://x/feed", bomb)
    except FeedFormatError:
        return
    (entry,) = read.entries
    assert "aaaa" not in (entry.content or "")


def test_external_entities_are_not_read() -> None:
    xxe = (
        b"<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        + _atom("<content type='html'>&x;</content>").split(b"?>", 1)[1]
    )
    try:
        read = read_post_entries("http://x/feed", xxe)
    except FeedFormatError:
        return
    (entry,) = read.entries
    assert "root:" not in (entry.content or "")


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_entries_past_the_bound_are_counted_not_read(alt: str) -> None:
    site = FakeBlogger([BlogSpec("many.blogspot.com", posts=30, feed_cap=30)])
    response = Router(site).respond(
        "many.blogspot.com", "/feeds/posts/full", f"alt={alt}&max-results=30"
    )
    read = read_post_entries(
        "http://many.blogspot.com/feeds/posts/full", response.body, max_entries=12
    )
    assert (len(read.entries), read.dropped) == (12, 18)


@pytest.mark.parametrize("body", [b"", b"not a feed", b"<html><body>hi</body></html>", b"[1]"])
def test_bad_bytes_give_a_one_line_error(body: bytes) -> None:
    with pytest.raises(FeedFormatError) as raised:
        read_post_entries("http://x/feed", body)
    assert "\n" not in str(raised.value)


def test_raw_bytes_must_hold_one_entry() -> None:
    with pytest.raises(FeedFormatError):
        record_from_raw_entry(_atom(_CONTENT).replace(b"<entry>", b"<entry/><entry>", 1))


# --- agreement rules ----------------------------------------------------------------------


def test_times_agree_at_the_page_precision() -> None:
    exact = datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert times_agree(exact, exact.replace(microsecond=0))
    assert times_agree(exact, exact.replace(second=0, microsecond=0))
    assert times_agree(exact, datetime(2020, 1, 2, tzinfo=UTC))
    assert times_agree(
        exact, exact.astimezone(timezone(timedelta(hours=-8))).replace(second=0, microsecond=0)
    )
    assert not times_agree(exact, exact.replace(minute=5, second=0, microsecond=0))
    assert not times_agree(exact, datetime(2020, 1, 3, tzinfo=UTC))


def test_a_video_only_post_is_whole_and_gives_its_title() -> None:
    video = "<content type='html'>&lt;iframe src='https://www.blogger.com/video.g'&gt;&lt;/iframe&gt;</content>"
    url = "http://tiny.blogspot.com/feeds/posts/default"
    (entry,) = read_post_entries(url, _atom(video)).entries
    assert entry_verdict(entry).usable
    record = record_from_entry(entry)
    assert (record.title, record.body_paragraphs) == ("Hello", [])
    untitled = _atom(video).replace(
        b"<title type='text'>Hello</title>", b"<title type='text'></title>"
    )
    (entry,) = read_post_entries(url, untitled).entries
    with pytest.raises(EntryUnusableError) as raised:
        record_from_entry(entry)
    assert raised.value.reason == "empty content"


def test_the_benchmark_reports_every_field_matching(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.feed_records import main

    assert main(["--entries", "5", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("body_paragraphs 65/65") == 2
    assert "records/s" in out


def test_the_benchmark_refuses_a_missing_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.feed_records import main

    assert main(["/nonexistent/corpus"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_feed_footer_after_the_read_more_link_is_still_a_cut_body() -> None:
    cut = (
        "<content type='html'>&lt;p&gt;One.&lt;/p&gt;&lt;a href='http://tiny.blogspot.com/2020/"
        "01/hello.html#more'&gt;Read more »&lt;/a&gt;&lt;div class='blogger-post-footer'&gt;"
        "Subscribe to Tiny Blog&lt;/div&gt;</content>"
    )
    (entry,) = read_post_entries("http://tiny.blogspot.com/feeds", _atom(cut)).entries
    assert entry_verdict(entry).reason == "cut at jump break"


def test_inline_xhtml_content_is_read_as_markup() -> None:
    xhtml = (
        "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>One.</p>"
        "<p>Two &amp; three.</p></div></content>"
    )
    (entry,) = read_post_entries("http://tiny.blogspot.com/feeds", _atom(xhtml)).entries
    assert record_from_entry(entry).body_paragraphs == ["One.", "Two & three."]


def test_comment_and_static_page_entries_are_not_posts() -> None:
    reply = (
        "<thr:in-reply-to href='http://tiny.blogspot.com/2020/01/hello.html' "
        "ref='tag:blogger.com,1999:blog-42.post-7' type='text/html'/>"
    )
    url = "http://tiny.blogspot.com/feeds/7/comments/default"
    (comment,) = read_post_entries(url, _atom(_CONTENT + reply)).entries
    assert entry_verdict(comment).reason == "not a post entry"
    kind = (
        "<category scheme='http://schemas.google.com/g/2005#kind' "
        "term='http://schemas.google.com/blogger/2008/kind#page'/>"
    )
    (page,) = read_post_entries(url, _atom(_CONTENT + kind)).entries
    assert entry_verdict(page).reason == "not a post entry"
    about = _atom(_CONTENT).replace(b"2020/01/hello.html", b"p/about.html")
    (static,) = read_post_entries(url, about).entries
    assert entry_verdict(static).reason == "not a post entry"


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_a_fake_comments_feed_gives_no_post(alt: str) -> None:
    site = FakeBlogger.default(faults=False)
    router = Router(site)
    response = router.respond("fake-layouts.blogspot.com", "/feeds/comments/default", f"alt={alt}")
    read = read_post_entries(
        "http://fake-layouts.blogspot.com/feeds/comments/default", response.body
    )
    assert read.entries
    assert {entry_verdict(entry).reason for entry in read.entries} == {"not a post entry"}


def test_pages_with_servable_faults_still_agree() -> None:
    site = FakeBlogger.default(faults=True)
    router = Router(site)
    expected = site.expected_posts()
    compared = 0
    for blog in blogs(site):
        for entry in feed_entries(router, blog, "/feeds/posts/full", "atom"):
            record = record_from_entry(entry)
            post = expected.get(record.url)
            if post is None:
                continue
            host = post.url.split("/")[2]
            response = router.respond(host, post.path, "")
            for _ in range(3):  # FAIL_ONCE answers 500 once
                if response.status == 200:
                    break
                response = router.respond(host, post.path, "")
            page = parse_and_clean(post.url, response.body, content_type=response.content_type)
            assert record_differences(record, page) == (), record.url
            compared += 1
    assert compared == len(expected)


@pytest.mark.parametrize("seed", [2, 3])
@pytest.mark.parametrize("theme", ["layouts", "contempo", "plusui"])
def test_other_seeds_and_offsets_agree_too(seed: int, theme: str) -> None:
    host = f"seed{seed}-{theme}.blogspot.com"
    spec = BlogSpec(
        host, theme=theme, posts=16, utc_offset_minutes=seed * 150 - 420, comments_off_ratio=0.3
    )
    site = FakeBlogger([spec], seed=seed)
    blog = site.blog(host)
    for index, post in enumerate(blog.posts):
        if index % 3:
            damage_post(blog, post.post_id, list(Damage)[index % 3 - 1])
    router = Router(site)
    by_url = {post.canonical_url: post for post in blog.posts}
    entries = feed_entries(router, blog, "/feeds/posts/full", "atom")
    assert len(entries) == len(blog.posts)
    for entry in entries:
        record = record_from_entry(entry)
        assert record_differences(record, page_record(router, by_url[record.url])) == ()
