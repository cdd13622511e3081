"""ftfy's steps taken without its whole-line rescans give exactly what ftfy gives.

:mod:`crawler.cleaning.ftfy_shortcut` reproduces ``ftfy.fix_text`` for one line; these tests
compare the two on generated damaged text, check the shape of ftfy's badness expression that
the windowed search relies on, and hold the shortcut to the ftfy version that was read.

Under another ftfy version (pyproject allows any 6.x from 6.3) the shortcut is off and every
line goes to ``ftfy.fix_text``: the differential tests still run (and hold trivially), a test
checks that the fallback is taken, and the tests that read ftfy's expressions for the
shortcut are skipped with a reason that says what to reread. A new upstream release thus
leaves CI green and cleaning correct, only slower, until someone reads it.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import ftfy
import pytest
from ftfy.badness import BADNESS_RE, is_bad
from ftfy.chardata import (
    ALTERED_UTF8_RE,
    CHARMAP_ENCODINGS,
    LOSSY_UTF8_RE,
    UTF8_DETECTOR_RE,
    possible_encoding,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.cleaning import ftfy_shortcut
from crawler.cleaning.ftfy_shortcut import FTFY_CONFIG, fix_line, looks_bad

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python before 3.11
    import sre_parse  # type: ignore[no-redef]

# Whole mojibake sequences (UTF-8 read as cp1252 or Latin-1, once or twice, with lost or
# altered bytes), the typographic and accented characters of clean text around them, other
# scripts, and the characters ftfy's other fixers act on.
_PIECES = [
    "itâ€™s", "donâ€™t", "â€œquotedâ€\x9d", "â€œquotedâ€", "cafÃ©", "â€”", "â€“", "â€¦", "Ã ",
    "Ã\xa0", "Â£", "Â", "Ã", "â", "Ã¥", "gÃ¥r", "ItÃ¢â‚¬â„¢s", "Ã¢â‚¬Å“", "Ã©Ã©", "â\x80\x99",
    "ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Ø§Ù„Ø", "Î±Î²Î³", "\ufffd", "â€\ufffd", "Ã\x1a", "Ã?", "ГўВЂВ™s",
    "’", "“", "”", "—", "–", "…", "é", "è", "ô", "ü", "ß", "ñ", "í", "À", "€", "™", "©", "°",
    "œ", "×²", "tôi", "yêu", "đã", "người", "привет", "我们", "😀", "\u00a0", "\u00ad", " ",
    "  ", "\t", "\r", "\x1b[1m", "\x85", "\u2028", "\ufeff", "\ufffc", "\u206a", "\x00",
    "\ud83d", "\ude00", "e\u0301", "Å", "Ω",
]  # fmt: skip
_WORDS = ["the", "garden", "story", "I", "a", ".", ",", "Bread", "x"]
_LINE = st.lists(st.sampled_from(_PIECES) | st.sampled_from(_WORDS), max_size=24).map(
    lambda parts: " ".join(parts)
) | st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)


def _ftfy(line: str) -> str:
    return ftfy.fix_text(line, FTFY_CONFIG)


_READ_VERSION_ONLY = pytest.mark.skipif(
    not ftfy_shortcut.ENABLED,
    reason=(
        f"ftfy {ftfy.__version__} is not {ftfy_shortcut._VERIFIED_FTFY}, the version whose"
        " steps fix_line takes: the shortcut is off (every line goes to ftfy.fix_text, which"
        " test_another_ftfy_version_sends_every_line_to_ftfy checks). To turn it back on,"
        " reread ftfy's fix_and_explain, fix_encoding_and_explain and"
        " _fix_encoding_one_step_and_explain, then update _VERIFIED_FTFY"
    ),
)


def test_the_shortcut_is_on_exactly_for_the_version_whose_steps_were_read() -> None:
    read = ftfy.__version__ == ftfy_shortcut._VERIFIED_FTFY
    assert ftfy_shortcut.ENABLED is read
    if not ftfy_shortcut.ENABLED:
        warnings.warn(_READ_VERSION_ONLY.kwargs["reason"], stacklevel=1)


def test_another_ftfy_version_sends_every_line_to_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    # What runs under any ftfy version but the one read: fix_line is ftfy.fix_text, nothing
    # of the shortcut's own (which holds only for the version read) is on the way.
    calls: list[str] = []

    def fix_text(text: str, config: ftfy.TextFixerConfig) -> str:
        assert config is FTFY_CONFIG
        calls.append(text)
        return "fixed by ftfy"

    monkeypatch.setattr(ftfy_shortcut, "ENABLED", False)
    monkeypatch.setattr(ftfy, "fix_text", fix_text)
    lines = ["plain ascii", "", "cafÃ©", "itâ€™s\n", "Tôi yêu"]
    assert [fix_line(line) for line in lines] == ["fixed by ftfy"] * len(lines)
    assert calls == lines


@settings(max_examples=1500, deadline=None)
@given(_LINE, st.booleans())
def test_a_line_is_fixed_as_ftfy_fixes_it(line: str, newline: bool) -> None:
    line = line.replace("\n", " ") + ("\n" if newline else "")
    if ftfy_shortcut.ENABLED:  # looks_bad serves the shortcut alone
        assert looks_bad(line) == is_bad(line)
    assert fix_line(line) == _ftfy(line)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.characters() | st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_line_is_fixed_as_ftfy_fixes_it(line: str) -> None:
    line = line.replace("\n", " ")
    if ftfy_shortcut.ENABLED:  # looks_bad serves the shortcut alone
        assert looks_bad(line) == is_bad(line)
    assert fix_line(line) == _ftfy(line)


def test_damaged_words_repaired_once_are_repaired_as_ftfy_repairs_them_in_every_line() -> None:
    # The detector's short matches are repaired once (a cache): a damaged word met again, in
    # a line ftfy decodes piece by piece (clean typography beside it) or whole, with other
    # neighbours, must still come out as ftfy makes it there.
    words = ["itâ€™s", "â€œquotedâ€\x9d", "cafÃ©", "ItÃ¢â‚¬â„¢s", "â€”", "gÃ¥r", "Ã ", "×²"]
    lines = [
        f"{before} {word} {after}"
        for word in words
        for before in ("Summer “ music —", "The garden", "Tôi", "привет", "x" * 70)
        for after in ("was.", "’ story …", "Ã", "â", word)
    ]
    for line in lines + lines:
        assert fix_line(line) == _ftfy(line), line


def test_cleaning_case_files_are_fixed_as_ftfy_fixes_them() -> None:
    for line in [
        "Letter to garden donâ€™t was. Summer “ music — market itâ€™s.",
        "Tôi â€œquotedâ€\x9d yêu.",
        "Â€œquotedâ€\x9d tình là đã ’.",
        "gÃ¥r til ’ byen",
        "ItÃ¢â‚¬â„¢s a double",
        "x" * 500 + "cafÃ©" + "y" * 500,
    ]:
        assert fix_line(line) == _ftfy(line), line


def _items(pattern: object) -> list[tuple[object, object]]:
    return list(pattern.data)  # type: ignore[attr-defined]


def _only_non_ascii(op: object, value: object) -> bool:
    """Whether the pattern item ``(op, value)`` matches only characters outside ASCII."""
    if op is sre_parse.LITERAL:
        return bool(value >= 0x80)  # type: ignore[operator]
    if op is sre_parse.IN:
        return all(
            (kind is sre_parse.LITERAL and arg >= 0x80)
            or (kind is sre_parse.RANGE and arg[0] >= 0x80)
            for kind, arg in value  # type: ignore[attr-defined]
        )
    return False


def _walk(items: list[tuple[object, object]]) -> list[tuple[object, object]]:
    found = []
    for op, value in items:
        found.append((op, value))
        if op is sre_parse.BRANCH:
            for branch in value[1]:  # type: ignore[index]
                found.extend(_walk(_items(branch)))
        elif op in (sre_parse.SUBPATTERN, sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            found.extend(_walk(_items(value[-1])))  # type: ignore[index]
    return found


@_READ_VERSION_ONLY
def test_every_badness_match_is_short_and_holds_a_character_outside_ascii() -> None:
    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert parsed.getwidth()[1] <= ftfy_shortcut._BADNESS_SPAN
    [(op, (_, branches))] = _items(parsed)
    assert op is sre_parse.BRANCH
    for branch in branches:
        assert any(_only_non_ascii(*item) for item in _items(branch)), branch
    # No lookaround, no word boundary, no end anchor; "^" only (the start of the text).
    for op, value in _walk(_items(parsed)):
        assert op not in (sre_parse.ASSERT, sre_parse.ASSERT_NOT, sre_parse.GROUPREF)
        if op is sre_parse.AT:
            assert value is sre_parse.AT_BEGINNING


def _first_is_non_ascii(branch: object, *, lossy: bool = False) -> bool:
    op, value = _items(branch)[0]
    # In a sloppy encoding byte 1A comes only from U+FFFD, a character outside ASCII.
    return _only_non_ascii(op, value) or (lossy and op is sre_parse.LITERAL and value == 0x1A)


@_READ_VERSION_ONLY
@pytest.mark.parametrize(("pattern", "lossy"), [(ALTERED_UTF8_RE, False), (LOSSY_UTF8_RE, True)])
def test_every_byte_repair_match_is_short_and_starts_with_a_byte_of_a_non_ascii_character(
    pattern: re.Pattern[bytes], lossy: bool
) -> None:
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    assert parsed.getwidth()[1] <= ftfy_shortcut._BADNESS_SPAN
    [(op, (_, branches))] = _items(parsed)
    assert op is sre_parse.BRANCH
    assert all(_first_is_non_ascii(branch, lossy=lossy) for branch in branches)
    for op, _value in _walk(_items(parsed)):
        assert op not in (sre_parse.ASSERT, sre_parse.ASSERT_NOT, sre_parse.AT)


@_READ_VERSION_ONLY
def test_every_unit_of_the_utf8_detector_starts_with_a_non_ascii_character_and_is_short() -> None:
    # A match is a chain of units; each starts at a non-ASCII character and spans at most 4,
    # so a chain never crosses the gap between two windows (at least 13 ASCII characters).
    parsed = sre_parse.parse(UTF8_DETECTOR_RE.pattern, UTF8_DETECTOR_RE.flags)
    (behind, _), (repeat, (low, _high, unit)) = _items(parsed)
    assert behind is sre_parse.ASSERT_NOT
    assert repeat is sre_parse.MAX_REPEAT
    assert low == 1
    [(group, (*_, body))] = _items(unit)
    assert group is sre_parse.SUBPATTERN
    [(op, (_, branches))] = _items(body)
    assert op is sre_parse.BRANCH
    for branch in branches:
        assert _first_is_non_ascii(branch)
        assert branch.getwidth()[1] <= 4  # noqa: PLR2004 - a four-byte UTF-8 sequence


@_READ_VERSION_ONLY
def test_a_search_from_a_later_position_never_matches_the_start_anchor() -> None:
    # looks_bad relies on "^" matching only at the true start, whatever pos the search takes.
    assert re.compile("^Ã ").search("xÃ ", 1) is None
    assert BADNESS_RE.search("xÃ ", 1) is None
    assert BADNESS_RE.search("Ã ", 0) is not None


@pytest.mark.parametrize(
    "line",
    ["plain ascii", "", "e\u0301 not NFC", "Â\u2028", "a\ufffcb", "Ã©\r", "cafÃ©", "\x1b[1mÃ©"],
)
def test_lines_for_the_other_fixers_and_normalisation_are_fixed_as_ftfy_fixes_them(
    line: str,
) -> None:
    assert fix_line(line) == _ftfy(line)
    assert unicodedata.is_normalized("NFC", fix_line(line))


@_READ_VERSION_ONLY
@settings(max_examples=500, deadline=None)
@given(
    st.text(st.sampled_from([*map(chr, range(0x100)), *"€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™šœŸ\ufffdЂЃ≈√ĄΩ我"]))
)
def test_the_possible_encodings_are_those_ftfy_finds_possible(text: str) -> None:
    expected = [encoding for encoding in CHARMAP_ENCODINGS if possible_encoding(text, encoding)]
    characters = ftfy_shortcut._non_ascii_characters(text)
    assert characters == {character for character in text if not character.isascii()}
    assert ftfy_shortcut._possible_encodings(text, characters) == expected


def _characters(op: object, value: object) -> set[str]:
    if op is sre_parse.LITERAL:
        return {chr(value)}  # type: ignore[call-overload]
    found: set[str] = set()
    for kind, arg in value:  # type: ignore[attr-defined]
        if kind is sre_parse.LITERAL:
            found.add(chr(arg))
        elif kind is sre_parse.RANGE:
            found.update(map(chr, range(arg[0], arg[1] + 1)))
    return found


@_READ_VERSION_ONLY
def test_a_badness_match_with_one_non_ascii_character_holds_one_the_lone_set_names() -> None:
    # A window around one non-ASCII character outside _BADNESS_LONE is not searched: every
    # alternative with fewer than two items that match only non-ASCII characters must have
    # its one such item match only characters of the set.
    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    [(_, (_, branches))] = _items(parsed)
    for branch in branches:
        only = [item for item in _items(branch) if _only_non_ascii(*item)]
        if len(only) < 2:  # noqa: PLR2004 - two such items make two non-ASCII characters
            [item] = only
            assert _characters(*item) <= ftfy_shortcut._BADNESS_LONE, branch


@_READ_VERSION_ONLY
def test_the_badness_alternatives_are_the_expression_s_branches() -> None:
    # Split at its "|" lines, ftfy's expression gives its top-level branches, each alone.
    alternatives = ftfy_shortcut._BADNESS_ALTERNATIVES
    assert alternatives is not None
    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    [(_, (_, branches))] = _items(parsed)
    assert len(alternatives) == len(branches)
    for (source, needs), branch in zip(alternatives, branches, strict=True):
        alone = sre_parse.parse(source, BADNESS_RE.flags)
        assert repr(_items(alone)) == repr(_items(branch))
        assert needs  # each needs some character outside ASCII
        assert all(need <= ftfy_shortcut._BADNESS_CHARACTERS for need in needs)


_NEEDED = sorted(ftfy_shortcut._BADNESS_CHARACTERS)


@_READ_VERSION_ONLY
@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(_NEEDED) | st.sampled_from([*"aZs .,?!°µ\n\t", "ü", "é", "我"]),
        max_size=12,
    ).map("".join)
)
def test_the_alternatives_a_text_may_need_find_what_the_whole_expression_finds(
    text: str,
) -> None:
    assert looks_bad(text) == is_bad(text)


@_READ_VERSION_ONLY
@pytest.mark.parametrize("index", range(len(ftfy_shortcut._BADNESS_ALTERNATIVES or [])))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_text_matching_any_one_alternative_looks_bad(index: int, data: st.DataObject) -> None:
    assert ftfy_shortcut._BADNESS_ALTERNATIVES is not None
    source, _ = ftfy_shortcut._BADNESS_ALTERNATIVES[index]
    found = data.draw(st.from_regex(re.compile(source, BADNESS_RE.flags), fullmatch=True))
    assert looks_bad(found)
    for text in (f"Bread {found} garden", f"{found}x", f"“{found}”"):
        assert looks_bad(text) == is_bad(text)


@_READ_VERSION_ONLY
def test_every_lossy_sequence_match_holds_byte_1a_or_a_question_mark() -> None:
    # The lossy-sequence search is skipped for bytes holding neither.
    marks = {ftfy_shortcut._LOSSY_MARK[0], ord("?")}
    parsed = sre_parse.parse(LOSSY_UTF8_RE.pattern, LOSSY_UTF8_RE.flags)
    [(op, (_, branches))] = _items(parsed)
    assert op is sre_parse.BRANCH
    for branch in branches:
        assert any(
            (kind is sre_parse.LITERAL and value in marks)
            or (
                kind is sre_parse.IN
                and all(
                    item_kind is sre_parse.LITERAL and item in marks
                    for item_kind, item in value  # type: ignore[attr-defined]
                )
            )
            for kind, value in _items(branch)
        ), branch
