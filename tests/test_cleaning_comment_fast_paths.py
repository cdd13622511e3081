"""The comment cleaning's ASCII fast path gives exactly what the full text cleaning gives."""

from __future__ import annotations

import random

import pytest

from crawler.cleaning.comments import clean_comments
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text
from crawler.items import BlogComment

_PIECES = [chr(code) for code in range(128)] + ["  ", " \n ", "\n\n", "\t", "word", " "]


def _cleaned(text: str) -> tuple[list[str], str | None, int]:
    comment = BlogComment(id="1", author=text, paragraphs=[text])
    report = CleaningReport()
    (cleaned,) = clean_comments([comment], report=report)
    return cleaned.paragraphs, cleaned.author, report.mojibake_repaired


@pytest.mark.parametrize(
    "text",
    ["", " ", "plain", "  two  spaces ", "line\nbreak", "tab\there", "nul\x00bell\x07",
     "\x0bvt\x0cff\x1cfs\x1fus\x7fdel", "\r\ncrlf\r\n", "ends with space "],
)  # fmt: skip
def test_ascii_text_is_cleaned_as_the_full_path_cleans_it(text: str) -> None:
    report = CleaningReport()
    expected = clean_text(text, report=report)
    repaired = report.mojibake_repaired
    paragraphs, author, repairs = _cleaned(text)
    assert paragraphs == ([expected] if expected else [])
    assert author == (expected or None)
    assert repairs == repaired * 2


def test_random_ascii_strings_agree_with_the_full_path() -> None:
    draw = random.Random(13)
    for _ in range(2_000):
        text = "".join(draw.choice(_PIECES) for _ in range(draw.randint(0, 10)))
        expected = clean_text(text)
        paragraphs, _author, repairs = _cleaned(text)
        assert paragraphs == ([expected] if expected else []), repr(text)
        assert repairs == 0


def test_non_ascii_text_still_gets_its_mojibake_repaired() -> None:
    paragraphs, author, repairs = _cleaned("cafÃ© â€œquotedâ€\x9d")
    assert paragraphs == [clean_text("cafÃ© â€œquotedâ€\x9d")]
    assert "é" in paragraphs[0]
    assert "Ã" not in paragraphs[0]
    assert repairs == 2


def test_a_comment_copied_without_its_init_is_what_dataclasses_replace_gives() -> None:
    # _with_text skips BlogComment.__init__, which is right only while that only assigns.
    import dataclasses

    from crawler.cleaning.comments import _with_text

    assert not hasattr(BlogComment, "__post_init__")
    assert not hasattr(BlogComment, "__slots__")
    comment = BlogComment(id="7", parent="3", author="a", paragraphs=["x"], deleted=False)
    copied = _with_text(comment, "b", ["y"])
    assert copied == dataclasses.replace(comment, author="b", paragraphs=["y"])
    assert copied is not comment
    assert comment.author == "a"
    assert comment.paragraphs == ["x"]
