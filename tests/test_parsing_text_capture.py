"""Plain-text captures: title line, body lines, comment footer left out."""

from __future__ import annotations

import pytest

from crawler.parsing import parse_page
from crawler.parsing.text_capture import looks_like_text_capture

CAPTURE = """Harbour notes
The fog came in before dawn.
We ran the horn every thirty seconds.
2 Responses to "Harbour notes"
Post a Comment
"""


def test_a_text_capture_gives_title_body_and_the_footer_count() -> None:
    record = parse_page("https://harbour.blogspot.com/2005/03/notes.html", CAPTURE.encode())
    assert record.title == "Harbour notes"
    assert record.body_paragraphs == [
        "The fog came in before dawn.",
        "We ran the horn every thirty seconds.",
    ]
    assert record.comment_count == 2
    assert record.extractor == "text-capture"
    assert record.blog_url == "https://harbour.blogspot.com/"


def test_a_post_a_comment_line_alone_ends_the_body_without_a_count() -> None:
    record = parse_page("file:///c.txt", b"Title\nBody line\nPost a Comment\nName: Anonymous\n")
    assert record.body_paragraphs == ["Body line"]
    assert record.comment_count is None


def test_a_comments_heading_line_ends_the_body() -> None:
    record = parse_page("file:///c.txt", b"Titel\nText\nKeine Kommentare:\n")
    assert record.body_paragraphs == ["Text"]
    assert record.comment_count == 0


def test_a_response_line_naming_another_title_is_body_text() -> None:
    text = 'Title\n3 answers to "a different question" today\nEnd\n'
    record = parse_page("file:///c.txt", text.encode())
    assert record.body_paragraphs == ['3 answers to "a different question" today', "End"]


@pytest.mark.parametrize(
    ("body", "content_type", "is_text"),
    [
        (b"Title\nBody\n", None, True),
        (b"<!DOCTYPE html><html></html>", None, False),
        (b"  \n<html><body>x</body></html>", None, False),
        (b"Intro text then <p>markup</p>", None, False),
        (b"<p>looks like html</p>", "text/plain; charset=utf-8", True),
    ],
)
def test_text_captures_are_told_from_html(
    body: bytes, content_type: str | None, is_text: bool
) -> None:
    assert looks_like_text_capture(body, content_type) is is_text
