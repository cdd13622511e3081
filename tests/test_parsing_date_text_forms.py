"""The date reader's shortcuts find what its general expressions find (crawler.parsing.date_text).

ASCII text is read with ASCII forms of the expressions (a table lookup per character, where
the Unicode forms ask each character's category), and the all-digit forms are not tried on
text without one of their separators. Both are pinned here against the general forms, on
text built from the characters dates, bylines and footers are made of.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing import date_text

_ALPHABET = "0123456789/.-: ,|aAmMpPdhnrstuJjeuóº()\n\t"
_TEXTS = st.text(alphabet=_ALPHABET, max_size=60)
_HINTS = st.none() | st.tuples(st.integers(2000, 2010), st.integers(1, 12))


def _groups(form: object, text: str) -> list[tuple[str | None, ...]]:
    return [match.groups() for match in form.finditer(text)]  # type: ignore[attr-defined]


@given(_TEXTS.filter(str.isascii))
def test_each_ascii_form_matches_as_its_unicode_form_on_ascii_text(text: str) -> None:
    assert date_text._ASCII_TOKEN.findall(text) == date_text._TOKEN.findall(text)
    assert date_text._ASCII_TIME.sub(" ", text) == date_text._TIME.sub(" ", text)
    for ascii_form, form in (
        (date_text._ASCII_ISO, date_text._ISO),
        (date_text._ASCII_NUMERIC, date_text._NUMERIC),
        (date_text._ASCII_SHORT_NUMERIC, date_text._SHORT_NUMERIC),
    ):
        assert _groups(ascii_form, text) == _groups(form, text)


@given(_TEXTS, _HINTS)
def test_the_numeric_reader_finds_what_every_form_finds(
    text: str, hint: tuple[int, int] | None
) -> None:
    # The forms written out without the separator gate and the ASCII forms.
    expected: list[object] = []
    for match in date_text._ISO.finditer(text):
        year, month, day, spaced_month, spaced_day = match.groups()
        expected.append(
            date_text._make(int(year), int(month or spaced_month), int(day or spaced_day))
        )
    if not text.isascii():
        expected.extend(date_text._cjk_and_vietnamese_dates(text))
    for match in date_text._NUMERIC.finditer(text):
        first, separator, second, year = match.groups()
        expected.append(date_text._day_month(int(first), int(second), int(year), separator, hint))
    if not expected and hint is not None:
        expected = [
            date_text._short_year_date(match, hint)
            for match in date_text._SHORT_NUMERIC.finditer(text)
        ]
    assert date_text._numeric_dates(text, hint) == expected


@given(_TEXTS)
def test_a_month_may_settle_exactly_the_texts_with_an_all_digit_date(text: str) -> None:
    expected = (
        date_text._NUMERIC.search(text) is not None
        or date_text._SHORT_NUMERIC.search(text) is not None
    )
    assert date_text.month_may_settle(text) is expected


def test_the_forms_the_shortcuts_read_are_still_read() -> None:
    assert date_text.date_in_text("posted by Ada at 6/15/2005 9:37 AM") is not None
    assert date_text.date_in_text("Wednesday, June 15th, 2005") is not None
    assert date_text.date_in_text("2005. 6. 15.") is not None
    assert date_text.date_in_text("1/05/2006 06:42:03 AM") is None  # either order
    assert date_text.month_may_settle("1/05/2006 06:42:03 AM")
    assert date_text.month_may_settle("6/15/05")
    assert not date_text.month_may_settle("posted by Ada Keeper at 11:02 AM | 2 comments")
    assert not date_text.month_may_settle("Wednesday, June 15, 2005")
