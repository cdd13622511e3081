"""clean_post on whole BlogPost records."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.cleaning import CleaningReport, clean_paragraphs, clean_post, clean_text
from crawler.items import BlogPost, FetchedPage

URL = "https://example.blogspot.com/2021/11/post.html"

# Texts that cleaning changes in every way: mojibake (lossless and lossy), NFC, whitespace.
_TEXTS = st.lists(
    st.sampled_from(["a", "B", " ", "\n", "\u00a0", "\u200b", "â", "Ã©", "â€™", "e\u0301", "\x00"])
    | st.characters(),
    max_size=30,
).map("".join)


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


def test_the_record_copy_is_what_dataclasses_replace_gives() -> None:
    # _copied skips BlogPost.__init__, which is right only while that only assigns.
    from crawler.cleaning.post import _copied

    assert not hasattr(BlogPost, "__post_init__")
    assert not hasattr(BlogPost, "__slots__")
    page = FetchedPage(url=URL, body=b"<html></html>")
    post = _post(title="T", labels=["a"], comment_count=2, raw_page=page)
    copied = _copied(post, {"title": "U", "labels": ["b"]})
    assert copied == dataclasses.replace(post, title="U", labels=["b"])
    assert copied is not post
    assert copied.raw_page is page
    assert (post.title, post.labels) == ("T", ["a"])


_FIELD = st.one_of(st.none(), _TEXTS, st.sampled_from(["", " ", "Café", "CafÃ©", "  A  b "]))


@settings(max_examples=300, deadline=None)
@given(
    title=_FIELD,
    author=_FIELD,
    blog_title=_FIELD,
    labels=st.lists(st.one_of(_TEXTS, st.sampled_from(["News", " News", "", "news"])), max_size=6),
    body=st.lists(st.one_of(_TEXTS, st.sampled_from(["Share this", "Post a Comment"])), max_size=6),
)
def test_a_record_cleaned_in_one_batch_is_each_field_cleaned_alone(
    title: str | None,
    author: str | None,
    blog_title: str | None,
    labels: list[str],
    body: list[str],
) -> None:
    # clean_post cleans the body's texts and the short fields together: the result and the
    # report must be those of each field cleaned by itself.
    post = _post(title=title, author=author, blog_title=blog_title, labels=labels)
    post.body_paragraphs = body
    report = CleaningReport()
    cleaned = clean_post(post, report=report)
    expected = CleaningReport()

    def field(text: str | None) -> str | None:
        return None if text is None else clean_text(text, report=expected) or None

    clean_title = field(title)
    assert cleaned.title == clean_title
    assert cleaned.author == field(author)
    assert cleaned.blog_title == field(blog_title)
    assert cleaned.labels == list(dict.fromkeys(filter(None, map(field, labels))))
    assert cleaned.body_paragraphs == clean_paragraphs(body, title=clean_title, report=expected)
    assert report == expected
