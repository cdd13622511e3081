"""Which sighted posts a blog crawl fetches: off-blog links, known posts, budgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from crawler.spiders.blog_plan import BlogTarget, Decision, decide
from storage.values import KnownPost

STORED = datetime(2024, 3, 2, 9, 15, 0, 123000, tzinfo=UTC)


def target(**fields: object) -> BlogTarget:
    values: dict[str, object] = {
        "start_url": "http://fake-contempo.blogspot.com/",
        "scheme": "http",
        "netloc": "www.fake-contempo.test",
        "hosts": {"fake-contempo.blogspot.com", "www.fake-contempo.test"},
        "blog_url": "https://www.fake-contempo.test/",
    }
    values.update(fields)
    return BlogTarget(**values)  # type: ignore[arg-type]


def known(updated: datetime | None = STORED) -> dict[str, KnownPost]:
    return {
        "https://www.fake-contempo.test/2024/03/soup.html": KnownPost(
            row_id=1, post_id="1", updated_at=updated, comment_count=2, content_hash="x"
        )
    }


def test_a_new_post_is_fetched_on_the_blogs_current_host_without_tracking_parameters() -> None:
    plan = target()
    decision, url = decide(
        plan,
        "https://fake-contempo.blogspot.com/2024/03/soup.html?m=1&utm_source=x",
        None,
        exact=True,
    )
    assert decision == Decision.FETCH
    assert url == "http://www.fake-contempo.test/2024/03/soup.html"


def test_links_off_the_blog_and_listings_are_never_fetched() -> None:
    plan = target()
    assert (
        decide(plan, "https://other.blogspot.com/2024/03/x.html", None, exact=True)[0]
        == Decision.OFFSITE
    )
    assert (
        decide(plan, "https://www.fake-contempo.test/search/label/Soup", None, exact=True)[0]
        == Decision.OFFSITE
    )
    assert (
        decide(plan, "https://www.fake-contempo.test/p/about.html", None, exact=True)[0]
        == Decision.OFFSITE
    )


def test_static_pages_are_fetched_only_when_asked_for() -> None:
    plan = target(include_pages=True)
    assert (
        decide(plan, "https://www.fake-contempo.test/p/about.html", None, exact=True)[0]
        == Decision.FETCH
    )


def test_a_known_post_with_the_same_feed_time_is_unchanged_and_a_newer_one_is_fetched() -> None:
    link = "http://www.fake-contempo.test/2024/03/soup.html"
    assert decide(target(known=known()), link, STORED, exact=True)[0] == Decision.UNCHANGED
    later = STORED + timedelta(milliseconds=1)
    assert decide(target(known=known()), link, later, exact=True)[0] == Decision.FETCH


def test_a_sitemap_lastmod_within_a_second_of_the_stored_time_is_unchanged() -> None:
    link = "http://www.fake-contempo.test/2024/03/soup.html"
    lastmod = STORED.replace(microsecond=0) + timedelta(seconds=1)
    assert decide(target(known=known()), link, lastmod, exact=False)[0] == Decision.UNCHANGED
    assert (
        decide(target(known=known()), link, lastmod + timedelta(seconds=5), exact=False)[0]
        == Decision.FETCH
    )


def test_a_feed_time_in_the_same_second_as_a_whole_second_stored_time_is_unchanged() -> None:
    # Stored from a sitemap link (lastmod or the page's own time: whole seconds); the feed
    # then gives the same moment with milliseconds.
    link = "http://www.fake-contempo.test/2024/03/soup.html"
    stored = datetime(2024, 3, 2, 12, 0, 5, tzinfo=UTC)
    feed = datetime(2024, 3, 2, 12, 0, 5, 123000, tzinfo=UTC)
    assert decide(target(known=known(stored)), link, feed, exact=True)[0] == Decision.UNCHANGED


def test_a_feed_time_in_a_later_second_than_a_whole_second_stored_time_is_fetched() -> None:
    link = "http://www.fake-contempo.test/2024/03/soup.html"
    stored = datetime(2024, 3, 2, 12, 0, 5, tzinfo=UTC)
    feed = datetime(2024, 3, 2, 12, 0, 6, 1000, tzinfo=UTC)
    assert decide(target(known=known(stored)), link, feed, exact=True)[0] == Decision.FETCH


def test_a_whole_second_feed_time_matches_a_stored_time_with_milliseconds_in_that_second() -> None:
    link = "http://www.fake-contempo.test/2024/03/soup.html"
    feed = STORED.replace(microsecond=0)
    assert decide(target(known=known()), link, feed, exact=True)[0] == Decision.UNCHANGED
    later = feed + timedelta(seconds=1)
    assert decide(target(known=known()), link, later, exact=True)[0] == Decision.FETCH


def test_stored_and_feed_times_in_other_time_zones_compare_as_moments() -> None:
    link = "http://www.fake-contempo.test/2024/03/soup.html"
    stored = datetime(2024, 3, 2, 12, 0, 5, tzinfo=UTC)
    feed = datetime(2024, 3, 2, 4, 0, 5, 123000, tzinfo=timezone(timedelta(hours=-8)))
    assert decide(target(known=known(stored)), link, feed, exact=True)[0] == Decision.UNCHANGED


def test_each_post_is_decided_once_and_the_budget_caps_fetches() -> None:
    plan = target(max_posts=1)
    first = decide(plan, "http://www.fake-contempo.test/2024/03/a.html", None, exact=True)
    again = decide(plan, "https://www.fake-contempo.test/2024/03/a.html#comments", None, exact=True)
    second = decide(plan, "http://www.fake-contempo.test/2024/03/b.html", None, exact=True)
    assert [first[0], again[0], second[0]] == [Decision.FETCH, Decision.SEEN, Decision.OVER_BUDGET]


def test_the_incremental_feed_query_orders_by_update_from_the_overlap() -> None:
    since = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert target(since=since).feed_url() == (
        "http://www.fake-contempo.test/feeds/posts/default"
        "?orderby=updated&max-results=150&updated-min=2024-03-01T12%3A00%3A00%2B00%3A00"
    )
    assert "updated-min" not in target().feed_url()


class _LedgerStub:
    """Just what :meth:`PostRoute.discovered` uses of the run ledger."""

    def __init__(self) -> None:
        self.counted: list[tuple[str, str]] = []

    def count(self, url: str, key: str) -> None:
        self.counted.append((url, key))


class _RunsStub:
    """A run whose shared fetch budget is spent."""

    shared_frontier = False

    def first_sighting(self, _target: object, _url: str) -> bool:
        return True

    def take_fetch(self, _target: object) -> bool:
        return False


def test_posts_listed_but_not_refetched_are_recorded_as_sightings() -> None:
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from crawler.extensions.sightings import PostSightings
    from crawler.spiders.post_route import PostRoute

    crawler = get_crawler()
    crawler.stats = MemoryStatsCollector(crawler)
    posts = PostRoute(crawler, _LedgerStub(), None, None, _RunsStub())  # type: ignore[arg-type]
    plan = target()
    for decision, url in (
        (Decision.UNCHANGED, "https://www.fake-contempo.test/2024/03/same.html"),
        (Decision.OVER_BUDGET, "https://www.fake-contempo.test/2024/03/later.html"),
        (Decision.FETCH, "https://www.fake-contempo.test/2024/03/no-budget-left.html"),
        (Decision.OFFSITE, "https://other.blogspot.com/2024/03/x.html"),
        (Decision.REJECTED_BEFORE, "https://www.fake-contempo.test/2024/03/listing.html"),
    ):
        assert list(posts.discovered(plan, decision, url)) == []
    assert PostSightings.for_crawler(crawler).take() == {
        "https://www.fake-contempo.test/2024/03/same.html",
        "https://www.fake-contempo.test/2024/03/later.html",
        "https://www.fake-contempo.test/2024/03/no-budget-left.html",
    }
