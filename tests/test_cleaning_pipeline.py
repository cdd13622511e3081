"""CleanPostPipeline as Scrapy builds and calls it."""

from __future__ import annotations

import logging
import warnings

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.items import BlogPost, RejectedPage, RejectKind
from crawler.pipelines.clean import CleanPostPipeline

URL = "https://example.blogspot.com/2021/11/post.html"
LONG = "A paragraph that is long enough to count as a repeat when it appears twice."


def _pipeline() -> tuple[CleanPostPipeline, dict[str, object]]:
    crawler = get_crawler()
    crawler.stats.open_spider()  # type: ignore[union-attr]
    pipeline = build_from_crawler(CleanPostPipeline, crawler)
    return pipeline, crawler.stats.get_stats()  # type: ignore[union-attr]


def test_a_post_comes_out_cleaned_and_the_outcomes_are_counted_in_stats() -> None:
    pipeline, stats = _pipeline()
    post = BlogPost(
        url=URL,
        title="Itâ€™s a title",
        body_paragraphs=[LONG, "Pakistanâs ISI", LONG.upper(), "", "Post a Comment"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no deprecated spider= argument anywhere
        cleaned = pipeline.process_item(post)
    assert cleaned.title == "It’s a title"
    assert cleaned.body_paragraphs == [LONG, "Pakistan’s ISI"]
    assert stats["clean/posts"] == 1
    assert stats["clean/mojibake_repaired"] == 2
    assert stats["clean/paragraphs_deduplicated"] == 1
    assert stats["clean/boilerplate_removed"] == 1
    assert stats["clean/empty_paragraphs_removed"] == 1


def test_the_input_post_is_left_unchanged() -> None:
    pipeline, _ = _pipeline()
    post = BlogPost(url=URL, title="  T  ", body_paragraphs=["  x  "])
    pipeline.process_item(post)
    assert post.title == "  T  "
    assert post.body_paragraphs == ["  x  "]


def test_a_rejected_page_passes_through_untouched_and_uncounted() -> None:
    pipeline, stats = _pipeline()
    rejected = RejectedPage(
        url=URL, reason="not a post: archive listing", kind=RejectKind.NOT_A_POST, body=b"<html>"
    )
    assert pipeline.process_item(rejected) is rejected
    assert not any(key.startswith("clean/") for key in stats)


def test_a_post_whose_body_cleans_to_nothing_is_counted_as_an_empty_body() -> None:
    pipeline, stats = _pipeline()
    cleaned = pipeline.process_item(BlogPost(url=URL, body_paragraphs=["\u200b", "Older Post"]))
    assert cleaned.body_paragraphs == []
    assert stats["clean/empty_body"] == 1


def test_a_post_that_cleaning_fails_on_is_kept_uncleaned_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pipeline, stats = _pipeline()
    post = BlogPost(url=URL, title=" T ", body_paragraphs=[None])  # type: ignore[list-item]
    with caplog.at_level(logging.WARNING):
        assert pipeline.process_item(post) is post
    assert stats["clean/failed"] == 1
    assert URL in caplog.text
    assert "clean/posts" not in stats
