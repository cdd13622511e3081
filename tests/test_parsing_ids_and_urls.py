"""Blogger ids and the record URL, from whichever evidence the page carries."""

from __future__ import annotations

import pytest

from crawler.parsing import parse_page, read_page_facts
from crawler.parsing.document import load_document
from crawler.parsing.ids import BloggerIds, read_blogger_ids


def _ids(html: bytes) -> BloggerIds:
    return read_blogger_ids(load_document(html).root)


def _page(head: str = "", body_attrs: str = "", before_title: str = "", tail: str = "") -> bytes:
    return (
        f"<html><head>{head}</head><body><div class='post hentry'>{before_title}"
        "<h3 class='post-title entry-title'>T</h3>"
        f"<div class='post-body entry-content'{body_attrs}><p>Body.</p></div></div>{tail}"
        "</body></html>"
    ).encode()


def test_the_data_context_gives_page_type_blog_id_and_post_id() -> None:
    ids = _ids(
        b"<script>_WidgetManager._SetDataContext([{'name': 'blog', 'data': "
        b"{'blogId': '123456789', 'pageType': 'item', 'postId': '987654321'}}]);</script>"
    )
    assert (ids.page_type, ids.blog_id, ids.post_id) == ("item", "123456789", "987654321")


def test_microdata_meta_tags_give_the_ids() -> None:
    ids = _ids(
        b"<meta content='1234567' itemprop='blogId'/><meta content='7654321' itemprop='postId'/>"
    )
    assert (ids.blog_id, ids.post_id) == ("1234567", "7654321")


def test_microdata_ids_are_digits_in_any_attribute_order() -> None:
    ids = _ids(
        b"<body><meta itemprop='blogId' content='x12'/><meta itemprop='blogId' content='345'/>"
        b"<meta itemprop='postId' content='678'/><meta itemprop='blogId' content='9'/></body>"
    )
    assert (ids.blog_id, ids.post_id) == ("345", "678")


def test_the_calls_are_read_from_scripts_only() -> None:
    """A call quoted in a post's text is not Blogger's data context; a later script's is."""
    ids = _ids(
        b"<body><pre>_WidgetManager._SetDataContext([{'pageType': 'archive'}]);</pre>"
        b"<p>_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d111');</p>"
        b"<script>var x = 1;</script>"
        b"<script>_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d222');"
        b"_WidgetManager._SetDataContext([{'data': {'pageType': 'item'}}]);</script></body>"
    )
    assert (ids.page_type, ids.blog_id, ids.names_data_context) == ("item", "222", True)


def test_the_widget_manager_init_call_gives_the_blog_id() -> None:
    ids = _ids(
        b"<script>_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d5551234',</script>"
    )
    assert ids.blog_id == "5551234"


def test_post_body_elements_are_listed_once_each_in_page_order() -> None:
    facts = read_page_facts(
        "",
        b"<html><body><div id='post-body-2222222'>a</div><style>#post-body-9999999{}</style>"
        b"<div id=\"post-body-1111111\">b</div><div id='post-body-2222222'>c</div>"
        b"<div id='post-body-33x'></div><div id='post-body-'></div><p id=post-body-44>d</p>"
        b"<div id='x&#10;post-body-55'>e</div><a name='post-body-66'>f</a>"
        b"</body></html>",
    )
    assert [e.text for e in facts.post_body_elements()] == ["a", "b", "d"]


def test_head_feed_links_give_blog_and_post_ids() -> None:
    head = (
        "<link rel='service.post' href='https://www.blogger.com/feeds/4440004440004/posts/default'/>"
        "<link rel='alternate' href='https://x.blogspot.com/feeds/5550005550005/comments/default'/>"
    )
    record = parse_page("https://x.blogspot.com/2020/01/t.html", _page(head=head))
    assert (record.blog_id, record.post_id) == ("4440004440004", "5550005550005")


@pytest.mark.parametrize(
    "head",
    [
        "<link rel='service.post' type='application/atom+xml' title='Log'"
        " href='https://www.blogger.com/atom/7173751' />",
        "<link rel='EditURI' type='application/rsd+xml' title='RSD'"
        " href='http://www.blogger.com/rsd.g?blogID=7173751' />",
    ],
)
def test_the_first_templates_metadata_gives_the_blog_id(head: str) -> None:
    record = parse_page("https://x.blogspot.com/2006/01/t.html", _page(head=head))
    assert record.blog_id == "7173751"


def test_another_sites_api_address_gives_no_blog_id() -> None:
    head = (
        "<link rel='service.post' href='https://example.org/atom/7173751' />"
        "<link rel='EditURI' href='https://example.org/xmlrpc.php?rsd&amp;blogID=42' />"
    )
    assert parse_page("https://x.blogspot.com/2006/01/t.html", _page(head=head)).blog_id is None


def test_authorization_css_gives_the_blog_id() -> None:
    head = (
        "<link rel='stylesheet' href='https://www.blogger.com/dyn-css/authorization.css"
        "?targetBlogID=7770007770007&amp;zx=1'/>"
    )
    record = parse_page("https://x.blogspot.com/2020/01/t.html", _page(head=head))
    assert record.blog_id == "7770007770007"


def test_the_anchor_before_the_title_gives_the_post_id() -> None:
    record = parse_page(
        "https://x.blogspot.com/2020/01/t.html", _page(before_title="<a name='6660006660006'></a>")
    )
    assert record.post_id == "6660006660006"


def test_og_url_is_used_when_there_is_no_canonical_link() -> None:
    head = "<meta property='og:url' content='http://x.blogspot.co.uk/2020/01/t.html?m=1'/>"
    record = parse_page("https://elsewhere.example/t", _page(head=head))
    assert record.url == "https://x.blogspot.com/2020/01/t.html"
    assert record.blog_url == "https://x.blogspot.com/"
    assert record.source_url == "https://elsewhere.example/t"


def test_the_fetch_url_is_canonicalised_when_the_page_names_no_url() -> None:
    record = parse_page("http://x.blogspot.de/2020/01/t.html?m=1&utm_source=feed#c1", _page())
    assert record.url == "https://x.blogspot.com/2020/01/t.html"


def _blog_name(head: str) -> str | None:
    return parse_page("https://b.blogspot.com/2020/01/p.html", _page(head=head)).blog_title


def test_the_posts_feed_link_names_the_blog_when_no_og_site_name_does() -> None:
    feeds = (
        "<link rel='alternate' type='application/atom+xml' title='Grax  Coding - Atom'"
        " href='https://b.blogspot.com/feeds/posts/default'/>"
        "<link rel='alternate' type='application/rss+xml' title='Grax Coding - RSS'"
        " href='https://b.blogspot.com/feeds/posts/default?alt=rss'/>"
    )
    assert _blog_name(feeds) == "Grax Coding"
    site_name = "<meta property='og:site_name' content='Site Name'/>"
    assert _blog_name(site_name + feeds) == "Site Name"
    # blogger.com's form of the posts feed says the same.
    assert (
        _blog_name(
            "<link rel='alternate' title='A - B - Atom'"
            " href='https://www.blogger.com/feeds/123/posts/default'/>"
        )
        == "A - B"
    )


def test_other_links_and_other_titles_name_no_blog() -> None:
    for head in (
        # A comments feed, a feed of one label, a title not in Blogger's form, no title.
        "<link rel='alternate' title='Post - Atom' href='https://b.blogspot.com/feeds/9/comments/default'/>",
        "<link rel='alternate' title='Tag - Atom' href='https://b.blogspot.com/feeds/posts/default/-/tag'/>",
        "<link rel='alternate' title='Blog feed' href='https://b.blogspot.com/feeds/posts/default'/>",
        "<link rel='alternate' href='https://b.blogspot.com/feeds/posts/default'/>",
        "<link rel='alternate' title=' - Atom' href='https://b.blogspot.com/feeds/posts/default'/>",
    ):
        assert _blog_name(head) is None, head
