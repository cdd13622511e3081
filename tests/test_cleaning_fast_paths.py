"""Cleaning's fast paths give exactly what the plain definitions (regular expressions) give.

Each test states the plain definition the fast path replaced and compares the two, on every
code point where that is feasible and on generated text elsewhere.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.cleaning import text as text_module
from crawler.cleaning.boilerplate import is_unmistakable
from crawler.cleaning.comments import clean_comments
from crawler.cleaning.dedupe import paragraph_key, paragraph_keys
from crawler.cleaning.mojibake import _SUSPICIOUS, CONTINUATION, looks_mojibaked
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import clean_text, clean_texts
from crawler.cleaning.whitespace import (
    _DROPPED,
    _JOINER_OUTSIDE_SCRIPT,
    _NEEDS_WORK,
    needs_work,
    normalize_whitespace,
)
from crawler.items import BlogComment

# Characters the rules care about, and neighbours for them, so that generated text often
# holds the cases (a lead letter before a continuation, a joiner between scripts ...).
_INTERESTING = (
    "aZ9 _,.\"'\\\n\t\r\x00\x1f\x7f\x85\xa0\xad\u200b\u200c\u200d\u2060\ufeff\u3000\u2028"
    "âÂÃÅÆÐÑôõ€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¦¢¬©®°±²³µ¶·¹º»¼½¾¿ßéüаяअ्क\u0301ﬁ①Ω😀\ud800\udfff"
)
TEXT = st.text(alphabet=st.sampled_from(_INTERESTING) | st.characters(), max_size=40)


def _reporting(text: str) -> tuple[str, bool]:
    """``clean_text(text)`` and whether it counted a mojibake repair."""
    report = CleaningReport()
    return clean_text(text, report=report), bool(report.mojibake_repaired)


def _plain_normalize_whitespace(text: str) -> str:
    if not _NEEDS_WORK.search(text):
        return text
    text = _DROPPED.sub("", text)
    text = _JOINER_OUTSIDE_SCRIPT.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


_PLAIN_NOT_KEY = re.compile(r"[\W_â]+")


def _plain_key(paragraph: str) -> str:
    return _PLAIN_NOT_KEY.sub("", unicodedata.normalize("NFKC", paragraph).casefold())


def test_needs_work_agrees_with_the_expression_for_every_code_point() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        for text in (char, f"a{char}b"):
            assert needs_work(text) == (_NEEDS_WORK.search(text) is not None), hex(code)


def test_key_characters_are_what_str_isalnum_says_for_every_code_point() -> None:
    # The key's fast path trusts str.isalnum to be the expression's \w (but "_").
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char != "_":
            assert char.isalnum() == (re.fullmatch(r"\w", char) is not None), hex(code)


def test_mojibake_pairs_agree_with_the_expression_for_every_lead_and_follower() -> None:
    leads = [chr(code) for code in range(0x80, 0x180)] + ["a", "\ud800", "\udfff"]
    followers = [*CONTINUATION, *(chr(code) for code in range(0x80, 0x3000)), "a", " ", "\ud900"]
    for lead in leads:
        for follower in followers:
            text = f"x{lead}{follower}y"
            assert looks_mojibaked(text) == (_SUSPICIOUS.search(text) is not None), repr(text)


@settings(max_examples=1500, deadline=None)
@given(TEXT)
def test_whitespace_keys_and_mojibake_agree_with_their_expressions(text: str) -> None:
    assert normalize_whitespace(text) == _plain_normalize_whitespace(text)
    assert needs_work(text) == (_NEEDS_WORK.search(text) is not None)
    assert looks_mojibaked(text) == (_SUSPICIOUS.search(text) is not None)
    assert paragraph_key(text) == _plain_key(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_text_is_cleaned_as_the_full_passes_clean_it(text: str) -> None:
    passes = 4 + text.count("â")
    expected, repaired = text, False
    for _ in range(passes):
        result, changed = text_module._clean_once(expected)
        repaired = repaired or changed
        if result == expected:
            break
        expected = result
    assert _reporting(text) == (expected, repaired)


_PLAIN_UNMISTAKABLE_POWERED = re.compile(
    r".{0,40}\b(?:powered by|fourni par|bereitgestellt von|con la tecnología de"
    r"|tecnologia do|fornito da) blogger\.?",
    re.IGNORECASE,
)


def test_powered_by_lines_are_unmistakable_wherever_they_end() -> None:
    for line in (
        "Powered by Blogger",
        "Powered by Blogger.",
        "Simple theme. Powered by BLOGGER.",
        "Design by someone, powered by blogger",
        "Fourni par Blogger.",
        "This text mentions being powered by Blogger in the middle of a sentence, not at the end",
        "Powered by Bloggerx",
        "x" * 41 + " powered by blogger",
    ):
        expected = _PLAIN_UNMISTAKABLE_POWERED.fullmatch(line) is not None
        assert is_unmistakable(line, None) == expected, line


_ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=30)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(_ASCII_TEXT, _ASCII_TEXT, st.text(alphabet="abc é’“”\n  ", max_size=20), TEXT),
        max_size=40,
    )
)
def test_a_body_cleaned_and_keyed_at_once_is_each_paragraph_cleaned_and_keyed(
    paragraphs: list[str],
) -> None:
    one_by_one = [_reporting(p) for p in paragraphs]
    report = CleaningReport()
    assert clean_texts(paragraphs, report=report) == [text for text, _ in one_by_one]
    assert report.mojibake_repaired == sum(repaired for _, repaired in one_by_one)
    assert paragraph_keys(paragraphs) == [paragraph_key(p) for p in paragraphs]


# Paragraphs as the body splitter writes them: collapsed lines joined by newlines (<br>),
# whose whitespace rewrite only makes the newlines spaces.
_LINE = st.text(alphabet=st.sampled_from(_INTERESTING) | st.characters(), max_size=12)
_LINED = st.lists(_LINE.map(lambda line: " ".join(line.split())), min_size=1, max_size=6).map(
    "\n".join
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_LINED, _LINED, TEXT), max_size=30))
def test_line_broken_paragraphs_are_cleaned_as_the_full_passes_clean_them(
    paragraphs: list[str],
) -> None:
    for paragraph in paragraphs:
        assert normalize_whitespace(paragraph) == _plain_normalize_whitespace(paragraph)
    one_by_one = [_reporting(p) for p in paragraphs]
    report = CleaningReport()
    assert clean_texts(paragraphs, report=report) == [text for text, _ in one_by_one]
    assert report.mojibake_repaired == sum(repaired for _, repaired in one_by_one)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(TEXT, _ASCII_TEXT, st.text(alphabet="aé â€™Ã©\u0301\x00", max_size=12))))
def test_the_joined_scan_finds_exactly_the_texts_that_are_not_inert(texts: list[str]) -> None:
    # One scan of the joined texts (an "â" or a pair placed by counting joiners, NFC text by
    # text only when the whole fails) against the plain test of each text alone.
    assert text_module._inert_flags(texts) == [text_module._inert(text) for text in texts]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), TEXT), st.lists(st.one_of(TEXT, _LINED), max_size=4)),
        max_size=12,
    ),
    st.booleans(),
)
def test_a_thread_cleaned_at_once_is_each_comment_cleaned_alone(
    drawn: list[tuple[str | None, list[str]]], deleted: bool
) -> None:
    comments = [
        BlogComment(id=str(i), author=author, paragraphs=texts, deleted=deleted and i % 2 == 0)
        for i, (author, texts) in enumerate(drawn)
    ]
    report = CleaningReport()
    cleaned = clean_comments(comments, report=report)
    repairs = 0
    for comment, result in zip(comments, cleaned, strict=True):
        author = None if comment.author is None else _reporting(comment.author)
        texts = [] if comment.deleted else [_reporting(t) for t in comment.paragraphs]
        repairs += sum(repaired for _, repaired in texts) + (author[1] if author else 0)
        assert result.author == (author[0] or None if author else None)
        assert result.paragraphs == [text for text, _ in texts if text]
        assert dataclasses.replace(
            result, author=comment.author, paragraphs=comment.paragraphs
        ) == (comment)
    assert report.mojibake_repaired == repairs
