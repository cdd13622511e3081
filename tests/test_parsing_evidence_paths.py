"""The fast paths of the readers around the post body give what their plain definitions give.

* ``proximity.is_foreign_box`` (one expression over the lowered class and id, remembered per
  pair) answers as the token-by-token definition, on generated classes and ids;
* ``date_text._numeric_dates`` (the CJK and Vietnamese expressions run only when their
  marker is in the text) finds what running every expression finds;
* no character but ``á`` and ``Á`` matches the ``á`` of the case-blind Vietnamese form.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing import date_text, proximity
from crawler.parsing.document import load_document

_NAMES = st.sampled_from(
    ["comment", "Comments", "post", "widget", "Widget", "sidebar", "blog", "Blog", "PopularPosts",
     "related-posts", "ARCHIVE", "recentx", "main", "Blog1", "x", "", " ", "\t", "\u00a0",
     "\u0130", "wid get", "side\nbar"]
)  # fmt: skip


def _plain_foreign(classes: str | None, identifier: str | None) -> bool:
    tokens = (classes or "").lower().split()
    if {"widget", "sidebar"}.intersection(tokens) and "blog" not in tokens:
        return True
    names = [*tokens, (identifier or "").lower()]
    return any(marker in name for name in names for marker in proximity._FOREIGN_MARKERS if name)


@given(st.lists(_NAMES, max_size=5).map(" ".join), st.lists(_NAMES, max_size=2).map("".join))
def test_foreign_boxes_are_their_plain_definition(classes: str, identifier: str) -> None:
    page = (
        f"<html><body><div id='x'><p class='{classes}' id='{identifier}'>t</p></div></body></html>"
    )
    box = load_document(page.encode()).root.get_element_by_id("x")[0]
    expected = _plain_foreign(box.get("class"), box.get("id"))
    assert proximity.is_foreign_box(box) == expected
    assert proximity.is_foreign_box(box) == expected  # remembered


_DATE_PIECES = st.sampled_from(
    ["2016年6月5日", "2016 년 6 월 5 일", "5 tháng 6 năm 2016", "5 THÁNG 6, 2016", "15.09.2010",
     "9/15/2010", "2016-06-05", "June 15, 2005", " ", "年", "á", "Á", "tháng", "12", "2016"]
)  # fmt: skip


def _plain_numeric(text: str, hint: tuple[int, int] | None) -> list[object]:
    found: list[object] = []
    for pattern, order in (
        (date_text._ISO, (1, 2, 3)),
        (date_text._CJK, (1, 2, 3)),
        (date_text._VIETNAMESE, (3, 2, 1)),
    ):
        for match in pattern.finditer(text):
            year, month, day = (int(match.group(i)) for i in order)
            found.append(date_text._make(year, month, day))
    for match in date_text._NUMERIC.finditer(text):
        first, separator, second, year = match.groups()
        found.append(date_text._day_month(int(first), int(second), int(year), separator, hint))
    return found


@given(st.lists(_DATE_PIECES, max_size=6).map(" ".join), st.sampled_from([None, (2016, 6)]))
def test_numeric_dates_are_every_expressions_matches(
    text: str, hint: tuple[int, int] | None
) -> None:
    assert date_text._numeric_dates(text, hint) == _plain_numeric(text, hint)


def test_only_a_and_its_capital_match_the_vietnamese_forms_accented_letter() -> None:
    letter = re.compile("á", re.IGNORECASE)
    matching = [chr(code) for code in range(sys.maxunicode + 1) if letter.fullmatch(chr(code))]
    assert matching == ["Á", "á"]
