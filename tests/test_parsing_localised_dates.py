"""Published dates and bylines in the languages and forms Blogger renders (issue 15).

Blogger writes a post's date header (``h2.date-header``) and its footer ("Posted by NAME at
TIME") in the blog's language, in the date format the blog owner picks. The pages below are
modelled on the Layouts theme's markup (date header above the post, ``post-footer`` below
it, the timestamp link showing only the time, no ISO attribute and no JSON-LD, so the date
must be read from the text); every form is read, or gives None where it cannot be read for
certain (null over wrong).
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crawler.parsing import date_text, metadata, parse_page
from crawler.parsing.date_text import date_in_text
from crawler.parsing.metadata import author_name, squash

JUNE_15 = date(2005, 6, 15)
JUNE_URL = "https://localised-fixture.blogspot.com/2005/06/post.html"


def layouts_page(header: str, footer: str, *, url: str = "") -> bytes:
    """A Layouts item page: date header ``header``, footer line ``footer`` (as text)."""
    canonical = f"<link href='{url}' rel='canonical'/>" if url else ""
    return f"""<!DOCTYPE html><html><head><meta charset='utf-8'/>
<meta content='blogger' name='generator'/>{canonical}<title>Blog: Post</title></head><body>
<div class='widget Blog' data-version='1' id='Blog1'><div class='blog-posts hfeed'>
<div class='date-outer'><h2 class='date-header'><span>{header}</span></h2>
<div class='date-posts'><div class='post-outer'><div class='post hentry'>
<h3 class='post-title entry-title'>Post</h3>
<div class='post-body entry-content' id='post-body-1000000000000000001'>
<p>Text of the post, long enough to be its body.</p></div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>{footer}</span></div></div>
</div></div></div></div></div></div>
<script>_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{'pageType': 'item'}}}}]);
</script></body></html>""".encode()


def classic_page(header: str, footer: str) -> bytes:
    """A classic-template item page: ``posted by NAME at TIME`` in a ``p.post-footer``."""
    return f"""<html><head><meta charset='utf-8'/></head><body><div id='main'>
<h2 class='date-header'>{header}</h2>
<div class='post'><h3 class='post-title'>Post</h3>
<div class='post-body'><p>Text of the post, long enough to be its body.</p></div>
<p class='post-footer'><em>{footer}</em></p></div></div></body></html>""".encode()


# (date header as Blogger renders it in the language, expected day, footer, expected name)
LOCALISED = {
    "ar-levantine": ("الأربعاء، ١٥ حزيران ٢٠٠٥", JUNE_15, "مرسلة بواسطة أحمد في ٩:٣٧ ص", "أحمد"),
    "ar-levantine-two-word-month": (
        "الخميس، ١٣ تشرين الأول ٢٠٠٥",
        date(2005, 10, 13),
        "مرسلة بواسطة أحمد في 9:37 ص",
        "أحمد",
    ),
    "ar-rlm-numeric": ("١٥\u200f/٦\u200f/٢٠٠٥", JUNE_15, "مرسلة بواسطة أحمد", "أحمد"),
    "vi-month-word": ("Thứ Tư, 15 tháng Sáu, 2005", JUNE_15, "Người đăng: Lan lúc 9:37", "Lan"),
    "ko-dotted": ("2005. 6. 15.", JUNE_15, "게시자: 김철수 시간: 오전 9:37", "김철수"),
    "lv": ("trešdiena, 2005. gada 15. jūnijs", JUNE_15, "Publicēja Jānis plkst. 9:37", "Jānis"),
    "eu": ("2005(e)ko ekainaren 15(a), asteazkena", JUNE_15, "Posted by Miren", "Miren"),
    "fr-weekday-mar": ("mar. 14 juin 2005", date(2005, 6, 14), "Publié par Marie à 09:37", "Marie"),
    "es-weekday-mar": (
        "mar., 14 de jun. de 2005",
        date(2005, 6, 14),
        "Publicado por Ana en 9:37",
        "Ana",
    ),
    "th-buddhist-era": ("วันพุธที่ 15 มิ.ย. พ.ศ. 2548", JUNE_15, "โพสต์โดย สมชาย เวลา 9:37", "สมชาย"),
    "el-capitals": (
        "ΤΕΤΑΡΤΗ, 15 ΙΟΥΝΙΟΥ 2005",
        JUNE_15,
        "Αναρτήθηκε από Γιάννης στις 9:37 π.μ.",
        "Γιάννης",
    ),
    "uk-abbreviated": ("15 черв. 2005 р.", JUNE_15, "Опубліковано Олена о 9:37", "Олена"),
    "hu-abbreviated": (
        "2005. jún. 15.",
        JUNE_15,
        "Bejegyezte: Kovács Anna dátum: 9:37",
        "Kovács Anna",
    ),
    "fi-abbreviated": ("15. kesäk. 2005", JUNE_15, "Lähettänyt Matti klo 9.37", "Matti"),
    "pt-PT-ago": (
        "15 de ago. de 2005",
        date(2005, 8, 15),
        "Publicada por João à(s) 09:37",
        "João",
    ),
    "nb-des": ("15. des. 2005", date(2005, 12, 15), "Lagt inn av Ola kl. 09:37", "Ola"),
    "sr-cyrillic": ("среда, 15. јун 2005.", JUNE_15, "Постовао Марко у 9:37", "Марко"),
    "hr": ("srijeda, 15. lipnja 2005.", JUNE_15, "Objavio Ivan u 9:37", "Ivan"),
    "fa-gregorian": ("۱۵ ژوئن ۲۰۰۵", JUNE_15, "ارسال شده توسط علی در ۹:۳۷", "علی"),
    "fil": ("Miyerkules, Hunyo 15, 2005", JUNE_15, "Na-post ni Juan sa 9:37 AM", "Juan"),
    "lt": ("2005 m. birželio 15 d.", JUNE_15, "Paskelbė Jonas 9:37", "Jonas"),
    "pl": ("środa, 15 czerwca 2005", JUNE_15, "Opublikowane przez Jan o 9:37", "Jan"),
    "ja": ("2005年6月15日(水)", JUNE_15, "投稿者 山田 時刻: 9:37", "山田"),
    "zh-TW": ("2005年6月15日 星期三", JUNE_15, "發佈者： 小明 於 上午9:37", "小明"),
}


@pytest.mark.parametrize(("header", "day", "footer", "name"), LOCALISED.values(), ids=LOCALISED)
def test_a_localised_date_header_and_footer_give_the_day_and_name(
    header: str, day: date, footer: str, name: str
) -> None:
    record = parse_page("", layouts_page(header, footer))
    assert record.published is not None
    assert record.published.date() == day
    assert record.author == name


@pytest.mark.parametrize(("header", "day", "footer", "name"), LOCALISED.values(), ids=LOCALISED)
def test_a_classic_footer_in_the_blogs_language_gives_the_name(
    header: str, day: date, footer: str, name: str
) -> None:
    record = parse_page("", classic_page(header, footer))
    assert record.author == name
    assert record.published is not None
    assert record.published.date() == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Levantine/Iraqi Arabic, one- and two-word month names, any digits
        ("١٥ كانون الثاني ٢٠٠٥", date(2005, 1, 15)),
        ("15 شباط 2005", date(2005, 2, 15)),
        ("15 آذار 2005", date(2005, 3, 15)),
        ("15 تشرين الاول 2005", date(2005, 10, 15)),  # without the hamza
        ("15 تشرين الثاني 2005", date(2005, 11, 15)),
        ("15 كانون الأول 2005", date(2005, 12, 15)),
        ("15 جوان 2005", JUNE_15),  # Algeria, Tunisia
        ("15 غشت 2005", date(2005, 8, 15)),  # Morocco
        # Vietnamese month words ("năm" is both May and "year")
        ("ngày 15 tháng Mười Hai năm 2005", date(2005, 12, 15)),
        ("15 tháng mười một, 2005", date(2005, 11, 15)),
        ("15 tháng Năm năm 2005", date(2005, 5, 15)),
        # Korean and Hungarian year-first dates with spaced dots
        ("2005. 6. 15. 오후 9:37", JUNE_15),
        ("2005. 06. 15.", JUNE_15),
        # Latvian locative, Basque without parentheses
        ("2005. gada 15. jūnijā", JUNE_15),
        ("2005eko ekainaren 15a", JUNE_15),
        # Greek abbreviation and nominative
        ("15 Ιουν 2005", JUNE_15),
        ("Ιούνιος 15, 2005", JUNE_15),
        # Russian and Polish medium forms, Indonesian abbreviations
        ("15 сент. 2005 г.", date(2005, 9, 15)),
        ("15 cze 2005", JUNE_15),
        ("15 Agu 2005", date(2005, 8, 15)),
        # Common-word abbreviations in the tight form of a date only
        ("15 ago 2005", date(2005, 8, 15)),
        ("ago 15, 2005", date(2005, 8, 15)),
        ("15 set. 2005", date(2005, 9, 15)),
        ("15 Des 2005", date(2005, 12, 15)),
        ("15 lis 2005", date(2005, 11, 15)),
        # The other languages of Blogger's interface
        ("Jumatano, 15 Juni 2005", JUNE_15),  # Swahili
        ("Woensdag 15 Junie 2005", JUNE_15),  # Afrikaans
        ("uLwesithathu, Juni 15, 2005", JUNE_15),  # Zulu
        ("بدھ، 15 جون، 2005", JUNE_15),  # Urdu
        ("बुधवार, १५ जून, २००५", JUNE_15),  # Marathi, Devanagari digits
        ("১৫ জানুয়ারী, ২০০৫", date(2005, 1, 15)),  # Bengali, Bengali digits
        ("બુધવાર, 15 જૂન, 2005", JUNE_15),  # Gujarati
        ("புதன், 15 ஜூன், 2005", JUNE_15),  # Tamil
        ("బుధవారం, 15 జూన్, 2005", JUNE_15),  # Telugu
        ("ಬುಧವಾರ, ಜೂನ್ 15, 2005", JUNE_15),  # Kannada
        ("15 ഒക്\u200cടോബർ 2005", date(2005, 10, 15)),  # Malayalam, a joiner inside the word
        ("ረቡዕ ፣15 ጁን 2005", JUNE_15),  # Amharic
        ("15 मे 2005", date(2005, 5, 15)),  # Marathi May, a short word: tight form only
        # The "MMMM d, yyyy" format in Japanese and Korean: the month in digits
        ("6月 15, 2005", JUNE_15),
        ("6월 15, 2005", JUNE_15),
        # A page written in decomposed form (accents as combining marks)
        (unicodedata.normalize("NFD", "mercredi 15 février 2005"), date(2005, 2, 15)),
        # "mar" is March where no other month is named
        ("15 mar 2005", date(2005, 3, 15)),
        ("mar 14 mar 2005", date(2005, 3, 14)),
    ],
)
def test_more_localised_forms_are_read(text: str, expected: date) -> None:
    assert date_in_text(text) == expected
    assert date_in_text(text, (expected.year, expected.month)) == expected


@pytest.mark.parametrize(
    ("text", "url_month"),
    [
        # Another calendar's year is never a Gregorian one: Solar Hijri in digits
        ("۱۳۸۴/۰۳/۲۵", None),
        ("۱۳۸۴/۰۳/۲۵", (2005, 6)),
        ("1426-05-08", None),  # Hijri
        # A Buddhist-era year with no era stated and no URL, or one the URL contradicts
        ("15 มิ.ย. 2548", None),
        ("15 มิถุนายน 2549", (2005, 6)),
        # Japanese imperial-era years are not read
        ("平成17年6月15日", None),
        # Common-word abbreviations outside the tight form of a date
        ("posted 15 days ago.", (2005, 8)),
        ("na 15 sie zgodzi", (2005, 8)),
        ("sold out 15 copies in 2005", (2005, 10)),
        ("पिछले 15 दिनों मे", (2005, 5)),  # Hindi "in the last 15 days", "मे" = May in Marathi
        # A day/month-ambiguous numeric form, also with direction marks, and no URL
        ("05/06/2005", None),
        ("٠٥\u200f/٠٦\u200f/٢٠٠٥", None),
    ],
)
def test_a_form_that_cannot_be_read_for_certain_gives_none(
    text: str, url_month: tuple[int, int] | None
) -> None:
    assert date_in_text(text, url_month) is None


def test_a_cjk_month_and_day_without_a_year_take_the_urls_year() -> None:
    assert date_in_text("6月15日 星期三") is None
    assert date_in_text("6月15日 星期三", (2005, 6)) == JUNE_15
    assert date_in_text("13月 15, 2005") is None


def v2017_page(label: str, name_markup: str, shown: str) -> bytes:
    """A 2017-theme item page: byline label, name, and a ``time.published`` with text only."""
    return f"""<html><body class='item-view version-1-3-3'>
<div class='widget Blog' data-version='2' id='Blog1'><div class='blog-posts hfeed container'>
<article class='post-outer-container'><div class='post-outer'><div class='post'>
<h3 class='post-title entry-title'>Title</h3>
<div class='post-header'><div class='post-header-line-1'>
<span class='byline post-author vcard'><span class='byline-label'>{label}</span>
{name_markup}</span> <span class='byline post-timestamp'>
<a class='timestamp-link' href='#' rel='bookmark' title='permanent link'>
<time class='published'>{shown}</time></a></span></div></div>
<div class='post-body entry-content float-container' id='post-body-1002'><p>Text.</p></div>
</div></div></article></div></div></body></html>""".encode()


@pytest.mark.parametrize(
    ("label", "name_markup", "shown", "name"),
    [
        (
            "Publié par",
            "<span class='fn'><a class='g-profile'>Marie</a></span>",
            "juin 15, 2005",
            "Marie",
        ),
        ("Eingestellt von", "<a class='g-profile'>Sandra</a>", "Juni 15, 2005", "Sandra"),
        ("Publicado por", "<a class='g-profile'>Ana</a>", "junio 15, 2005", "Ana"),
        ("Pubblicato da", "<a class='g-profile'>Marco</a>", "giugno 15, 2005", "Marco"),
        ("Opublikowane przez", "<a class='g-profile'>Jan</a>", "czerwca 15, 2005", "Jan"),
        ("Автор:", "<span class='fn'>Иван</span>", "июня 15, 2005", "Иван"),
        ("發佈者：", "<span class='fn'>小明</span>", "六月 15, 2005", "小明"),
        ("投稿者", "<a class='g-profile'>山田</a>", "6月 15, 2005", "山田"),
        ("게시자:", "<a class='g-profile'>김철수</a>", "6월 15, 2005", "김철수"),
    ],
)
def test_a_2017_theme_byline_label_in_the_blogs_language_is_stripped(
    label: str, name_markup: str, shown: str, name: str
) -> None:
    record = parse_page("", v2017_page(label, name_markup, shown))
    assert record.author == name
    assert record.published is not None
    assert record.published.date() == JUNE_15


def test_the_buddhist_era_converts_when_the_page_or_the_url_states_it() -> None:
    assert date_in_text("วันพุธที่ 15 มิถุนายน พ.ศ. 2548") == JUNE_15
    assert date_in_text("15 มิ.ย. 2548", (2005, 6)) == JUNE_15
    assert date_in_text("15 มิถุนายน ค.ศ. 2005") == JUNE_15  # the Christian era, as written


def test_a_day_month_ambiguous_header_is_null_without_a_settling_url() -> None:
    assert parse_page("", layouts_page("05/06/2005", "Posted by Ada")).published is None
    record = parse_page(JUNE_URL, layouts_page("05/06/2005", "Posted by Ada", url=JUNE_URL))
    assert record.published is not None
    assert record.published.date() == date(2005, 6, 5)


def test_a_thai_header_without_its_era_takes_the_year_only_from_a_matching_url() -> None:
    header = "วันพุธที่ 15 มิถุนายน 2548"
    assert parse_page("", layouts_page(header, "Posted by Ada")).published is None
    record = parse_page(JUNE_URL, layouts_page(header, "Posted by Ada", url=JUNE_URL))
    assert record.published is not None
    assert record.published.date() == JUNE_15
    url_2006 = JUNE_URL.replace("2005", "2006")
    record = parse_page(url_2006, layouts_page(header, "Posted by Ada", url=url_2006))
    assert record.published is None


def test_a_solar_hijri_header_gives_no_date() -> None:
    for header in ("۲۵ خرداد ۱۳۸۴", "۱۳۸۴/۰۳/۲۵"):
        assert parse_page("", layouts_page(header, "Posted by Ada")).published is None


@pytest.mark.parametrize("footer", ["posted by: Ada Keeper at 9:37 AM", "By: Ada Keeper | 9:37 AM"])
def test_a_classic_footers_by_label_with_a_colon_names_the_author(footer: str) -> None:
    record = parse_page("", classic_page("Wednesday, June 15, 2005", footer))
    assert record.author == "Ada Keeper"


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("posted by: Ada Keeper", "Ada Keeper"),
        ("Poslal Jan v 9:37", "Jan"),
        ("Julkaissut Matti", "Matti"),
        ("Sent inn af Jón kl. 9:37", "Jón"),
    ],
)
def test_more_localised_bylines_are_stripped_to_the_name(byline: str, name: str) -> None:
    assert author_name(byline) == name


# Differential tests: the month reader splits a text into lower-cased words in one pass over
# the joined words, and the byline stripper ends without a second squash; both must give
# what the per-word and squashing definitions give.
_TEXT_PIECES = st.lists(
    st.sampled_from(
        [" ", "  ", ".", "..", ",", "-", "|", ":", "\t", "\n", "15", "2005", "15th", "1er",
         "15TH", "Juni", "JUNI", "ΙΟΥΝΙΟΣ", "Σ", "ΑΣΑ", "Ιουνίου", "ΙΟΎΝΙΟΣ", "jun.", "dic",
         "HAZIRAN", "जून", "ביוני", "حزيران", "mar.", "Ада", "ẞ", "ǅ", "a", "E", "º", "ª"]
    ),
    max_size=14,
).map("".join)  # fmt: skip


def _words_one_by_one(text: str) -> list[str]:
    return [word.lower().rstrip(".") for word in date_text._WORD.findall(text)]


@given(_TEXT_PIECES)
@example("ΙΟΥΝΙΟΣ 15TH. jun.. ΑΣΑ")
def test_the_month_readers_words_are_the_per_word_definitions(text: str) -> None:
    joined = " ".join(date_text._TOKEN.findall(text)).lower().split()
    assert joined == _words_one_by_one(text)


def _squashing_author_name(text: str | None) -> str | None:
    text = squash(text)
    if text is None:
        return None
    text = metadata._BYLINE_SUFFIX.sub("", metadata._BYLINE_PREFIX.sub("", text, count=1))
    name = squash(text.strip(" -–—|·:,"))
    # Without a letter (the pieces hold no mark or pictograph) it is no one's name.
    return name if name and any(char.isalpha() for char in name) else None


_BYLINE_PIECES = st.lists(
    st.sampled_from(
        [" ", "  ", "\n", "\u00a0", "Posted by", "Eingestellt von", "Ada", "Keeper", "at",
         "9:37", "AM", "|", "·", "-", "–", ":", ",", "於", "上午9:37", "2005", "June 15,", "u",
         "Publicada por", "à(s)", "klo", "9.37", "@", "•"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_BYLINE_PIECES)
@example("Posted by Ada Keeper – · at 9:37")
@example("\u00a0Ada\u00a0\u00a0Keeper |")
def test_a_byline_is_stripped_as_the_squashing_definition_strips_it(text: str) -> None:
    assert author_name(text) == _squashing_author_name(text)
