"""LiteralLed finds what re's own search and finditer find; find_by_rare_byte what find finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.byte_search import LiteralLed, find_by_rare_byte

_PATTERNS = [
    LiteralLed(rb"post-body-(\d+)['\"]", b"post-body-"),
    LiteralLed(rb"_WidgetManager\._SetDataContext\(", b"_WidgetManager._SetDataContext("),
    LiteralLed(
        rb"_WidgetManager\._Init\([^)]*?blogID(?:=|\\x3d|\\u003d)(\d+)", b"_WidgetManager._Init("
    ),
    LiteralLed(rb"""widget Blog['"][^>]*data-version=['"]2['"]""", b"widget Blog"),
    LiteralLed(rb"""['"]pageType['"]\s*:\s*['"](\w+)['"]""", b"pageType", 1),
    LiteralLed(rb"aa+", b"aa"),  # an anchor that overlaps itself, matches of varying length
    LiteralLed(rb"[xa]a+", b"a", 1),  # an anchor inside the match, overlapping matches
]
_PIECES = st.sampled_from(
    [b"post-body-", b"123", b"'", b'"', b"_WidgetManager._SetDataContext(", b"_WidgetManager.",
     b"_Init(", b"blogID=", b"\\x3d", b"42", b")", b"widget Blog", b"data-version='2'", b">",
     b"a", b"aa", b" ", b"x", b"pageType", b"':'", b"item", b" : "]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=14).map(b"".join), st.sampled_from(_PATTERNS))
def test_literal_led_search_and_finditer_equal_re(data: bytes, led: LiteralLed) -> None:
    plain = re.compile(led.pattern.pattern)  # re's own search of the same expression
    found, expected = led.search(data), plain.search(data)
    assert (found and (found.span(), found.groups())) == (
        expected and (expected.span(), expected.groups())
    )
    assert [(m.span(), m.groups()) for m in led.finditer(data)] == [
        (m.span(), m.groups()) for m in plain.finditer(data)
    ]


_LITERALS = [b"application/ld+json", b"+a+", b"++", b"a"]
_RARE_PIECES = st.sampled_from(
    [b"application/ld+json", b"application/ld", b"+json", b"+", b"++", b"a", b"a+", b"+a+", b"x"]
)


@given(
    st.lists(_RARE_PIECES, max_size=30).map(b"".join),
    st.sampled_from(_LITERALS),
    st.data(),
    st.integers(min_value=0, max_value=4),
)
def test_find_by_rare_byte_equals_find(
    data: bytes, literal: bytes, draw: st.DataObject, budget: int
) -> None:
    rare = draw.draw(st.integers(min_value=0, max_value=len(literal) - 1))
    # Small budgets: the plain search takes over mid-page, before, at and after a match.
    assert find_by_rare_byte(data, literal, rare, budget=budget) == data.find(literal)
    assert find_by_rare_byte(data, literal, rare) == data.find(literal)


def test_find_by_rare_byte_past_its_budget_still_finds_the_literal() -> None:
    data = b"+" * 100 + b"application/ld+json" + b"+" * 5
    assert find_by_rare_byte(data, b"application/ld+json", 14, budget=3) == 100
    assert find_by_rare_byte(b"+" * 100, b"application/ld+json", 14, budget=3) == -1


def test_find_by_rare_byte_wants_an_index_into_the_literal() -> None:
    with pytest.raises(ValueError, match="rare must index"):
        find_by_rare_byte(b"data", b"ab", 2)
