"""Comments feeds read into comments: ids, post, parent, author, times, text, deletion, paging.

Against the fake blog's feeds (every kind of comment, a post with more than 200) and against
hand-written Blogger entries; the post pages of every theme family give the same comments.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.cleaning.comments import clean_comments
from crawler.discovery import feed as feed_module
from crawler.discovery.feed import (
    FeedFormatError,
    next_page_url,
    parse_feed,
    parse_feed_keeping_root,
)
from crawler.extraction import parse_and_clean
from crawler.feed_records import comment_entries
from crawler.feed_records.comment_entries import read_comment_feed
from tests.fakeblog import BlogSpec, FakeBlogger
from tests.fakeblog.posts import PAGE_COMMENT_LIMIT, REMOVAL_NOTICE
from tests.fakeblog.routes import Router


def _site(theme: str = "layouts", **spec: object) -> FakeBlogger:
    fields: dict[str, object] = {
        "posts": 12,
        "comment_kinds": True,
        "big_thread": 230,
        "feed_cap": 150,
        "comments_off_ratio": 0.0,
    }
    fields.update(spec)
    return FakeBlogger([BlogSpec(f"fake-{theme}.blogspot.com", theme=theme, **fields)])  # type: ignore[arg-type]


def _read_all(router: Router, host: str, path: str, query: str = "max-results=150"):
    url: str | None = f"http://{host}{path}?{query}"
    pages = []
    for _ in range(100):  # bounded: a feed of 100 pages is far more than these blogs hold
        if url is None:
            break
        parts = urlsplit(url)
        response = router.respond(host, parts.path, parts.query)
        assert response.status == 200, response.body[:200]
        page = read_comment_feed(url, response.body)
        pages.append(page)
        url = next_page_url(page.paging)
    return pages


def test_the_blog_wide_feed_gives_every_comment_with_post_parent_author_times_and_text():
    site = _site()
    blog = site.blogs[0]
    pages = _read_all(Router(site), blog.host, "/feeds/comments/default")
    read = {c.comment.id: c for page in pages for c in page.comments}
    expected = {c.comment_id: (post, c) for post in blog.posts for c in post.comments}
    assert set(read) == set(expected)
    assert pages[0].total_results == len(expected)
    kinds = {"reply": 0, "anonymous": 0, "deleted": 0, "foreign": 0}
    for comment_id, (post, fake) in expected.items():
        got = read[comment_id]
        assert (got.post_id, got.blog_id, got.post_url) == (post.post_id, post.blog_id, post.url)
        assert got.comment.parent == fake.parent_id
        assert got.comment.author == fake.author
        assert got.comment.author_url == fake.author_url
        assert got.comment.published == fake.published
        assert got.comment.deleted == fake.deleted
        assert clean_comments([got.comment])[0].paragraphs == fake.paragraphs
        kinds["reply"] += fake.parent_id is not None
        kinds["anonymous"] += fake.author_url is None
        kinds["deleted"] += fake.deleted
        kinds["foreign"] += not fake.text.isascii()
    assert min(kinds.values()) > 0, kinds
    assert REMOVAL_NOTICE not in str([c.comment.paragraphs for c in read.values()])


def test_a_post_with_more_than_200_comments_shows_200_on_its_page_and_all_in_its_feed():
    site = _site()
    blog = site.blogs[0]
    big = next(p for p in blog.posts if p.comment_count == 230)
    router = Router(site)
    pages = _read_all(router, blog.host, f"/feeds/{big.post_id}/comments/default")
    assert sum(len(page.comments) for page in pages) == 230
    assert len(pages) == 2
    page = router.respond(blog.host, big.path, "")
    post = parse_and_clean(big.url, page.body)
    assert (len(post.comments), post.comments_partial) == (PAGE_COMMENT_LIMIT, True)
    assert post.comment_count == 230


# The fake's Plus UI thread (cNm/cCn/cTm classes, invented) is not read field by field by the
# page parser (its name and time land in the text); the feed is what stores those comments.
@pytest.mark.parametrize("theme", ["layouts", "contempo"])
def test_each_theme_familys_page_thread_agrees_with_the_feed(theme: str):
    site = _site(theme, big_thread=0)
    blog = site.blogs[0]
    router = Router(site)
    for fake in blog.posts:
        if not fake.comments:
            continue
        response = router.respond(blog.host, fake.path, "")
        post = parse_and_clean(fake.url, response.body)
        assert [c.id for c in post.comments] == [c.comment_id for c in fake.comments]
        assert [c.deleted for c in post.comments] == [c.deleted for c in fake.comments]
        assert [c.paragraphs for c in post.comments] == [c.paragraphs for c in fake.comments]
        assert [c.author for c in post.comments] == [c.author for c in fake.comments]
        assert not post.comments_partial


def test_a_switched_off_comments_feed_answers_404():
    site = _site(comments_feed=False)
    blog = site.blogs[0]
    router = Router(site)
    assert router.respond(blog.host, "/feeds/comments/default", "").status == 404
    post = blog.posts[0]
    assert router.respond(blog.host, f"/feeds/{post.post_id}/comments/default", "").status == 404


_ENTRY = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'
 xmlns:thr='http://purl.org/syndication/thread/1.0'>
<id>tag:blogger.com,1999:blog-111.comments</id>
<openSearch:totalResults>3</openSearch:totalResults>
<openSearch:startIndex>1</openSearch:startIndex>
<openSearch:itemsPerPage>2</openSearch:itemsPerPage>
<link rel='next' type='application/atom+xml'
 href='http://www.blogger.com/feeds/111/comments/default?start-index=3&amp;max-results=2'/>
<entry><id>tag:blogger.com,1999:blog-111.post-900</id>
<published>2019-05-30T13:06:04.955+08:00</published><updated>2019-05-30T13:06:04.955+08:00</updated>
<content type='html'>First line&lt;br /&gt;&lt;br /&gt;Second line with Itâ€™s mojibake</content>
<link rel='related' type='application/atom+xml'
 href='http://www.blogger.com/feeds/111/222/comments/default/899'/>
<author><name>Reader &lt;reader@example.com&gt;</name><uri>mailto:reader@example.com</uri>
<email>reader@example.com</email></author>
<thr:in-reply-to href='http://x.blogspot.com/2019/05/p.html'
 ref='tag:blogger.com,1999:blog-111.post-222'
 source='http://www.blogger.com/feeds/111/posts/default/222' type='text/html'/></entry>
<entry><id>tag:blogger.com,1999:blog-111.post-901</id>
<content type='html'>This comment has been removed by a blog administrator.</content>
<thr:in-reply-to href='http://x.blogspot.com/2019/05/p.html'
 ref='tag:blogger.com,1999:blog-111.post-222'/></entry>
<entry><id>tag:blogger.com,1999:blog-111.post-902</id><content type='html'>no post</content></entry>
</feed>"""


def test_a_blogger_entry_is_read_without_emails_and_a_notice_is_a_deletion():
    page = read_comment_feed("http://x.blogspot.com/feeds/comments/default", _ENTRY.encode())
    first, removed = (c.comment for c in page.comments)
    assert (first.id, first.parent, first.author, first.author_url) == (
        "900",
        "899",
        "Reader",
        None,
    )
    assert first.published is not None
    assert first.published.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    cleaned = clean_comments([first])[0]
    assert cleaned.paragraphs == ["First line", "Second line with It’s mojibake"]
    assert (removed.deleted, removed.paragraphs) == (True, [])
    assert (page.skipped, page.total_results) == (1, 3)
    assert next_page_url(page.paging) == (
        "http://x.blogspot.com/feeds/comments/default?start-index=3&max-results=2"
    )


def test_a_page_bounds_its_entries_and_refuses_what_is_not_a_feed():
    page = read_comment_feed("http://x/", _ENTRY.encode(), max_entries=1)
    assert (len(page.comments), page.dropped) == (1, 2)
    with pytest.raises(FeedFormatError):
        read_comment_feed("http://x/", b"<html><body>no</body></html>")
    with pytest.raises(FeedFormatError):
        read_comment_feed("http://x/", b"<!DOCTYPE x [<!ENTITY a 'b'>]><feed>&a;</feed>")


def test_one_parse_of_a_comments_page_gives_its_index_and_its_comments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the comments-feed route reads from one parse equals what the two readers give."""
    site = _site()
    blog = site.blogs[0]
    response = Router(site).respond(blog.host, "/feeds/comments/default", "max-results=150")
    url = f"http://{blog.host}/feeds/comments/default?max-results=150"
    index, comments = parse_feed(url, response.body), read_comment_feed(url, response.body)
    parses: list[str] = []
    original = feed_module.parse_feed_xml

    def counting(at: str, body: bytes) -> object:
        parses.append(at)
        return original(at, body)

    monkeypatch.setattr(feed_module, "parse_feed_xml", counting)
    monkeypatch.setattr(comment_entries, "parse_feed_xml", counting)
    page, root = parse_feed_keeping_root(url, response.body)
    assert root is not None
    assert (page, comment_entries.comment_feed_page(url, root)) == (index, comments)
    assert parses == [url]


def test_a_json_page_keeps_no_root_and_gives_the_same_index() -> None:
    site = _site()
    blog = site.blogs[0]
    response = Router(site).respond(blog.host, "/feeds/posts/default", "alt=json")
    url = f"http://{blog.host}/feeds/posts/default?alt=json"
    assert response.body.lstrip().startswith(b"{")
    page, root = parse_feed_keeping_root(url, response.body)
    assert root is None
    assert page == parse_feed(url, response.body)
