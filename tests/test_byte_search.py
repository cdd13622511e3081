"""LiteralLed finds exactly what re's own search and finditer find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.byte_search import LiteralLed

_PATTERNS = [
    LiteralLed(b"post-body-", rb"(\d+)['\"]"),
    LiteralLed(b"_WidgetManager._SetDataContext("),
    LiteralLed(b"_WidgetManager._Init(", rb"[^)]*?blogID(?:=|\\x3d|\\u003d)(\d+)"),
    LiteralLed(b"widget Blog", rb"""['"][^>]*data-version=['"]2['"]"""),
    LiteralLed(b"aa", rb"a*"),  # a lead that overlaps itself and matches of varying length
]
_PIECES = st.sampled_from(
    [b"post-body-", b"123", b"'", b'"', b"_WidgetManager._SetDataContext(", b"_WidgetManager.",
     b"_Init(", b"blogID=", b"\\x3d", b"42", b")", b"widget Blog", b"data-version='2'", b">",
     b"a", b"aa", b" ", b"x"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=14).map(b"".join), st.sampled_from(_PATTERNS))
def test_literal_led_search_and_finditer_equal_re(data: bytes, led: LiteralLed) -> None:
    plain = re.compile(led.pattern.pattern)
    found, expected = led.search(data), plain.search(data)
    assert (found and (found.span(), found.groups())) == (
        expected and (expected.span(), expected.groups())
    )
    assert [(m.span(), m.groups()) for m in led.finditer(data)] == [
        (m.span(), m.groups()) for m in plain.finditer(data)
    ]
