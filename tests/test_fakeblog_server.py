"""The fake Blogger over HTTP, driven through its proxy port with plain ``http.client``."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from tests.fakeblog import BlogSpec, FakeBlogger, FakeServer, Fault, FaultKind, serve

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearchrss/1.0/}"
THR = "{http://purl.org/syndication/thread/1.0}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LAYOUTS = "fake-layouts.blogspot.com"


class Reply:
    """Status, headers and body of one answer."""

    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()


def fetch(
    server: FakeServer, url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> Reply:
    """One proxy-style request (absolute URI to the server's port); redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, url, headers=headers or {})
        return Reply(connection.getresponse())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site() -> FakeBlogger:
    return FakeBlogger.default()


@pytest.fixture(scope="module")
def server(site: FakeBlogger) -> Iterator[FakeServer]:
    with serve(site) as running:
        yield running


def xml_of(data: bytes) -> ET.Element:
    """Parse XML the fake server produced (our own bytes, over loopback)."""
    return ET.fromstring(data)  # noqa: S314


def feed_pages(server: FakeServer, url: str) -> Iterator[ET.Element]:
    while True:
        reply = fetch(server, url)
        assert reply.status == 200, url
        feed = xml_of(reply.body)
        yield feed
        nexts = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "next"]
        if not nexts:
            return
        url = str(nexts[0])


@pytest.mark.parametrize("asked", [None, 1, 4, 10, 25, 500])
def test_feed_paging_adds_up_and_stops_whatever_max_results_asks(
    server: FakeServer, site: FakeBlogger, asked: int | None
) -> None:
    blog = site.blog(LAYOUTS)
    query = "" if asked is None else f"?max-results={asked}"
    ids: list[str] = []
    pages = list(feed_pages(server, f"http://{LAYOUTS}/feeds/posts/default{query}"))
    for feed in pages:
        per_page = int(feed.findtext(f"{OPENSEARCH}itemsPerPage") or 0)
        assert per_page == min(asked or blog.spec.feed_default_size, blog.spec.feed_cap)
        assert int(feed.findtext(f"{OPENSEARCH}totalResults") or 0) == len(blog.posts)
        ids += [entry.findtext(f"{ATOM}id") or "" for entry in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == len(blog.posts)
    assert [int(f.findtext(f"{OPENSEARCH}startIndex") or 0) for f in pages][0] == 1


def test_json_feed_uses_the_dollar_t_shape_and_pages_the_same(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog(LAYOUTS)
    reply = fetch(
        server, f"http://{LAYOUTS}/feeds/posts/default?alt=json&start-index=21&max-results=10"
    )
    assert reply.headers["Content-Type"] == "application/json; charset=UTF-8"
    feed = json.loads(reply.body)["feed"]
    assert feed["openSearch$totalResults"]["$t"] == str(len(blog.posts))
    assert feed["openSearch$startIndex"]["$t"] == "21"
    assert len(feed["entry"]) == len(blog.posts) - 20
    assert not [link for link in feed["link"] if link["rel"] == "next"]
    entry = feed["entry"][0]
    post = blog.posts[20]
    assert entry["id"]["$t"] == f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}"
    assert entry["title"]["$t"] == post.title
    assert entry["content"]["type"] == "html"
    assert [link["href"] for link in entry["link"] if link["rel"] == "alternate"] == [post.url]


def test_updated_min_is_ignored_without_orderby_updated(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog(LAYOUTS)
    cut = sorted(post.updated for post in blog.posts)[-5]
    base = f"http://{LAYOUTS}/feeds/posts/default?" + urlencode(
        {"updated-min": cut.isoformat(), "max-results": 10}
    )
    ignored = xml_of(fetch(server, base).body)
    honoured = xml_of(fetch(server, base + "&orderby=updated").body)
    assert ignored.findtext(f"{OPENSEARCH}totalResults") == str(len(blog.posts))
    assert honoured.findtext(f"{OPENSEARCH}totalResults") == "5"
    stamps = [e.findtext(f"{ATOM}updated") or "" for e in honoured.iter(f"{ATOM}entry")]
    assert stamps == sorted(stamps, reverse=True)


def test_published_bounds_apply_in_any_order(server: FakeServer, site: FakeBlogger) -> None:
    blog = site.blog(LAYOUTS)
    low, high = blog.posts[9].published, blog.posts[2].published
    query = urlencode({"published-min": low.isoformat(), "published-max": high.isoformat()})
    feed = xml_of(fetch(server, f"http://{LAYOUTS}/feeds/posts/default?{query}").body)
    assert (
        feed.findtext(f"{OPENSEARCH}totalResults") == "7"
    )  # posts 3..9: min inclusive, max exclusive


def test_rss_feed_pages_like_atom_with_rfc822_dates(server: FakeServer, site: FakeBlogger) -> None:
    blog = site.blog(LAYOUTS)
    reply = fetch(server, f"http://{LAYOUTS}/feeds/posts/default?alt=rss&max-results=5")
    assert reply.headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    channel = xml_of(reply.body).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == [p.url for p in blog.posts[:5]]
    assert (items[0].findtext("pubDate") or "").endswith(("+0000", "GMT"))
    assert channel.findtext(f"{OPENSEARCH}totalResults") == str(len(blog.posts))
    assert (
        fetch(server, f"http://{LAYOUTS}/rss.xml")
        .headers["Content-Type"]
        .startswith("application/rss+xml")
    )


def test_a_bad_feed_parameter_gets_a_one_line_400_naming_it(server: FakeServer) -> None:
    reply = fetch(server, f"http://{LAYOUTS}/feeds/posts/default?max-results=lots")
    assert reply.status == 400
    assert reply.body.decode().strip() == "max-results must be a positive integer, got 'lots'"


def test_sitemap_children_list_every_post_exactly_once_with_lastmod(
    server: FakeServer, site: FakeBlogger
) -> None:
    for blog in site.blogs:
        index = xml_of(fetch(server, f"{blog.base_url}/sitemap.xml").body)
        children = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
        assert len(children) == -(-len(blog.posts) // blog.spec.sitemap_page_size)
        locs: list[str] = []
        for child in children:
            urlset = xml_of(fetch(server, child).body)
            locs += [loc.text or "" for loc in urlset.iter(f"{SITEMAP}loc")]
            assert len(list(urlset.iter(f"{SITEMAP}lastmod"))) == len(
                list(urlset.iter(f"{SITEMAP}url"))
            )
        assert sorted(locs) == sorted(post.url for post in blog.posts)


def test_robots_txt_disallows_search_and_names_the_sitemap(server: FakeServer) -> None:
    text = fetch(server, "http://www.fake-contempo.test/robots.txt").body.decode()
    assert "User-agent: *\nDisallow: /search\nAllow: /" in text
    assert "Sitemap: http://www.fake-contempo.test/sitemap.xml" in text


@pytest.mark.parametrize(
    "path", ["/", "/2020/01/some-post.html?m=1", "/feeds/posts/default?alt=json"]
)
def test_blogspot_host_of_a_moved_blog_answers_301_to_the_custom_domain(
    server: FakeServer, path: str
) -> None:
    reply = fetch(server, f"http://fake-contempo.blogspot.com{path}")
    assert reply.status == 301
    assert reply.headers["Location"] == f"http://www.fake-contempo.test{path}"


def test_matching_etag_or_date_gets_304_and_a_stale_one_200(
    server: FakeServer, site: FakeBlogger
) -> None:
    post = site.blog(LAYOUTS).posts[0]
    for url in (post.url, f"http://{LAYOUTS}/feeds/posts/default", f"http://{LAYOUTS}/sitemap.xml"):
        first = fetch(server, url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert etag
        assert modified
        assert fetch(server, url, {"If-None-Match": etag}).status == 304
        assert fetch(server, url, {"If-Modified-Since": modified}).status == 304
        assert fetch(server, url, {"If-None-Match": '"stale"'}).status == 200
        assert (
            fetch(server, url, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status == 200
        )


def test_origin_style_requests_route_by_host_header_on_one_keep_alive_connection(
    server: FakeServer, site: FakeBlogger
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        for post in site.blog(LAYOUTS).posts[:3]:
            connection.request("GET", post.path, headers={"Host": LAYOUTS})
            response = connection.getresponse()
            assert response.status == 200
            assert post.post_id.encode() in response.read()
    finally:
        connection.close()


def test_unknown_hosts_get_502_and_connect_gets_405(server: FakeServer) -> None:
    assert fetch(server, "http://www.example.com/").status == 502
    assert fetch(server, "www.example.com:443", method="CONNECT").status == 405
    assert fetch(server, f"http://{LAYOUTS}/", method="POST").status == 405


def test_short_feed_gives_summaries_and_the_full_projection_gives_content(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog("fake-plusui.blogspot.com")
    short = xml_of(fetch(server, f"{blog.base_url}/feeds/posts/default").body)
    full = xml_of(fetch(server, f"{blog.base_url}/feeds/posts/full").body)
    entry = next(short.iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}content") is None
    assert len(entry.findtext(f"{ATOM}summary") or "") <= 400
    assert next(full.iter(f"{ATOM}entry")).find(f"{ATOM}content") is not None


def test_thr_total_is_absent_exactly_when_comments_are_off(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog(LAYOUTS)
    totals: dict[str, str | None] = {}
    for feed in feed_pages(server, f"http://{LAYOUTS}/feeds/posts/default"):
        for entry in feed.iter(f"{ATOM}entry"):
            post_id = (entry.findtext(f"{ATOM}id") or "").rsplit("-", 1)[1]
            totals[post_id] = entry.findtext(f"{THR}total")
    assert totals == {
        p.post_id: None if p.comment_count is None else str(p.comment_count) for p in blog.posts
    }


def test_home_page_pages_older_posts_through_search_updated_max(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog(LAYOUTS)
    url, seen = f"http://{LAYOUTS}/", []
    while url:
        page = fetch(server, url).body.decode()
        seen += re.findall(r"<meta content='(\d+)' itemprop='postId'/>", page)
        older = re.search(r"class='blog-pager-older-link' href='([^']+)'", page)
        url = older.group(1).replace("&amp;", "&") if older else ""
    assert seen == [post.post_id for post in blog.posts]


def test_label_feed_lists_only_posts_with_every_label(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog(LAYOUTS)
    label = blog.labels[0]
    url = f"http://{LAYOUTS}/feeds/posts/default/-/{quote(label, safe='')}?max-results=10"
    ids = [
        (entry.findtext(f"{ATOM}id") or "").rsplit("-", 1)[1]
        for feed in feed_pages(server, url)
        for entry in feed.iter(f"{ATOM}entry")
    ]
    assert ids == [p.post_id for p in blog.posts if label in p.labels]


def test_single_entry_feed_answers_the_entry_alone(server: FakeServer, site: FakeBlogger) -> None:
    post = site.blog(LAYOUTS).posts[1]
    reply = fetch(server, f"http://{LAYOUTS}/feeds/posts/default/{post.post_id}?alt=json")
    entry = json.loads(reply.body)["entry"]
    assert entry["title"]["$t"] == post.title
    assert fetch(server, f"http://{LAYOUTS}/feeds/posts/default/1?alt=json").status == 404


def test_month_archive_lists_that_months_posts(server: FakeServer, site: FakeBlogger) -> None:
    blog = site.blog(LAYOUTS)
    post = blog.posts[0]
    month = post.path.rsplit("/", 1)[0] + "/"
    page = fetch(server, f"http://{LAYOUTS}{month}").body.decode()
    shown = re.findall(r"<meta content='(\d+)' itemprop='postId'/>", page)
    assert shown == [p.post_id for p in blog.posts if p.path.startswith(month)]
    assert "'pageType': 'archive'" in page


def test_comment_feed_of_a_post_lists_its_comments(server: FakeServer, site: FakeBlogger) -> None:
    post = next(p for p in site.blog(LAYOUTS).posts if (p.comment_count or 0) > 1)
    feed = xml_of(
        fetch(server, f"http://{LAYOUTS}/feeds/{post.post_id}/comments/default?max-results=10").body
    )
    assert feed.findtext(f"{OPENSEARCH}totalResults") == str(post.comment_count)


def test_request_log_records_and_counts(server: FakeServer) -> None:
    server.reset_log()
    fetch(server, f"http://{LAYOUTS}/robots.txt")
    fetch(server, "http://www.example.com/x")
    assert [(r.host, r.path, r.status) for r in server.requests] == [
        (LAYOUTS, "/robots.txt", 200),
        ("www.example.com", "/x", 502),
    ]
    assert server.count(path_prefix="/robots") == 1
    assert server.count(host="www.example.com", status=502) == 1


# -- faults -----------------------------------------------------------------------------------


def test_fail_once_page_answers_500_then_the_post(site: FakeBlogger) -> None:
    with serve(site) as fresh:
        post = site.blog(LAYOUTS).posts[3]
        assert fetch(fresh, post.url).status == 500
        assert fetch(fresh, post.url).status == 200


def test_deleted_post_is_listed_in_the_feed_but_answers_404(
    server: FakeServer, site: FakeBlogger
) -> None:
    post = site.blog(LAYOUTS).posts[5]
    assert fetch(server, post.url).status == 404
    feed = fetch(server, f"http://{LAYOUTS}/feeds/posts/default?max-results=10").body.decode()
    assert post.url in feed


def test_slow_page_waits_its_configured_delay() -> None:
    site = FakeBlogger([BlogSpec("slow.blogspot.com", posts=2)])
    blog = site.blogs[0]
    blog.set_fault(blog.posts[0], Fault(FaultKind.SLOW, delay=0.3))
    with serve(site) as running:
        started = time.perf_counter()
        assert fetch(running, blog.posts[0].url).status == 200
        assert time.perf_counter() - started >= 0.3


def test_not_a_post_and_js_shell_urls_serve_no_post_body(
    server: FakeServer, site: FakeBlogger
) -> None:
    listing = site.blog("www.fake-contempo.test").posts[4]
    shell = site.blog("fake-plusui.blogspot.com").posts[10]
    listing_page = fetch(server, listing.url).body.decode()
    assert "post-snippet-" in listing_page
    assert "id='post-body-" not in listing_page
    shell_page = fetch(server, shell.url).body.decode()
    assert "content='dynamic' name='blogger-template'" in shell_page
    assert "postBody" not in shell_page


def test_redirect_loop_bounces_between_two_urls(server: FakeServer, site: FakeBlogger) -> None:
    post = site.blog("www.fake-contempo.test").posts[6]
    first = fetch(server, post.url)
    assert (first.status, first.headers["Location"]) == (302, post.url + "?loop=1")
    second = fetch(server, post.url + "?loop=1")
    assert (second.status, second.headers["Location"]) == (302, post.url)


def test_truncated_page_promises_more_bytes_than_it_sends(
    server: FakeServer, site: FakeBlogger
) -> None:
    post = site.blog("fake-plusui.blogspot.com").posts[2]
    with pytest.raises(http.client.IncompleteRead):
        fetch(server, post.url)


def test_cp1252_page_is_declared_and_encoded_as_windows_1252(
    server: FakeServer, site: FakeBlogger
) -> None:
    post = site.blog("fake-plusui.blogspot.com").posts[8]
    reply = fetch(server, post.url)
    assert reply.headers["Content-Type"] == "text/html; charset=windows-1252"
    text = reply.body.decode("cp1252")
    assert "<meta charset='windows-1252'/>" in text
    with pytest.raises(UnicodeDecodeError):
        (reply.body + "’".encode("cp1252")).decode("utf-8")


# -- mutations --------------------------------------------------------------------------------


def test_mutations_change_exactly_the_pages_they_should() -> None:
    site = FakeBlogger([BlogSpec("mut.blogspot.com", posts=12, feed_cap=50)])
    blog = site.blogs[0]
    edited, untouched = blog.posts[3], blog.posts[4]
    commented = next(p for p in blog.posts[5:] if p.comment_count is not None)
    feed_url = f"{blog.base_url}/feeds/posts/default"
    with serve(site) as running:
        etags = {p.post_id: fetch(running, p.url).headers["ETag"] for p in blog.posts}
        feed_before = fetch(running, feed_url).headers["ETag"]
        blog.edit_post(edited.post_id, new_paragraphs=["Rewritten."])
        before = commented.comment_count or 0
        blog.add_comment(commented.post_id, text="Nice.")
        new = blog.add_post(title="Brand new")
        assert fetch(running, edited.url, {"If-None-Match": etags[edited.post_id]}).status == 200
        assert (
            fetch(running, untouched.url, {"If-None-Match": etags[untouched.post_id]}).status == 304
        )
        assert b"Rewritten." in fetch(running, edited.url).body
        feed = xml_of(fetch(running, feed_url, {"If-None-Match": feed_before}).body)
        assert feed.findtext(f"{OPENSEARCH}totalResults") == "13"
        first = next(feed.iter(f"{ATOM}entry"))
        assert first.findtext(f"{ATOM}title") == "Brand new"
        assert fetch(running, new.url).status == 200
        assert (
            fetch(running, commented.url, {"If-None-Match": etags[commented.post_id]}).status == 200
        )
        assert f"<h4>{before + 1} comment".encode() in fetch(running, commented.url).body
        sitemap = fetch(running, f"{blog.base_url}/sitemap.xml?page=1").body.decode()
        lastmod = edited.updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert f"<loc>{edited.url}</loc><lastmod>{lastmod}" in sitemap


def test_deleted_post_vanishes_from_feed_and_sitemap() -> None:
    site = FakeBlogger([BlogSpec("del.blogspot.com", posts=6)])
    blog = site.blogs[0]
    with serve(site) as running:
        gone = blog.delete_post(blog.posts[2].post_id)
        assert fetch(running, gone.url).status == 404
        assert gone.url.encode() not in fetch(running, f"{blog.base_url}/feeds/posts/default").body
        assert gone.url.encode() not in fetch(running, f"{blog.base_url}/sitemap.xml?page=1").body


def test_prerendered_server_answers_from_cache_and_still_applies_faults() -> None:
    site = FakeBlogger.default()
    with serve(site, prerender=True) as running:
        covered = running.router.prerender()
        assert covered >= sum(len(b.posts) for b in site.blogs)
        deleted = site.blog(LAYOUTS).posts[5]
        assert fetch(running, deleted.url).status == 404
        assert fetch(running, site.blog(LAYOUTS).posts[0].url).status == 200


# -- standalone -------------------------------------------------------------------------------


def test_module_runs_standalone_until_sigterm() -> None:
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakeblog", "--port", "0", "--posts", "30"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.match(r"fakeblog port=(\d+) proxy=(\S+) hosts=bench.blogspot.com", line)
        assert match, line
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
        connection.request("GET", "http://bench.blogspot.com/robots.txt")
        assert connection.getresponse().status == 200
        connection.close()
        process.terminate()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert urlsplit(match.group(2)).hostname == "127.0.0.1"


# -- protocol edges ---------------------------------------------------------------------------


def raw_exchange(server: FakeServer, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_garbled_request_line_gets_400_and_a_closed_connection(server: FakeServer) -> None:
    answer = raw_exchange(server, b"HELLO\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"Connection: close" in answer


def test_http_1_0_and_connection_close_end_the_connection_after_one_answer(
    server: FakeServer,
) -> None:
    for request in (
        f"GET http://{LAYOUTS}/robots.txt HTTP/1.0\r\n\r\n",
        f"GET /robots.txt HTTP/1.1\r\nHost: {LAYOUTS}\r\nConnection: close\r\n\r\n",
    ):
        answer = raw_exchange(server, request.encode())
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert answer.count(b"HTTP/1.1 ") == 1


def test_head_sends_headers_without_a_body(server: FakeServer, site: FakeBlogger) -> None:
    post = site.blog(LAYOUTS).posts[0]
    answer = raw_exchange(server, f"HEAD {post.url} HTTP/1.1\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Content-Length: " in head
    assert body == b""


def test_label_listing_decodes_percent_encoded_labels(
    server: FakeServer, site: FakeBlogger
) -> None:
    blog = site.blog(LAYOUTS)
    label = next(label for label in blog.labels if " " in label or "&" in label)
    url = f"http://{LAYOUTS}/search/label/{quote(label, safe='')}?max-results=20"
    page = fetch(server, url).body.decode()
    shown = re.findall(r"<meta content='(\d+)' itemprop='postId'/>", page)
    assert shown == [p.post_id for p in blog.posts if label in p.labels][:20]


def test_mutating_from_another_thread_while_serving_never_breaks_an_answer() -> None:
    site = FakeBlogger([BlogSpec("busy.blogspot.com", posts=40)])
    blog = site.blogs[0]
    targets = [post.url for post in blog.posts[:10]] + [f"{blog.base_url}/feeds/posts/default"]

    def mutate() -> None:
        for round_ in range(100):
            blog.edit_post(blog.posts[round_ % 40].post_id, title=f"Title {round_}")
            if round_ % 10 == 0:
                blog.add_post()
            time.sleep(0.001)  # let the server thread run (the GIL switches every 5 ms)

    with serve(site) as running:
        writer = threading.Thread(target=mutate)
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
        writer.start()
        statuses = []
        for round_ in range(200):
            connection.request("GET", targets[round_ % len(targets)])
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        writer.join()
        connection.close()
        final = blog.posts[0]
        assert final.title.encode() in fetch(running, final.url).body
    assert set(statuses) == {200}
