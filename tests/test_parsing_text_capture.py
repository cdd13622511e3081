"""Plain-text captures: title line, body lines, comment footer left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.parsing import NotAPostError, parse_page
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
    record = parse_page("file:///c.txt", b"Titel\nEin Text.\nKeine Kommentare:\n")
    assert record.body_paragraphs == ["Ein Text."]
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


@pytest.mark.parametrize(
    "content_type", ["text/html", "text/html; charset=utf-8", "application/xhtml+xml"]
)
def test_a_tagless_html_response_is_not_a_post(content_type: str) -> None:
    body = b"Service Unavailable\nPlease try again later."
    assert looks_like_text_capture(body, content_type) is False
    with pytest.raises(NotAPostError, match="HTML response without markup"):
        parse_page("https://harbour.blogspot.com/2005/03/n.html", body, content_type=content_type)


TOML = b"""[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "blogingest"
version = "0.1.0"
"""
PYTHON = b'''"""A module docstring that reads like a sentence."""

from __future__ import annotations

import re


def main() -> int:
    return 0
'''
PYTHON_IMPORTS_FIRST = b"import os\nimport sys\n\nprint(os.getcwd(), sys.argv)\n"
SHELL = b"#!/bin/sh\nset -eu\necho hello\n"
JSON = b'{\n  "title": "Harbour notes",\n  "body": "The fog came in."\n}\n'
JSON_LIST = b'[\n  {"id": 1},\n  {"id": 2}\n]\n'
YAML = b"name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
ROBOTS = (
    b"User-agent: *\nDisallow: /search\nAllow: /\nSitemap: https://x.blogspot.com/sitemap.xml\n"
)
INI = b"# Scrapy's project file.\n[settings]\ndefault = crawler.settings\n"
CSV = b"id,title,comments\n1,Harbour notes,2\n2,Night mail,0\n"
TITLE_ONLY = b"Harbour notes\n"
FILE_LIST = b"README.md\nblogingest/__init__.py\nblogingest/cli.py\n"
IGNORE_LIST = b".venv/\n__pycache__/\n*.egg-info\n"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (TOML, "first line is not a title"),
        (PYTHON, "first line is not a title"),
        (PYTHON_IMPORTS_FIRST, "first line is not a title"),
        (SHELL, "first line is not a title"),
        (JSON, "first line is not a title"),
        (JSON_LIST, "first line is not a title"),
        (YAML, "code or data"),
        (ROBOTS, "code or data"),
        (INI, "first line is not a title"),
        (CSV, "first line is not a title"),
        (TITLE_ONLY, "no body text"),
        (FILE_LIST, "no body text"),
        (IGNORE_LIST, "no body text"),
    ],
)
def test_text_that_is_not_shaped_like_a_capture_is_not_a_post(body: bytes, reason: str) -> None:
    with pytest.raises(NotAPostError, match=reason) as raised:
        parse_page("file:///work/some-file", body)
    assert raised.value.reason.startswith("text, not a post capture: ")
    assert "\n" not in raised.value.reason


def test_a_capture_may_quote_a_little_code_in_its_body() -> None:
    text = (
        "Why my build broke\n"
        "The setting below was missing from the project file.\n"
        'build-backend = "setuptools.build_meta"\n'
        "With it in place the build ran again, and I could go home.\n"
    )
    record = parse_page("file:///c.txt", text.encode())
    assert record.title == "Why my build broke"
    assert len(record.body_paragraphs) == 3


def test_a_capture_in_a_script_written_without_spaces_has_body_text() -> None:
    record = parse_page("file:///c.txt", "港口笔记\n今天早上雾很大。\n".encode())
    assert record.body_paragraphs == ["今天早上雾很大。"]


@pytest.mark.parametrize(
    "title",
    [
        "Review: Dune",
        "[2019] Trip report",
        '"Failure": what the NSAs said',
        "Things I learned (part 2):",
        "C# tips for beginners",
        "#MeToo and the press",
        "Gone",
        "Not Found",  # with a long body below: a post, not a server message
    ],
)
def test_titles_with_brackets_colons_and_quotes_stay_titles(title: str) -> None:
    body = "\n".join([title] + ["The fog came in before dawn, and the horn ran all day."] * 4)
    assert parse_page("file:///c.txt", body.encode()).title == title


@pytest.mark.parametrize(
    "title", ["Service Unavailable", "503 Service Unavailable", "Error 404 (Not Found)"]
)
def test_a_plain_text_server_error_message_is_not_a_post(title: str) -> None:
    body = f"{title}\nPlease try again later.\n".encode()
    with pytest.raises(NotAPostError, match="server error message"):
        parse_page("https://x.blogspot.com/2020/01/a.html", body, content_type="text/plain")


def test_the_seed_capture_still_parses() -> None:
    seed = Path(__file__).resolve().parent.parent / "seeds" / "seed-post.txt"
    record = parse_page(seed.as_uri(), seed.read_bytes())
    assert record.title is not None
    assert record.title.startswith("ISI backing small jihadi outfits")
    assert record.comment_count == 0
