"""A parsed page is kept on the blog it was fetched from (issue 10, item 1): pure records."""

from __future__ import annotations

from crawler.crawl_items import CrawledPage
from crawler.items import RejectedPage, RejectKind
from crawler.pipelines.blog_boundary import confine_to_blog
from tests.support.storage_posts import make_post

HOSTS = frozenset({"example.blogspot.com", "www.example.com"})
FETCHED = "http://www.example.com/2024/03/post-1.html?m=1"


def test_a_country_host_of_the_blog_counts_as_the_blog() -> None:
    post = make_post(1, url="https://example.blogspot.co.uk/2024/03/post-1.html")
    assert confine_to_blog(post, _page()).disbelieved is None


def _page(**changes: object) -> CrawledPage:
    fields: dict[str, object] = {
        "url": FETCHED,
        "body": b"<html>bytes</html>",
        "blog_hosts": HOSTS,
        "blog_id": "1234567890",
    }
    fields.update(changes)
    return CrawledPage(**fields)  # type: ignore[arg-type]


def test_a_canonical_url_on_another_host_is_not_believed() -> None:
    post = make_post(1, url="https://victim.blogspot.com/2020/01/theirs.html")
    post.blog_url = "https://victim.blogspot.com/"
    confined = confine_to_blog(post, _page())
    assert confined.disbelieved == "https://victim.blogspot.com/2020/01/theirs.html"
    assert confined.record is post
    # The fetched URL stands, in the scheme it was fetched over (a custom domain).
    assert post.url == "http://www.example.com/2024/03/post-1.html"
    assert post.blog_url == "https://www.example.com/"


def test_a_canonical_url_on_the_blogs_hosts_or_their_country_variants_is_believed() -> None:
    for url in (
        "https://example.blogspot.com/2024/03/post-1.html",
        "https://www.example.com/2024/03/other-name.html",
    ):
        post = make_post(1, url=url)
        confined = confine_to_blog(post, _page())
        assert confined.disbelieved is None
        assert post.url == url


def test_a_page_with_another_blogs_id_is_rejected_with_its_bytes() -> None:
    post = make_post(1, url="https://example.blogspot.com/2024/03/post-1.html", blog_id="999")
    confined = confine_to_blog(post, _page())
    assert isinstance(confined.record, RejectedPage)
    assert confined.record.reason == (
        "another blog's page: Blogger blog id 999, the crawled blog is 1234567890"
    )
    assert confined.record.kind is RejectKind.OFF_BLOG
    assert confined.record.body == b"<html>bytes</html>"
    assert confined.record.url == FETCHED


def test_unknown_ids_or_hosts_leave_the_post_alone() -> None:
    post = make_post(1, url="https://victim.blogspot.com/2020/01/theirs.html", blog_id="999")
    assert confine_to_blog(post, _page(blog_hosts=frozenset())).record is post
    assert post.url == "https://victim.blogspot.com/2020/01/theirs.html"
    unknown = make_post(1, blog_id=None)
    assert confine_to_blog(unknown, _page(blog_id=None)).record is unknown
