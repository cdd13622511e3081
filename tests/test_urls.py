from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.urls import (
    _PLAIN_ABSOLUTE,
    PageKind,
    blog_home_url,
    canonical_host,
    canonical_url,
    joined_url,
    page_kind,
)


@pytest.mark.parametrize(
    "variant",
    [
        "http://foo.blogspot.com/2020/01/a-post.html",
        "https://foo.blogspot.com/2020/01/a-post.html?m=1",
        "https://FOO.blogspot.co.uk/2020/01/a-post.html",
        "http://foo.blogspot.com.br/2020/01/a-post.html?showComment=1559192764955#c77",
        "https://foo.blogspot.tw/2020/01/a-post.html?utm_source=x&utm_medium=y",
        "https://foo.blogspot.com:443/2020/01/a-post.html#more",
        "https://foo.blogspot.com/2020/01/a-post.html?zx=7f3a9c&hl=de&sc=1700000000000",
    ],
)
def test_every_variant_of_a_post_url_has_one_canonical_form(variant: str) -> None:
    assert canonical_url(variant) == "https://foo.blogspot.com/2020/01/a-post.html"


def test_canonical_url_is_stable_and_keeps_meaningful_parameters() -> None:
    url = canonical_url("http://example.com/search?q=tea&m=1&max-results=5")
    assert url == "https://example.com/search?q=tea&max-results=5"
    assert canonical_url(url) == url


def test_custom_domains_are_not_folded() -> None:
    assert canonical_host("blogspot.example.com") == "blogspot.example.com"
    assert canonical_host("www.derpapierplanet.de") == "www.derpapierplanet.de"


def test_canonical_url_refuses_non_http() -> None:
    with pytest.raises(ValueError, match="not an http"):
        canonical_url("file:///tmp/x.html")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://a.blogspot.com/2013/10/slug_7.html", PageKind.POST),
        ("https://a.blogspot.com/p/about.html", PageKind.STATIC_PAGE),
        ("https://a.blogspot.com/2011/", PageKind.ARCHIVE),
        ("https://a.blogspot.com/2011/03/", PageKind.ARCHIVE),
        ("https://a.blogspot.com/2011_03_01_archive.html", PageKind.ARCHIVE),
        ("http://oxblog.blogspot.com/2005_06_12_oxblog_archive.html", PageKind.ARCHIVE),
        ("https://a.blogspot.com/search/label/News", PageKind.LABEL),
        ("https://a.blogspot.com/search?updated-max=2013-03-13T20:16:00Z", PageKind.SEARCH),
        ("https://a.blogspot.com/feeds/posts/default", PageKind.FEED),
        ("https://a.blogspot.com/", PageKind.HOME),
    ],
)
def test_page_kind_from_url_shape(url: str, kind: PageKind) -> None:
    assert page_kind(url) is kind


def test_blog_home_url() -> None:
    assert blog_home_url("http://x.blogspot.de/2020/01/p.html?m=1") == "https://x.blogspot.com/"


_HOST_LABEL = st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)
_PATH = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="?#\\"),
    max_size=40,
).filter(lambda path: not any(char.isspace() for char in path))


@given(
    labels=st.lists(_HOST_LABEL, min_size=1, max_size=3),
    top=st.sampled_from(["com", "blogspot.com", "blogspot.de", "blogspot.co.uk", "example"]),
    path=_PATH,
)
def test_the_fast_path_for_canonical_looking_urls_agrees_with_the_full_one(
    labels: list[str], top: str, path: str
) -> None:
    from crawler.urls import _canonical_url_in_full

    url = f"https://{'.'.join(labels)}.{top}/{path}"
    assert canonical_url(url) == _canonical_url_in_full(url)


@given(
    scheme=st.sampled_from(["http", "https"]),
    labels=st.lists(_HOST_LABEL, min_size=1, max_size=3),
    top=st.sampled_from(["com", "blogspot.com", "blogspot.de", "example"]),
    path=_PATH,
)
def test_the_fast_path_takes_http_links_too_and_agrees_with_the_full_one(
    scheme: str, labels: list[str], top: str, path: str
) -> None:
    from crawler.urls import _canonical_url_in_full

    url = f"{scheme}://{'.'.join(labels)}.{top}/{path}"
    assert canonical_url(url) == _canonical_url_in_full(url)
    assert canonical_url(url).startswith("https://")


def test_public_url_keeps_a_custom_domains_scheme_and_forces_https_on_blogspot():
    from crawler.urls import public_url, url_forms

    assert public_url("http://example.blogspot.de/2024/03/x.html?m=1") == (
        "https://example.blogspot.com/2024/03/x.html"
    )
    assert public_url("http://www.example.org/2024/03/x.html?m=1#c1") == (
        "http://www.example.org/2024/03/x.html"
    )
    assert public_url(" HTTP://www.example.org/2024/03/x.html") == (
        "http://www.example.org/2024/03/x.html"
    )
    assert public_url("https://www.example.org/2024/03/x.html") == (
        "https://www.example.org/2024/03/x.html"
    )
    for url in ("http://www.example.org/a.html", "https://example.blogspot.com/a.html"):
        assert canonical_url(public_url(url)) == canonical_url(url)
        assert public_url(url) in url_forms(url)
    assert url_forms("http://www.example.org:8080/a.html") == [
        "https://www.example.org:8080/a.html",
        "http://www.example.org:8080/a.html",
    ]
    assert url_forms("http://x.blogspot.com/a.html") == ["https://x.blogspot.com/a.html"]
    with pytest.raises(ValueError):
        public_url("ftp://example.org/a.html")


@given(
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["x.blogspot.com", "x.blogspot.co.uk", "www.example.org", "a.b:8080"]),
    st.sampled_from(["/2024/03/a.html", "/p/x.html?m=1", "/2024/03/b.html?utm_source=z#c1"]),
)
def test_the_cheap_forms_of_a_public_url_agree_with_the_parsing_ones(scheme, host, path):
    from crawler.urls import identity_of_public, public_forms, public_url, url_forms

    public = public_url(f"{scheme}://{host}{path}")
    assert identity_of_public(public) == canonical_url(public)
    assert public_forms(public) == url_forms(public)


_LINK_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTP://",
        "ftp://",
        "//",
        "/",
        "x.blogspot.com",
        "Host:8080",
        "u@h",
        "[::1]",
        "é",
        "?",
        "#",
        ";",
        "a=1",
        "&",
        " ",
        "\t",
        "\n",
        "..",
        ".",
        "%20",
        "2024/01/post.html",
        "",
    ]
)
_BASES = st.sampled_from(
    ["", "http://x.blogspot.com/feeds/posts/default", "https://x.blogspot.com/p/a.html?m=1"]
)


@given(base=_BASES, pieces=st.lists(_LINK_PIECES, max_size=8))
def test_joined_url_is_urljoin(base: str, pieces: list[str]) -> None:
    href = "".join(pieces)
    assert joined_url(base, href) == urljoin(base, href)


@pytest.mark.parametrize(
    "href",
    [
        "https://x.blogspot.com/2024/01/post.html",
        "http://www.example.com/2024/01/p%C3%A9.html?m=1#c123",
        "https://x.blogspot.com/",
    ],
)
def test_joined_url_answers_plain_absolute_links_without_urljoin(href: str) -> None:
    assert _PLAIN_ABSOLUTE.fullmatch(href)
    assert joined_url("https://x.blogspot.com/feeds/posts/default", href) == href
