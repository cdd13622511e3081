"""Cleaning's fast paths give exactly what the plain definitions (regular expressions) give.

Each test states the plain definition the fast path replaced and compares the two, on every
code point where that is feasible and on generated text elsewhere.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import unicodedata
from unittest import mock

import ftfy
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crawler.cleaning import lossy_quotes
from crawler.cleaning import mojibake as mojibake_module
from crawler.cleaning import text as text_module
from crawler.cleaning.boilerplate import is_boilerplate, is_unmistakable, strip_boilerplate
from crawler.cleaning.comments import clean_comments
from crawler.cleaning.contractions import CONTRACTION_SUFFIXES
from crawler.cleaning.dedupe import MIN_KEY_CHARS, drop_repeats, paragraph_key, repeat_keys
from crawler.cleaning.joined_body import JoinedBody
from crawler.cleaning.lossy_quotes import (
    _SOME_LETTERS,
    each_circumflex_kept,
    keeps_every_circumflex,
    repair_lossy,
)
from crawler.cleaning.mojibake import _SUSPICIOUS, CONTINUATION, looks_mojibaked
from crawler.cleaning.report import CleaningReport
from crawler.cleaning.text import (
    clean_text,
    clean_texts,
    clean_texts_telling_nfkc,
    nfkc_but_ellipses,
)
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
@given(st.lists(st.one_of(TEXT, st.text(alphabet="ÃâéÂ©€’™… ¶\u0161\u02dc", max_size=8))))
@example(["cafÃ©", "Ã©", "été…", "Â\x80"])
def test_pairs_found_by_their_byte_classes_are_those_the_expression_finds(
    texts: list[str],
) -> None:
    # The plain definition: the expression searched from each place in turn.
    data = " ¶ ".join(texts).encode("utf-8", "surrogatepass")
    classes = data.translate(mojibake_module._PAIR_CLASSES)  # (dense or not)
    assert mojibake_module.pair_classes(data) in (classes, None)
    for start in range(len(data) + 1):
        found = mojibake_module._SUSPICIOUS_UTF8.search(data, start)
        expected = -1 if found is None else found.start()
        assert mojibake_module.find_pair(data, classes, start) == expected
        assert mojibake_module.find_pair(data, None, start) == expected


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
    _assert_repeat_keys(paragraphs)


def _assert_repeat_keys(paragraphs: list[str]) -> None:
    """``repeat_keys`` gives the key of every paragraph whose key another has and is long
    enough to count, and ``drop_repeats`` drops what the plain loop over every paragraph's
    key drops."""
    keys = [paragraph_key(p) for p in paragraphs]
    for key, found in zip(keys, repeat_keys(paragraphs), strict=True):
        assert found == key or (
            found is None and (keys.count(key) == 1 or len(key) < MIN_KEY_CHARS)
        )
    seen: set[str] = set()
    kept = []
    for paragraph, key in zip(paragraphs, keys, strict=True):
        if len(key) < MIN_KEY_CHARS or key not in seen:
            kept.append(paragraph)
        seen.add(key)
    assert drop_repeats(paragraphs) == (kept, len(paragraphs) - len(kept))


_REPEATABLE = st.sampled_from(
    ["A café’s “menu” — the same forty letters and digits 0123456789"] * 2
    + ["a cafés menu the same forty letters and digits 0123456789!", "Ａ ｃａｆé’s menu — "]
    + ["Die Straße … ﬁnal İstanbul ǰ ẖ ẗ ẘ ẙ ẞ forty letters and more"]
    + ["DIE STRASSE... final i̇stanbul ǰ ẖ ẗ ẘ ẙ ss forty letters and more"]
)  # fmt: skip


def test_what_case_folding_makes_ascii_of_in_nfkc_text_is_only_the_letters_sketches_leave_out() -> (
    None
):
    # Sketches (dedupe.repeat_keys) keep the ASCII letters of a paragraph's NFKC form; that
    # they are those of its key relies on no other character folding to one of them.
    from crawler.cleaning.dedupe import _FOLDED_FROM_NON_ASCII

    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.normalize("NFKC", char) != char:
            continue
        made = {c for c in char.casefold() if c.isascii() and c.isalnum()}
        assert made <= set(_FOLDED_FROM_NON_ASCII.decode()), (hex(code), made)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_REPEATABLE, TEXT, _ASCII_TEXT).map(lambda t: t * 3), max_size=20))
def test_repeats_are_found_from_the_ascii_keys_as_from_the_whole_keys(
    paragraphs: list[str],
) -> None:
    _assert_repeat_keys(paragraphs)


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


_LETTER_CIRCUMFLEX_AND_PAIRS = st.lists(
    st.sampled_from(["château", "tâm", " ", "Ã©", "é", "\u0301", "â€™", "\n", "\x00", "\x08"]),
    max_size=6,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            TEXT,
            _ASCII_TEXT,
            st.text(alphabet="aé â€™Ã©\u0301\x00", max_size=12),
            _LETTER_CIRCUMFLEX_AND_PAIRS,
        )
    )
)
@example(["château cafÃ©"])
@example(["a ¶ b", "itâs"])  # a text holding the separator: hits are not placed by counting
@example(["château\x08", "tâm", "Ã©"])  # unprintable with an "â", beside an unprintable pair
@example(["â", "château"])  # an "â" at a text's end, before the separator
def test_the_joined_scan_finds_exactly_the_texts_that_are_not_inert(texts: list[str]) -> None:
    # One scan of the joined texts (an "â" or a pair placed by counting the separator's
    # marks, NFC or printable text by text only when the whole fails) against the plain test
    # of each text alone.
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
    originals = [dataclasses.replace(c, paragraphs=list(c.paragraphs)) for c in comments]
    report = CleaningReport()
    cleaned = clean_comments(comments, report=report)
    repairs = 0
    for comment, original, result in zip(comments, originals, cleaned, strict=True):
        author = None if comment.author is None else _reporting(comment.author)
        texts = [] if comment.deleted else [_reporting(t) for t in comment.paragraphs]
        repairs += sum(repaired for _, repaired in texts) + (author[1] if author else 0)
        assert result.author == (author[0] or None if author else None)
        assert result.paragraphs == [text for text, _ in texts if text]
        assert dataclasses.replace(
            result, author=comment.author, paragraphs=comment.paragraphs
        ) == (comment)
        assert comment == original  # not changed
        if result is comment:  # kept as it is: only when cleaning changes nothing in it
            assert result.author == comment.author
            assert result.paragraphs == ([] if comment.deleted else comment.paragraphs)
    assert report.mojibake_repaired == repairs


def _clean_nonblank(text: str) -> str:
    return clean_text(text) or "x"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), TEXT.map(_clean_nonblank)),
            st.lists(st.one_of(TEXT, _ASCII_TEXT).map(_clean_nonblank), max_size=4),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_a_thread_that_cleaning_keeps_is_kept_as_each_comment_cleaned_alone(
    drawn: list[tuple[str | None, list[str], bool]],
) -> None:
    # Texts cleaned already (none blank): most threads take the path where every text is
    # its own result and each comment is kept as it is (a deleted one holding text rebuilt).
    comments = [
        BlogComment(id=str(i), parent="p", author=author, paragraphs=texts, deleted=deleted)
        for i, (author, texts, deleted) in enumerate(drawn)
    ]
    originals = [
        dataclasses.replace(comment, paragraphs=list(comment.paragraphs)) for comment in comments
    ]
    cleaned = clean_comments(comments)
    for comment, original, result in zip(comments, originals, cleaned, strict=True):
        assert comment == original  # not changed
        assert result == dataclasses.replace(
            original, paragraphs=[] if original.deleted else original.paragraphs
        )
        assert (result is comment) == (not (comment.deleted and comment.paragraphs))
    assert cleaned is not comments


def test_a_thread_of_settled_text_keeps_its_comments() -> None:
    comments = [
        BlogComment(id="1", author="Ann", paragraphs=["Fine.", "Café ’ok’"]),
        BlogComment(id="2", author=None, paragraphs=["gone"], deleted=True),
        BlogComment(id="3", author="Bo", paragraphs=["Two\nlines"]),
        BlogComment(id="4", author=None, paragraphs=[], deleted=True),
    ]
    cleaned = clean_comments(comments)
    assert [c.paragraphs for c in cleaned] == [["Fine.", "Café ’ok’"], [], ["Two lines"], []]
    assert [c is o for c, o in zip(cleaned, comments, strict=True)] == [True, False, False, True]
    assert comments[1].paragraphs == ["gone"]
    assert comments[2].paragraphs == ["Two\nlines"]


def test_a_letter_of_blogger_in_any_case_is_ascii_for_every_code_point() -> None:
    # The boilerplate scan trusts bytes.lower (ASCII letters) to find "blogger" wherever the
    # expression's IGNORECASE does (the powered-by line ends so).
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if re.fullmatch("[blogger]", char, re.IGNORECASE):
            assert char.isascii(), hex(code)
            assert char.lower() in "blogger", hex(code)


_START_WORDS = st.sampled_from(
    ["subscribe to", "s'abonner à", "email this", "posted by", "pubblicato da", "newer posts",
     "next post", "neuerer posts", "Ältere Post", "home page", "homepage", "postagens mais",
     "página inicial", "Post più vecchio", "\u017fubscribe", "\u0130nicio", "7", "x", "p", "s'"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.tuples(_START_WORDS, st.text(alphabet="sSpPoOnN ? ", max_size=4), TEXT))
def test_the_start_scan_grouped_by_first_letter_matches_as_its_alternatives_one_by_one(
    parts: tuple[str, str, str],
) -> None:
    from crawler.cleaning import boilerplate as b

    word, noise, rest = parts
    flat = re.compile(
        rf"\x00(?:{b._SUBSCRIBE}|{b._EMAIL_THIS}|{b._POSTED_BY}|{b._PAGER_LINK}|\d)", re.IGNORECASE
    )
    for text in (word + rest, word.upper() + noise + rest, noise + word, word[:-1]):
        found = b._UNMISTAKABLE_START.match("\x00" + text)
        expected = flat.match("\x00" + text)
        assert (found and found.group()) == (expected and expected.group()), repr(text)


def _plain_strip_boilerplate(paragraphs: list[str], title: str | None) -> tuple[list[str], int]:
    title_key = paragraph_key(title) if title else None
    start, end = 0, len(paragraphs)
    while start < end and (
        is_boilerplate(paragraphs[start], title_key)
        or paragraph_key(paragraphs[start]) == title_key
    ):
        start += 1
    while end > start and is_boilerplate(paragraphs[end - 1], title_key):
        end -= 1
    kept = [p for p in paragraphs[start:end] if not is_unmistakable(p, title_key)]
    return kept, len(paragraphs) - len(kept)


_TEMPLATE_LINES = st.sampled_from(
    [
        "Subscribe to: Post Comments (Atom)",
        "Email ThisBlogThis!Share to Twitter",
        "Posted by T. V. Raman at 2:33 PM",
        "Newer Post Older Post Home",
        "Ältere Posts Startseite",
        "Powered by Blogger.",
        "Fourni par BLOGGER",
        '3 Responses to "A post"',
        "12 comments on A post",
        "A real paragraph that mentions Blogger.",
        "Home",
        "\u0130nicio P\u00e1gina principal",
        "\u017fubscribe to: Post Comments (Atom)",
        "NEWER POST \u0130NICIO",
        "\u2160 comments on A post",
        "Next Posts Home",
        "fourni par BloGGer.",
        "Subscr\u0131be to: Post Comments (Atom)",
        "POSTED BY \u212a. at 2:33 PM",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(_TEMPLATE_LINES, TEXT, _ASCII_TEXT), max_size=12),
    st.sampled_from([None, "A post", ""]),
)
def test_boilerplate_found_by_one_scan_is_what_each_paragraph_tested_whole_gives(
    drawn: list[str], title: str | None
) -> None:
    paragraphs = [clean_text(p) for p in drawn]
    paragraphs = [p for p in paragraphs if p]
    assert strip_boilerplate(paragraphs, title=title) == _plain_strip_boilerplate(paragraphs, title)
    raw = [p for p in drawn if p]  # uncleaned: newlines and all
    assert strip_boilerplate(raw, title=title) == _plain_strip_boilerplate(raw, title)
    # With the body joined once for the repeat test too (the middle cut out of it, the
    # "blogger" test made on its Latin-1 bytes), and without a body to share.
    for texts in (paragraphs, raw):
        expected = _plain_strip_boilerplate(texts, title)
        assert strip_boilerplate(texts, title=title, body=JoinedBody(texts)) == expected


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.one_of(_REPEATABLE, TEXT, _ASCII_TEXT, _TEMPLATE_LINES).map(lambda t: t * 3),
        max_size=14,
    )
)
def test_a_body_joined_once_for_its_passes_is_deduplicated_and_stripped_as_apart(
    drawn: list[str],
) -> None:
    # What clean_paragraphs does with the body joined once: the repeat test's sketches from
    # its Latin-1 bytes (not its ASCII encoding), the same text and bytes for boilerplate.
    texts, known = clean_texts_telling_nfkc(drawn)
    cleaned = [text for text in texts if text]
    known = [flag for text, flag in zip(texts, known, strict=True) if text]
    body = JoinedBody(cleaned)
    unique, dropped = drop_repeats(cleaned, nfkc_known=known, body=body)
    assert (unique, dropped) == drop_repeats(cleaned)
    _assert_repeat_keys(cleaned)
    shared = None if dropped else body
    assert strip_boilerplate(unique, title="A post", body=shared) == _plain_strip_boilerplate(
        unique, "A post"
    )


_MOJIBAKE_LINE = st.sampled_from(
    ["Itâ€™s fine", "cafÃ©", "a â€œtestâ€\x9d", "plain ascii", "tab\there", "cr\r", "", " ",
     "ItÃ¢â‚¬â„¢s", "\x1b[1mbold", "\ud83d\ude00", "é—’", "Ã\xa0 la", "\x85next", "a\u2028b"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_MOJIBAKE_LINE, _LINE, _ASCII_TEXT), max_size=8).map("\n".join))
def test_ftfy_run_on_the_lines_that_are_not_plain_ascii_fixes_as_on_the_whole(text: str) -> None:
    plain = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        unescape_html=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization="NFC",
    )
    assert mojibake_module._ftfy_lines(text) == plain


_CIRCUMFLEX_WORDS = st.sampled_from(
    ["château", "România", "când", "câmara", "râs", "appât", "donât", "Pakistanâs", "OâBrien",
     "Iâm", "itâs", "weâll", "âge", "â", "ânâ", "âââ", "tâ\u00adm", "caâ€™", "câ\u200bt", "a",
     "The", "â€œ", "â¦", "“", "x", "2010â2015", "don\u00adâ\u00adt", "e\u0301â", "d\u00adonât",
     "x\u200bsâs"]
)  # fmt: skip


_LOSSY_TEXT = st.lists(
    st.one_of(_CIRCUMFLEX_WORDS, st.sampled_from(["“", "”", " ", "s", "The", ".", "9", "Ḁ"])),
    max_size=12,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_LOSSY_TEXT, TEXT))
@example("châteauâs âThe playersâ union,â he said")
@example("théâtre itâs “ ânâ ”")
def test_the_lossy_repair_decides_the_circumflexes_the_screen_passes_as_it_did_each(
    text: str,
) -> None:
    # The plain definition: every "â" (and real “) decided in turn; the screen's letters
    # come out as they went in.
    with mock.patch.object(lossy_quotes, "_LONE", re.compile("[â“]")):
        each_decided = repair_lossy(text)
    assert repair_lossy(text) == each_decided


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(_CIRCUMFLEX_WORDS, TEXT), max_size=8).map(" ".join)
        | st.lists(_CIRCUMFLEX_WORDS, max_size=8).map("".join),
        max_size=10,
    )
)
@example(["Â\x08¡", "e\x08\u0301 x"])
def test_texts_whose_circumflexes_are_letters_are_cleaned_as_the_full_passes_clean_them(
    texts: list[str],
) -> None:
    one_by_one = [_reporting(text) for text in texts]
    report = CleaningReport()
    assert clean_texts(texts, report=report) == [text for text, _ in one_by_one]
    assert report.mojibake_repaired == sum(repaired for _, repaired in one_by_one)
    for text, (cleaned, repaired) in zip(texts, one_by_one, strict=True):
        # What _clean_joined relies on: an inert text whose rewrite is inert too (a rewrite
        # that drops characters may join others into a pair: "Â\x08¡") is only rewritten.
        if text_module._inert(text) and text_module._inert(normalize_whitespace(text)):
            assert (cleaned, repaired) == (normalize_whitespace(text), False), repr(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            _ASCII_TEXT,
            _LINED,
            TEXT,
            _CIRCUMFLEX_WORDS,
            # ASCII texts holding the ASCII separator, with line breaks to split back
            st.sampled_from(["Home | About", "x | y\nz", "a\nb", "| \n |"]),
        ),
        max_size=20,
    )
)
def test_long_runs_cleaned_ascii_and_other_texts_apart_are_cleaned_as_one_by_one(
    texts: list[str],
) -> None:
    # Every run goes apart by ASCII-ness, the ASCII texts tested joined by their mark.
    one_by_one = [_reporting(text) for text in texts]
    report = CleaningReport()
    assert clean_texts(texts, report=report) == [text for text, _ in one_by_one]
    assert report.mojibake_repaired == sum(repaired for _, repaired in one_by_one)


def _first_characters(items: list[tuple[object, object]]) -> set[object]:
    """The codes (or categories) a match of the parsed pattern ``items`` can start with."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    found: set[object] = set()
    for op, value in items:
        if op is sre_parse.LITERAL:
            return found | {value}
        if op is sre_parse.IN:
            for kind, arg in value:  # type: ignore[attr-defined]
                if kind is sre_parse.RANGE:
                    found.update(range(arg[0], arg[1] + 1))
                else:  # a LITERAL's code, or a CATEGORY
                    found.add(arg)
            return found
        if op is sre_parse.SUBPATTERN:
            return found | _first_characters(list(value[-1].data))  # type: ignore[index]
        if op is sre_parse.BRANCH:
            return found.union(*(_first_characters(list(b.data)) for b in value[1]))  # type: ignore[index]
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            found |= _first_characters(list(value[2].data))  # type: ignore[index]
            if value[0]:  # type: ignore[index]
                return found
            continue
        if op is sre_parse.ASSERT:
            continue
        raise AssertionError(f"unexpected {op}")
    return found


def test_the_unmistakable_scan_looks_first_for_every_letter_its_alternatives_start_with() -> None:
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    from crawler.cleaning import boilerplate

    pattern = boilerplate._UNMISTAKABLE_START
    joiner, *rest = sre_parse.parse(pattern.pattern, pattern.flags).data
    assert joiner == (sre_parse.LITERAL, ord("\x00"))
    lookahead, alternatives = rest
    assert lookahead[0] is sre_parse.ASSERT
    first = re.compile(boilerplate._UNMISTAKABLE_FIRST, re.IGNORECASE)
    for start in _first_characters([alternatives]):
        if start is sre_parse.CATEGORY_DIGIT:  # the only category written (\d)
            assert first.fullmatch("7")
        else:
            assert first.fullmatch(chr(start)), chr(start)  # type: ignore[arg-type]


@pytest.mark.parametrize("letters", [MIN_KEY_CHARS - 1, MIN_KEY_CHARS, MIN_KEY_CHARS + 1])
@pytest.mark.parametrize("letter", ["é", "я", "中", "e"])
def test_a_repeat_is_dropped_exactly_when_its_key_is_long_enough(letters: int, letter: str) -> None:
    # Keys are computed only for folded texts of MIN_KEY_CHARS characters or more: the
    # bound must hold at the edge, with punctuation the key drops around the letters.
    for paragraph in (letter * letters, "“" + letter * letters + "”…"):
        kept, dropped = drop_repeats([paragraph, paragraph.upper(), "other"])
        assert dropped == (1 if letters >= MIN_KEY_CHARS else 0)
        assert kept[0] == paragraph


def test_the_punctuation_keys_drop_by_bytes_holds_no_letter_or_digit_of_folded_nfkc_text() -> None:
    # dedupe._FOLDED_PUNCTUATION deletes U+00A0-U+00BF and U+2000-U+207F from folded NFKC text
    # before the key expression runs; right only if every such character that NFKC text,
    # case-folded, can hold is one the expression removes (not a letter or digit).
    from crawler.cleaning.dedupe import _unfolded_keys

    ranges = [*range(0xA0, 0xC0), *range(0x2000, 0x2080)]
    for code in ranges:
        char = chr(code)
        deleted = _unfolded_keys(char.encode()) == [""]
        assert deleted, hex(code)
        if char.isalnum() or char == "_":
            # A letter or digit there never reaches folded NFKC text: NFKC replaces it ...
            assert unicodedata.decomposition(char).startswith("<"), hex(code)
    # ... and case folding makes none of them of a character NFKC may leave.
    folded_into = {
        hex(code)
        for code in range(sys.maxunicode + 1)
        if not unicodedata.decomposition(chr(code)).startswith("<")
        and any(ord(c) in ranges and c.isalnum() for c in chr(code).casefold())
    }
    assert not folded_into
    # Bytes outside those characters' sequences are kept.
    for text in ("\u2080", "\u00c0", "\u00bfx", "\u1fbf", "e\u0301", "\u20ac"):
        assert _unfolded_keys(text.encode()) == [_PLAIN_NOT_KEY.sub("", text)], text


def test_the_ascii_printable_test_is_str_isprintable() -> None:
    from crawler.cleaning.whitespace import printable

    long = "x" * 1500  # searched for each control (the short ones are translated)
    for code in range(0x300):
        for text in (chr(code), f"ab{chr(code)}cd" * 3, "x" * 50 + chr(code)):
            assert printable(text) is text.isprintable(), hex(code)
            assert printable(long + text + long) is text.isprintable(), hex(code)
    assert printable("") is True
    assert printable(long) is True


# ASCII texts with what the joined test looks for: line breaks, double spaces, spaces at
# the ends, controls, and every mark the texts may be joined by.
_ASCII_WHITESPACE_TEXT = st.lists(
    st.sampled_from([*"ab |~^`\n\t\r\x00\x0b\x1f\x7f", "  ", " \n ", "x y"]), max_size=8
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ASCII_WHITESPACE_TEXT | _ASCII_TEXT, max_size=12))
@example(["a |", "b\n"])  # a text ending in the mark: the joined text splits elsewhere
@example([" ", "", "x  y", "\n"])
def test_ascii_texts_normalised_joined_are_each_text_normalised(texts: list[str]) -> None:
    from crawler.cleaning.whitespace import normalize_ascii_texts

    expected = [normalize_whitespace(text) for text in texts]
    assert normalize_ascii_texts(texts) == expected
    assert clean_texts(texts) == expected


def test_the_circumflex_screen_names_only_letters_and_suffixes_match_ignoring_case() -> None:
    # The screen (lossy_quotes._CLOSER_LOOK) may only name letters other than "â" as the
    # neighbours that make an "â" a letter; and whatever character str.lower makes a letter
    # of a contraction suffix must match that letter ignoring case (the Kelvin sign is "k").
    named = re.compile(f"[{_SOME_LETTERS}]")
    suffix_letters = set("".join(CONTRACTION_SUFFIXES))
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if named.fullmatch(char):
            assert char.isalpha(), hex(code)
            assert char != "â"
        lowered = char.lower()
        if len(lowered) > 1:
            assert not set(lowered) & suffix_letters or not lowered.isascii(), hex(code)
        elif lowered in suffix_letters:
            assert re.fullmatch(f"(?i:{lowered})", char), hex(code)


_AROUND_CIRCUMFLEX = st.text(
    alphabet=st.sampled_from(
        "âââ aAsStTmMdDlLrReEvVcCoOkK\u212a\u017f\u0130yY9²Ⅻ'.-éÉđĐăĂạẠ\u0301\u00ad\n ß"
    )
    | st.characters(),
    max_size=14,
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_CIRCUMFLEX_WORDS, _AROUND_CIRCUMFLEX), max_size=6).map("".join))
@example("Iâm")
@example("râs")
@example("appât")
@example("oâcloc\u212a")
@example("châteauâs")
def test_the_circumflex_screen_answers_as_each_circumflex_tested_in_turn(text: str) -> None:
    assert keeps_every_circumflex(text) == each_circumflex_kept(text)


_NORMAL_FORM_TEXT = st.lists(
    st.sampled_from(
        [
            "a",
            "é",
            "e\u0301",
            "…",
            "...",
            "ﬁ",
            "²",
            "Ａ",
            "  ",
            "\n",
            "\x08",
            "\u200b",
            " ",
            "â€™",
            "itâs",
            "the ï¬\x81rst",  # mojibake of "ﬁ": NFKC, repaired to what is not
        ]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_NORMAL_FORM_TEXT, _ASCII_TEXT, TEXT), max_size=12))
def test_texts_told_nfkc_by_their_cleaning_are_and_their_repeats_are_found_alike(
    texts: list[str],
) -> None:
    results, normal = clean_texts_telling_nfkc(texts)
    assert results == [clean_text(text) for text in texts]
    assert len(normal) == len(results)
    for result, known in zip(results, normal, strict=True):
        assert nfkc_but_ellipses(result) or not known, repr(result)
    paragraphs = [result for result in results if result]
    known = [flag for result, flag in zip(results, normal, strict=True) if result]
    assert drop_repeats(paragraphs, nfkc_known=known) == drop_repeats(paragraphs)
    for text in texts:
        # What the joined test relies on: NFKC once ellipses are decomposed is NFC.
        if nfkc_but_ellipses(text):
            assert unicodedata.is_normalized("NFC", text), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_REPEATABLE, _NORMAL_FORM_TEXT).map(lambda t: t * 12), max_size=10))
def test_repeats_of_paragraphs_known_nfkc_are_those_found_testing_them(
    paragraphs: list[str],
) -> None:
    known = list(map(nfkc_but_ellipses, paragraphs))
    assert drop_repeats(paragraphs, nfkc_known=known) == drop_repeats(paragraphs)


# Long paragraphs (sketched from their ends), repeated with other spacing, case and
# punctuation, or with ends of few ASCII letters (Russian, Chinese, digits apart), or a NUL.
_LONG_PARAGRAPH = st.tuples(
    st.sampled_from(
        [
            "The garden by the river was quiet that morning, and the bread was still warm. ",
            "Он так на но уже что за уже как она это так и она за книга на он. Это книга. ",
            "我们 你们 他们 今天 明天 生活 时间 朋友 工作 学习 中国 北京 我们 你们 他们. ",
            "— “Quoted” … 1990’s — ",
            "ﬁnal ＡＢＣ café Straße ",
            "\x00",
        ]
    ),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(["", " tail one", " tail two", "!"]),
).map(lambda parts: parts[0] * parts[1] + parts[2])


def _respelled(paragraph: str) -> str:
    return paragraph.upper().replace(" ", "  ").replace(",", ";")


def _dashed(paragraph: str) -> str:
    # The same key, its letters pushed out of the head or the tail (sketched whole, cut).
    return "— " * 30 + paragraph if len(paragraph) % 2 else paragraph + " —" * 30


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        _LONG_PARAGRAPH | _LONG_PARAGRAPH.map(_respelled) | _LONG_PARAGRAPH.map(_dashed),
        max_size=12,
    )
)
def test_long_paragraphs_sketched_from_their_ends_drop_the_repeats_their_keys_make(
    paragraphs: list[str],
) -> None:
    from crawler.cleaning import dedupe as dedupe_module

    known = list(map(nfkc_but_ellipses, paragraphs))
    keys = [paragraph_key(p) for p in paragraphs]
    seen: set[str] = set()
    kept = []
    for paragraph, key in zip(paragraphs, keys, strict=True):
        if len(key) < MIN_KEY_CHARS or key not in seen:
            kept.append(paragraph)
        seen.add(key)
    expected = (kept, len(paragraphs) - len(kept))
    assert drop_repeats(paragraphs, nfkc_known=known) == expected
    with (  # every body by its ends, however few its paragraphs
        mock.patch.object(dedupe_module, "_END_BODIES", 0),
        mock.patch.object(dedupe_module, "_END_MIN_PARAGRAPHS", 0),
    ):
        assert drop_repeats(paragraphs, nfkc_known=known) == expected


def _literal_letters(items: object) -> list[str]:
    """Every letter the parsed expression ``items`` spells (literals and set members)."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    found: list[str] = []
    for op, arg in items:  # type: ignore[attr-defined]
        if op in (sre_parse.LITERAL, sre_parse.NOT_LITERAL):
            found.append(chr(arg))
        elif op is sre_parse.IN:
            for member_op, member in arg:
                if member_op is sre_parse.LITERAL:
                    found.append(chr(member))
                elif member_op is sre_parse.RANGE:
                    found.extend(map(chr, range(member[0], member[1] + 1)))
        elif op is sre_parse.BRANCH:
            for branch in arg[1]:
                found.extend(_literal_letters(branch))
        elif op is sre_parse.SUBPATTERN:
            found.extend(_literal_letters(arg[-1]))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
            found.extend(_literal_letters(arg[2]))
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            found.extend(_literal_letters(arg[1]))
    return [char for char in found if char.isalpha()]


def test_the_expressions_matched_as_is_on_lowered_ascii_spell_only_lower_case_letters() -> None:
    # boilerplate._as_is: matching lower-cased ASCII text without IGNORECASE is matching it
    # ignoring case only while every letter the expression spells is lower case.
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    from crawler.cleaning import boilerplate as b

    for pattern in (b._UNMISTAKABLE, b._POWERED_BY, b._RESPONSE_FOOTER, b._GENERIC):
        letters = _literal_letters(sre_parse.parse(pattern.pattern, pattern.flags).data)
        assert letters
        assert all(letter == letter.lower() for letter in letters), pattern.pattern
    assert _literal_letters(sre_parse.parse("A[b-dX]", 0).data) == ["A", "b", "c", "d", "X"]


_BOILERPLATE_WORDS = st.sampled_from(
    ["Posted by", "Ann", "at", "2:33 PM", "Subscribe to:", "Post Comments (Atom)", "Email This",
     "BlogThis!", "Newer Post", "Older Post", "Home", "Powered by", "Blogger", "Blogger.", "3",
     "Responses to", "Comments", "The Title", "Labels:", "Read more", "Share this", "No comments:",
     "Tweet", "Post a Comment", "View my complete profile", "|", "-", ",", ".", "!", "?", "x"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@example(["Powered by", "Blogger."], " ", False)
@example(["Powered by", "Blogger"], " ", True)
@example(["3", "Responses to", "The Title"], " ", False)
@example(["Posted by", "Ann", "at", "2:33 PM"], " ", True)
@given(
    st.lists(st.one_of(_BOILERPLATE_WORDS, _ASCII_TEXT), min_size=1, max_size=8),
    st.sampled_from([" ", "", "  "]),
    st.booleans(),
)
def test_ascii_paragraphs_are_judged_as_the_case_blind_expressions_judge_them(
    words: list[str], space: str, upper: bool
) -> None:
    from crawler.cleaning import boilerplate as b

    paragraph = space.join(words)
    if upper:
        paragraph = paragraph.upper()
    for title_key in (None, "thetitle", paragraph_key(paragraph) or None):
        unmistakable = b._UNMISTAKABLE.fullmatch(paragraph) is not None or (
            b._POWERED_END.fullmatch(paragraph[-b._POWERED_END_CHARS :]) is not None
            and b._POWERED_BY.fullmatch(paragraph) is not None
        )
        if not unmistakable and title_key:
            footer = b._RESPONSE_FOOTER.fullmatch(paragraph)
            unmistakable = footer is not None and paragraph_key(footer.group(1)) == title_key
        generic = b._GENERIC.fullmatch(paragraph) is not None
        assert is_unmistakable(paragraph, title_key) == unmistakable, repr(paragraph)
        assert is_boilerplate(paragraph, title_key) == (unmistakable or generic), repr(paragraph)


@settings(max_examples=1500, deadline=None)
@given(TEXT, st.sampled_from(["", "a", "hola", "e\u0301", "ﬁ", "ǰ", "ß"]))
def test_a_paragraph_has_at_least_one_key_character_for_each_ascii_letter_or_digit(
    text: str, extra: str
) -> None:
    # dedupe.has_key tells a long paragraph's key apart from a shorter one by this bound.
    from crawler.cleaning.dedupe import _ascii_key_bytes, has_key

    for paragraph in (text, text + extra, extra + text.upper()):
        key = paragraph_key(paragraph)
        assert len(_ascii_key_bytes(paragraph)) <= len(key), repr(paragraph)
        for other in (key, key[:-1], key + "x", "hola", ""):
            assert has_key(paragraph, other) == (key == other)
