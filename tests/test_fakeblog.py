"""The fake Blogger's model: deterministic content, expected posts, mutations, page markup."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from crawler.urls import public_url
from tests.fakeblog import BlogSpec, Clock, FakeBlogger, Fault, FaultKind
from tests.fakeblog.routes import Router


def test_default_site_has_three_theme_families_and_at_least_sixty_posts() -> None:
    site = FakeBlogger.default()
    assert {blog.spec.theme for blog in site.blogs} == {"layouts", "contempo", "plusui"}
    assert sum(len(blog.posts) for blog in site.blogs) >= 60


def test_same_seed_builds_the_same_content_and_another_seed_does_not() -> None:
    first, again, other = (FakeBlogger.default(seed=s).blogs[0].posts[4] for s in (1, 1, 2))
    assert (first.url, first.title, first.paragraphs) == (again.url, again.title, again.paragraphs)
    assert first.paragraphs != other.paragraphs


def test_five_thousand_posts_build_and_list() -> None:
    # How fast this is belongs in benchmarks/ (a timed assertion fails on a loaded machine).
    site = FakeBlogger.single(posts=5000)
    assert len(site.expected_posts()) == 5000
    assert len({post.url for post in site.blogs[0].posts}) == 5000


def test_posts_are_newest_first_with_distinct_publication_times() -> None:
    posts = FakeBlogger.single(posts=2000).blogs[0].posts
    times = [post.published for post in posts]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == len(times)
    assert all(post.updated >= post.published for post in posts)


def test_bodies_carry_the_characters_parsers_get_wrong() -> None:
    text = "\n".join(
        p for blog in FakeBlogger.default().blogs for post in blog.posts for p in post.paragraphs
    )
    for needle in ("’", "“", "—", "&"):
        assert needle in text


def test_some_posts_have_comments_off_and_some_have_none() -> None:
    counts = [post.comment_count for post in FakeBlogger.single(posts=300).blogs[0].posts]
    assert None in counts
    assert 0 in counts
    assert any(count and count > 1 for count in counts)


def test_expected_posts_leave_out_pages_that_never_serve_the_post() -> None:
    site = FakeBlogger.default()
    expected = site.expected_posts()
    faulty = site.faulty_posts()
    unservable = {url for url, (_, fault) in faulty.items() if not fault.post_is_servable}
    assert unservable
    assert not unservable & expected.keys()
    assert len(expected) == sum(len(b.posts) for b in site.blogs) - len(unservable)
    # Keys are the URLs a crawl stores: https on blogspot, the http custom domain's own http.
    assert all(url == public_url(url) for url in expected)
    assert any(url.startswith("http://www.") for url in expected)
    assert any(url.startswith("https://") for url in expected)


def test_custom_domain_blog_posts_live_on_the_custom_domain() -> None:
    blog = FakeBlogger.default().blog("fake-contempo.blogspot.com")
    assert blog.host == "www.fake-contempo.test"
    assert all(post.url.startswith("http://www.fake-contempo.test/") for post in blog.posts)


@pytest.mark.parametrize("theme", ["layouts", "contempo", "plusui"])
def test_every_theme_renders_every_paragraph_escaped_once(theme: str) -> None:
    site = FakeBlogger.single(posts=30, theme=theme)
    router = Router(site)
    blog = site.blogs[0]
    for post in blog.posts:
        page = router.respond(blog.host, post.path, "").body.decode()
        assert post.post_id in page
        for paragraph in post.paragraphs:
            escaped = html.escape(paragraph, quote=False)
            # The <br /> editor style writes ’ as &rsquo;, the others write it raw.
            assert escaped in page or escaped.replace("’", "&rsquo;") in page


def test_edit_post_changes_body_title_and_updated_only_of_that_post() -> None:
    clock = Clock(datetime(2026, 11, 1, tzinfo=UTC))
    site = FakeBlogger([BlogSpec("edit.blogspot.com", posts=5)], clock=clock)
    blog = site.blogs[0]
    before = [(p.title, p.paragraphs, p.updated) for p in blog.posts]
    post = blog.edit_post(blog.posts[2].post_id, new_paragraphs=["New text."], title="New title")
    assert (post.title, post.paragraphs) == ("New title", ["New text."])
    assert post.updated == datetime(2026, 11, 1, tzinfo=UTC)
    after = [(p.title, p.paragraphs, p.updated) for p in blog.posts]
    assert [a for i, a in enumerate(after) if i != 2] == [b for i, b in enumerate(before) if i != 2]


def test_two_quick_edits_still_move_updated_by_a_whole_second() -> None:
    clock = Clock(datetime(2026, 11, 1, tzinfo=UTC))
    blog = FakeBlogger([BlogSpec("edit.blogspot.com", posts=3)], clock=clock).blogs[0]
    first = blog.edit_post(blog.posts[0].post_id, title="A").updated
    second = blog.edit_post(blog.posts[0].post_id, title="B").updated
    assert (second - first).total_seconds() >= 1


def test_add_post_becomes_the_newest_and_is_expected() -> None:
    site = FakeBlogger([BlogSpec("add.blogspot.com", posts=5)])
    blog = site.blogs[0]
    post = blog.add_post(title="Fresh news", paragraphs=["One.", "Two."])
    assert blog.posts[0] is post
    assert post.url.startswith("http://add.blogspot.com/")
    assert post.url.endswith("/fresh-news.html")
    assert site.expected_posts()[post.canonical_url].paragraphs == ["One.", "Two."]


def test_expected_posts_are_snapshots_that_later_edits_do_not_change() -> None:
    site = FakeBlogger([BlogSpec("snap.blogspot.com", posts=5)])
    blog = site.blogs[0]
    target = blog.posts[1]
    before = site.expected_posts()[target.canonical_url]
    old_paragraphs, old_count = list(target.paragraphs), target.comment_count
    blog.edit_post(target.post_id, new_paragraphs=["Changed."])
    if target.comment_count is not None:
        blog.add_comment(target.post_id)
    assert before.paragraphs == old_paragraphs
    assert before.comment_count == old_count
    assert site.expected_posts()[target.canonical_url].paragraphs == ["Changed."]


def test_add_comment_counts_up_and_refuses_posts_with_comments_off() -> None:
    blog = FakeBlogger.single(posts=100).blogs[0]
    open_post = next(p for p in blog.posts if p.comment_count is not None)
    closed = next(p for p in blog.posts if p.comment_count is None)
    before, updated = open_post.comment_count or 0, open_post.updated
    blog.add_comment(open_post.post_id)
    assert open_post.comment_count == before + 1
    assert len(open_post.comments) == before + 1
    assert open_post.updated == updated  # Blogger does not reliably bump <updated>
    with pytest.raises(ValueError, match=closed.post_id):
        blog.add_comment(closed.post_id)


def test_unknown_post_id_names_the_id() -> None:
    blog = FakeBlogger.single(posts=3).blogs[0]
    with pytest.raises(KeyError, match="123"):
        blog.edit_post("123", title="x")


def test_bad_spec_values_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'tumblr'"):
        BlogSpec("x.blogspot.com", theme="tumblr")
    with pytest.raises(ValueError, match="feed_cap"):
        BlogSpec("x.blogspot.com", feed_cap=0)


def test_faults_can_be_switched_off_and_on_per_post() -> None:
    site = FakeBlogger.default(faults=False)
    assert site.faulty_posts() == {}
    blog = site.blogs[0]
    blog.set_fault(blog.posts[1], Fault(FaultKind.DELETED))
    assert list(site.faulty_posts()) == [blog.posts[1].canonical_url]
    blog.set_fault(blog.posts[1], None)
    assert site.faulty_posts() == {}
