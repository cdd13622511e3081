"""Dates as pages show them to readers: every language and form, and null over wrong."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.parsing.date_text import date_in_text, is_date_line, url_year_month
from crawler.parsing.dates import split_date_line

JUNE_15 = date(2005, 6, 15)


@pytest.mark.parametrize(
    "text",
    [
        "Wednesday, June 15, 2005",
        "Wed, Jun 15th, 2005",
        "15 June 2005",
        "posted by Ada Keeper | Wednesday, June 15, 2005 | 9:37 AM",
        "Mittwoch, 15. Juni 2005",
        "mercredi 15 juin 2005",
        "miércoles, 15 de junio de 2005",
        "quarta-feira, 15 de junho de 2005",
        "mercoledì 15 giugno 2005",
        "woensdag 15 juni 2005",
        "среда, 15 июня 2005 г.",
        "środa, 15 czerwca 2005",
        "2005年6月15日",
        "2005年6月15日 星期三",
        "2005년 6월 15일 수요일",
        "2005-06-15",
        "15.06.2005",
        "6/15/2005 09:37:00 AM",
        "15/06/2005",
        "середа, 15 червня 2005 р.",
        "keskiviikkona 15. kesäkuuta 2005",
        "2005. június 15., szerda",
        "miercuri, 15 iunie 2005",
        "dimecres, 15 de juny de 2005",
        "Τετάρτη, 15 Ιουνίου 2005",
        "星期三, 六月 15, 2005",
        "2005年6月15日水曜日",
        "Thứ Tư, 15 tháng 6, 2005",
        "Rabu, 15 Juni 2005",
        "onsdag 15. juni 2005",
        "الأربعاء، 15 يونيو 2005",
        "الأربعاء، ١٥ يونيو، ٢٠٠٥",  # Arabic-Indic digits
        "چهارشنبه ۱۵ ژوئن ۲۰۰۵",  # Persian digits, Gregorian month
        "יום רביעי, 15 ביוני 2005",
        "बुधवार, 15 जून 2005",  # a vowel sign inside the month name
        "बुधवार, १५ जून २००५",  # Devanagari digits
        "วันพุธที่ 15 มิถุนายน 2005",
        "Rabu, 15 Jun 2005",
        "Miyerkules, Hunyo 15, 2005",
        "streda 15. júna 2005",
        "сряда, 15 юни 2005 г.",
        "sreda, 15. jun 2005.",
        "2005 m. birželio 15 d.",
        "kolmapäev, 15. juuni 2005",
        "miðvikudagur, 15. júní 2005",
        "e mërkurë, 15 qershor 2005",
    ],
)
def test_a_date_is_read_in_every_language_and_form(text: str) -> None:
    assert date_in_text(text) == JUNE_15
    assert date_in_text(text, (2005, 6)) == JUNE_15


@pytest.mark.parametrize(
    "text",
    [
        "05/06/2005",  # May 6 or June 5: nothing says which
        "June 15, 2005 and June 16, 2005",  # two dates: neither is known to be the post's
        "posted by Ada at 11:02 AM | 2 comments",
        "3 days ago",
        "June 2005",
        "Wednesday, June 15",  # no year, and no URL to lend one
        "",
    ],
)
def test_a_text_without_one_certain_date_gives_none(text: str) -> None:
    assert date_in_text(text) is None


def test_a_calendar_other_than_the_gregorian_gives_none_without_the_url() -> None:
    # Thai's Buddhist era (2548 = 2005) and Persian's solar months are not Gregorian: only the
    # post URL's /YYYY/MM/ can lend the year, and a Jalali month is never read at all.
    assert date_in_text("วันพุธที่ 15 มิถุนายน 2548") is None
    assert date_in_text("วันพุธที่ 15 มิถุนายน 2548", (2005, 6)) == JUNE_15
    assert date_in_text("۲۵ خرداد ۱۳۸۴") is None
    assert date_in_text("۲۵ خرداد ۱۳۸۴", (2005, 6)) is None


def test_the_url_settles_a_missing_year_and_an_ambiguous_order() -> None:
    assert date_in_text("Wednesday, June 15", (2005, 6)) == JUNE_15
    assert date_in_text("15/06/2005", (2005, 6)) == JUNE_15
    assert date_in_text("06/05/2005", (2005, 6)) == date(2005, 6, 5)


def test_a_date_that_contradicts_the_url_month_is_not_this_posts() -> None:
    # The wrong-day class: "2013-09-27" must never become the 9th by reading "09" as the day.
    assert date_in_text("2013-09-27", (2013, 9)) == date(2013, 9, 27)
    assert date_in_text("Friday, September 27, 2013", (2013, 8)) is None


def test_url_year_month_reads_only_post_urls() -> None:
    assert url_year_month("https://b.blogspot.com/2013/09/x.html") == (2013, 9)
    assert url_year_month("https://b.blogspot.com/2013/09/x.html?m=1#c1") == (2013, 9)
    # A blog Blogger published to its owner's server named its files as the owner chose.
    assert url_year_month("http://orcmid.com/blog/2009/03/software-rust.asp") == (2009, 3)
    assert url_year_month("http://example.org/notes/2006/01/a-post.php") == (2006, 1)
    assert url_year_month("https://b.blogspot.com/2013/09/x.html/more") is None
    assert url_year_month("https://b.blogspot.com/2013/09/") is None
    assert url_year_month("") is None
    assert url_year_month("file:///data/2024/01/saved.html") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9/15/2010 06:00:00 AM", True),
        ("9/15/2010", True),
        ("Wednesday, June 15, 2005 9:37 AM", True),
        ("2016年6月5日 星期日", True),
        ("الأربعاء، 15 يونيو 2005 9:37 ص", True),  # "ص": a.m.
        ("Rabu, 15 Juni 2005 9:37", True),
        ("बुधवार, 15 जून 2005 9:37", True),
        ("Wednesday, June 15, 2005", False),  # an author's dated heading stays text
        ("On June 15, 2005 we sailed.", False),
        ("Posted by Ada Keeper at 9:37 AM", False),
    ],
)
def test_a_date_line_states_a_date_and_nothing_else(text: str, expected: bool) -> None:
    assert is_date_line(text) is expected


def test_the_template_date_line_is_taken_from_the_head_of_the_body() -> None:
    url = "https://x.googleblog.com/2010/09/launch.html"
    paragraphs = ["9/15/2010 06:00:00 AM", "Posted by Ada Keeper", "We launched."]
    rest, day = split_date_line(paragraphs, url)
    assert rest == ["Posted by Ada Keeper", "We launched."]
    assert day == date(2010, 9, 15)


def test_a_date_deep_in_the_body_or_alone_in_it_stays() -> None:
    body = ["We launched.", "More news.", "Even more.", "9/15/2010"]
    assert split_date_line(body, "") == (body, None)
    assert split_date_line(["9/15/2010"], "") == (["9/15/2010"], None)


@pytest.mark.parametrize(
    ("text", "url_month", "expected"),
    [
        # Croatian "listopad" is October; Polish and Czech "listopad(a)" is November.
        ("srijeda, 15. listopada 2005.", (2005, 10), date(2005, 10, 15)),
        ("środa, 16 listopada 2005", (2005, 11), date(2005, 11, 16)),
        ("srijeda, 15. listopada 2005.", (2005, 6), None),  # neither month is the URL's
        ("srijeda, 15. listopada 2005.", None, None),  # nothing says which language it is
        ("listopad 15, 2005", None, None),
    ],
)
def test_a_month_name_languages_read_differently_needs_the_url_month(
    text: str, url_month: tuple[int, int] | None, expected: date | None
) -> None:
    assert date_in_text(text, url_month) == expected


@pytest.mark.parametrize(
    "text",
    [
        "srijeda, 15. lipnja 2005.",  # Croatian genitive
        "lipanj 15, 2005",  # Croatian nominative
        "středa 15. června 2005",  # Czech genitive
        "mércores, 15 de xuño de 2005",  # Galician
        "ÇARŞAMBA, 15 HAZİRAN 2005",  # Turkish capitals: İ lower-cases to i + a dot above
    ],
)
def test_more_languages_and_capitals_are_read(text: str) -> None:
    assert date_in_text(text) == JUNE_15
    assert date_in_text(text, (2005, 6)) == JUNE_15


def test_czech_and_croatian_november_and_october_genitives() -> None:
    assert date_in_text("středa 16. listopadu 2005") == date(2005, 11, 16)
    assert date_in_text("subota, 15. listopada 2005.", (2005, 10)) == date(2005, 10, 15)
    assert date_in_text("srijeda, 16. studenoga 2005.") == date(2005, 11, 16)


@pytest.mark.parametrize(
    "text",
    ["15.6.05", "15.06.05", "6/15/05", "15/06/05", "05/06/15", "05-6-15", "15-6-05", "05.06.15."],
)
def test_a_two_digit_year_is_read_only_in_the_url_month(text: str) -> None:
    # The locales' short forms (de 15.06.05, en-US 6/15/05, fr 15/06/05, ja 05/06/15, zh
    # 05-6-15, hu 05.06.15.): without the URL nothing says which number is the year.
    assert date_in_text(text) is None
    assert date_in_text(text, (2005, 6)) == JUNE_15
    assert date_in_text(text, (2005, 7)) is None
    assert date_in_text(text, (2004, 6)) is None


def test_the_url_month_singles_out_the_order_of_a_two_digit_date() -> None:
    # 05/06/06 is 5 June 2006 (d/m/yy) on a June 2006 post and 6 June 2005 (yy/m/d) on a
    # June 2005 one; on a post of any other month it is no date of this post's.
    assert date_in_text("05/06/06", (2006, 6)) == date(2006, 6, 5)
    assert date_in_text("05/06/06", (2005, 6)) == date(2005, 6, 6)
    assert date_in_text("05/06/06", (2006, 5)) == date(2006, 5, 6)  # m/d/yy
    assert date_in_text("05/06/06", (2007, 6)) is None


def test_a_two_digit_date_line_is_split_from_the_body_head() -> None:
    url = "https://x.blogspot.com/2005/06/launch.html"
    rest, day = split_date_line(["15.06.05", "We launched."], url)
    assert rest == ["We launched."]
    assert day == JUNE_15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15. Jänner 2005", date(2005, 1, 15)),  # Austrian German
        ("15. Feber 2005", date(2005, 2, 15)),
        ("15 ene 2005", date(2005, 1, 15)),  # Spanish abbreviations, as date badges write them
        ("15dic2005", date(2005, 12, 15)),  # a badge's spans run together: 15 | dic | 2005
        ("15 giu 2005", date(2005, 6, 15)),  # Italian
        ("15 lug 2005", date(2005, 7, 15)),
        ("15 ott 2005", date(2005, 10, 15)),
    ],
)
def test_regional_names_and_badge_abbreviations_are_read(text: str, expected: date) -> None:
    assert date_in_text(text) == expected


def test_an_abbreviation_that_is_a_common_word_is_not_a_month() -> None:
    # "ago" (Spanish/Italian/Portuguese August) would turn "15 days ago" on an August post
    # into the 15th of August.
    assert date_in_text("posted 15 days ago", (2005, 8)) is None
    assert date_in_text("sold out 15 copies", (2005, 10)) is None
