"""The feed reader on fixture feeds written after real Blogger feeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.discovery.feed import FeedFormatError, next_page_url, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
FEED_URL = "http://allotment-notes.blogspot.com/feeds/posts/default?orderby=updated"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_an_atom_page_lists_its_entries_with_ids_dates_labels_and_comment_counts() -> None:
    page = parse_feed(FEED_URL, read("atom-page1.xml"))
    assert page.blog_id == "1111222233334444555"
    assert page.home_url == "https://allotment-notes.blogspot.com/"
    assert (page.total_results, page.start_index, page.items_per_page) == (5, 1, 3)
    first = page.entries[0]
    assert first.post_id == "9000000000000000001"
    assert first.blog_id == "1111222233334444555"
    assert first.url == "https://allotment-notes.blogspot.com/2024/03/sharpening-spade.html"
    assert first.title == "Sharpening a spade"
    assert first.updated == datetime(2024, 3, 2, 9, 15, 0, 123000, tzinfo=UTC)
    assert first.published is not None
    assert first.published.utcoffset() == timedelta(hours=1)
    assert first.labels == ("Gardening", "Tools")
    assert first.comment_count == 4
    assert first.has_full_content


def test_an_entry_without_thr_total_has_no_comment_count() -> None:
    page = parse_feed(FEED_URL, read("atom-page1.xml"))
    assert page.entries[1].comment_count is None
    assert page.entries[2].comment_count == 0


def test_the_next_page_keeps_our_host_and_path_and_takes_the_servers_paging() -> None:
    page = parse_feed(FEED_URL, read("atom-page1.xml"))
    assert next_page_url(page) == (
        "http://allotment-notes.blogspot.com/feeds/posts/default"
        "?orderby=updated&start-index=4&max-results=3"
    )


def test_the_last_page_has_no_next_page() -> None:
    url = FEED_URL + "&start-index=4&max-results=3"
    page = parse_feed(url, read("atom-page2.xml"))
    assert [entry.post_id for entry in page.entries] == [
        "9000000000000000004",
        "9000000000000000005",
    ]
    assert next_page_url(page) is None


def test_without_a_next_link_the_open_search_counts_decide_the_next_page() -> None:
    page = parse_feed(FEED_URL, read("counts-only.xml"))
    assert next_page_url(page) == (
        "http://allotment-notes.blogspot.com/feeds/posts/default"
        "?orderby=updated&start-index=3&max-results=2"
    )


def test_an_empty_page_ends_paging_even_when_counts_promise_more() -> None:
    body = (
        read("counts-only.xml")
        .replace(b"<entry>", b"<skipped>")
        .replace(b"</entry>", b"</skipped>")
    )
    assert next_page_url(parse_feed(FEED_URL, body)) is None


def test_a_summary_only_feed_is_recognised_as_such() -> None:
    page = parse_feed(
        "http://www.tram-timetables.example/feeds/posts/default", read("summary-only.xml")
    )
    (entry,) = page.entries
    assert not entry.has_full_content
    assert entry.comment_count == 12
    assert entry.url == "http://www.tram-timetables.example/2019/05/night-tram-returns.html"


def test_a_feedburner_feed_gives_the_original_permalinks() -> None:
    page = parse_feed(
        "http://chess-problems-weekly.blogspot.com/feeds/posts/default", read("feedburner.xml")
    )
    assert [entry.url for entry in page.entries] == [
        "http://chess-problems-weekly.blogspot.com/2008/04/mate-in-three.html",
        "http://chess-problems-weekly.blogspot.com/2008/03/quiet-move.html",
    ]
    assert page.entries[0].comment_count == 3
    assert page.entries[0].updated == datetime(
        2008, 4, 1, 12, 43, 0, 19000, tzinfo=timezone(timedelta(hours=-4))
    )


def test_a_label_feeds_repeated_category_segments_are_collapsed() -> None:
    url = "https://allotment-notes.blogspot.com/feeds/posts/default/-/Tools"
    page = parse_feed(url, read("label-feed.xml"))
    assert page.next_link == (
        "https://allotment-notes.blogspot.com/feeds/posts/default/-/Tools"
        "?start-index=2&max-results=1"
    )
    assert next_page_url(page) == url + "?start-index=2&max-results=1"


def test_a_json_feed_reads_like_the_atom_one() -> None:
    url = "https://code-notes-tw.blogspot.com/feeds/posts/default?alt=json"
    page = parse_feed(url, read("json-page.json"))
    assert page.blog_id == "4444555566667777888"
    assert page.total_results == 3
    first, second = page.entries
    assert first.post_id == "5550001112223334445"
    assert first.title == "自訂 priority_queue"
    assert first.labels == ("小技巧",)
    assert first.comment_count == 2
    assert first.url == "https://code-notes-tw.blogspot.com/2022/07/priorityqueue.html"
    assert first.has_full_content
    assert second.comment_count is None
    assert not second.has_full_content
    assert next_page_url(page) == url + "&start-index=3&max-results=2"


def test_a_draft_or_scheduled_entry_is_never_listed() -> None:
    """``app:control/app:draft`` ``yes`` marks a post that is not public (its page 404s)."""
    marker = (
        "<app:control xmlns:app='http://www.w3.org/2007/app'><app:draft>yes</app:draft>"
        "</app:control></entry>"
    )
    atom = read("atom-page1.xml").decode().replace("</entry>", marker, 1).encode()
    listed = [entry.post_id for entry in parse_feed(FEED_URL, read("atom-page1.xml")).entries]
    assert [entry.post_id for entry in parse_feed(FEED_URL, atom).entries] == listed[1:]
    url = "https://code-notes-tw.blogspot.com/feeds/posts/default?alt=json"
    document = json.loads(read("json-page.json"))
    document["feed"]["entry"][0]["app$control"] = {"app$draft": {"$t": "yes"}}
    entries = parse_feed(url, json.dumps(document).encode()).entries
    assert [entry.post_id for entry in entries] == ["5550001112223334445"][1:] + [
        entry.post_id for entry in parse_feed(url, read("json-page.json")).entries[1:]
    ]


_ODD_ENTRY = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'
      xmlns:app='http://www.w3.org/2007/app'>
<entry>
  <!-- a comment node among the children -->
  <id>tag:blogger.com,1999:blog-42.post-7</id>
  <id>tag:blogger.com,1999:blog-42.post-8</id>
  <title></title><title>second title</title>
  <updated>2024-03-02T09:15:00.000Z</updated><updated>2020-01-01T00:00:00Z</updated>
  <link rel='alternate' type='text/html' href='/2024/03/relative.html'/>
  <link rel='alternate' type='text/html' href='https://x.blogspot.com/2024/03/second.html'/>
  <category scheme='http://www.blogger.com/atom/ns#' term='B'/>
  <category scheme='http://www.blogger.com/atom/ns#' term='A'/>
  <category scheme='http://www.blogger.com/atom/ns#' term='B'/>
  <thr:total>3</thr:total><thr:total>9</thr:total>
  <app:control></app:control>
  <app:control><app:draft>no</app:draft></app:control>
</entry>
<entry>
  <id>tag:blogger.com,1999:blog-42.post-9</id>
  <app:control><app:edited>x</app:edited></app:control>
  <app:control><app:draft> YES </app:draft></app:control>
</entry>
</feed>"""


def test_each_field_of_an_entry_is_its_first_such_childs() -> None:
    """As ``find``/``findtext`` read them: the first child of a name (text ``""`` if none)."""
    page = parse_feed("https://x.blogspot.com/feeds/posts/default", _ODD_ENTRY.encode())
    [entry] = page.entries  # the second is a draft: its second app:control says so
    assert (entry.blog_id, entry.post_id) == ("42", "7")
    assert entry.title == ""
    assert entry.updated == datetime(2024, 3, 2, 9, 15, tzinfo=UTC)
    assert entry.url == "https://x.blogspot.com/2024/03/relative.html"
    assert entry.labels == ("B", "A")
    assert entry.comment_count == 3
    assert not entry.has_full_content


@pytest.mark.parametrize(
    "body",
    [b"", b"not a feed", b"<html><body>Blog not found</body></html>", b'{"x": 1}', b"<feed"],
)
def test_bytes_that_are_not_a_feed_raise_a_feed_format_error_naming_the_url(body: bytes) -> None:
    with pytest.raises(FeedFormatError, match="allotment-notes"):
        parse_feed(FEED_URL, body)
