"""Feed paging bounds (issue 10, item 3): a feed cannot make a crawl page forever."""

from __future__ import annotations

import dataclasses

from crawler.discovery.feed import (
    FEED_OVERRUN_SLACK,
    FeedEntry,
    FeedPage,
    next_page_url,
    paging_stop,
)

FEED = "http://a.blogspot.com/feeds/posts/default?orderby=updated&max-results=10"


def _entry(number: int) -> FeedEntry:
    return FeedEntry(
        post_id=str(1000 + number),
        blog_id="42",
        url=f"http://a.blogspot.com/2024/01/p{number}.html",
        title=None,
        published=None,
        updated=None,
        comment_count=None,
    )


def _page(numbers: range, start: int, total: int | None) -> FeedPage:
    return FeedPage(
        url=f"{FEED}&start-index={start}",
        entries=tuple(_entry(n) for n in numbers),
        blog_id="42",
        home_url=None,
        total_results=total,
        start_index=start,
        items_per_page=10,
        next_link=f"http://www.blogger.com/feeds/42/posts/default?start-index={start + 10}",
    )


def _walk(pages: list[FeedPage]) -> list[str | None]:
    seen: set[str] = set()
    reasons = []
    for page in pages:
        following = next_page_url(page)
        assert following is not None
        stop = paging_stop(page, following, seen)
        reasons.append(None if stop is None else stop.reason)
    return reasons


def test_an_honest_feed_pages_on() -> None:
    pages = [_page(range(n, n + 10), n + 1, 100) for n in range(0, 80, 10)]
    assert _walk(pages) == [None] * 8


def test_a_page_that_brings_nothing_new_stops_paging() -> None:
    first = _page(range(10), 1, 30)
    again = _page(range(10), 11, 30)  # next link advances, entries do not
    assert _walk([first, again]) == [
        None,
        f"{again.url} brought no new entries".join(["feed page ", ""]),
    ]


def test_a_feed_listing_far_more_than_its_total_stops() -> None:
    # The server keeps start-index inside its total of 20 but invents new entries forever.
    seen: set[str] = set()
    following = f"{FEED}&start-index=11"
    for number in range(0, 10 * 1000, 10):
        stop = paging_stop(_page(range(number, number + 10), 11, 20), following, seen)
        if stop is not None:
            break
    assert stop is not None
    assert len(seen) == 20 + FEED_OVERRUN_SLACK + 10
    assert stop.reason == f"feed listed {len(seen)} entries, more than its totalResults 20"


def test_a_next_page_past_the_total_ends_paging_complete_or_not() -> None:
    seen: set[str] = set()
    last = _page(range(20, 30), 21, 30)
    seen.update(f"id:42:{1000 + n}" for n in range(20))
    stop = paging_stop(last, "http://a.blogspot.com/feeds/posts/default?start-index=31", seen)
    assert stop is not None
    assert stop.complete
    short: set[str] = set()
    stop = paging_stop(last, "http://a.blogspot.com/feeds/posts/default?start-index=31", short)
    assert stop is not None
    assert not stop.complete
    assert stop.reason == "feed's next page starts at 31, past its totalResults 30"


def test_a_total_lower_than_the_entries_listed_is_named_wrong() -> None:
    page = _page(range(10), 1, 7)
    stop = paging_stop(page, f"{FEED}&start-index=11", set())
    assert stop is not None
    assert stop.complete
    assert stop.reason == (
        "feed listed 10 entries, more than its totalResults 7; its next page (start 11) not read"
    )


def test_without_next_link_or_total_a_full_page_asks_for_the_next() -> None:
    """No rel=next, no totalResults: a page as full as its itemsPerPage (else the max-results
    asked) is followed by start-index; a short page is the last."""
    full = dataclasses.replace(_page(range(10), 11, None), next_link=None)
    base = "http://a.blogspot.com/feeds/posts/default?orderby=updated"
    assert next_page_url(full) == f"{base}&start-index=21&max-results=10"
    short = dataclasses.replace(full, entries=full.entries[:4])
    assert next_page_url(short) is None
    bare = dataclasses.replace(full, start_index=None, items_per_page=None, url=FEED)
    assert next_page_url(bare) == f"{FEED}&start-index=11"  # max-results=10 asked
    assert next_page_url(dataclasses.replace(bare, entries=bare.entries[:9])) is None
