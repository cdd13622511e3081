"""Deletions are decided only from a complete feed listing and a 404/410 page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.discovery.feed import FeedEntry, FeedPage
from crawler.feed_records.listing import FeedListing, deleted_post_urls, deletion_candidates

FEED = "https://example.blogspot.com/feeds/posts/default?orderby=updated&max-results=2"
STORED = [f"https://example.blogspot.com/2024/03/post-{n}.html" for n in range(1, 6)]


def _entry(number: int, url: str | None = "") -> FeedEntry:
    return FeedEntry(
        post_id=str(100 + number),
        blog_id="1",
        url=f"https://example.blogspot.com/2024/03/post-{number}.html" if url == "" else url,
        title=f"Post {number}",
        published=datetime(2024, 3, number, tzinfo=UTC),
        updated=datetime(2024, 3, number, tzinfo=UTC),
        comment_count=0,
    )


def _page(entries: list[FeedEntry], total: int | None, url: str = FEED) -> FeedPage:
    return FeedPage(
        url=url,
        entries=tuple(entries),
        blog_id="1",
        home_url="https://example.blogspot.com/",
        total_results=total,
        start_index=1,
        items_per_page=2,
        next_link=None,
    )


def _listing(*pages: FeedPage, url: str = FEED, finish: bool = True) -> FeedListing:
    listing = FeedListing(url)
    for page in pages:
        listing.add_page(page)
    if finish:
        listing.finish()
    return listing


def test_a_complete_listing_makes_the_unlisted_stored_posts_candidates():
    listing = _listing(_page([_entry(1), _entry(2)], 4), _page([_entry(4), _entry(5)], 4))
    assert listing.complete
    assert listing.incomplete_reason is None
    # Identity is scheme-blind and ignores ?m=1: post 5 stored under http is still listed.
    stored = [*STORED[:4], STORED[4].replace("https:", "http:") + "?m=1"]
    stored.append("https://example.blogspot.com/p/about.html")  # never in the post feed
    assert deletion_candidates(listing, stored) == [STORED[2]]


@pytest.mark.parametrize(
    ("listing", "reason"),
    [
        (_listing(_page([_entry(1), _entry(2)], 5)), "its totalResults is 5"),
        (_listing(_page([_entry(1)], 2), _page([_entry(2)], 3)), "different totalResults"),
        (_listing(_page([_entry(1), _entry(2)], None)), "no openSearch:totalResults"),
        (_listing(_page([_entry(1), _entry(2)], 2), finish=False), "did not reach its end"),
        (_listing(_page([_entry(1), _entry(2, url=None)], 2)), "without a usable link"),
        (
            _listing(_page([_entry(1), _entry(2)], 2), url=FEED + "&updated-min=2024-01-01"),
            "updated-min",
        ),
        (
            _listing(
                _page([_entry(1)], 1), url="https://example.blogspot.com/feeds/posts/default/-/x"
            ),
            "label",
        ),
    ],
)
def test_an_incomplete_listing_says_why_and_gives_no_candidate(listing, reason):
    assert not listing.complete
    assert reason in (listing.incomplete_reason or "")
    assert deletion_candidates(listing, STORED) == []


def test_a_failed_page_or_a_bound_keeps_the_listing_incomplete_even_when_counts_match():
    failed = _listing(_page([_entry(1), _entry(2)], 2), finish=False)
    failed.page_failed(FEED + "&start-index=3", "HTTP 500")
    failed.finish()
    assert "HTTP 500" in (failed.incomplete_reason or "")
    bounded = _listing(_page([_entry(1), _entry(2)], 2))
    bounded.bound_hit("feed page brought no new entries")
    assert "no new entries" in (bounded.incomplete_reason or "")
    assert deletion_candidates(failed, STORED) == deletion_candidates(bounded, STORED) == []


def test_only_a_404_or_410_page_makes_a_candidate_deleted():
    candidates = STORED[:5]
    statuses = {STORED[0]: 404, STORED[1]: 410, STORED[2]: 200, STORED[3]: 503}
    assert deleted_post_urls(candidates, statuses) == [STORED[0], STORED[1]]  # STORED[4]: unchecked


def test_a_listing_survives_pickling_for_a_distributed_worker():
    import pickle

    listing = _listing(_page([_entry(1), _entry(2)], 2))
    copy = pickle.loads(pickle.dumps(listing))  # noqa: S301 - our own bytes
    assert copy.complete
    assert deletion_candidates(copy, STORED) == STORED[2:]
