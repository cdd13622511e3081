"""clean_post on whole BlogPost records."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from crawler.cleaning import clean_post
from crawler.items import BlogPost, FetchedPage

URL = "https://example.blogspot.com/2021/11/post.html"


def _post(**fields: object) -> BlogPost:
    return BlogPost(url=URL, **fields)  # type: ignore[arg-type]


def test_every_text_field_is_cleaned() -> None:
    post = _post(
        title=" Itâ€™s  a\ntitle ",
        author="Jos\u00e9\u00a0Mar\u00c3\u00ada",
        blog_title="Mariaâs blog",
        labels=[" News ", "CafÃ©"],
        body_paragraphs=["Body\u200b text."],
    )
    cleaned = clean_post(post)
    assert cleaned.title == "It’s a title"
    assert cleaned.author == "José María"
    assert cleaned.blog_title == "Maria’s blog"
    assert cleaned.labels == ["News", "Café"]
    assert cleaned.body_paragraphs == ["Body text."]


def test_none_stays_none_and_blank_text_becomes_none() -> None:
    cleaned = clean_post(_post(title="\u00a0 \u200b", author=None, blog_title=""))
    assert cleaned.title is None
    assert cleaned.author is None
    assert cleaned.blog_title is None


def test_labels_lose_blanks_and_duplicates_that_appear_after_cleaning() -> None:
    cleaned = clean_post(_post(labels=["News", " News", "", "CafÃ©", "Café"]))
    assert cleaned.labels == ["News", "Café"]


def test_fields_cleaning_does_not_touch_are_carried_over() -> None:
    page = FetchedPage(url=URL, body=b"<html></html>")
    post = _post(
        comment_count=3,
        blog_id="123",
        post_id="456",
        published=datetime(2021, 11, 12, 8, 30, tzinfo=UTC),
        language="en",
        extractor="blogger-layouts",
        raw_page=page,
    )
    cleaned = clean_post(post)
    assert cleaned == post
    assert cleaned.raw_page is page


def test_the_input_record_is_not_mutated() -> None:
    post = _post(title=" T ", labels=[" a "], body_paragraphs=[" x ", "Post a Comment"])
    before = dataclasses.replace(post, labels=list(post.labels))
    before.body_paragraphs = list(post.body_paragraphs)
    clean_post(post)
    assert post == before


def test_the_title_is_used_to_recognise_the_response_footer() -> None:
    post = _post(
        title="Talibanâs report",
        body_paragraphs=["First.", '1 Response to "Talibanâs report"', "Second."],
    )
    assert clean_post(post).body_paragraphs == ["First.", "Second."]


def test_cleaning_a_cleaned_post_changes_nothing() -> None:
    post = _post(
        title="âQuoteâ and Iâm",
        body_paragraphs=['âThere was,â said a participant â" then.', "Share this"],
        labels=["A", "a"],
    )
    once = clean_post(post)
    assert clean_post(once) == once
