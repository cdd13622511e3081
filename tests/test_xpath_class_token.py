"""The cheap class-token predicate selects exactly what the plain token test selects."""

from __future__ import annotations

import lxml.html
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from crawler.parsing.xpath import class_token

_PLAIN = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_PIECES = st.sampled_from(["fn", "fnx", "xfn", "comments", "comments-title", "comment", "a-fn"])
_GAPS = st.sampled_from([" ", "\t", "\n", "\r\n", "  ", "\u00a0", "\u3000"])


@st.composite
def _class_values(draw: st.DrawFn) -> str | None:
    if draw(st.booleans()):
        return None
    pieces = draw(st.lists(_PIECES, max_size=4))
    gaps = draw(st.lists(_GAPS, min_size=len(pieces) + 1, max_size=len(pieces) + 1))
    return "".join(gap + piece for gap, piece in zip(gaps, [*pieces, ""], strict=True))


@given(st.lists(_class_values(), min_size=1, max_size=6), _PIECES)
def test_class_token_matches_the_plain_token_test(values: list[str | None], name: str) -> None:
    root = lxml.html.fragment_fromstring("<div></div>")
    for value in values:
        child = etree.SubElement(root, "span")
        if value is not None:
            child.set("class", value)
    cheap = etree.XPath(f".//*[{class_token(name)}]")(root)
    plain = etree.XPath(f".//*[{_PLAIN.format(name)}]")(root)
    assert cheap == plain


def test_class_token_is_a_token_test_not_a_substring_test() -> None:
    root = lxml.html.fragment_fromstring(
        "<div><i class='fnx'></i><b class='a\tfn\n'></b><u class='comments-title'></u></div>"
    )
    assert [e.tag for e in etree.XPath(f".//*[{class_token('fn')}]")(root)] == ["b"]
    assert etree.XPath(f".//*[{class_token('comments')}]")(root) == []
