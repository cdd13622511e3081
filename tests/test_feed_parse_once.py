"""Feed-first parses each entry once: the judged entry flows from triage to the record.

Differential: the crawl's path (a feed page triaged by ``plan_entries``, each judged entry
handed to the parse stage inside its ``CrawledEntry``, then cleaned) gives exactly the record
the entry alone gives and the record its kept raw bytes give (``reparse``), for every post of
every theme family and kind of damage, in Atom and JSON; the entry's HTML is parsed once; and
one parse of a feed page gives both its index and its entries.
"""

from __future__ import annotations

import pickle

import pytest

import crawler.feed_records.verdict as verdict_module
from crawler.cleaning import clean_post
from crawler.crawl_items import CrawledEntry
from crawler.discovery.feed import FeedFormatError, parse_feed
from crawler.feed_first import plan_entries
from crawler.feed_records import (
    FeedEntries,
    ParsedEntry,
    PostEntry,
    entry_verdict,
    judge_entry,
    parse_entry,
    read_indexed_entries,
    read_post_entries,
    record_from_entry,
    record_from_raw_entry,
)
from crawler.items import BlogPost
from crawler.pipelines.parse import parse_fetched
from tests.fakeblog import BlogSpec, FakeBlogger
from tests.fakeblog.routes import Router
from tests.support.feed_entries import blogs, damaged_site, feed_entries


@pytest.fixture(scope="module")
def damaged_entries() -> dict[str, list[PostEntry]]:
    site, _kinds = damaged_site()
    router = Router(site)
    return {
        alt: [
            entry
            for blog in blogs(site)
            for entry in feed_entries(router, blog, "/feeds/posts/full", alt)
        ]
        for alt in ("atom", "json")
    }


def _crawl_path(parsed: ParsedEntry) -> BlogPost:
    """The record the crawl stores for a judged entry: the parse stage, then cleaning."""
    item = CrawledEntry(
        url=parsed.entry.alternate_url or "",
        body=parsed.entry.raw,
        content_type=parsed.entry.raw_content_type,
        entry=parsed,
    )
    post = parse_fetched(item)
    assert isinstance(post, BlogPost), post
    return clean_post(post)


@pytest.mark.parametrize("alt", ["atom", "json"])
def test_the_crawls_path_gives_the_entrys_and_the_raw_entrys_record(
    damaged_entries: dict[str, list[PostEntry]], alt: str
) -> None:
    entries = damaged_entries[alt]
    plans = plan_entries(FeedEntries(url="", entries=tuple(entries)))
    assert len(plans) == len(entries) == 65
    for plan in plans.values():
        assert plan.from_feed
        crawled = _crawl_path(plan.parsed)
        assert crawled == record_from_entry(plan.entry), crawled.url
        assert crawled == record_from_raw_entry(plan.entry.raw), crawled.url
        assert crawled.to_json_dict() == record_from_entry(plan.entry).to_json_dict()


def test_a_judged_entry_pickles_as_its_entry_and_builds_the_same_record(
    damaged_entries: dict[str, list[PostEntry]],
) -> None:
    # A parse worker process gets the item pickled: the tree stays behind, the entry is
    # judged again there.
    for entry in damaged_entries["atom"][:12]:
        judged = judge_entry(entry)
        again = pickle.loads(pickle.dumps(judged))  # noqa: S301 - our own bytes, just made
        assert isinstance(again, ParsedEntry)
        assert again.entry == entry
        assert again.verdict == judged.verdict
        assert record_from_entry(again) == record_from_entry(judged)


@pytest.mark.parametrize("setting", ["full", "jump", "short"])
def test_judging_gives_the_verdict_of_every_setting(setting: str) -> None:
    spec = BlogSpec("once.blogspot.com", posts=12, feed_setting=setting, feed_cap=50)
    site = FakeBlogger([spec])
    for entry in feed_entries(Router(site), site.blogs[0], "/feeds/posts/default", "atom"):
        judged = judge_entry(entry)
        assert judged.verdict == entry_verdict(entry)
        assert (judged.body is None) == (entry.content is None)


@pytest.fixture
def content_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every entry content parsed while the test runs, in order."""
    parse_content = verdict_module.parse_content
    parsed: list[str] = []

    def counting(html: str) -> object:
        parsed.append(html)
        return parse_content(html)

    monkeypatch.setattr(verdict_module, "parse_content", counting)
    return parsed


def test_each_entrys_html_is_parsed_once_from_triage_to_record(
    damaged_entries: dict[str, list[PostEntry]], content_parses: list[str]
) -> None:
    entries = damaged_entries["atom"][:20]
    parsed = content_parses
    plans = plan_entries(FeedEntries(url="", entries=tuple(entries)))
    for plan in plans.values():
        parse_entry(plan.parsed)
    assert len(parsed) == len(entries)
    # A bare entry (reparse, tests) is judged on the way: parsed once too.
    parsed.clear()
    parse_entry(entries[0])
    assert len(parsed) == 1


@pytest.mark.parametrize("alt", ["atom", "json"])
@pytest.mark.parametrize("setting", ["full", "short"])
def test_one_read_of_a_feed_page_gives_the_index_and_the_entries(alt: str, setting: str) -> None:
    spec = BlogSpec("index.blogspot.com", posts=30, feed_setting=setting, feed_cap=25)
    site = FakeBlogger([spec])
    response = Router(site).respond("index.blogspot.com", "/feeds/posts/default", f"alt={alt}")
    url = f"http://index.blogspot.com/feeds/posts/default?alt={alt}"
    page, read = read_indexed_entries(url, response.body, language="en")
    assert page == parse_feed(url, response.body)
    assert read == read_post_entries(url, response.body, language="en")
    assert page.next_link is not None
    assert len(page.entries) == len(read.entries) == 25


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not a feed",
        b"[1]",
        b"{}",
        b"<html/>",
        b"<entry xmlns='http://www.w3.org/2005/Atom'/>",
    ],
)
def test_one_read_refuses_what_the_index_refuses(body: bytes) -> None:
    with pytest.raises(FeedFormatError):
        parse_feed("http://x.blogspot.com/feeds/posts/default", body)
    with pytest.raises(FeedFormatError):
        read_indexed_entries("http://x.blogspot.com/feeds/posts/default", body)


def test_an_entry_is_judged_only_when_its_verdict_is_asked_and_then_once(
    damaged_entries: dict[str, list[PostEntry]], content_parses: list[str]
) -> None:
    # Every run reads the whole feed: an incremental run's unchanged posts are never built,
    # so their entries' HTML must not be parsed just to triage them.
    entries = damaged_entries["json"][:10]
    parsed = content_parses
    plans = list(plan_entries(FeedEntries(url="", entries=tuple(entries))).values())
    assert parsed == []
    assert plans[3].from_feed
    assert plans[3].reason is None
    record = parse_entry(plans[3].parsed)[0]
    assert len(parsed) == 1
    assert record == parse_entry(entries[3])[0]
