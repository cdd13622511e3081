"""The comments-feed route's bookkeeping: listings per post, closing listings of a whole read."""

from __future__ import annotations

from crawler.feed_records.comment_entries import read_comment_feed
from crawler.spiders.comment_harvest import CommentHarvest
from tests.test_comment_feed_reader import _ENTRY

URL = "http://x.blogspot.com/feeds/comments/default"


def test_a_page_gives_one_listing_per_post_carrying_its_source():
    page = read_comment_feed(URL, _ENTRY.encode())
    (listing,) = CommentHarvest().listings("b", page, whole=False)
    assert [c.id for c in listing.comments] == ["900", "901"]
    assert (listing.post_id, listing.source_url, listing.complete) == ("222", URL, False)


def test_a_whole_read_closes_with_the_ids_it_read_only_when_complete():
    page = read_comment_feed(URL, _ENTRY.encode())
    harvest = CommentHarvest()
    harvest.listings("b", page, whole=True)
    harvest.listings("b", page, whole=True)
    assert harvest.closing_listings("c", URL, complete=True, total=0) == []  # never read
    (closing,) = harvest.closing_listings("b", URL, complete=True, total=3)
    assert (closing.complete, closing.comments, closing.listed_ids) == (
        True,
        [],
        ["900", "901", "900", "901"],
    )
    harvest.listings("b", page, whole=True)
    assert harvest.closing_listings("b", URL, complete=False, total=2) == []
    assert harvest.closing_listings("b", URL, complete=True, total=2) == []  # forgotten
    harvest.listings("b", page, whole=True)
    assert harvest.closing_listings("b", URL, complete=True, total=3) == []  # 2 of 3 read


def test_past_the_held_ids_bound_a_read_marks_nothing_deleted():
    page = read_comment_feed(URL, _ENTRY.encode())
    harvest = CommentHarvest(max_held_ids=3)
    harvest.listings("b", page, whole=True)
    harvest.listings("b", page, whole=True)
    assert harvest.overflowed("b")
    assert harvest.closing_listings("b", URL, complete=True, total=0) == []
