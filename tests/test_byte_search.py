"""LiteralLed finds what re's own search and finditer find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.byte_search import LiteralLed

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
