"""Author names out of bylines in every template's form and language."""

from __future__ import annotations

import pytest

from crawler.parsing import parse_page
from crawler.parsing.metadata import author_name, body_byline_author
from tests.support.parsing_pages import POST_URL, layouts_page


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("posted by Ada Keeper | Wednesday, June 15, 2005 | 9:37 AM", "Ada Keeper"),
        ("posted by Ada Keeper at 11:02 AM | 2 comments", "Ada Keeper"),
        ("Posted by Ada Keeper on Wednesday, June 15, 2005", "Ada Keeper"),
        ("Posted by Ada Keeper at June 15, 2005", "Ada Keeper"),
        ("Posted by Ada Keeper @ 9:37 AM", "Ada Keeper"),
        ("Posted by: Ada Keeper", "Ada Keeper"),
        ("Eingestellt von Sandra um 10:52", "Sandra"),
        ("Posté par Marie à 09:37", "Marie"),
        ("Publicado por Ana às 9:37", "Ana"),
        ("Pubblicato da Marco alle 09:37", "Marco"),
        ("Upplagd av Lars", "Lars"),
        ("Опубликовал Иван в 9:37", "Иван"),
        ("張貼者： 小明 於 上午9:37", "小明"),
        ("投稿者 山田 時刻: 9:37", "山田"),
        ("게시자: 김철수 시간: 오전 9:37", "김철수"),
        ("Diposting oleh Budi di 09.37", "Budi"),
        ("Diposkan oleh Budi di 09.37", "Budi"),
        ("Dicatat oleh Aminah pada 9:37 PG", "Aminah"),
        ("Автор: Иван в 9:37", "Иван"),
        ("Опубліковано Олена о 9:37", "Олена"),
        ("Публикувано от Георги в 9:37", "Георги"),
        ("Gönderen Ali zaman: 09:37", "Ali"),
        ("Vystavil Jan Novák v 9:37", "Jan Novák"),
        ("Uverejnil Peter v 9:37", "Peter"),
        ("Bejegyezte: Kovács Anna dátum: 9:37", "Kovács Anna"),
        ("Αναρτήθηκε από Γιάννης στις 9:37 π.μ.", "Γιάννης"),
        ("مرسلة بواسطة أحمد في 9:37 ص", "أحمد"),
        ("פורסם על ידי דני ב- 9:37", "דני"),
        ("โพสต์โดย สมชาย เวลา 9:37", "สมชาย"),
        ("Người đăng: Lan lúc 9:37", "Lan"),
        ("Postat de Ion la 9:37", "Ion"),
        ("Indsendt af Lars kl. 09:37", "Lars"),
        ("Publicat per Jordi a les 9:37", "Jordi"),
        ("Postitas Mari kell 9:37", "Mari"),
        # names that merely start like a byline word stay whole
        ("Byron Smith", "Byron Smith"),
        ("Da Costa", "Da Costa"),
        ("Ann on the Hill", "Ann on the Hill"),
    ],
)
def test_a_byline_is_stripped_to_the_name(byline: str, name: str) -> None:
    assert author_name(byline) == name


def test_an_in_body_byline_names_the_author_without_its_role() -> None:
    assert body_byline_author(["Posted by Dave Smith, Developer Advocate", "Text."]) == (
        "Dave Smith"
    )
    assert body_byline_author(["By the way, we moved.", "Text."]) is None
    # Past the first lines only the last one is a byline (a sign-off), with its full stop.
    assert body_byline_author(["One.", "Two.", "Three.", "Posted by Mid Way", "Five."]) is None
    assert body_byline_author(["One.", "Two.", "Three.", "Posted by Late Comer."]) == ("Late Comer")
    assert body_byline_author(["One.", "Posted by Shweta Karwa, Software Engineer."]) == (
        "Shweta Karwa"
    )


def test_a_byline_without_a_name_names_no_one() -> None:
    for byline in ("Posted by .", "Posted by ...", "posted by 12:30.", "by @|+", "Posted by –", ""):
        assert author_name(byline) is None, byline
    assert author_name("Posted by 🌸") == "🌸"
    assert author_name("張貼者： 小明 於 上午9:37") == "小明"


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Posted by Jane Doe.", "Jane Doe"),
        ("Posted by John Roe Jr.", "John Roe Jr."),
        ("Posted by Jane D.", "Jane D."),
        ("Posted by Acme Inc.", "Acme Inc."),
        ("Posted by Jane Doe", "Jane Doe"),
    ],
)
def test_an_in_body_byline_loses_the_sentence_full_stop_only(byline: str, name: str) -> None:
    assert body_byline_author([byline, "Text."]) == name


def test_a_classic_footer_with_the_date_between_bars_gives_name_and_date() -> None:
    html = layouts_page("<p>Body.</p>").replace(
        "<div class='post-footer'><span class='post-author vcard'>Posted by\n"
        "<span class='fn'>Fixture Author</span></span></div>",
        "<p class='post-footer'><em>posted by Ada Keeper | "
        "<a href='x' rel='bookmark'>Friday, May 15, 2020</a> | 9:37 AM</em></p>",
    )
    without_url = html.replace(f"<link href='{POST_URL}' rel='canonical'/>", "")
    assert without_url != html
    record = parse_page("", without_url.encode())
    assert record.author == "Ada Keeper"
    assert record.published is not None
    assert record.published.date().isoformat() == "2020-05-15"


def test_a_commenters_name_is_never_the_posts_author() -> None:
    html = layouts_page(
        "<p>Body.</p>",
        comments_html=(
            "<h4>1 comments:</h4><div class='comments-content'><ol><li class='comment'>"
            "<div class='comment-header'><cite class='user'><span class='fn'>Commenter</span>"
            "</cite></div><p>Hi.</p></li></ol></div>"
        ),
    ).replace(
        "<div class='post-footer'><span class='post-author vcard'>Posted by\n"
        "<span class='fn'>Fixture Author</span></span></div>",
        "",
    )
    assert "Fixture Author" not in html
    assert parse_page(POST_URL, html.encode()).author is None


@pytest.mark.parametrize(
    ("footer", "name"),
    [
        ("Vystavil Jan Novák v 9:37", "Jan Novák"),
        ("Автор: Иван в 9:37", "Иван"),
        ("Αναρτήθηκε από Γιάννης στις 9:37 π.μ.", "Γιάννης"),
        ("مرسلة بواسطة أحمد في 9:37 ص", "أحمد"),
        ("פורסם על ידי דני ב- 9:37", "דני"),
        ("โพสต์โดย สมชาย เวลา 9:37", "สมชาย"),
    ],
)
def test_a_footer_byline_in_the_blogs_language_names_the_author(footer: str, name: str) -> None:
    # A footer without Blogger's author markup: only the localised "posted by" tells the name.
    html = layouts_page("<p>Body.</p>").replace(
        "<div class='post-footer'><span class='post-author vcard'>Posted by\n"
        "<span class='fn'>Fixture Author</span></span></div>",
        f"<p class='post-footer'>{footer}</p>",
    )
    assert "Fixture Author" not in html
    assert parse_page(POST_URL, html.encode()).author == name
